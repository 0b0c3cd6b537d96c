"""Which municipality a message names ("I live in Kranj", "я в Больцано")."""

from __future__ import annotations

from typing import List, Optional

from anyascii import anyascii

from bot.knowledge.schema import Municipality
from bot.text import normalise


def _latin(text: str) -> list[str]:
    return normalise(anyascii(text)).replace("'", "").split()


def _inflected(word: str, name: str) -> bool:
    """'krani', 'kranju' for 'kran': the name's stem with a short ending."""
    stem = name[:-1] if len(name) > 4 else name
    return len(stem) >= 4 and word.startswith(stem) and len(word) <= len(name) + 2


def find_municipality(text: str, municipalities: List[Municipality]) -> Optional[Municipality]:
    """The municipality whose id or name (in any language) the text mentions. Words in
    another script are also compared in Latin transliteration, allowing case endings
    ("у Крані", "в Больцано")."""
    normalised = normalise(text)
    words = f" {normalised} "
    for municipality in municipalities:
        names = {municipality.id, *municipality.name.values()}
        if any(f" {normalise(name)} " in words for name in names):
            return municipality
    foreign = [w for w in normalised.split() if not w.isascii()]
    latin = [token for word in foreign for token in _latin(word)]
    for municipality in municipalities:
        names = {n for name in {municipality.id, *municipality.name.values()} for n in _latin(name)}
        if any(_inflected(word, name) for word in latin for name in names):
            return municipality
    return None
