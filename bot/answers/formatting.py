"""Numbers, distances and language names in the user's language (CLDR data via babel)."""

from __future__ import annotations

from typing import Iterable

from babel.units import format_unit

from bot.language.registry import settings


def distance(km: float, language: str) -> str:
    """'350 m' or '1,2 km', in the user's language."""
    if km < 1:
        metres = int(round(km * 1000, -1))
        return str(format_unit(metres, "length-meter", locale=language, length="short"))
    return str(
        format_unit(km, "length-kilometer", locale=language, length="short", format="#,##0.0")
    )


def language_names(codes: Iterable[str]) -> str:
    """Staff languages by their own names ('Deutsch, English, العربية')."""
    names = []
    for code in codes:
        entry = settings().get(code)
        names.append(entry.name if entry else code)
    return ", ".join(names)
