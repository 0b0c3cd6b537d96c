"""A burst of made-up sender ids from one address, and what a normal user notices of it.

Usage: python -m benchmarks.burst [--burst 1000] [--concurrency 50] [--messages 20]

Starts the embedded profile (action server, `rasa run` with SQLite, the current model;
trains if stale) with TRUSTED_PROXIES=127.0.0.1, so that requests from this machine may
pose as other clients through X-Forwarded-For. Rate limits are the defaults, or whatever
this process's environment sets (RATE_LIMIT_PER_MINUTE, ADDRESS_RATE_LIMIT_PER_MINUTE).

1. A normal user (its own address) writes `messages` messages alone, each after the answer
   to the one before: the baseline.
2. One client (address 203.0.113.7) sends `burst` messages, each from a new sender id,
   `concurrency` at a time; meanwhile a normal user from another address writes `messages`
   messages, each after the answer to the one before.
Printed: the normal user's p50 and p95 (nearest rank) alone and during the burst, how the
burst was answered (200, 429, other), and whether the target, p95 under 1 s during the
burst, is met.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from benchmarks.load import scripted
from benchmarks.servers import embedded_webhook
from bot import PROJECT_DIR
from bot.cluster import current_model

BURST_ADDRESS = "203.0.113.7"
BASELINE_ADDRESS = "198.51.100.10"
USER_ADDRESS = "198.51.100.20"
TARGET_P95 = 1.0  # seconds, for the normal user during the burst
TIMEOUT = aiohttp.ClientTimeout(total=120)


@dataclass
class Conversation:
    """One normal user's messages: answer times and what went wrong."""

    latencies: list[float] = field(default_factory=list)
    refused: int = 0
    failures: list[str] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        """Nearest rank: the smallest time at least `share` of the answers took."""
        ordered = sorted(self.latencies)
        if not ordered:
            return math.nan
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]

    def summary(self) -> str:
        return (
            f"p50 {self.percentile(0.5) * 1000:6.0f} ms, p95 {self.percentile(0.95) * 1000:6.0f} "
            f"ms, max {max(self.latencies, default=math.nan) * 1000:6.0f} ms "
            f"({len(self.latencies)} answered, {self.refused} refused, "
            f"{len(self.failures)} failed)"
        )


async def post(
    session: aiohttp.ClientSession, url: str, address: str, sender: str, turn: int
) -> tuple[int, object]:
    """One message as the client at `address`; its HTTP status and answer."""
    text, municipality = scripted(turn, 0)
    body = {"sender": sender, "message": text, "metadata": {"municipality": municipality}}
    headers = {"X-Forwarded-For": address}
    async with session.post(url, json=body, headers=headers) as response:
        return response.status, await response.json(content_type=None)


async def converse(url: str, address: str, messages: int, start_after: float = 0.0) -> Conversation:
    """A normal user: `messages` messages from one sender, each after the last answer."""
    await asyncio.sleep(start_after)
    result, sender = Conversation(), f"user-{uuid.uuid4().hex[:12]}"
    async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
        for turn in range(messages):
            started = time.perf_counter()
            try:
                status, answer = await post(session, url, address, sender, turn)
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                result.failures.append(f"#{turn}: {type(error).__name__} {error}")
                continue
            if status == 429:
                result.refused += 1
            elif status != 200 or not answer:
                result.failures.append(f"#{turn}: HTTP {status} {answer!r:.200}")
            else:
                result.latencies.append(time.perf_counter() - started)
    return result


async def burst(url: str, count: int, concurrency: int) -> tuple[Counter[str], float]:
    """`count` messages from `count` new sender ids at one address, `concurrency` at once;
    how they were answered (by status) and how long the burst took."""
    statuses: Counter[str] = Counter()
    gate = asyncio.Semaphore(concurrency)
    run = uuid.uuid4().hex[:8]

    async def one(session: aiohttp.ClientSession, n: int) -> None:
        async with gate:
            try:
                status, _ = await post(session, url, BURST_ADDRESS, f"burst-{run}-{n}", n)
                statuses[str(status)] += 1
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                statuses[type(error).__name__] += 1

    started = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=TIMEOUT) as session:
        await asyncio.gather(*(one(session, n) for n in range(count)))
    return statuses, time.perf_counter() - started


async def during_burst(
    url: str, count: int, concurrency: int, messages: int
) -> tuple[Counter[str], float, Conversation]:
    """The burst and, starting a moment after it, the normal user."""
    (statuses, seconds), user = await asyncio.gather(
        burst(url, count, concurrency), converse(url, USER_ADDRESS, messages, start_after=0.2)
    )
    return statuses, seconds, user


def embedded(folder: Path, model: str) -> contextlib.AbstractContextManager[str]:
    """The action server and Rasa as `make run` starts them, with their files in `folder`
    and TRUSTED_PROXIES=127.0.0.1; yields the REST webhook's URL."""
    return embedded_webhook(folder, model, TRUSTED_PROXIES="127.0.0.1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--burst", type=int, default=1000, help="messages, each a new sender")
    parser.add_argument("--concurrency", type=int, default=50, help="burst messages at once")
    parser.add_argument("--messages", type=int, default=20, help="the normal user's messages")
    parser.add_argument("--model", default=None, help="default: the current model")
    args = parser.parse_args()
    model = str(PROJECT_DIR / args.model) if args.model else current_model()
    limits = {
        name: os.environ.get(name, "default")
        for name in ("RATE_LIMIT_PER_MINUTE", "ADDRESS_RATE_LIMIT_PER_MINUTE")
    }
    print(
        f"Burst: {args.burst} messages from {args.burst} new sender ids at {BURST_ADDRESS}, "
        f"{args.concurrency} at a time; a normal user writes {args.messages} messages "
        f"meanwhile. Limits: " + ", ".join(f"{k} {v}" for k, v in limits.items()),
        flush=True,
    )
    with (
        tempfile.TemporaryDirectory(prefix="bench-burst-") as temporary,
        embedded(Path(temporary), model) as url,
    ):
        asyncio.run(converse(url, "192.0.2.1", 3))  # warm-up: first answers load things
        alone = asyncio.run(converse(url, BASELINE_ADDRESS, args.messages))
        statuses, seconds, user = asyncio.run(
            during_burst(url, args.burst, args.concurrency, args.messages)
        )
    print(f"  normal user alone:        {alone.summary()}")
    print(f"  normal user during burst: {user.summary()}")
    print(
        f"  burst: {statuses.get('200', 0)} answered, {statuses.get('429', 0)} refused (429), "
        f"{sum(statuses.values()) - statuses.get('200', 0) - statuses.get('429', 0)} other "
        f"{dict(statuses)}, in {seconds:.1f} s"
    )
    for failure in (alone.failures + user.failures)[:5]:
        print(f"  failure: {failure}")
    p95 = user.percentile(0.95)
    met = user.latencies and not user.refused and not user.failures and p95 < TARGET_P95
    print(
        f"Target: the normal user's p95 under {TARGET_P95:.0f} s during the burst, none "
        f"refused: {'met' if met else 'NOT met'} (p95 {p95 * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
