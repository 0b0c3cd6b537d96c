"""Repeat rules: moving a long-running rule's start forward (for speed) never changes which
occurrences it has; UNTIL as a date includes its day; UNTIL in UTC is read in local time."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from bot.knowledge import occurrences, recurrence

RULES = [
    "FREQ=DAILY",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=DAILY;BYDAY=MO,WE,FR",
    "FREQ=WEEKLY",
    "FREQ=WEEKLY;BYDAY=WE",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
    "FREQ=WEEKLY;INTERVAL=3;BYDAY=SU;WKST=SU",
    "FREQ=WEEKLY;BYDAY=MO;BYMONTH=6,7",
    "FREQ=MONTHLY",
    "FREQ=MONTHLY;INTERVAL=2",
    "FREQ=MONTHLY;BYDAY=1MO",
    "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR",
    "FREQ=MONTHLY;BYMONTHDAY=15,-1",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    "FREQ=YEARLY;BYMONTH=3;BYDAY=2SA",
    "FREQ=WEEKLY;BYDAY=WE;UNTIL=20291231",
]


@pytest.mark.parametrize("rule", RULES)
def test_moving_the_start_forward_keeps_every_occurrence(rule: str) -> None:
    rng = random.Random(rule)
    for _ in range(25):
        start = datetime(2015, 1, 1, 18, 0) + timedelta(days=rng.randrange(3_000))
        begin = start + timedelta(days=rng.randrange(-30, 3_500), hours=rng.randrange(24))
        end = begin + timedelta(days=60)
        plain = rrulestr(
            recurrence.check_rule(rule).replace("UNTIL=20291231", "UNTIL=20291231T235959"),
            dtstart=start,
        ).between(begin, end, inc=True)
        assert occurrences.between(rule, start, begin, end) == plain, (start, begin)


def test_a_start_on_the_31st_still_repeats_on_the_31st() -> None:
    start = datetime(2020, 1, 31, 18, 0)
    found = occurrences.between(
        "FREQ=MONTHLY", start, datetime(2026, 11, 1), datetime(2027, 2, 1, 23, 59)
    )
    assert [d.date().isoformat() for d in found] == ["2026-12-31", "2027-01-31"]


def test_until_as_a_date_includes_that_day() -> None:
    found = occurrences.between(
        "FREQ=WEEKLY;BYDAY=WE;UNTIL=20261104",
        datetime(2026, 10, 21, 18, 0),
        datetime(2026, 10, 1),
        datetime(2026, 12, 1),
    )
    assert [d.day for d in found] == [21, 28, 4]


def test_until_in_utc_is_read_in_local_time() -> None:
    # 16:30 UTC on 4 November is 17:30 in Vienna: the 17:00 occurrence that day is included
    rule = "FREQ=WEEKLY;BYDAY=WE;UNTIL=20261104T163000Z"
    start, zone = datetime(2026, 10, 21, 17, 0), ZoneInfo("Europe/Vienna")
    begin, end = datetime(2026, 10, 1), datetime(2026, 12, 1)
    assert [d.day for d in occurrences.between(rule, start, begin, end, zone)] == [21, 28, 4]
    rule = "FREQ=WEEKLY;BYDAY=WE;UNTIL=20261104T155900Z"  # 16:59 in Vienna: too early
    assert [d.day for d in occurrences.between(rule, start, begin, end, zone)] == [21, 28]


def test_count_is_counted_from_the_first_start() -> None:
    start = datetime(2026, 1, 7, 18, 0)
    found = occurrences.between(
        "FREQ=WEEKLY;COUNT=3", start, datetime(2026, 1, 10), datetime(2026, 3, 1)
    )
    assert [d.day for d in found] == [14, 21]
