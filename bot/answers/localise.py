"""Pick a knowledge value in the user's language, or the documented fallback."""

from __future__ import annotations

from typing import Iterable, Mapping, Union

from bot.language.registry import settings

Localisable = Union[str, Mapping[str, str], None]


def fallback_order(language: str, official: Iterable[str] = ()) -> list[str]:
    """The user's language, then languages.yml's fallback list, then the official ones."""
    order = [language, *settings().fallback, *official]
    return list(dict.fromkeys(order))


def localise(
    value: Localisable, language: str, official: Iterable[str] = ()
) -> tuple[str, str | None]:
    """Return (text, language of the text); a plain string counts as any language."""
    if value is None:
        return "", None
    if isinstance(value, str):
        return value, language
    for code in fallback_order(language, official):
        if value.get(code):
            return value[code], code
    for code, text in value.items():
        return text, code
    return "", None


def localise_name(value: Localisable, language: str, official: Iterable[str] = ()) -> str:
    """A name in the user's language, else in the official language (the name on the
    building and the signs), else any."""
    if isinstance(value, Mapping):
        for code in dict.fromkeys([language, *official]):
            if value.get(code):
                return str(value[code])
    return localise(value, language, official)[0]
