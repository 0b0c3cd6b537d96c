"""Is a service open now, and if not, when does it open next (in the municipality's time zone,
public holidays respected)?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from bot.knowledge.hours import OpeningHours, OpeningHoursError, parse

LOOK_AHEAD_DAYS = 14


@dataclass(frozen=True)
class OpeningStatus:
    """What to tell the user about opening hours right now.

    kind: `open` (until `until`), `closed` (next opening `next_day` at `next_time`, or none
    within two weeks), `always`, `appointment` (only by appointment) or `unknown` (no hours).
    """

    kind: str
    until: time | None = None
    next_day: date | None = None
    next_time: time | None = None
    today: date | None = None
    by_appointment: bool = False


def _clock(minutes: int) -> time:
    return time(0, 0) if minutes >= 24 * 60 else time(minutes // 60, minutes % 60)


def _next_opening(
    hours: OpeningHours, start: date, minute: int, is_holiday: Callable[[date], bool]
) -> tuple[date, time] | None:
    for offset in range(LOOK_AHEAD_DAYS + 1):
        day = start + timedelta(days=offset)
        for begin, _ in hours.intervals_on(day.weekday(), is_holiday(day)):
            if offset > 0 or begin > minute:
                return day, _clock(begin)
    return None


def opening_status(
    text: str | None,
    now: datetime,
    timezone: str,
    is_holiday: Callable[[date], bool],
) -> OpeningStatus:
    """Status of opening hours `text` at the aware datetime `now`."""
    if not text:
        return OpeningStatus("unknown")
    try:
        hours = parse(text)
    except OpeningHoursError:
        return OpeningStatus("unknown")  # the validator keeps such files out; be safe anyway
    if hours.always_open:
        return OpeningStatus("always")
    local = now.astimezone(ZoneInfo(timezone))
    today, minute = local.date(), local.hour * 60 + local.minute
    for begin, end in hours.intervals_on(today.weekday(), is_holiday(today)):
        if begin <= minute < end:
            return OpeningStatus(
                "open", until=_clock(end), today=today, by_appointment=hours.by_appointment
            )
    upcoming = _next_opening(hours, today, minute, is_holiday)
    if upcoming is None:
        kind = "appointment" if hours.by_appointment else "closed"
        return OpeningStatus(kind, today=today, by_appointment=hours.by_appointment)
    return OpeningStatus(
        "closed",
        next_day=upcoming[0],
        next_time=upcoming[1],
        today=today,
        by_appointment=hours.by_appointment,
    )
