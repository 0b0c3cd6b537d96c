"""Events of a municipality (welcome events, language cafés, information evenings) and the
calendars (.ics files or feeds) they can be imported from. Times are the municipality's local
time, without an offset; a repeating event has an RRULE (recurrence.py)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Dict, Optional, Union

from pydantic import ConstrainedStr, Field, root_validator, validator

from bot.knowledge import recurrence
from bot.knowledge.fields import (
    Code,
    Link,
    LocalisedLongText,
    LocalisedText,
    Strict,
    Text,
    check_languages,
    check_url,
    one_of,
)
from bot.knowledge.limits import MAX_TEXT

EVENT_KINDS = ("welcome_event", "language_cafe", "information_evening", "other")
MAX_DURATION_MINUTES = 7 * 24 * 60
START_FORM = "2026-09-02T18:00"
START_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$"
END_PATTERN = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"
_START = re.compile(START_PATTERN)
_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
_END = re.compile(END_PATTERN)

if TYPE_CHECKING:
    Rule = str
else:

    class Rule(ConstrainedStr):
        """An RRULE: one word like a code, as long as a text."""

        strict = True
        strip_whitespace = True
        max_length = MAX_TEXT


def _parse_start(value: Any) -> Any:
    """A naive date-time from a YAML timestamp or text like 2026-09-02T18:00."""
    form = f"like {START_FORM} (year-month-day, T, hour:minute; the municipality's local time)"
    offset = f"has a time-zone offset; write the local time without Z or +01:00, {form}"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise ValueError(offset)
        return value
    if isinstance(value, date):
        raise ValueError(f"is a date without a time; write the start time too, like {value}T18:00")
    if not isinstance(value, str):
        raise ValueError(f"must be a date and time {form}")
    text = value.strip()
    if _OFFSET.search(text) and _START.match(_OFFSET.sub("", text)):
        raise ValueError(offset)
    if not _START.match(text):
        raise ValueError(f"'{text}' is not a date and time {form}")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date and time; write one {form}") from None


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


class Event(Strict):
    id: Code
    title: Union[Text, LocalisedText]
    kind: Code
    start: datetime
    end: Optional[Code] = None
    duration_minutes: Optional[int] = Field(None, gt=0, le=MAX_DURATION_MINUTES)
    repeat: Optional[Rule] = None
    place: Optional[Code] = None
    service: Optional[Code] = None
    address: Optional[Text] = None
    free: Optional[bool] = None
    notes: LocalisedLongText = Field({})
    link: Optional[Link] = None

    _title_languages = validator("title", allow_reuse=True)(
        lambda v: check_languages(v) if isinstance(v, dict) else v
    )
    _notes = validator("notes", allow_reuse=True)(lambda v: check_languages(v) if v else v)
    _kind = validator("kind", allow_reuse=True)(one_of(EVENT_KINDS, "event kind"))
    _start = validator("start", pre=True, allow_reuse=True)(_parse_start)
    _link = validator("link", allow_reuse=True)(check_url)

    @validator("end")
    def _end(cls, value: Optional[str], values: Dict[str, Any]) -> Optional[str]:
        if value is None:
            return value
        if not _END.match(value):
            raise ValueError(
                f"'{value}' is not a time like 19:30 (24-hour, the same day as the start); "
                "for an event past midnight write duration_minutes instead"
            )
        start = values.get("start")
        if start is not None and _minutes(value) <= start.hour * 60 + start.minute:
            raise ValueError(
                f"must be after the start ({start:%H:%M}) on the same day; for an event past "
                "midnight write duration_minutes instead"
            )
        return value

    @validator("duration_minutes")
    def _one_length(cls, value: Optional[int], values: Dict[str, Any]) -> Optional[int]:
        if value is not None and values.get("end") is not None:
            raise ValueError("give end or duration_minutes, not both")
        return value

    @validator("repeat")
    def _repeat(cls, value: Optional[str]) -> Optional[str]:
        # whether it ever happens is checked with the file (checks.py), not on every read
        return None if value is None else recurrence.check_rule(value)

    @root_validator(skip_on_failure=True)
    def _somewhere(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        if not (values.get("place") or values.get("service") or values.get("address")):
            raise ValueError(
                "needs a place: write place (the id of one of the places), service (the id "
                "of one of the services) or address"
            )
        return values

    def length_minutes(self) -> Optional[int]:
        """How long one occurrence lasts, or None when the file does not say."""
        if self.duration_minutes is not None:
            return self.duration_minutes
        if self.end is not None:
            return _minutes(self.end) - (self.start.hour * 60 + self.start.minute)
        return None

    def ends_at(self, start: datetime) -> Optional[datetime]:
        """The naive local end of the occurrence starting at `start`, or None."""
        if self.end is not None:
            minutes = _minutes(self.end)
            if minutes == 24 * 60:
                return datetime.combine(start.date(), time()) + timedelta(days=1)
            return datetime.combine(start.date(), time(minutes // 60, minutes % 60))
        length = self.length_minutes()
        return None if length is None else start + timedelta(minutes=length)


class Calendar(Strict):
    file: Optional[Link] = None
    url: Optional[Link] = None
    kind: Code

    _kind = validator("kind", allow_reuse=True)(one_of(EVENT_KINDS, "event kind"))

    @validator("file")
    def _file(cls, value: Optional[str]) -> Optional[str]:
        if value is None:
            return value
        path = PurePosixPath(value.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or ":" in value:
            raise ValueError(
                "must be a path inside the folder of this file, like events/dornbirn.ics"
            )
        if path.suffix.lower() != ".ics":
            raise ValueError("must be an iCalendar file ending in .ics, like events/dornbirn.ics")
        return str(path)

    @validator("url")
    def _url(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and value.lower().startswith("webcal://"):
            raise ValueError(f"write https:// instead of webcal://: https://{value[9:]}")
        return check_url(value)

    @root_validator(skip_on_failure=True)
    def _one_source(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        if values.get("file") is None and values.get("url") is None:
            raise ValueError(
                "needs file (an .ics file in this folder, like events/dornbirn.ics) or url "
                "(the address of a calendar feed)"
            )
        if values.get("file") is not None and values.get("url") is not None:
            raise ValueError("give file or url, not both: one calendar per entry")
        return values
