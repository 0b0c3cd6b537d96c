"""The staff page's main view with many recorded questions (issue: < 200 ms).

Usage: python -m benchmarks.staff [--municipalities 200] [--questions 100000] [--sqlite-only]
Generates the municipalities (benchmarks/knowledge.py's files: 12 FAQs in every language),
syncs them, records that many unanswered questions spread over them (texts from the realistic
set, tests/data/realistic, with made-up variations; the privacy retention's 30 days) and a
fifth as many "Did this help?" answers, then renders the page of 30 municipalities exactly as
the /staff/<id>/ route does (gathering, grouping, suggestions, template), on SQLite and on a
real PostgreSQL (scripts/postgres.sh). Prints the median, p95 and slowest time per page.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from benchmarks.knowledge import _municipality
from bot import PROJECT_DIR
from bot.channels.staff import StaffPage
from bot.knowledge.db import make_engine
from bot.knowledge.models import FeedbackRow, UnansweredRow
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.sync import sync
from bot.staff.unanswered import REASONS

SEED = 11
TARGET_MS = 200.0
PAGES = 30


def _texts() -> list[tuple[str, str, str]]:
    """(language, text, intent) of the realistic set."""
    found = []
    for path in sorted((PROJECT_DIR / "tests" / "data" / "realistic").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += [(data["language"], i["text"], i.get("intent") or "") for i in data["items"]]
    return found


def _fill(engine: Engine, ids: list[str], questions: int, rng: random.Random) -> None:
    texts = _texts()
    today = date.today()
    extra = ["bitte", "please", "hitno", "срочно", "لو سمحت", "lütfen", "merci", "grazie"]
    rows = []
    for _ in range(questions):
        language, text, intent = rng.choice(texts)
        if rng.random() < 0.5:
            text = f"{text} {rng.choice(extra)}"
        rows.append(
            {
                "municipality_id": rng.choice(ids),
                "day": today - timedelta(days=rng.randrange(30)),
                "language": language,
                "reason": rng.choice(REASONS),
                "intents": intent,
                "text": text,
            }
        )
    ratings = [
        {
            "municipality_id": rng.choice(ids),
            "day": today - timedelta(days=rng.randrange(30)),
            "language": rng.choice(texts)[0],
            "kind": "faq",
            "subject": f"faq-{rng.randrange(12)}",
            "helpful": rng.random() < 0.7,
        }
        for _ in range(questions // 5)
    ]
    with engine.begin() as connection:
        for start in range(0, len(rows), 10_000):
            connection.execute(insert(UnansweredRow), rows[start : start + 10_000])
        connection.execute(insert(FeedbackRow), ratings)


def measure(url: str, folder: Path, questions: int, rng: random.Random) -> list[float]:
    engine = make_engine(url)
    assert sync(engine, [folder]).ok
    repository = KnowledgeRepository(engine)
    ids = repository.municipality_ids()
    _fill(engine, ids, questions, rng)
    page = StaffPage()
    page._repository = repository
    times = []
    for municipality_id in rng.sample(ids, min(PAGES, len(ids))):
        municipality = repository.municipality(municipality_id)
        assert municipality is not None
        started = time.perf_counter()
        html = page.municipality_html(municipality, "de", "bench")
        times.append((time.perf_counter() - started) * 1000)
        assert 'id="unanswered"' in html
    engine.dispose()
    return times


def _report(name: str, times: list[float], questions: int, towns: int) -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    verdict = "OK" if p95 < TARGET_MS else "OVER"
    print(
        f"{name:<11} {questions:,} questions over {towns} municipalities: "
        f"median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, slowest {ordered[-1]:.0f} ms "
        f"(target < {TARGET_MS:.0f} ms: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--municipalities", type=int, default=200)
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="bench-staff-") as work:
        folder = Path(work) / "municipalities"
        folder.mkdir()
        for index in range(args.municipalities):
            (folder / f"m{index:04d}.yml").write_text(
                _municipality(index, 20, rng), encoding="utf-8"
            )
        print("Staff page, main view (gather, group, suggest, render), 30 municipalities:")
        sqlite = measure(f"sqlite:///{work}/knowledge.db", folder, args.questions, rng)
        _report("SQLite", sqlite, args.questions, args.municipalities)
        if args.sqlite_only:
            return
        from tests.postgres import fresh_database, postgres_server

        with postgres_server() as server:
            times = measure(fresh_database(server), folder, args.questions, rng)
        _report("PostgreSQL", times, args.questions, args.municipalities)


if __name__ == "__main__":
    main()
