"""Repeat rules of events: a subset of RFC 5545's RRULE, checked part by part so that a
mistake is named (their occurrences: occurrences.py).

The subset: FREQ DAILY, WEEKLY, MONTHLY or YEARLY; INTERVAL, COUNT (at most 1,000) or UNTIL;
BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, BYYEARDAY, BYWEEKNO, WKST. No BYHOUR, BYMINUTE or
BYSECOND: the time is the event's start, so an event happens at most once a day. UNTIL as a
date (20261231) includes that whole day; with a time and Z it is UTC.
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime, timezone, tzinfo

from bot.knowledge.fields import suggest

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PARTS = (
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "BYSETPOS",
    "BYYEARDAY",
    "BYWEEKNO",
    "WKST",
)
MAX_COUNT = 1_000
EXAMPLE = "A rule looks like FREQ=WEEKLY;BYDAY=WE (every Wednesday)."
_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
DAY = re.compile(r"^([+-]?\d{1,2})?([A-Z]{2})$")
UNTIL = re.compile(r"^(\d{8})(?:T(\d{6})(Z?))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_NUMBERS = {  # part -> (lowest, highest) absolute value, and whether negative is allowed
    "BYMONTHDAY": (1, 31, True),
    "BYMONTH": (1, 12, False),
    "BYSETPOS": (1, 366, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
}


def with_example(problem: str) -> str:
    """The problem as a sentence, then what a rule looks like."""
    return f"{problem}{'' if problem.endswith(('?', '.')) else '.'} {EXAMPLE}"


def _fail(part: str, value: str, problem: str) -> ValueError:
    return ValueError(with_example(f"{part}={value}: {problem}"))


def split(text: str) -> dict[str, str]:
    """NAME -> value of each part, upper case; raises ValueError naming a part not NAME=value,
    an unknown or repeated one."""
    parts: dict[str, str] = {}
    for item in text.upper().removeprefix("RRULE:").split(";"):
        name, equals, value = item.strip().partition("=")
        if not equals or not name or not value.strip():
            raise ValueError(with_example(f"'{item.strip()}' is not a part like NAME=value"))
        name, value = name.strip(), value.strip()
        if name in _TIME_PARTS:
            raise ValueError(
                f"{name} is not used: the time is the event's start; write another event for "
                "another time of day"
            )
        if name not in PARTS:
            raise ValueError(with_example(f"unknown part '{name}'; {suggest(name, PARTS)}"))
        if name in parts:
            raise ValueError(f"{name} is written twice; keep one")
        parts[name] = value
    return parts


def _whole(part: str, value: str, lowest: int, highest: int, negative: bool = False) -> None:
    digits = value.removeprefix("-").removeprefix("+") if negative else value
    if digits.isdigit() and lowest <= int(digits) <= highest:
        return
    also = f", or -{highest} to -{lowest} (counted from the end)" if negative else ""
    raise _fail(part, value, f"must be a whole number from {lowest} to {highest}{also}")


def _days(value: str, freq: str) -> None:
    for item in value.split(","):
        found = DAY.match(item.strip())
        if found is None or found.group(2) not in DAYS:
            day = found.group(2) if found else item.strip()
            guess = difflib.get_close_matches(day, DAYS, n=1)
            meant = f"did you mean '{guess[0]}'? " if guess else ""
            raise _fail(
                "BYDAY",
                value,
                f"'{day}' is not a day; {meant}{'Use' if meant else 'use'} MO TU WE TH FR SA SU, "
                "and 1MO for the first Monday of a month",
            )
        if found.group(1) and freq not in ("MONTHLY", "YEARLY"):
            raise _fail(
                "BYDAY",
                value,
                f"a number before the day ({item.strip()}) needs FREQ=MONTHLY or FREQ=YEARLY",
            )
        if found.group(1) and not 1 <= abs(int(found.group(1))) <= 53:
            raise _fail("BYDAY", value, "the number before the day must be 1 to 5, or -1")


def _until(value: str) -> None:
    if UNTIL.match(value):
        return
    iso = _ISO_DATE.match(value)
    hint = f"write it as {''.join(iso.groups())}" if iso else "write a date like 20261231"
    raise _fail("UNTIL", value, f"is not a date; {hint} (the last day it happens)")


def check_rule(text: str) -> str:
    """The rule in upper case without a leading RRULE:, or ValueError naming the wrong part."""
    parts = split(text)
    freq = parts.get("FREQ")
    if freq is None:
        raise ValueError(with_example("needs FREQ (how often: DAILY, WEEKLY, MONTHLY or YEARLY)"))
    if freq not in FREQUENCIES:
        raise _fail("FREQ", freq, f"'{freq}' is not a frequency; {suggest(freq, FREQUENCIES)}")
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValueError("give COUNT (how many times) or UNTIL (the last day), not both")
    if "INTERVAL" in parts:
        _whole("INTERVAL", parts["INTERVAL"], 1, 999)
    if "COUNT" in parts:
        _whole("COUNT", parts["COUNT"], 1, MAX_COUNT)
    if "UNTIL" in parts:
        _until(parts["UNTIL"])
    if "BYDAY" in parts:
        _days(parts["BYDAY"], freq)
    if "WKST" in parts and parts["WKST"] not in DAYS:
        raise _fail("WKST", parts["WKST"], f"is not a day; {suggest(parts['WKST'], DAYS)}")
    if "BYWEEKNO" in parts and freq != "YEARLY":
        raise _fail("BYWEEKNO", parts["BYWEEKNO"], "needs FREQ=YEARLY")
    for name, (lowest, highest, negative) in _NUMBERS.items():
        for item in parts.get(name, "").split(",") if name in parts else []:
            _whole(name, item.strip(), lowest, highest, negative)
    return ";".join(f"{name}={value}" for name, value in parts.items())


def local_until(value: str, zone: tzinfo | None) -> str:
    """UNTIL as a naive local date-time: a date is the end of that day; UTC (Z) is converted
    to the municipality's time (`zone`)."""
    found = UNTIL.match(value)
    if found is None:
        return value
    day, time, utc = found.groups()
    if time is None:
        return f"{day}T235959"
    if not utc:
        return f"{day}T{time}"
    moment = datetime.strptime(f"{day}{time}", "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    local = moment.astimezone(zone).replace(tzinfo=None) if zone else moment.replace(tzinfo=None)
    return local.strftime("%Y%m%dT%H%M%S")
