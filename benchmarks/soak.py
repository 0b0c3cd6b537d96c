"""Months of running, compressed: many distinct newcomers against the embedded profile at a
bounded rate, watching memory and latency.

Usage: python -m benchmarks.soak [--senders 100000] [--messages 500000] [--rate 20]
                                 [--concurrency 20] [--cached 500]

Starts the embedded profile (action server, `rasa run`, SQLite; the current model, trained
if stale). `senders` newcomers, each writing messages/senders messages one after the other
(the scripted mix of ten languages and service lookups), `concurrency` of them at once, at
most `rate` messages per second overall. Printed: resident memory (RSS) of every process at
the start, after each tenth and at the end; p95 latency per tenth. Targets: RSS at the end
within 10% of the middle for every process, and p95 of the last tenth within 1.2x of the
second tenth's. The short version in `make test` is tests/e2e/test_soak.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from benchmarks.load import SCRIPT
from benchmarks.processes import rss_mib, tree
from benchmarks.servers import embedded_webhook
from bot.cluster import current_model

LIFTED = "1000000"


def server_processes() -> dict[str, int]:
    """The Rasa server and the action server this process started: name -> pid."""
    found: dict[str, int] = {}
    for pid in tree(os.getpid())[1:]:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        words = [w.decode(errors="replace") for w in command]
        if "run" in words and any(w.endswith("rasa") for w in words):
            found["actions" if "actions" in words else "rasa"] = pid
    return found


@dataclass
class SoakResult:
    messages: int
    seconds: float = 0.0
    samples: list[tuple[float, float]] = field(default_factory=list)  # (sent at, latency)
    failures: int = 0
    rss: list[dict[str, float]] = field(default_factory=list)  # start, each tenth
    shown: int = 0  # samples already summed up in a progress line

    def tenth(self, number: int) -> list[float]:
        """Latencies of the `number`-th tenth of the messages (1-based), in sending order."""
        ordered = [latency for _, latency in sorted(self.samples)]
        size = max(len(ordered) // 10, 1)
        return ordered[(number - 1) * size : number * size]

    @staticmethod
    def p95(latencies: list[float]) -> float:
        ordered = sorted(latencies)
        return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0

    def growth(self) -> dict[str, float]:
        """RSS at the end over RSS in the middle, per process."""
        middle, end = self.rss[len(self.rss) // 2], self.rss[-1]
        return {name: end[name] / middle[name] for name in end}

    def slowdown(self) -> float:
        """p95 of the last tenth over p95 of the second."""
        return self.p95(self.tenth(10)) / max(self.p95(self.tenth(2)), 1e-9)


async def soak(
    url: str,
    senders: int,
    messages: int,
    concurrency: int,
    rate: float,
    progress: bool = False,
) -> SoakResult:
    """Send `messages` messages from `senders` newcomers; RSS read at each tenth (and, with
    `progress`, printed then with the p95 of the answers since the last tenth, so that a
    run of hours that is stopped still shows what it measured)."""
    per_sender = max(messages // senders, 1)
    total = senders * per_sender
    result = SoakResult(messages=total)
    pids = server_processes()
    result.rss.append({name: rss_mib(pid) for name, pid in pids.items()})
    next_sender = iter(range(senders))
    pace = {"next": time.perf_counter(), "sent": 0}
    checkpoints = {total * k // 10 for k in range(1, 11)}

    async def send(session: aiohttp.ClientSession, sender: int, turn: int) -> None:
        now = time.perf_counter()  # each message gets the next free slot of the rate
        slot = max(pace["next"], now)
        pace["next"] = slot + 1.0 / rate
        await asyncio.sleep(slot - now)
        text, town = SCRIPT[(sender + turn) % len(SCRIPT)]
        body = {"sender": f"soak-{sender}", "message": text, "metadata": {"municipality": town}}
        started = time.perf_counter()
        try:
            async with session.post(url, json=body) as response:
                await response.read()
                ok = response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            ok = False
        if ok:
            result.samples.append((started, time.perf_counter() - started))
        else:
            result.failures += 1
        pace["sent"] += 1
        if pace["sent"] in checkpoints:
            result.rss.append({name: rss_mib(pid) for name, pid in pids.items()})
            if progress:
                _progress(result, pace["sent"], time.perf_counter() - begun)

    async def seat(session: aiohttp.ClientSession) -> None:
        for sender in next_sender:
            for turn in range(per_sender):
                await send(session, sender, turn)

    begun = time.perf_counter()
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), timeout=timeout
    ) as session:
        await asyncio.gather(*(seat(session) for _ in range(concurrency)))
    result.seconds = time.perf_counter() - begun
    return result


def _progress(result: SoakResult, sent: int, seconds: float) -> None:
    """One line per tenth: messages sent, time, RSS now, p95 of the answers since the last."""
    tenth = len(result.rss) - 1
    since = result.samples[result.shown :]
    result.shown = len(result.samples)
    memory = ", ".join(f"{name} {mib:.0f}" for name, mib in sorted(result.rss[-1].items()))
    print(
        f"  {tenth * 10:>3}%: {sent} messages in {seconds:.0f} s, {result.failures} failures; "
        f"RSS MiB {memory}; p95 since the last tenth "
        f"{result.p95([latency for _, latency in since]) * 1000:.0f} ms",
        flush=True,
    )


def report(result: SoakResult) -> None:
    names = sorted(result.rss[0])
    print(f"{result.messages} messages in {result.seconds:.0f} s, {result.failures} failures")
    print("RSS MiB  " + "".join(f"{n:>10}" for n in names))
    for label, sample in [("start", result.rss[0])] + [
        (f"{k * 10}%", s) for k, s in enumerate(result.rss[1:], start=1)
    ]:
        print(f"  {label:<7}" + "".join(f"{sample[n]:>10.0f}" for n in names))
    print(
        "p95 ms by tenth: "
        + " ".join(f"{result.p95(result.tenth(k)) * 1000:.0f}" for k in range(1, 11))
    )
    growth = result.growth()
    print(
        "Targets: RSS end / middle <= 1.10: "
        + ", ".join(f"{n} {g:.3f}" for n, g in sorted(growth.items()))
        + f"; p95 last tenth / second tenth <= 1.2: {result.slowdown():.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--senders", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=500_000)
    # well below the ~45 msg/s the embedded profile serves here: p95 then shows the cost of
    # a message, not a queue that any slowdown of a shared machine lets grow
    parser.add_argument("--rate", type=float, default=20.0, help="messages per second at most")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--cached", type=int, default=None, help="conversations cached")
    args = parser.parse_args()
    print(
        f"Soak: {args.senders} senders, {args.messages} messages, at most {args.rate:.0f}/s, "
        f"{args.concurrency} at once",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as folder:
        env = {"RATE_LIMIT_PER_MINUTE": LIFTED, "ADDRESS_RATE_LIMIT_PER_MINUTE": LIFTED}
        with embedded_webhook(Path(folder), current_model(), args.cached, **env) as url:
            result = asyncio.run(
                soak(url, args.senders, args.messages, args.concurrency, args.rate, True)
            )
    report(result)


if __name__ == "__main__":
    main()
