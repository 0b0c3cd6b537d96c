"""The next events: with a fixed clock, in local wall-clock time across daylight-saving
changes, never past ones, filtered by kind, within COUNT and UNTIL; the index of a
municipality is rebuilt when its content or the day changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.answers.events import HORIZON_DAYS, EventIndex, Occurrence, event_index
from bot.knowledge.events import Event
from bot.knowledge.repository import KnowledgeRepository

VIENNA = ZoneInfo("Europe/Vienna")


def _event(event_id: str = "cafe", **fields: Any) -> Event:
    data = {
        "id": event_id,
        "title": event_id,
        "kind": "language_cafe",
        "start": "2026-09-02T18:00",
        "address": "Schulgasse 1",
        **fields,
    }
    return Event.parse_obj(data)


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIENNA)  # type: ignore[misc]


def _starts(found: list[Occurrence]) -> list[str]:
    return [o.start.isoformat() for o in found]


def test_a_weekly_event_keeps_its_local_time_across_the_change_to_winter_time() -> None:
    index = EventIndex([_event(repeat="FREQ=WEEKLY;BYDAY=WE")], "Europe/Vienna", date(2026, 10, 21))
    found = index.upcoming(_at(2026, 10, 21, 12, 0), limit=2)
    assert _starts(found) == ["2026-10-21T18:00:00+02:00", "2026-10-28T18:00:00+01:00"]
    assert found[1].start.utcoffset() == timedelta(hours=1)
    assert all(o.start.tzinfo == VIENNA and o.end is None for o in found)


def test_and_across_the_change_to_summer_time() -> None:
    index = EventIndex([_event(repeat="FREQ=WEEKLY;BYDAY=WE")], "Europe/Vienna", date(2027, 3, 20))
    found = index.upcoming(_at(2027, 3, 20, 9, 0), limit=2)
    assert _starts(found) == ["2027-03-24T18:00:00+01:00", "2027-03-31T18:00:00+02:00"]


def test_past_events_are_never_shown() -> None:
    events = [
        _event("once", start="2026-12-10T18:00"),
        _event("weekly", repeat="FREQ=WEEKLY;BYDAY=TH"),  # no end: past once it starts
    ]
    index = EventIndex(events, "Europe/Vienna", date(2026, 12, 10))
    before = index.upcoming(_at(2026, 12, 10, 17, 59), limit=5)
    assert [(o.event.id, o.start.day) for o in before] == [
        ("once", 10),
        ("weekly", 10),
        ("weekly", 17),
    ]
    after = index.upcoming(_at(2026, 12, 10, 18, 0, 1), limit=5)
    assert [(o.event.id, o.start.day) for o in after] == [("weekly", 17), ("weekly", 24)]
    later = index.upcoming(_at(2026, 12, 11, 9, 0), limit=5)
    assert all(o.start > _at(2026, 12, 11, 9, 0) for o in later)


def test_one_going_on_is_shown_until_it_ends() -> None:
    index = EventIndex(
        [_event(end="19:30", repeat="FREQ=WEEKLY;BYDAY=WE")], "Europe/Vienna", date(2026, 12, 9)
    )
    now = _at(2026, 12, 9, 19, 0)
    going, next_week = index.upcoming(now, limit=2)
    assert going.start == _at(2026, 12, 9, 18, 0) and going.end == _at(2026, 12, 9, 19, 30)
    assert going.started(now) and not next_week.started(now)
    assert _starts(index.upcoming(_at(2026, 12, 9, 19, 30), limit=1)) == [
        "2026-12-16T18:00:00+01:00"
    ]


def test_one_that_started_yesterday_evening_is_still_shown_until_it_ends() -> None:
    overnight = _event(start="2026-12-09T22:00", duration_minutes=300)  # until 03:00
    index = EventIndex([overnight], "Europe/Vienna", date(2026, 12, 10))
    [found] = index.upcoming(_at(2026, 12, 10, 1, 0))
    assert found.start == _at(2026, 12, 9, 22, 0) and found.end == _at(2026, 12, 10, 3, 0)
    assert index.upcoming(_at(2026, 12, 10, 3, 0)) == []


def test_kinds_filter_and_order() -> None:
    events = [
        _event("cafe", repeat="FREQ=WEEKLY;BYDAY=WE"),
        _event("welcome", kind="welcome_event", start="2026-12-14T18:30"),
        _event("info", kind="information_evening", start="2026-12-08T19:00"),
    ]
    index = EventIndex(events, "Europe/Vienna", date(2026, 12, 7))
    now = _at(2026, 12, 7, 12, 0)
    assert [o.event.id for o in index.upcoming(now, limit=4)] == ["info", "cafe", "welcome", "cafe"]
    cafes = index.upcoming(now, kinds=("language_cafe",), within_days=20)
    assert [o.start.day for o in cafes] == [9, 16, 23]
    both = index.upcoming(now, kinds=("welcome_event", "information_evening"))
    assert [o.event.id for o in both] == ["info", "welcome"]
    assert index.upcoming(now, kinds=("other",)) == []


def test_count_and_until_are_respected() -> None:
    events = [
        _event("count", start="2026-12-01T10:00", repeat="FREQ=WEEKLY;COUNT=3"),
        _event("until", start="2026-12-02T18:00", repeat="FREQ=WEEKLY;UNTIL=20261216"),
    ]
    index = EventIndex(events, "Europe/Vienna", date(2026, 12, 1))
    found = index.upcoming(_at(2026, 12, 1, 0, 0), limit=10, within_days=40)
    assert [(o.event.id, o.start.day) for o in found] == [
        ("count", 1),
        ("until", 2),
        ("count", 8),
        ("until", 9),
        ("count", 15),
        ("until", 16),  # UNTIL as a date includes its day
    ]


def test_within_days_and_limit() -> None:
    index = EventIndex([_event(start="2026-12-28T18:00")], "Europe/Vienna", date(2026, 12, 7))
    now = _at(2026, 12, 7, 12, 0)
    assert index.upcoming(now) == []  # 21 days ahead, beyond the default 14
    assert len(index.upcoming(now, within_days=30)) == 1
    weekly = EventIndex([_event(repeat="FREQ=DAILY")], "Europe/Vienna", date(2026, 12, 7))
    assert len(weekly.upcoming(now, limit=5)) == 5
    assert len(weekly.upcoming(now, limit=50, within_days=3)) == 3


def test_an_event_started_years_ago_and_a_monthly_one_on_the_31st() -> None:
    events = [
        _event("old", start="2019-01-02T18:00", repeat="FREQ=WEEKLY;INTERVAL=2"),
        _event("31st", start="2020-01-31T09:00", repeat="FREQ=MONTHLY", kind="other"),
    ]
    index = EventIndex(events, "Europe/Vienna", date(2026, 12, 7))
    old = index.upcoming(_at(2026, 12, 7, 0, 0), kinds=("language_cafe",), limit=2, within_days=28)
    assert [o.start.date().isoformat() for o in old] == ["2026-12-09", "2026-12-23"]
    [monthly] = index.upcoming(_at(2026, 12, 7, 0, 0), kinds=("other",), within_days=30)
    assert monthly.start.date().isoformat() == "2026-12-31"


def test_the_clock_must_carry_its_time_zone() -> None:
    index = EventIndex([_event()], "Europe/Vienna", date(2026, 9, 1))
    with pytest.raises(ValueError, match="aware"):
        index.upcoming(datetime(2026, 9, 1, 12, 0))
    with pytest.raises(ValueError, match="within_days"):
        index.upcoming(_at(2026, 9, 1, 12, 0), within_days=HORIZON_DAYS)


def test_the_index_holds_only_its_horizon() -> None:
    index = EventIndex([_event(repeat="FREQ=DAILY")], "Europe/Vienna", date(2026, 12, 7))
    assert len(index) == HORIZON_DAYS  # from midnight of the day, 18:00 each day
    assert index.nbytes > 0


def test_the_sample_events_come_from_the_database(kb: KnowledgeRepository) -> None:
    today = date(2026, 12, 7)  # a Monday
    now = datetime(2026, 12, 7, 12, 0, tzinfo=VIENNA)
    found = event_index(kb, "dornbirn", today).upcoming(now, limit=10, within_days=40)
    cafe = [o for o in found if o.event.id == "sprachcafe-mittwoch"]
    assert cafe[0].start == datetime(2026, 12, 9, 17, 0, tzinfo=VIENNA)
    assert cafe[0].end == datetime(2026, 12, 9, 19, 0, tzinfo=VIENNA)
    assert {o.event.kind for o in found} >= {"language_cafe", "information_evening"}
    kranj = event_index(kb, "kranj", today).upcoming(now, kinds=("language_cafe",))
    assert kranj[0].start == datetime(2026, 12, 9, 17, 0, tzinfo=ZoneInfo("Europe/Ljubljana"))


def test_the_index_is_built_once_per_content_and_day(kb: KnowledgeRepository) -> None:
    today = date(2026, 12, 7)
    first = event_index(kb, "dornbirn", today)
    assert event_index(kb, "dornbirn", today) is first
    assert event_index(kb, "dornbirn", today + timedelta(days=1)) is first  # still inside
    moved = event_index(kb, "dornbirn", today + timedelta(days=2))
    assert moved is not first and moved.day == today + timedelta(days=2)
    assert event_index(kb, "kranj", today) is not moved
    assert event_index(kb, "nowhere", today).upcoming(datetime(2026, 12, 7, tzinfo=VIENNA)) == []
