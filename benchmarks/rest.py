"""REST latency and throughput: this bot in its two profiles beside stock Rasa's starter.

Usage: python -m benchmarks.rest [--seconds 30] [--rounds 3] [--levels 1 10 50]

Four setups run side by side on this machine, idle while another is measured:
  starter      `rasa init --no-prompt`, trained here in a temporary folder, `rasa run`
               (in-memory tracker store, no action server): the reference
  embedded     this bot as `make run` starts it: SQLite tracker store, in-memory locks,
               one Rasa instance, one action server
  production-1 the production profile (PostgreSQL tracker store and knowledge, Redis locks,
               action server with 2 workers), load on one Rasa instance
  production-2 the same cluster, load spread over both instances
Each level (concurrent conversations, benchmarks/load.py: each simulated newcomer waits for
the answer before writing again) is measured in `rounds` rounds; in each round every setup
gets seconds/rounds under the same load, one after the other. A shared machine's speed
drifts over minutes, so interleaving the setups compares them under the same conditions;
the figures of the rounds are then added up. The per-sender rate limit is lifted: this
measures capacity, not the flood guard. Resident memory (RSS) of each process is read from
/proc after the heaviest level.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from benchmarks.load import LoadResult, run_load
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
CONVERSATION_LENGTH = 8  # messages per simulated newcomer, then a new one takes the seat
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Setup:
    """One way of running an assistant, and what was measured on it."""

    name: str
    urls: list[str]
    pids: dict[str, int]  # process name -> pid, for CPU time and memory
    require_reply: bool = True
    rounds: dict[int, list[LoadResult]] = field(default_factory=dict)  # level -> rounds
    cpu: dict[str, float] = field(default_factory=dict)  # process -> seconds, last level

    def result(self, level: int) -> LoadResult:
        return LoadResult.merged(self.rounds[level])


def _tree(pid: int) -> list[int]:
    """A process and all its descendants (Sanic workers, PostgreSQL backends)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        pending.extend(int(child) for child in children)
    return found


def _rss_mib(pid: int) -> float:
    """Resident memory of a process and its descendants, in MiB."""
    total = 0
    for member in _tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
            total += next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")
            )
        except (OSError, StopIteration):
            continue
    return total / 1024


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live descendants."""
    total = 0
    for member in _tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def _round(setup: Setup, level: int, seconds: float, label: str) -> LoadResult:
    return asyncio.run(
        run_load(
            setup.urls,
            level,
            seconds=seconds,
            length=CONVERSATION_LENGTH,
            prefix=f"{setup.name}-{label}",
            require_reply=setup.require_reply,
        )
    )


def measure(setups: list[Setup], levels: list[int], seconds: float, rounds: int) -> None:
    """Each level in turn; within it, `rounds` rounds of seconds/rounds per setup, the
    setups one after the other. Then CPU time per answered message at the last level."""
    for setup in setups:
        asyncio.run(
            run_load(setup.urls, 4, seconds=5.0, prefix=f"warm-{setup.name}", require_reply=False)
        )
    for level in levels:
        for setup in setups:
            setup.rounds[level] = []
            setup.cpu = {process: 0.0 for process in [*setup.pids, "client"]}
        for number in range(rounds):
            for setup in setups:
                before = {process: _cpu_seconds(pid) for process, pid in setup.pids.items()}
                client = time.process_time()
                result = _round(setup, level, seconds / rounds, f"{level}-{number}")
                setup.rounds[level].append(result)
                for process, pid in setup.pids.items():
                    setup.cpu[process] += _cpu_seconds(pid) - before[process]
                setup.cpu["client"] += time.process_time() - client
            print(
                f"  {level:>3} concurrent, round {number + 1}/{rounds}: "
                + ", ".join(f"{s.name} {s.rounds[level][-1].per_second:.1f}" for s in setups)
                + " msg/s",
                flush=True,
            )
        for setup in setups:
            print(f"  {setup.name:<13}{setup.result(level).summary()}", flush=True)
    for setup in setups:
        messages = max(setup.result(levels[-1]).messages, 1)
        print(
            f"  {setup.name:<13}CPU per message at {levels[-1]}: "
            + ", ".join(f"{p} {s / messages * 1000:.0f} ms" for p, s in setup.cpu.items()),
            flush=True,
        )


def _memory(name: str, pids: dict[str, int]) -> None:
    print(
        f"  {name:<13}RSS: "
        + ", ".join(f"{process} {_rss_mib(pid):.0f} MiB" for process, pid in pids.items()),
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


def _summary(setups: dict[str, Setup], levels: list[int]) -> None:
    print("\nSummary (same run, same load, setups interleaved)")
    for level in levels:
        reference = setups["starter"].result(level)
        for name, setup in setups.items():
            result = setup.result(level)
            print(
                f"  {level:>3} concurrent  {name:<13} {result.per_second:6.1f} msg/s  "
                f"p95 {result.percentile(0.95) * 1000:6.0f} ms  "
                f"(starter p95 {reference.percentile(0.95) * 1000:.0f} ms)"
            )
    if 10 not in levels:
        return
    reference = setups["starter"].result(10)
    print(
        "Target p95 at 10 concurrent no worse than the starter's: "
        + ", ".join(
            f"{name} {setups[name].result(10).percentile(0.95) * 1000:.0f} ms"
            for name in ("embedded", "production-1")
        )
        + f", starter {reference.percentile(0.95) * 1000:.0f} ms"
    )
    scales = []
    for level in levels:
        one, two = setups["production-1"], setups["production-2"]
        by_round = [
            b.per_second / max(a.per_second, 1e-9)
            for a, b in zip(one.rounds[level], two.rounds[level])
        ]
        overall = two.result(level).per_second / max(one.result(level).per_second, 1e-9)
        scales.append(
            f"{overall:.2f}x at {level} (rounds " + ", ".join(f"{r:.2f}" for r in by_round) + ")"
        )
    print("Target two instances >= 1.5x one: " + "; ".join(scales))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0, help="per level and setup")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per level")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument(
        "--model", default=None, help="default: the current model (trains if stale)"
    )
    args = parser.parse_args()
    model = str(PROJECT_DIR / args.model) if args.model else current_model()
    print(
        f"REST channel, {args.seconds:.0f} s per level and setup in {args.rounds} rounds; "
        f"concurrent conversations {args.levels}"
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
        measure(setups, args.levels, args.seconds, args.rounds)
        for setup in setups:
            _memory(setup.name, setup.pids)
    _summary({setup.name: setup for setup in setups}, args.levels)


if __name__ == "__main__":
    main()
