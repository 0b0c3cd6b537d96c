"""Concurrent conversations through the REST channel, for the load test and `make bench`.

Each simulated newcomer waits for the bot's answer before writing again, as a person does;
`concurrency` of them talk at once. Message n of conversation c goes to instance
(c + n) mod k, so every conversation hops between the instances of a cluster.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from dataclasses import dataclass, field
from typing import Callable

import aiohttp

# What newcomers write first, in several languages, with the municipality the page sets.
SCRIPT = [
    ("Hallo", "bolzano"),
    ("Wo finde ich einen Deutschkurs?", "bolzano"),
    ("Ich suche eine Wohnung", "dornbirn"),
    ("Buongiorno, cerco lavoro", "bolzano"),
    ("Где ближайший центр занятости?", "kranj"),
    ("كيف أسجل أطفالي في المدرسة؟", "annecy"),
    ("Bonjour, je cherche un médecin", "annecy"),
    ("Merhaba, dil kursu var mı?", "dornbirn"),
    ("Kje se lahko prijavim na tečaj slovenščine?", "kranj"),
    ("Thank you!", "kranj"),
]

Message = Callable[[int, int], tuple[str, str]]  # (conversation, turn) -> (text, municipality)


def scripted(conversation: int, turn: int) -> tuple[str, str]:
    return SCRIPT[(conversation + turn) % len(SCRIPT)]


@dataclass
class LoadResult:
    concurrency: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    sent: dict[str, list[str]] = field(default_factory=dict)  # sender -> texts, in order

    @property
    def messages(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @classmethod
    def merged(cls, parts: list[LoadResult]) -> LoadResult:
        """Several runs at the same concurrency taken as one (rounds of one measurement)."""
        result = cls(concurrency=parts[0].concurrency, seconds=sum(p.seconds for p in parts))
        for part in parts:
            result.latencies += part.latencies
            result.failures += part.failures
            result.sent.update(part.sent)
        return result

    def summary(self) -> str:
        if not self.latencies:
            return f"{self.concurrency:>3} concurrent: no answers, {len(self.failures)} failures"
        p50, p95, p99 = (self.percentile(share) * 1000 for share in (0.50, 0.95, 0.99))
        mean = statistics.mean(self.latencies) * 1000
        return (
            f"{self.concurrency:>3} concurrent: {self.per_second:6.1f} msg/s, p50 {p50:6.0f} ms, "
            f"p95 {p95:6.0f} ms, p99 {p99:6.0f} ms, mean {mean:5.0f} ms, "
            f"{self.messages} answers, {len(self.failures)} failures"
        )


async def _converse(
    session: aiohttp.ClientSession,
    urls: list[str],
    conversation: int,
    sender: str,
    message: Message,
    limit: int | None,
    over: Callable[[], bool],
    result: LoadResult,
    require_reply: bool = True,
) -> None:
    """One conversation: `limit` messages, or fewer if the run is `over` first. An empty
    answer counts as a failure when `require_reply` (this bot always answers)."""
    log = result.sent.setdefault(sender, [])
    for turn in itertools.count():
        if (limit is not None and turn >= limit) or over():
            return
        text, municipality = message(conversation, turn)
        url = urls[(conversation + turn) % len(urls)] + "/webhooks/rest/webhook"
        body = {"sender": sender, "message": text, "metadata": {"municipality": municipality}}
        started = time.perf_counter()
        try:
            async with session.post(url, json=body) as response:
                replies = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            result.failures.append(f"{sender}#{turn}: {type(error).__name__} {error}")
            continue
        log.append(text)
        if status != 200 or (require_reply and not replies):
            result.failures.append(f"{sender}#{turn}: HTTP {status}, {replies!r:.200}")
            continue
        result.latencies.append(time.perf_counter() - started)


async def _seat(
    session: aiohttp.ClientSession,
    urls: list[str],
    seat: int,
    concurrency: int,
    length: int | None,
    prefix: str,
    message: Message,
    over: Callable[[], bool],
    result: LoadResult,
    require_reply: bool,
) -> None:
    """Simulated newcomers one after another at this seat, each a conversation of `length`
    messages, until the run is over (one endless conversation when `length` is None)."""
    for k in itertools.count():
        conversation = seat + k * concurrency
        sender = f"{prefix}-{conversation}"
        await _converse(
            session, urls, conversation, sender, message, length, over, result, require_reply
        )
        if length is None or over():
            return


async def run_load(
    urls: list[str],
    concurrency: int,
    *,
    seconds: float | None = None,
    turns: int | None = None,
    length: int | None = None,
    message: Message = scripted,
    prefix: str = "load",
    timeout: float = 60.0,
    require_reply: bool = True,
) -> LoadResult:
    """`concurrency` newcomers writing at once, until `seconds` have passed.

    `turns`: each seat has one conversation of that many messages and the run ends with them.
    `length`: each seat's conversation ends after that many messages and a new newcomer (a
    new sender) starts, until `seconds` are over.
    """
    if seconds is None and turns is None:
        raise ValueError("give seconds, turns or both")
    result = LoadResult(concurrency=concurrency, seconds=0.0)
    started = time.perf_counter()
    deadline = started + seconds if seconds is not None else float("inf")

    def over() -> bool:
        return time.perf_counter() >= deadline

    connector = aiohttp.TCPConnector(limit=0)
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with aiohttp.ClientSession(connector=connector, timeout=client_timeout) as session:
        if turns is not None:  # one conversation per seat
            await asyncio.gather(
                *(
                    _converse(
                        session,
                        urls,
                        c,
                        f"{prefix}-{c}",
                        message,
                        turns,
                        over,
                        result,
                        require_reply,
                    )
                    for c in range(concurrency)
                )
            )
        else:
            await asyncio.gather(
                *(
                    _seat(
                        session,
                        urls,
                        c,
                        concurrency,
                        length,
                        prefix,
                        message,
                        over,
                        result,
                        require_reply,
                    )
                    for c in range(concurrency)
                )
            )
    result.seconds = time.perf_counter() - started
    return result
