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

from bot.knowledge.schema import Municipality
from bot.language.registry import settings
from bot.nlu.spelling import Speller
from bot.text import in_latin_letters, normalise

MIN_FUZZY = 6  # names this long also match with one typo
VOWELS = set("aeiouy")


def latin(text: str) -> str:
    """Normalised, in lower-case Latin letters without apostrophes ("Больцано" ->
    "boltsano"; "آنسي" and "انسي" alike)."""
    return in_latin_letters(text).replace("'", "")


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


class _TownIndex:
    """Every accepted form of every name, for lookups in constant time per word: the names,
    the names with each case ending, and (for long names) a speller that finds them with one
    typo (bot/nlu/spelling.py)."""

    def __init__(self, towns: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        endings, _ = _affixes()
        self.forms: dict[str, str] = {}
        self.owners: dict[str, str] = {}  # long name -> its town, for the typo lookup
        self.phrases: list[tuple[str, str]] = []
        for town_id, names in towns:
            for name in names:
                if " " in name:
                    self.phrases.append((name, town_id))
                    continue
                self.forms.setdefault(name, town_id)
                if len(name) >= 4:
                    for stem in _stems(name):
                        for ending in endings:
                            self.forms.setdefault(stem + ending, town_id)
                if len(name) >= MIN_FUZZY:
                    self.owners.setdefault(name, town_id)
        self.fuzzy = Speller(dict.fromkeys(self.owners, 1))

    def town_of(self, word: str) -> Optional[str]:
        found = self.forms.get(word)
        if found is not None or len(word) < MIN_FUZZY - 1:
            return found
        name = self.fuzzy.nearest(word)
        return self.owners[name] if name else None


@lru_cache(maxsize=8)
def _index(towns: tuple[tuple[str, tuple[str, ...]], ...]) -> _TownIndex:
    return _TownIndex(towns)


def _key(municipality: Municipality) -> tuple[str, tuple[str, ...]]:
    names = (municipality.id, *municipality.name.values(), *municipality.aliases)
    return municipality.id, _latin_names(names)


@lru_cache(maxsize=16384)
def _latin_names(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({latin(name) for name in names} - {""}))


def find_municipality(text: str, municipalities: List[Municipality]) -> Optional[Municipality]:
    """The municipality whose id, name (in any language) or alias the text names; of
    several, the one named first."""
    words = _word_forms(text)
    if not words:
        return None
    by_id = {m.id: m for m in municipalities}
    index = _index(tuple(_key(m) for m in municipalities))
    joined = f" {' '.join(words)} "
    found: list[tuple[int, str]] = [
        (joined.find(f" {name} "), town_id)
        for name, town_id in index.phrases
        if f" {name} " in joined
    ]
    position = 0
    for word in words:
        town_id = index.town_of(word)
        if town_id is not None:
            found.append((position, town_id))
            break
        position += len(word) + 1
    return by_id[min(found)[1]] if found else None
