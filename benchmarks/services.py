"""Nearest-service lookup time over 20,000 services (target: p95 under 10 ms; with three
filters, under 5 ms).

Usage: python -m benchmarks.services [--services 20000] [--lookups 2000]
One generated municipality holds all services (30 categories, staff languages varied; about
40% free, 30% with childcare, 40% open in the evening, drawn independently), synced into a
temporary SQLite file. Timed per lookup, as the action does it: the repository's content-hash
check (one query) and the in-memory index's nearest-first ranking, for random origins,
categories and user languages; then the same with the filters free, evening and childcare
together. The first lookup, which builds the index, is shown apart.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from bot.answers.services import service_index
from bot.knowledge.db import make_engine
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.schema import CATEGORIES, TOPICS
from bot.knowledge.sync import sync
from bot.language.registry import supported_codes

SEED = 11
CENTRE = (47.2692, 11.4041)
FILTERED = ("free", "evening", "childcare")


def _file(count: int, rng: random.Random) -> str:
    lines = [
        "id: bigtown",
        "name: {en: Big town}",
        "country: AT",
        "timezone: Europe/Vienna",
        "languages: [de]",
        f"lat: {CENTRE[0]}",
        f"lon: {CENTRE[1]}",
        "radius_km: 30",
        "contact: {name: Office, address: Main square 1, phone: '+43 512 0000',"
        " email: office@bigtown.example.org, opening_hours: 'Mo-Fr 08:00-12:00'}",
        "services:",
    ]
    codes = supported_codes()
    for i in range(count):
        spoken = sorted({"de", *rng.sample(codes, rng.randint(0, 2))})
        hours = "Mo-Fr 17:00-20:00" if rng.random() < 0.4 else "Mo-Fr 08:00-17:00"
        extra = "".join(
            f", {name}: true"
            for name, share in (("free", 0.4), ("childcare", 0.3))
            if rng.random() < share
        )
        lines.append(
            f"- {{id: s{i}, name: Service {i}, categories: [{TOPICS[i % len(TOPICS)]}, "
            f"{CATEGORIES[len(TOPICS) + i % (len(CATEGORIES) - len(TOPICS))]}], "
            f"address: Street {i}, lat: {CENTRE[0] + rng.uniform(-0.15, 0.15):.5f}, "
            f"lon: {CENTRE[1] + rng.uniform(-0.2, 0.2):.5f}, languages: [{', '.join(spoken)}], "
            f"opening_hours: '{hours}; PH off'{extra}}}"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=20_000)
    parser.add_argument("--lookups", type=int, default=2_000)
    args = parser.parse_args()
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "knowledge"
        folder.mkdir()
        (folder / "bigtown.yml").write_text(_file(args.services, rng), "utf-8")
        engine = make_engine(f"sqlite:///{Path(tmp) / 'kb.db'}")
        report = sync(engine, [folder])
        assert report.ok, [str(p) for p in report.load.problems[:5]]
        repository = KnowledgeRepository(engine)
        started = time.perf_counter()
        service_index(repository, "bigtown")
        first_ms = (time.perf_counter() - started) * 1000
        timings = _lookups(repository, rng, args.lookups, ())
        filtered = _lookups(repository, rng, args.lookups, FILTERED)
    print(f"\nNearest-service lookup over {args.services} services ({args.lookups} lookups)")
    print(f"first lookup (loads and indexes the services): {first_ms:.0f} ms")
    print(f"{_figures(timings)}   target p95 < 10 ms")
    print(f"with the filters {', '.join(FILTERED)} together:")
    print(f"{_figures(filtered)}   target p95 < 5 ms")


def _lookups(
    repository: KnowledgeRepository, rng: random.Random, count: int, filters: tuple[str, ...]
) -> list[float]:
    """Milliseconds per lookup, for random origins, categories and languages."""
    timings = []
    for _ in range(count):
        lat = CENTRE[0] + rng.uniform(-0.15, 0.15)
        lon = CENTRE[1] + rng.uniform(-0.2, 0.2)
        category, language = rng.choice(CATEGORIES), rng.choice(supported_codes())
        started = time.perf_counter()
        found = service_index(repository, "bigtown").nearest_for(
            category, lat, lon, language, filters=filters
        )
        timings.append((time.perf_counter() - started) * 1000)
        assert found, (category, filters)
    return sorted(timings)


def _figures(timings: list[float]) -> str:
    p50, p95 = statistics.median(timings), timings[int(len(timings) * 0.95)]
    return f"p50 {p50:.2f} ms   p95 {p95:.2f} ms   max {timings[-1]:.2f} ms"


if __name__ == "__main__":
    main()
