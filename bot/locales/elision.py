"""Elision before a name filled into a reply: French "de {municipality_name}" with Annecy
reads "d'Annecy", not "de Annecy". The words are data (`elisions` in languages.yml).

Only a capitalised word that starts with a vowel counts (a name: Annecy, Évian, Albertville),
never an h (Haute-Savoie keeps "de") and never the lower-case words of running text, which
staff write themselves."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.language.registry import settings

_BEFORE_A_NAME = "(?=[AEIOUÀÂÉÈÊËÎÏÔÖÙÛÜ])"


@lru_cache(maxsize=16)
def _patterns(language: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    entry = settings().get(language)
    return tuple(
        (re.compile(rf"\b{re.escape(word)} {_BEFORE_A_NAME}"), short)
        for word, short in (entry.elisions if entry else ())
    )


def elided(text: str, language: str) -> str:
    """The text with the language's elisions made before names."""
    for pattern, short in _patterns(language):
        text = pattern.sub(short, text)
    return text
