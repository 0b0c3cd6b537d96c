"""Public holidays of a municipality: its country's (and region's) from the `holidays`
package, which carries its data in the wheel, plus the local days listed in its file."""

from __future__ import annotations

from datetime import date
from functools import cache, lru_cache
from typing import Iterable

import holidays as holiday_calendars


@cache
def known_subdivisions(country: str) -> list[str]:
    """Region codes the holiday calendar of `country` knows (empty if none or unknown)."""
    try:
        calendar = holiday_calendars.country_holidays(country)
    except NotImplementedError:
        return []
    return sorted(str(code) for code in getattr(calendar, "subdivisions", ()))


@cache
def subdivision_names(country: str) -> dict[str, str]:
    """Region code -> its name (the longest name the holiday calendar knows for it, e.g.
    AT "2" -> "Kärnten"); codes without a known name are left out."""
    try:
        aliases = holiday_calendars.country_holidays(country).subdivisions_aliases
    except (NotImplementedError, AttributeError):
        return {}
    names: dict[str, str] = {}
    for alias, code in aliases.items():
        if len(alias) > len(names.get(code, "")):
            names[code] = alias
    return names


def subdivision_by_name(country: str, name: str) -> str | None:
    """The region code a name or abbreviation stands for ("Kärnten", "ktn" -> "2")."""
    try:
        aliases = holiday_calendars.country_holidays(country).subdivisions_aliases
    except (NotImplementedError, AttributeError):
        return None
    wanted = name.strip().casefold()
    return next((code for alias, code in aliases.items() if alias.casefold() == wanted), None)


@lru_cache(maxsize=256)
def _calendar(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    try:
        calendar = holiday_calendars.country_holidays(country, subdiv=subdivision, years=year)
    except NotImplementedError:
        return frozenset()
    return frozenset(calendar)


def is_public_holiday(
    day: date, country: str, subdivision: str | None = None, local: Iterable[date] = ()
) -> bool:
    """True on a national or regional public holiday, or a local closing day."""
    return day in set(local) or day in _calendar(country, subdivision, day.year)
