"""Opening hours: the documented OpenStreetMap subset, and public holidays."""

from __future__ import annotations

from datetime import date

import pytest

from bot.knowledge.holidays import is_public_holiday, known_subdivisions
from bot.knowledge.hours import OpeningHoursError, parse


def test_days_ranges_lists_and_several_intervals() -> None:
    hours = parse("Mo-Th 08:00-12:00,13:00-15:30; Fr 08:00-12:00; Sa,Su off")
    assert hours.weekly[0] == hours.weekly[3] == ((480, 720), (780, 930))
    assert hours.weekly[4] == ((480, 720),)
    assert hours.weekly[5] == hours.weekly[6] == ()
    assert hours.holidays is None and not hours.by_appointment


def test_later_rule_replaces_earlier_one_for_that_day() -> None:
    hours = parse("Mo-Fr 09:00-12:30; Th 09:00-12:30,14:00-17:00")
    assert hours.weekly[3] == ((540, 750), (840, 1020))
    assert hours.weekly[2] == ((540, 750),)


def test_holidays_appointment_and_always_open() -> None:
    hours = parse('Tu 09:00-12:00; PH off; "by appointment"')
    assert hours.holidays == () and hours.by_appointment
    assert hours.intervals_on(1, is_holiday=True) == ()
    assert hours.intervals_on(1, is_holiday=False) == ((540, 720),)
    assert parse("24/7").intervals_on(6, is_holiday=True) == ((0, 1440),)
    assert parse("by appointment").weekly == {}


def test_wrapping_day_range() -> None:
    assert set(parse("Fr-Mo 10:00-14:00").weekly) == {4, 5, 6, 0}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "is empty"),
        ("Monday 08:00-12:00", "'Monday' is not a day"),
        ("Mo 8-12", "'8-12' is not a time range"),
        ("Mo 12:00-08:00", "must end after it starts"),
        ("Mo 08:00-12:00,11:00-14:00", "overlap"),
        ("Mo", "needs days and times"),
        ("Mo 25:00-26:00", "not a time range"),
    ],
)
def test_mistakes_are_named(text: str, words: str) -> None:
    with pytest.raises(OpeningHoursError, match=words):
        parse(text)


def test_public_holidays_by_country_region_and_local_days() -> None:
    assert is_public_holiday(date(2026, 12, 8), "AT")  # Immaculate Conception
    assert not is_public_holiday(date(2026, 12, 9), "AT")
    assert is_public_holiday(date(2026, 8, 16), "AT", "8", local=[date(2026, 8, 16)])
    assert is_public_holiday(date(2026, 2, 9), "SI") is False
    assert is_public_holiday(date(2026, 2, 8), "SI")  # Prešeren Day
    assert "BZ" in known_subdivisions("IT") and known_subdivisions("XX") == []
