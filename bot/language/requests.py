"""Explicit language requests: "English please", "auf Deutsch", "по-английски"."""

from __future__ import annotations

from bot.locales.catalog import language_name_index
from bot.text import normalise


def named_languages(text: str) -> set[str]:
    """Codes of every supported language the text names, in any supported language."""
    norm = f" {normalise(text)} "
    words = set(norm.split())
    found = set()
    for name, code in language_name_index().items():
        if (" " in name and f" {name} " in norm) or name in words:
            found.add(code)
    return found


def requested_language(text: str) -> str | None:
    """The one language the text asks for, or None when it names none or several."""
    found = named_languages(text)
    return found.pop() if len(found) == 1 else None
