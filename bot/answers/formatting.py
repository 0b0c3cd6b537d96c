"""Numbers, distances and language names in the user's language (CLDR data via babel)."""

from __future__ import annotations

import re
from datetime import date, time
from functools import lru_cache
from typing import Iterable

from babel import Locale
from babel.dates import format_date, format_time, get_day_names, match_skeleton
from babel.units import format_unit

from bot.answers.bidi import local_digits
from bot.answers.opening import OpeningStatus
from bot.knowledge.hours import Interval, OpeningHoursError, parse
from bot.language.registry import settings
from bot.locales.catalog import phrase

LONG_DATE_LOCALES = {"en": "en_GB"}  # "1 September 2026", not "September 1, 2026"


def long_date(day: date, language: str) -> str:
    """A date as people of the language write it in full ("1 September 2026",
    "1. September 2026", "1 سبتمبر 2026"); English the European way."""
    text = format_date(day, format="long", locale=LONG_DATE_LOCALES.get(language, language))
    return local_digits(text, language)


@lru_cache(maxsize=32)
def _weekday_date_pattern(locale: str) -> str:
    """The language's own order for weekday, day and month, with both written in full:
    CLDR gives "mer 28 ott", a newcomer reads "mercoledì 28 ottobre" more easily."""
    skeletons = Locale.parse(locale).datetime_skeletons
    pattern = str(skeletons[match_skeleton("MMMMEd", skeletons)].pattern)
    pattern = re.sub(r"(?<![EMLc])(E{1,3}|c{1,3})(?![EMLc])", "EEEE", pattern)
    return re.sub(r"(?<![ML])(MMM|LLL)(?![ML])", lambda m: m.group(1)[0] * 4, pattern)


def weekday_date(day: date, language: str) -> str:
    """A day with its weekday and month in full, no year ("Wednesday 28 October",
    "Mittwoch, 28. Oktober", "28 Ekim Çarşamba")."""
    locale = LONG_DATE_LOCALES.get(language, language)
    return local_digits(format_date(day, _weekday_date_pattern(locale), locale=locale), language)


def distance(km: float, language: str) -> str:
    """'350 m' or '1,2 km', in the user's language."""
    if km < 1:
        metres = int(round(km * 1000, -1))
        text = format_unit(metres, "length-meter", locale=language, length="short")
    else:
        text = format_unit(
            km, "length-kilometer", locale=language, length="short", format="#,##0.0"
        )
    return local_digits(str(text), language)


def language_names(codes: Iterable[str]) -> str:
    """Staff languages by their own names ('Deutsch, English, العربية')."""
    names = []
    for code in codes:
        entry = settings().get(code)
        names.append(entry.name if entry else code)
    return ", ".join(names)


def opening(status: OpeningStatus, language: str) -> str:
    """'Open now, until 16:00.' or 'Closed now. Opens on Monday at 08:00.' in the language."""
    if status.kind == "open" and status.until is not None:
        text = phrase(language, "opening_open_until", time=clock(status.until, language))
    elif status.kind == "closed" and status.next_day and status.next_time and status.today:
        ahead = (status.next_day - status.today).days
        values = {"time": clock(status.next_time, language)}
        if ahead == 0:
            text = phrase(language, "opening_opens_today", **values)
        elif ahead == 1:
            text = phrase(language, "opening_opens_tomorrow", **values)
        else:
            day = format_date(status.next_day, "EEEE", locale=language)
            text = phrase(language, "opening_opens_on", day=day, **values)
    elif status.kind == "closed":
        text = phrase(language, "opening_closed")
    elif status.kind == "always":
        return phrase(language, "opening_always")
    elif status.kind == "appointment":
        return phrase(language, "opening_appointment_only")
    else:
        return phrase(language, "opening_unknown")
    if status.by_appointment:
        text += " " + phrase(language, "opening_appointment_too")
    return text


def clock(value: time, language: str) -> str:
    """'08:00' in the language's digits."""
    return local_digits(str(format_time(value, "HH:mm", locale=language)), language)


def weekly_hours(text: str | None, language: str) -> str:
    """'Mo–Th 08:00–12:00, 13:00–16:00 · Fr 08:00–12:00' with day names in the language."""
    if not text:
        return ""
    try:
        hours = parse(text)
    except OpeningHoursError:
        return ""
    if hours.always_open:
        return phrase(language, "opening_always")
    names = get_day_names("abbreviated", locale=language)
    groups: list[tuple[int, int, tuple[Interval, ...]]] = []
    for day in range(7):
        intervals = hours.weekly.get(day, ())
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == intervals:
            groups[-1] = (groups[-1][0], day, intervals)
        else:
            groups.append((day, day, intervals))
    parts = []
    for first, last, intervals in groups:
        if not intervals:
            continue
        days = names[first] if first == last else f"{names[first]}–{names[last]}"
        times = local_digits(
            ", ".join(f"{_minutes(a)}–{_minutes(b)}" for a, b in intervals), language
        )
        parts.append(f"{days} {times}")
    text_out = " · ".join(parts)
    if hours.holidays == ():
        text_out += (" · " if text_out else "") + phrase(language, "opening_holidays_closed")
    return text_out


def _minutes(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"
