"""Validate and sync times for a large generated knowledge base, with peak memory.

Usage: python -m benchmarks.knowledge [--municipalities 200] [--services 100]
Generates that many municipality files (12 FAQs answered in every supported language,
8 places, N services each) in a temporary folder, then runs the real command lines staff use,
`python -m bot knowledge validate` and `python -m bot knowledge sync` (a fresh SQLite file, then
a second, unchanged sync), each in its own process, and prints wall time and peak memory; then
validates a 69 MB file, which is refused for its size before it is read.
Target: validate and sync each under 15 s for 200 x 100.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.knowledge.schema import CATEGORIES, TOPICS
from bot.language.registry import supported_codes

SEED = 7
OVERSIZE_BYTES = 69_200_000


def _summary(line: str) -> str:
    """The end of a command's last line, where its counts are."""
    return line if len(line) <= 60 else "..." + line[-57:]


def _municipality(index: int, services: int, rng: random.Random) -> str:
    lat, lon = 46.0 + rng.random() * 1.5, 7.0 + rng.random() * 7.0
    lines = [
        f"id: m{index:04d}",
        "sample: true",
        f"name: {{en: Generated {index}, de: Generiert {index}}}",
        "country: AT",
        "timezone: Europe/Vienna",
        "languages: [de]",
        f"lat: {lat:.5f}",
        f"lon: {lon:.5f}",
        "contact:",
        "  name: Integration office",
        f"  address: Hauptplatz {index}, 6850 Generiert",
        '  phone: "+43 5572 306 0"',
        f"  email: office{index}@generated.example.org",
        '  opening_hours: "Mo-Th 08:00-12:00,13:00-16:00; Fr 08:00-12:00; PH off"',
        "places:",
    ]
    for p in range(8):
        place_lat, place_lon = lat + rng.uniform(-0.03, 0.03), lon + rng.uniform(-0.03, 0.03)
        lines.append(
            f"- {{id: p{p}, name: Place {p}, postcode: '68{p:02d}', "
            f"lat: {place_lat:.5f}, lon: {place_lon:.5f}}}"
        )
    lines.append("faqs:")
    for f in range(12):
        lines += [f"- id: faq-{f}", f"  topic: {TOPICS[f % len(TOPICS)]}", "  answer:"]
        lines += [
            f'    {code}: "Answer {f} in {code}: where to go, what to bring and what it costs, '
            'in two or three sentences of plain language for a newcomer."'
            for code in supported_codes()
        ]
        lines.append("  last_reviewed: 2026-10-01")
    lines.append("services:")
    for s in range(services):
        lines += [
            f"- id: s{s}",
            f"  name: Service {s}",
            f"  categories: [{TOPICS[s % len(TOPICS)]}, {CATEGORIES[len(TOPICS) + s % 10]}]",
            f"  address: Street {s}, 6850 Generiert",
            f"  place: p{s % 8}",
            f"  lat: {lat + rng.uniform(-0.05, 0.05):.5f}",
            f"  lon: {lon + rng.uniform(-0.05, 0.05):.5f}",
            '  opening_hours: "Mo-Fr 08:00-12:00,13:00-17:00; Sa 09:00-12:00; PH off"',
            "  languages: [de, en]",
            f'  phone: "+43 5572 {s:04d}"',
            "  free: true",
        ]
    return "\n".join(lines) + "\n"


def _timed(command: list[str], returncode: int = 0) -> tuple[float, float, str]:
    """Run a command; wall seconds, the peak memory of the largest child so far (MiB), output."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--municipalities", type=int, default=200)
    parser.add_argument("--services", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "municipalities"
        folder.mkdir()
        for index in range(args.municipalities):
            text = _municipality(index, args.services, rng)
            (folder / f"m{index:04d}.yml").write_text(text, "utf-8")
        size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        lines = sum(p.read_text("utf-8").count("\n") for p in folder.iterdir())
        database = f"sqlite:///{Path(tmp) / 'knowledge.db'}"
        cli = [sys.executable, "-m", "bot", "knowledge"]
        print(
            f"\nKnowledge base: {args.municipalities} municipalities x {args.services} services "
            f"({size:.1f} MiB, {lines} lines of YAML)"
        )
        print(f"{'step':28} {'seconds':>8} {'peak MiB':>9}  result")
        oversize = Path(tmp) / "oversize" / "m0000.yml"
        oversize.parent.mkdir()
        with oversize.open("wb") as stream:  # the 69 MB file of the issue, sparse
            stream.write((folder / "m0000.yml").read_bytes())
            stream.truncate(OVERSIZE_BYTES)
        for step, command, returncode in [
            ("validate", [*cli, "validate", str(folder)], 0),
            ("sync (empty database)", [*cli, "sync", str(folder), "--database-url", database], 0),
            ("sync again (unchanged)", [*cli, "sync", str(folder), "--database-url", database], 0),
            ("validate a 69 MB file", [*cli, "validate", str(oversize)], 1),
        ]:
            seconds, peak, last = _timed(command, returncode)
            print(f"{step:28} {seconds:8.2f} {peak:9.0f}  {_summary(last)}")
        print("target: validate and sync each under 15 s (peak MiB is the largest process so far);")
        print("a file over the size limit is refused, not read (the time is mostly Python's start)")


if __name__ == "__main__":
    main()
