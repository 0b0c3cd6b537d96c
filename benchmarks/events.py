"""Next-event lookup time over 5,000 repeating events (target: p95 under 5 ms).

Usage: python -m benchmarks.events [--events 5000] [--lookups 2000]
One generated municipality holds all events: about 60% weekly (one or two days, every week or
every second week), 30% monthly (the nth weekday or a day of the month), 10% daily on working
days; a fifth end (UNTIL or COUNT); first starts spread over 2019-2026, so most rules began
years ago; the four kinds drawn at random. The file is checked and synced into a temporary
SQLite file. Shown: the sync, loading the events, building the index of their occurrences
over 60 days (the first time, and again as on a new day); then lookups at random times of the
index's two days, as the action makes them (content-hash check and lookup), with no kind, one
or two kinds, and the lookup alone.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.answers.events import EventIndex, event_index
from bot.knowledge.db import make_engine
from bot.knowledge.events import EVENT_KINDS
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.sync import sync

SEED = 17
TODAY = date(2026, 12, 7)
ZONE = ZoneInfo("Europe/Vienna")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _rule(rng: random.Random, start: datetime) -> str:
    draw = rng.random()
    if draw < 0.6:
        days = ",".join(sorted(rng.sample(DAYS, rng.choice((1, 1, 2))), key=DAYS.index))
        rule = f"FREQ=WEEKLY;INTERVAL={rng.choice((1, 1, 1, 2))};BYDAY={days}"
    elif draw < 0.9:
        nth = f"BYDAY={rng.choice((1, 2, 3, -1))}{rng.choice(DAYS[:5])}"
        rule = f"FREQ=MONTHLY;{rng.choice((nth, f'BYMONTHDAY={rng.randint(1, 28)}'))}"
    else:
        rule = "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"
    ending = rng.random()
    if ending < 0.1:
        until = max(start.date(), TODAY - timedelta(days=100)) + timedelta(rng.randint(30, 500))
        rule += f";UNTIL={until:%Y%m%d}"
    elif ending < 0.2:
        rule += f";COUNT={rng.randint(5, 300)}"
    return rule


def _file(count: int, rng: random.Random) -> str:
    lines = [
        "id: eventtown",
        "name: {en: Event town}",
        "country: AT",
        "timezone: Europe/Vienna",
        "languages: [de]",
        "lat: 47.41",
        "lon: 9.74",
        "contact: {name: Office, address: Main square 1, phone: '+43 5572 0000',"
        " email: office@eventtown.example.org, opening_hours: 'Mo-Fr 08:00-12:00'}",
        "events:",
    ]
    first = datetime(2019, 1, 1)
    for i in range(count):
        start = first + timedelta(days=rng.randrange(8 * 365), hours=rng.randint(9, 19))
        length = rng.choice(("end: '21:30'", "duration_minutes: 90", "duration_minutes: 150"))
        lines.append(
            f"- {{id: e{i}, title: Event {i}, kind: {rng.choice(EVENT_KINDS)}, "
            f"start: {start:%Y-%m-%dT%H:%M}, {length}, repeat: '{_rule(rng, start)}', "
            f"address: Street {i}}}"
        )
    return "\n".join(lines) + "\n"


def _figures(timings: list[float]) -> str:
    timings = sorted(timings)
    p50, p95 = statistics.median(timings), timings[int(len(timings) * 0.95)]
    return f"p50 {p50:.3f} ms   p95 {p95:.3f} ms   max {timings[-1]:.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--lookups", type=int, default=2_000)
    args = parser.parse_args()
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "knowledge"
        folder.mkdir()
        (folder / "eventtown.yml").write_text(_file(args.events, rng), "utf-8")
        engine = make_engine(f"sqlite:///{Path(tmp) / 'kb.db'}")
        started = time.perf_counter()
        report = sync(engine, [folder], today=TODAY)
        sync_s = time.perf_counter() - started
        assert report.ok, [str(p) for p in report.load.problems[:5]]
        repository = KnowledgeRepository(engine)
        started = time.perf_counter()
        events = repository.events("eventtown")
        load_ms = (time.perf_counter() - started) * 1000
        builds = []
        for _ in range(2):  # the first computes each COUNT rule's last day, then remembered
            started = time.perf_counter()
            index = EventIndex(events, "Europe/Vienna", TODAY)
            builds.append((time.perf_counter() - started) * 1000)
        event_index(repository, "eventtown", TODAY)
        action, alone = [], []
        for _ in range(args.lookups):
            now = datetime.combine(TODAY, datetime.min.time(), ZONE) + timedelta(
                seconds=rng.randrange(2 * 86_400)
            )
            kinds = tuple(rng.sample(EVENT_KINDS, rng.choice((0, 1, 2))))
            started = time.perf_counter()
            found = event_index(repository, "eventtown", TODAY).upcoming(now, kinds)
            action.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            index.upcoming(now, kinds)
            alone.append((time.perf_counter() - started) * 1000)
            assert found and all(o.end is None or o.end > now for o in found), now
    print(f"\nNext-event lookup over {args.events} repeating events ({args.lookups} lookups)")
    print(f"validate and sync the file: {sync_s:.1f} s")
    print(f"load the events from the database: {load_ms:.0f} ms")
    print(
        f"build the index: {builds[0]:.0f} ms, again (a new day, same events) {builds[1]:.0f} ms; "
        f"{len(index):,} occurrences over 60 days, {index.nbytes / 1e6:.1f} MB"
    )
    print(f"lookup as the action makes it: {_figures(action)}   target p95 < 5 ms")
    print(f"lookup alone:                  {_figures(alone)}")


if __name__ == "__main__":
    main()
