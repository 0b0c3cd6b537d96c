"""Which municipality a message names ("I live in Kranj", "v Kranju", "у Дорнбірні",
"Bolzano'ya", "بدورنبيرن"), in any language and grammatical case.

Words and names are compared in Latin letters (anyascii), so "Дорнбірні" meets "Dornbirn".
A word names a town when it is one of its names, or a name with a case ending of a supported
language (after the name or after the name without its last vowel: "Kranju", "Bolzanu"),
or, for names of six letters or more, a name with one typo ("dornbrin"). The endings and the
letters written onto names are data in bot/locales/languages.yml.
"""

from __future__ import annotations

from functools import lru_cache
from typing import List, Optional

from anyascii import anyascii

from bot.knowledge.schema import Municipality
from bot.language.registry import settings
from bot.nlu.spelling import one_edit_apart
from bot.text import normalise

MIN_FUZZY = 6  # names this long also match with one typo
VOWELS = set("aeiouy")


def latin(text: str) -> str:
    """Normalised, in lower-case Latin letters without apostrophes ("Больцано" ->
    "boltsano"; "آنسي" and "انسي" alike)."""
    return normalise(anyascii(normalise(text))).replace("'", "")


@lru_cache(maxsize=1)
def _affixes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(endings in Latin letters, longest first; prefixes as written, longest first)."""
    languages = settings().languages
    endings = {latin(e) for lang in languages for e in lang.name_endings} - {""}
    prefixes = {normalise(p) for lang in languages for p in lang.prefixes} - {""}
    return (
        tuple(sorted(endings, key=len, reverse=True)),
        tuple(sorted(prefixes, key=len, reverse=True)),
    )


def _word_forms(text: str) -> list[str]:
    """The text's words in Latin letters, also without a prefix written onto them; words
    are split at apostrophes and hyphens ("dornbirn'de" -> "dornbirn", "de")."""
    _, prefixes = _affixes()
    forms: list[str] = []
    for word in normalise(text).replace("'", " ").replace("-", " ").split():
        variants = [word] + [
            word[len(p) :] for p in prefixes if word.startswith(p) and len(word) - len(p) >= 3
        ]
        forms.extend(f for f in (latin(v) for v in variants) if f)
    return forms


def _stems(name: str) -> set[str]:
    return {name, name[:-1]} if name[-1:] in VOWELS and len(name) > 4 else {name}


def names_word(word: str, name: str) -> bool:
    """Whether one word (Latin letters) is the name (Latin letters) in some form."""
    if word == name:
        return True
    endings, _ = _affixes()
    if len(name) >= 4 and any(word == stem + ending for stem in _stems(name) for ending in endings):
        return True
    return len(name) >= MIN_FUZZY and one_edit_apart(word, name)


def _names(municipality: Municipality) -> set[str]:
    return {latin(n) for n in {municipality.id, *municipality.name.values()}} - {""}


def find_municipality(text: str, municipalities: List[Municipality]) -> Optional[Municipality]:
    """The municipality whose id or name (in any language) the text names; of several,
    the one named first."""
    words = _word_forms(text)
    if not words:
        return None
    joined = f" {' '.join(words)} "
    best: Optional[tuple[int, Municipality]] = None
    for municipality in municipalities:
        for name in _names(municipality):
            if " " in name:
                position = joined.find(f" {name} ")
                found = position if position >= 0 else None
            else:
                found = next((i for i, w in enumerate(words) if names_word(w, name)), None)
                found = None if found is None else len(" ".join(words[:found]))
            if found is not None and (best is None or found < best[0]):
                best = (found, municipality)
    return best[1] if best else None
