"""The occurrences of a checked repeat rule (recurrence.py), computed by dateutil on naive
local date-times (the wall clock), so a weekly 18:00 event stays at 18:00 across a
daylight-saving change.

dateutil walks every period from the start, so a weekly rule begun years ago would cost
about thirty times the weeks wanted. Two things keep a lookup near the weeks wanted, without
changing which occurrences there are: the start is moved forward by whole periods (daily,
weekly, monthly), and a COUNT is turned into the date of its last occurrence (found once per
rule and start, then remembered), since a rule with COUNT cannot be moved.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any

from dateutil.rrule import DAILY, FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, YEARLY, rrule

from bot.knowledge import recurrence

_FREQ = {"DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY}
_WEEKDAYS = dict(zip(recurrence.DAYS, (MO, TU, WE, TH, FR, SA, SU)))
_LISTS = {
    "BYMONTHDAY": "bymonthday",
    "BYMONTH": "bymonth",
    "BYSETPOS": "bysetpos",
    "BYYEARDAY": "byyearday",
    "BYWEEKNO": "byweekno",
}
_BY_DAY_OF_MONTH = ("bymonthday", "byweekday", "byyearday", "byweekno")
REMEMBERED = 20_000  # rules (arguments) and last occurrences of COUNT rules kept


def _weekday(item: str) -> Any:
    found = recurrence.DAY.match(item.strip())
    assert found is not None  # a checked rule
    day = _WEEKDAYS[found.group(2)]
    return day(int(found.group(1))) if found.group(1) else day


@lru_cache(maxsize=REMEMBERED)
def _arguments(text: str, zone: tzinfo | None) -> tuple[tuple[str, Any], ...]:
    """dateutil's rrule arguments for a checked rule, UNTIL as naive local time."""
    parts = recurrence.split(text)
    found: dict[str, Any] = {"freq": _FREQ[parts["FREQ"]]}
    if "INTERVAL" in parts:
        found["interval"] = int(parts["INTERVAL"])
    if "COUNT" in parts:
        found["count"] = int(parts["COUNT"])
    if "UNTIL" in parts:
        until = recurrence.local_until(parts["UNTIL"], zone)
        found["until"] = datetime.strptime(until, "%Y%m%dT%H%M%S")
    if "BYDAY" in parts:
        found["byweekday"] = tuple(_weekday(item) for item in parts["BYDAY"].split(","))
    if "WKST" in parts:
        found["wkst"] = _WEEKDAYS[parts["WKST"]]
    for name, argument in _LISTS.items():
        if name in parts:
            found[argument] = tuple(int(item) for item in parts[name].split(","))
    return tuple(found.items())


def build(text: str, start: datetime, zone: tzinfo | None = None) -> rrule:
    """The checked rule `text` from the naive local `start`."""
    return rrule(dtstart=start, cache=False, **dict(_arguments(text, zone)))


@lru_cache(maxsize=REMEMBERED)
def _last(text: str, start: datetime, zone: tzinfo | None) -> datetime | None:
    """The last occurrence of a rule with COUNT (at most recurrence.MAX_COUNT)."""
    found = list(build(text, start, zone))
    return found[-1] if found else None


def _moved(start: datetime, arguments: dict[str, Any], begin: datetime) -> datetime:
    """`start` moved forward by whole periods to no later than `begin`, where the rule's
    occurrences from `begin` on stay the same (daily, weekly; monthly unless the rule takes
    its day of the month from a start after the 28th)."""
    if begin <= start or "count" in arguments:
        return start
    interval = arguments.get("interval", 1)
    if arguments["freq"] in (DAILY, WEEKLY):
        period = interval * (7 if arguments["freq"] == WEEKLY else 1)
        return start + timedelta(days=(begin - start).days // period * period)
    if arguments["freq"] != MONTHLY:
        return start
    if start.day > 28 and not any(name in arguments for name in _BY_DAY_OF_MONTH):
        return start
    months = (begin.year - start.year) * 12 + begin.month - start.month
    for skip in (months // interval * interval, (months // interval - 1) * interval):
        month = start.month - 1 + skip
        moved = start.replace(
            year=start.year + month // 12, month=month % 12 + 1, day=min(start.day, 28)
        )
        if skip <= 0:
            return start
        if moved <= begin:
            return moved
    return start


def between(
    text: str, start: datetime, begin: datetime, end: datetime, zone: tzinfo | None = None
) -> list[datetime]:
    """The naive local start times of the occurrences from `begin` to `end` (both included)."""
    arguments = dict(_arguments(text, zone))
    if "count" in arguments:
        last = _last(text, start, zone)
        if last is None or last < begin:
            return []
        del arguments["count"]
        arguments["until"] = last
    moved = _moved(start, arguments, begin)
    found: list[datetime] = rrule(dtstart=moved, cache=False, **arguments).between(
        begin, end, inc=True
    )
    return found


def next_after(
    text: str, start: datetime, moment: datetime, zone: tzinfo | None = None
) -> datetime | None:
    """The first occurrence from `moment` on, or None when there is none."""
    arguments = dict(_arguments(text, zone))
    moved = _moved(start, arguments, moment)
    found: datetime | None = rrule(dtstart=moved, cache=False, **arguments).after(moment, inc=True)
    return found


def first(text: str, start: datetime) -> datetime | None:
    """The first occurrence, or None when the rule never happens (UNTIL before the start)."""
    found: datetime | None = build(text, start).after(start, inc=True)
    return found
