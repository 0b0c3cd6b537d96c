"""Opening hours in a documented subset of OpenStreetMap's `opening_hours` syntax.

    Mo-Th 08:00-12:00,13:00-15:00; Fr 08:00-12:00; PH off; "by appointment"

Rules are separated by `;`. A rule is days (`Mo`..`Su`, lists `Mo,We`, ranges `Mo-Fr`, `PH`
for public holidays) followed by times (`HH:MM-HH:MM`, several joined by `,`) or `off`.
`24/7` means always open; `"by appointment"` (quotes optional) says a visit can also be
arranged. Days not named are closed; when `PH` is not named, public holidays follow the
weekday's hours, as in OpenStreetMap. A later rule for the same day replaces an earlier one.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
HOLIDAY = "PH"
Interval = tuple[int, int]  # minutes since midnight, end exclusive, end may be 24:00

_TIME = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
_APPOINTMENT = re.compile(r'^"?\s*by appointment\s*"?$', re.IGNORECASE)


@dataclass(frozen=True)
class OpeningHours:
    """Parsed opening hours: weekday (0 = Monday) -> intervals."""

    weekly: dict[int, tuple[Interval, ...]] = field(default_factory=dict)
    holidays: tuple[Interval, ...] | None = None  # None: as on that weekday
    always_open: bool = False
    by_appointment: bool = False

    def intervals_on(self, weekday: int, is_holiday: bool) -> tuple[Interval, ...]:
        """Opening intervals of one day."""
        if self.always_open:
            return ((0, 24 * 60),)
        if is_holiday and self.holidays is not None:
            return self.holidays
        return self.weekly.get(weekday, ())


class OpeningHoursError(ValueError):
    """A rule that does not follow the syntax; the message says which and why."""


def _days(selector: str) -> list[int | str]:
    days: list[int | str] = []
    for part in selector.split(","):
        if part == HOLIDAY:
            days.append(HOLIDAY)
            continue
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise OpeningHoursError(
                f"'{part}' is not a day; use {' '.join(DAYS)}, PH or a range like Mo-Fr"
            )
        start, end = DAYS.index(first), DAYS.index(last or first)
        span = range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)]
        days.extend(span)
    return days


def _intervals(times: str) -> tuple[Interval, ...]:
    if times == "off":
        return ()
    intervals: list[Interval] = []
    for part in times.split(","):
        match = _TIME.match(part.strip())
        if not match:
            raise OpeningHoursError(f"'{part.strip()}' is not a time range like 08:00-12:00")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if start > 24 * 60 or end > 24 * 60 or start >= end:
            raise OpeningHoursError(f"'{part.strip()}' must end after it starts, by 24:00")
        intervals.append((start, end))
    intervals.sort()
    for (_, end), (start, _) in itertools.pairwise(intervals):
        if start < end:
            raise OpeningHoursError(f"the time ranges in '{times}' overlap")
    return tuple(intervals)


@lru_cache(maxsize=4096)
def parse(text: str) -> OpeningHours:
    """Parse opening hours; raise `OpeningHoursError` naming the faulty rule."""
    weekly: dict[int, tuple[Interval, ...]] = {}
    holidays: tuple[Interval, ...] | None = None
    always = appointment = False
    rules = [rule.strip() for rule in text.split(";") if rule.strip()]
    if not rules:
        raise OpeningHoursError("is empty; write e.g. Mo-Fr 08:00-12:00; PH off")
    for rule in rules:
        if rule == "24/7":
            always = True
            continue
        if _APPOINTMENT.match(rule):
            appointment = True
            continue
        selector, _, times = rule.partition(" ")
        if not times.strip():
            raise OpeningHoursError(f"rule '{rule}' needs days and times, like Mo-Fr 08:00-12:00")
        days = _days(selector)
        intervals = _intervals(times.strip().replace(" ", ""))
        for day in days:
            if day == HOLIDAY:
                holidays = intervals
            else:
                weekly[int(day)] = intervals
    return OpeningHours(weekly, holidays, always, appointment)
