"""Events from an iCalendar (.ics) text, as a municipality publishes its calendar.

Each VEVENT becomes an Event of the calendar's kind: SUMMARY the title (in the municipality's
first official language), DTSTART the start in the municipality's time, DTEND or DURATION its
length, RRULE its repeat rule (kept as text), LOCATION the address, DESCRIPTION the notes, URL
the link. A series with exceptions (EXDATE, RDATE or a moved occurrence, RECURRENCE-ID) is
expanded by recurring-ical-events into single events for EXPAND_DAYS from `today`. Cancelled
events and those over before `today` are left out. An event that cannot be used (no start
time, no LOCATION, a broken RRULE) is left out with an Issue; a text that is no calendar
gives one Issue and no events.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar as ICalendar
from icalendar.cal import Component
from pydantic import ValidationError

from bot.knowledge import occurrences, recurrence
from bot.knowledge.events import MAX_DURATION_MINUTES, Event
from bot.knowledge.fields import URL
from bot.knowledge.ical_text import Block, Issue, scan
from bot.knowledge.limits import MAX_LONG_TEXT

EXPAND_DAYS = 365
_PROPERTY = {  # Event field -> the iCalendar property it comes from
    "title": "SUMMARY",
    "start": "DTSTART",
    "duration_minutes": "DTEND",
    "repeat": "RRULE",
    "address": "LOCATION",
    "notes": "DESCRIPTION",
    "link": "URL",
}
_IRREGULAR = ("EXDATE", "RDATE")


@dataclass
class Imported:
    """The events read from one calendar, and the Issues on the way."""

    events: list[Event] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    broken: bool = False


@dataclass(frozen=True)
class Source:
    """What the events of one calendar need from the municipality file."""

    kind: str
    zone: ZoneInfo
    language: str
    prefix: str  # of the events' ids, e.g. "calendar1"
    today: date


def _local(value: Any, zone: ZoneInfo) -> datetime:
    """A date-time in the municipality's time, naive; a floating one is taken as local."""
    if value.tzinfo is not None:
        value = value.astimezone(zone)
    local: datetime = value.replace(tzinfo=None, second=0, microsecond=0)
    return local


def _text(component: Component, name: str, master: Component | None = None) -> str:
    value = component.get(name)
    if value is None and master is not None:
        value = master.get(name)
    return str(value).strip() if value is not None else ""


