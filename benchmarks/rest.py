"""REST latency and throughput: this bot in its two profiles beside stock Rasa's starter.

Usage: python -m benchmarks.rest [--seconds 20] [--rounds 2] [--levels 1 10 50]
                                 [--lengths 8 50] [--turns 150] [--long 3]

Four setups run side by side on this machine, idle while another is measured:
  starter      `rasa init --no-prompt`, trained here in a temporary folder, `rasa run`
               (in-memory tracker store, no action server): the reference
  embedded     this bot as `make run` starts it: SQLite tracker store, in-memory locks,
               one Rasa instance, one action server
  production-1 the production profile (PostgreSQL tracker store and knowledge, Redis locks,
               action server with 2 workers), load on one Rasa instance
  production-2 the same cluster, load spread over both instances
Each conversation length (messages per simulated newcomer, then a new one takes the seat) and
level (concurrent conversations, benchmarks/load.py: each simulated newcomer waits for the
answer before writing again) is measured in `rounds` rounds; in each round every setup gets
seconds/rounds under the same load, one after the other. A shared machine's speed
drifts over minutes, so interleaving the setups compares them under the same conditions;
the figures of the rounds are then added up. The per-sender rate limit is lifted: this
measures capacity, not the flood guard. Resident memory (RSS) of each process is read from
/proc after the heaviest level.

Then the cost of a message by its place in one conversation: `long` conversations of
`turns` messages per setup, one at a time, the setups taking turns; the median latency of
turns 1, 5, 10, 50 and 150 (each with its two neighbours on either side, over all those
conversations).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from benchmarks.load import LoadResult, run_load
from benchmarks.processes import cpu_seconds, rss_mib
from bot import PROJECT_DIR
from bot.cluster import (
    Cluster,
    actions_run,
    current_model,
    embedded_endpoints,
    free_port,
    rasa_run,
    stop_processes,
    venv_bin,
    wait_ready,
)

LIFTED_RATE_LIMIT = "1000000"
SHOWN_TURNS = (1, 5, 10, 50, 150)


@dataclass
class Setup:
    """One way of running an assistant, and what was measured on it."""

    name: str
    urls: list[str]
    pids: dict[str, int]  # process name -> pid, for CPU time and memory
    require_reply: bool = True
    # (length, level) -> rounds
    rounds: dict[tuple[int, int], list[LoadResult]] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # process -> seconds, last level
    by_turn: list[list[float]] = field(default_factory=list)  # conversation -> latencies

    def result(self, length: int, level: int) -> LoadResult:
        return LoadResult.merged(self.rounds[(length, level)])

    def turn(self, number: int) -> float:
        """Median latency of turn `number` (1-based) and its two neighbours either side."""
        around = range(max(number - 3, 0), number + 2)
        found = [c[i] for c in self.by_turn for i in around if i < len(c)]
        return statistics.median(found) if found else float("nan")


def _round(setup: Setup, length: int, level: int, seconds: float, label: str) -> LoadResult:
    return asyncio.run(
        run_load(
            setup.urls,
            level,
            seconds=seconds,
            length=length,
            prefix=f"{setup.name}-{label}",
            require_reply=setup.require_reply,
        )
    )


def measure(
    setups: list[Setup], lengths: list[int], levels: list[int], seconds: float, rounds: int
) -> None:
    """Each length and level in turn; within it, `rounds` rounds of seconds/rounds per
    setup, the setups one after the other. Then CPU time per answered message at the last."""
    for setup in setups:
        asyncio.run(
            run_load(setup.urls, 4, seconds=5.0, prefix=f"warm-{setup.name}", require_reply=False)
        )
    for length in lengths:
        for level in levels:
            key = (length, level)
            for setup in setups:
                setup.rounds[key] = []
                setup.cpu = {process: 0.0 for process in [*setup.pids, "client"]}
            for number in range(rounds):
                for setup in setups:
                    before = {process: cpu_seconds(pid) for process, pid in setup.pids.items()}
                    client = time.process_time()
                    label = f"{length}-{level}-{number}"
                    setup.rounds[key].append(_round(setup, length, level, seconds / rounds, label))
                    for process, pid in setup.pids.items():
                        setup.cpu[process] += cpu_seconds(pid) - before[process]
                    setup.cpu["client"] += time.process_time() - client
            for setup in setups:
                print(
                    f"  {length:>3} msg {setup.name:<13}{setup.result(*key).summary()}", flush=True
                )
    last = (lengths[-1], levels[-1])
    for setup in setups:
        messages = max(setup.result(*last).messages, 1)
        print(
            f"  {setup.name:<13}CPU per message at {last[1]} x {last[0]}: "
            + ", ".join(f"{p} {s / messages * 1000:.0f} ms" for p, s in setup.cpu.items()),
            flush=True,
        )


def measure_by_turn(setups: list[Setup], turns: int, conversations: int) -> None:
    """`conversations` conversations of `turns` messages per setup, one at a time."""
    for number in range(conversations):
        for setup in setups:
            result = asyncio.run(
                run_load(
                    setup.urls,
                    1,
                    turns=turns,
                    prefix=f"{setup.name}-long-{number}",
                    require_reply=setup.require_reply,
                )
            )
            if result.failures:
                print(f"  {setup.name}: {len(result.failures)} failures, e.g. {result.failures[0]}")
            setup.by_turn.append(result.latencies)
    print(f"\nLatency by turn, median ms ({conversations} conversations of {turns} per setup)")
    shown = [t for t in SHOWN_TURNS if t <= turns]
    print("  " + " " * 13 + "".join(f"{'turn ' + str(t):>10}" for t in shown) + "  150 / 5")
    for setup in setups:
        ratio = setup.turn(shown[-1]) / setup.turn(5) if 5 in shown else float("nan")
        print(
            f"  {setup.name:<13}"
            + "".join(f"{setup.turn(t) * 1000:>10.0f}" for t in shown)
            + f"  {ratio:7.2f}",
            flush=True,
        )


def _memory(name: str, pids: dict[str, int]) -> None:
    print(
        f"  {name:<13}RSS: "
        + ", ".join(f"{process} {rss_mib(pid):.0f} MiB" for process, pid in pids.items()),
        flush=True,
    )


def _start(
    commands: dict[str, list[str]], cwd: Path, folder: Path, env: dict[str, str]
) -> dict[str, subprocess.Popen]:
    return {
        name: subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **env},
            stdout=(folder / f"{name}.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        for name, command in commands.items()
    }


@contextlib.contextmanager
def starter(work: Path) -> Iterator[list[Setup]]:
    folder = work / "starter"
    folder.mkdir()
    print("Training stock Rasa's starter assistant (rasa init --no-prompt) ...", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [venv_bin("rasa"), "init", "--no-prompt", "--init-dir", str(folder)],
        cwd=folder,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    print(f"  trained in {time.perf_counter() - started:.0f} s", flush=True)
    port = free_port()
    processes = _start({"rasa": [venv_bin("rasa"), "run", "--port", str(port)]}, folder, folder, {})
    try:
        wait_ready(f"http://127.0.0.1:{port}/", processes, {"rasa": folder / "rasa.log"})
        # The starter knows English only and stays silent where no story fits: an empty
        # answer is its answer, timed like any other.
        pids = {"rasa": processes["rasa"].pid}
        yield [Setup("starter", [f"http://127.0.0.1:{port}"], pids, require_reply=False)]
    finally:
        stop_processes(processes.values())


@contextlib.contextmanager
def embedded(work: Path, model: str) -> Iterator[list[Setup]]:
    """`make run`'s layout; its tracker.db and knowledge.db in the work folder."""
    folder = work / "embedded"
    folder.mkdir()
    rasa_port, actions_port = free_port(), free_port()
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'knowledge.db'}",
        "RATE_LIMIT_PER_MINUTE": LIFTED_RATE_LIMIT,
        "ADDRESS_RATE_LIMIT_PER_MINUTE": LIFTED_RATE_LIMIT,
    }
    subprocess.run(
        [sys.executable, "-m", "bot", "knowledge", "sync"],
        cwd=PROJECT_DIR,
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    commands = {
        "actions": actions_run(actions_port),
        "rasa": rasa_run(model, rasa_port, embedded_endpoints(folder, actions_port)),
    }
    processes = _start(commands, PROJECT_DIR, folder, env)
    try:
        logs = {name: folder / f"{name}.log" for name in processes}
        wait_ready(f"http://127.0.0.1:{actions_port}/health", processes, logs)
        wait_ready(f"http://127.0.0.1:{rasa_port}/", processes, logs)
        pids = {name: p.pid for name, p in processes.items()}
        yield [Setup("embedded", [f"http://127.0.0.1:{rasa_port}"], pids)]
    finally:
        stop_processes(processes.values())


@contextlib.contextmanager
def production(model: str) -> Iterator[list[Setup]]:
    folder = Path(tempfile.mkdtemp(prefix="bench-production-"))  # PostgreSQL's user must reach it
    cluster = Cluster(
        work=folder,
        model=model,
        rasa_ports=[free_port(), free_port()],
        env={
            "RATE_LIMIT_PER_MINUTE": LIFTED_RATE_LIMIT,
            "ADDRESS_RATE_LIMIT_PER_MINUTE": LIFTED_RATE_LIMIT,
            "WIDGET_ALLOWED_ORIGINS": "https://welcome.example.org",
        },
    )
    try:
        cluster.start()
        urls, pids = cluster.urls(), cluster.pids()
        yield [Setup("production-1", urls[:1], pids), Setup("production-2", urls, pids)]
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _summary(setups: dict[str, Setup], lengths: list[int], levels: list[int]) -> None:
    print("\nSummary (same run, same load, setups interleaved)")
    starter = setups["starter"]
    for length in lengths:
        for level in levels:
            reference = starter.result(length, level)
            for name, setup in setups.items():
                result = setup.result(length, level)
                speed = result.per_second / max(reference.per_second, 1e-9)
                print(
                    f"  {length:>3} msg {level:>3} concurrent  {name:<13} "
                    f"{result.per_second:6.1f} msg/s ({speed:4.2f}x)  "
                    f"p95 {result.percentile(0.95) * 1000:6.0f} ms "
                    f"({result.percentile(0.95) / reference.percentile(0.95):4.2f}x)"
                )
    print("Targets:")
    for length in lengths:
        for level in [level for level in levels if level >= 10]:
            ours, reference = (
                setups["embedded"].result(length, level),
                starter.result(length, level),
            )
            print(
                f"  {length} msg, {level} concurrent: embedded msg/s "
                f"{ours.per_second / max(reference.per_second, 1e-9):.2f}x the starter's (>= 2), "
                f"p95 {ours.percentile(0.95) / reference.percentile(0.95):.2f}x (<= 0.5)"
            )
    one, two = setups["production-1"], setups["production-2"]
    for length in lengths:
        scales = []
        for level in levels:
            overall = two.result(length, level).per_second / max(
                one.result(length, level).per_second, 1e-9
            )
            scales.append(f"{overall:.2f}x at {level}")
        print(f"  {length} msg: two production instances vs one (>= 1.5): " + "; ".join(scales))
    if all(setup.by_turn for setup in setups.values()):
        print(
            "  turn 150 / turn 5 (<= 1.3): "
            + ", ".join(
                f"{name} {setup.turn(150) / setup.turn(5):.2f}" for name, setup in setups.items()
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0, help="per cell and setup")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds per cell")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--lengths", type=int, nargs="+", default=[8, 50])
    parser.add_argument("--turns", type=int, default=150, help="of the long conversations")
    parser.add_argument("--long", type=int, default=3, help="long conversations per setup")
    parser.add_argument(
        "--model", default=None, help="default: the current model (trains if stale)"
    )
    args = parser.parse_args()
    model = str(PROJECT_DIR / args.model) if args.model else current_model()
    print(
        f"REST channel, {args.seconds:.0f} s per cell and setup in {args.rounds} rounds; "
        f"conversations of {args.lengths} messages, {args.levels} at once"
    )
    with (
        tempfile.TemporaryDirectory(prefix="bench-rest-") as temporary,
        contextlib.ExitStack() as stack,
    ):
        work = Path(temporary)
        setups = [
            *stack.enter_context(starter(work)),
            *stack.enter_context(embedded(work, model)),
            *stack.enter_context(production(model)),
        ]
        measure(setups, args.lengths, args.levels, args.seconds, args.rounds)
        for setup in setups:
            _memory(setup.name, setup.pids)
        if args.long:
            measure_by_turn(setups, args.turns, args.long)
    _summary({setup.name: setup for setup in setups}, args.lengths, args.levels)


if __name__ == "__main__":
    main()
