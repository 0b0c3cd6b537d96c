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