def _minutes(component: Component, start: datetime, zone: ZoneInfo) -> int | None:
    """The event's length from DTEND or DURATION, or None."""
    if component.get("DTEND") is not None:
        end = component.decoded("DTEND")
        if not isinstance(end, datetime):
            return None
        length = _local(end, zone) - start
    elif component.get("DURATION") is not None:
        length = component.decoded("DURATION")
    else:
        return None
    minutes = int(length.total_seconds() // 60)
    return minutes if minutes > 0 else None


def _rule(component: Component, zone: ZoneInfo) -> str | None:
    """The RRULE as text, UNTIL in local time (the first rule, if several)."""
    value = component.get("RRULE")
    if value is None:
        return None
    if isinstance(value, list):
        value = value[0]
    parts = []
    for part in value.to_ical().decode("utf-8").split(";"):
        name, _, written = part.partition("=")
        if name.upper() == "UNTIL":
            written = recurrence.local_until(written, zone)
        parts.append(f"{name}={written}")
    return ";".join(parts)


def _id(source: Source, uid: str, start: datetime | None = None) -> str:
    digest = hashlib.sha1(uid.encode("utf-8")).hexdigest()[:12]
    return f"{source.prefix}-{digest}" + (f"-{start:%Y%m%d%H%M}" if start else "")


def _event(
    component: Component,
    block: Block,
    source: Source,
    master: Component | None = None,
) -> Event | Issue | None:
    """The event of one VEVENT (an occurrence of a series: `master` set), an Issue, or None
    for one that is cancelled or over."""
    if _text(component, "STATUS").upper() == "CANCELLED":
        return None
    title = _text(component, "SUMMARY", master)
    named = f"'{title}'" if title else "an event"
    if component.get("DTSTART") is None:
        return Issue(
            block.line, "DTSTART", f"{named} has no DTSTART (start), so it was not imported"
        )
    start_value = component.decoded("DTSTART")
    if not isinstance(start_value, datetime):
        return Issue(
            block.line_of("DTSTART"),
            "DTSTART",
            f"{named} lasts all day (no start time), so it was not imported; give it a start "
            "time in the calendar to show it",
        )
    start = _local(start_value, source.zone)
    minutes = _minutes(component, start, source.zone)
    if minutes is not None and minutes > MAX_DURATION_MINUTES:
        return Issue(
            block.line_of("DTEND"),
            "DTEND",
            f"{named} lasts more than a week, so it was not imported",
        )
    rule = _rule(component, source.zone) if master is None else None
    if _over(start, minutes, rule, source):
        return None
    address = _text(component, "LOCATION", master)
    if not title or not address:
        missing = "SUMMARY (the title)" if not title else "LOCATION (the address)"
        property_ = missing.split()[0]
        return Issue(
            block.line_of(property_),
            property_,
            f"{named} has no {missing}, so it was not imported; add it in the calendar",
        )
    uid = _text(component, "UID") or f"line {block.line}"
    description = _text(component, "DESCRIPTION", master)
    link = _text(component, "URL", master)
    data = {
        "id": _id(source, uid, start if master is not None else None),
        "title": {source.language: title},
        "kind": source.kind,
        "start": start,
        "duration_minutes": minutes,
        "repeat": rule,
        "address": address,
        "notes": {source.language: description[:MAX_LONG_TEXT]} if description else {},
        "link": link if URL.match(link) else None,
    }
    try:
        return Event.parse_obj(data)
    except ValidationError as error:
        return _refused(error, block, named)


def _over(start: datetime, minutes: int | None, rule: str | None, source: Source) -> bool:
    """Whether the event has no occurrence ending from `today` on."""
    today = datetime.combine(source.today, time())
    if rule is None:
        return start + timedelta(minutes=minutes or 0) < today
    try:
        return occurrences.next_after(rule, start, today) is None
    except ValueError:
        return False  # the broken rule is reported by the Event's validation


def _refused(error: ValidationError, block: Block, named: str) -> Issue:
    first = error.errors()[0]
    loc = [key for key in first["loc"] if key != "__root__"]
    property_ = _PROPERTY.get(str(loc[0]), "(file)") if loc else "(file)"
    return Issue(
        block.line_of(property_),
        property_,
        f"{named} was not imported: {property_} {first['msg']}",
    )


def _series(calendar: ICalendar, uid: str, source: Source) -> list[Component] | str:
    """The occurrences of the series `uid` from `today` for EXPAND_DAYS (by start), or why
    it cannot be expanded."""
    alone = ICalendar()
    for component in calendar.subcomponents:
        if component.name == "VTIMEZONE" or _text(component, "UID") == uid:
            alone.add_component(component)
    until = source.today + timedelta(days=EXPAND_DAYS)
    try:
        found: list[Component] = list(recurring_ical_events.of(alone).between(source.today, until))
    except (ValueError, TypeError, recurring_ical_events.InvalidCalendar) as error:
        return str(error)
    return found


def _irregular(components: list[Component]) -> set[str]:
    """UIDs of series with exceptions: EXDATE, RDATE or an occurrence moved (RECURRENCE-ID)."""
    uids = set()
    for component in components:
        if any(component.get(name) is not None for name in _IRREGULAR) or component.get(
            "RECURRENCE-ID"
        ):
            uids.add(_text(component, "UID"))
    return uids


def read(text: str, source: Source) -> Imported:
    """The events of the calendar `text`."""
    blocks, broken = scan(text)
    if broken is not None:
        return Imported(issues=[broken], broken=True)
    try:
        calendar = ICalendar.from_ical(text)
    except ValueError as error:
        return Imported(issues=[Issue(1, "(file)", f"is not a calendar: {error}")], broken=True)
    components = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    block_of = dict(zip(map(id, components), blocks))
    irregular = _irregular(components)
    masters = {_text(c, "UID"): c for c in reversed(components) if c.get("RECURRENCE-ID") is None}
    imported, expanded = Imported(), set()
    for component in components:
        block = block_of.get(id(component), Block(1))
        uid = _text(component, "UID")
        if uid not in irregular:
            _add(imported, _broken(component, block) or _event(component, block, source))
        elif uid not in expanded:
            expanded.add(uid)
            master = masters.get(uid, component)
            at = block_of.get(id(master), block)
            series = _series(calendar, uid, source)
            if isinstance(series, str):
                title = _text(master, "SUMMARY")
                _add(imported, Issue(at.line, "RRULE", f"'{title}' was not imported: {series}"))
                continue
            for occurrence in series:
                _add(imported, _event(occurrence, at, source, master))
    return imported


def _broken(component: Component, block: Block) -> Issue | None:
    """An Issue for a time or rule the icalendar library could not read (for a rule, in the
    words of our own check)."""
    for name, message in getattr(component, "errors", []):
        if name in ("DTSTART", "DTEND", "DURATION", "RRULE"):
            if name == "RRULE":
                try:
                    recurrence.check_rule(str(component.get("RRULE")))
                except ValueError as error:
                    message = str(error)
            title = _text(component, "SUMMARY")
            return Issue(block.line_of(name), name, f"'{title}' was not imported: {name} {message}")
    return None


def _add(imported: Imported, found: Event | Issue | None) -> None:
    if isinstance(found, Event):
        imported.events.append(found)
    elif isinstance(found, Issue) and found not in imported.issues:  # once per series
        imported.issues.append(found)
