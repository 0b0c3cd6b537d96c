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
    stop: Callable[[int], bool],
    result: LoadResult,
) -> None:
    log = result.sent.setdefault(sender, [])
    for turn in itertools.count():
        if stop(turn):
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
        if status != 200 or not replies:
            result.failures.append(f"{sender}#{turn}: HTTP {status}, {replies!r:.200}")
            continue
        result.latencies.append(time.perf_counter() - started)


async def run_load(
    urls: list[str],
    concurrency: int,
    *,
    seconds: float | None = None,
    turns: int | None = None,
    message: Message = scripted,
    prefix: str = "load",
    timeout: float = 60.0,
) -> LoadResult:
    """`concurrency` conversations at once until `seconds` have passed or each has had
    `turns` messages (whichever is given; both bound the run)."""
    if seconds is None and turns is None:
        raise ValueError("give seconds, turns or both")
    result = LoadResult(concurrency=concurrency, seconds=0.0)
    started = time.perf_counter()
    deadline = started + seconds if seconds is not None else float("inf")

    def stop(turn: int) -> bool:
        return (turns is not None and turn >= turns) or time.perf_counter() >= deadline

    connector = aiohttp.TCPConnector(limit=0)
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with aiohttp.ClientSession(connector=connector, timeout=client_timeout) as session:
        await asyncio.gather(
            *(
                _converse(session, urls, c, f"{prefix}-{c}", message, stop, result)
                for c in range(concurrency)
            )
        )
    result.seconds = time.perf_counter() - started
    return result
