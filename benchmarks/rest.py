"""REST latency and throughput: this bot in its two profiles beside stock Rasa's starter.

Usage: python -m benchmarks.rest [--seconds 20] [--levels 1 10 50]

In one run, under the same load (benchmarks/load.py: each simulated newcomer waits for the
answer before writing again), one after the other:
  starter      `rasa init --no-prompt`, trained here in a temporary folder, `rasa run`
               (in-memory tracker store, no action server): the reference
  embedded     this bot as `make run` starts it: SQLite tracker store, in-memory locks,
               one Rasa instance, one action server
  production-1 the production profile (PostgreSQL tracker store and knowledge, Redis locks,
               action server with 2 workers), load on one Rasa instance
  production-2 the same cluster, load spread over both instances
The per-sender rate limit is lifted: this measures capacity, not the flood guard. Resident
memory (RSS) of each process is read from /proc after the heaviest level.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.load import LoadResult, run_load
from bot import PROJECT_DIR
from bot.cluster import (
    Cluster,
    actions_run,
    current_model,
    embedded_endpoints,
    free_port,
    rasa_run,
    wait_ready,
)

LIFTED_RATE_LIMIT = "1000000"
CONVERSATION_LENGTH = 8  # messages per simulated newcomer, then a new one takes the seat
TICKS = os.sysconf("SC_CLK_TCK")


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


def _measure(
    name: str,
    urls: list[str],
    levels: list[int],
    seconds: float,
    pids: dict[str, int],
    require_reply: bool = True,
) -> list[LoadResult]:
    """Each level in turn; after the last, CPU time per answered message of each process."""
    asyncio.run(
        run_load(urls, 4, seconds=min(5.0, seconds), prefix=f"warm-{name}", require_reply=False)
    )
    results = []
    for level in levels:
        before = {process: _cpu_seconds(pid) for process, pid in pids.items()}
        before["client"] = time.process_time()
        result = asyncio.run(
            run_load(
                urls,
                level,
                seconds=seconds,
                length=CONVERSATION_LENGTH,
                prefix=f"{name}-{level}",
                require_reply=require_reply,
            )
        )
        print(f"  {name:<13}{result.summary()}", flush=True)
        results.append(result)
    spent = {process: _cpu_seconds(pid) - before[process] for process, pid in pids.items()}
    spent["client"] = time.process_time() - before["client"]
    print(
        f"  {name:<13}CPU per message at {levels[-1]}: "
        + ", ".join(f"{p} {s / max(result.messages, 1) * 1000:.0f} ms" for p, s in spent.items()),
        flush=True,
    )
    return results


def _memory(name: str, pids: dict[str, int]) -> None:
    print(
        f"  {name:<13}RSS: "
        + ", ".join(f"{process} {_rss_mib(pid):.0f} MiB" for process, pid in pids.items()),
        flush=True,
    )


def _rasa() -> str:
    return str(Path(sys.executable).parent / "rasa")


def starter(work: Path, levels: list[int], seconds: float) -> dict[int, LoadResult]:
    folder = work / "starter"
    folder.mkdir()
    print("Training stock Rasa's starter assistant (rasa init --no-prompt) ...", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [_rasa(), "init", "--no-prompt", "--init-dir", str(folder)],
        cwd=folder,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    print(f"  trained in {time.perf_counter() - started:.0f} s", flush=True)
    port = free_port()
    log = folder / "rasa.log"
    process = subprocess.Popen(
        [_rasa(), "run", "--port", str(port)],
        cwd=folder,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}/", {"rasa": process}, {"rasa": log})
        # The starter knows English only and stays silent where no story fits: an empty
        # answer is its answer, timed like any other.
        results = _measure(
            "starter", [f"http://127.0.0.1:{port}"], levels, seconds, {"rasa": process.pid}, False
        )
        _memory("starter", {"rasa": process.pid})
    finally:
        process.terminate()
        process.wait(timeout=30)
    return dict(zip(levels, results))


def embedded(work: Path, model: str, levels: list[int], seconds: float) -> dict[int, LoadResult]:
    """`make run`'s layout; its tracker.db and knowledge.db in the work folder."""
    folder = work / "embedded"
    folder.mkdir()
    rasa_port, actions_port = free_port(), free_port()
    endpoints = embedded_endpoints(folder, actions_port)
    env = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "DATABASE_URL": f"sqlite:///{folder / 'knowledge.db'}",
        "RATE_LIMIT_PER_MINUTE": LIFTED_RATE_LIMIT,
    }
    subprocess.run(
        [sys.executable, "-m", "bot", "knowledge", "sync"],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    commands = {"actions": actions_run(actions_port), "rasa": rasa_run(model, rasa_port, endpoints)}
    processes = {
        name: subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env=env,
            stdout=(folder / f"{name}.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        for name, command in commands.items()
    }
    try:
        logs = {name: folder / f"{name}.log" for name in processes}
        wait_ready(f"http://127.0.0.1:{actions_port}/health", processes, logs)
        wait_ready(f"http://127.0.0.1:{rasa_port}/", processes, logs)
        pids = {name: p.pid for name, p in processes.items()}
        results = _measure("embedded", [f"http://127.0.0.1:{rasa_port}"], levels, seconds, pids)
        _memory("embedded", pids)
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait(timeout=30)
    return dict(zip(levels, results))


def production(
    work: Path, model: str, levels: list[int], seconds: float
) -> dict[str, dict[int, LoadResult]]:
    folder = Path(tempfile.mkdtemp(prefix="bench-production-"))  # PostgreSQL's user must reach it
    cluster = Cluster(
        work=folder,
        model=model,
        rasa_ports=[free_port(), free_port()],
        env={"RATE_LIMIT_PER_MINUTE": LIFTED_RATE_LIMIT},
    )
    try:
        cluster.start()
        urls = cluster.urls()
        one = _measure("production-1", urls[:1], levels, seconds, cluster.pids())
        _memory("production-1", cluster.pids())
        two = _measure("production-2", urls, levels, seconds, cluster.pids())
        _memory("production-2", cluster.pids())
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return {"production-1": dict(zip(levels, one)), "production-2": dict(zip(levels, two))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0, help="per level and profile")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument(
        "--model", default=None, help="default: the current model (trains if stale)"
    )
    args = parser.parse_args()
    model = str(PROJECT_DIR / args.model) if args.model else current_model()
    print(f"REST channel, {args.seconds:.0f} s per level; concurrent conversations {args.levels}")
    with tempfile.TemporaryDirectory(prefix="bench-rest-") as temporary:
        work = Path(temporary)
        results = {"starter": starter(work, args.levels, args.seconds)}
        results["embedded"] = embedded(work, model, args.levels, args.seconds)
        results.update(production(work, model, args.levels, args.seconds))
    print("\nSummary (same run, same load)")
    for level in args.levels:
        reference = results["starter"][level]
        for name, by_level in results.items():
            result = by_level[level]
            print(
                f"  {level:>3} concurrent  {name:<13} {result.per_second:6.1f} msg/s  "
                f"p95 {result.percentile(0.95) * 1000:6.0f} ms  "
                f"(starter p95 {reference.percentile(0.95) * 1000:.0f} ms)"
            )
    if 10 in args.levels:
        full, reference = results["production-1"][10], results["starter"][10]
        scale = results["production-2"][10].per_second / max(full.per_second, 1e-9)
        scale_50 = (
            results["production-2"][50].per_second
            / max(results["production-1"][50].per_second, 1e-9)
            if 50 in args.levels
            else float("nan")
        )
        embedded_p95 = results["embedded"][10].percentile(0.95) * 1000
        print(
            f"Target p95 at 10 concurrent no worse than the starter's: embedded "
            f"{embedded_p95:.0f} ms, production-1 {full.percentile(0.95) * 1000:.0f} ms, "
            f"starter {reference.percentile(0.95) * 1000:.0f} ms"
        )
        print(f"Target two instances >= 1.5x one: {scale:.2f}x at 10, {scale_50:.2f}x at 50")


if __name__ == "__main__":
    main()
