"""Typo correction against the words of the training data, for the classifier's features.

A word the model has never seen is read as the known word after a prefix written onto it
("والسكن": و + السكن; prefixes per language in bot/locales/languages.yml), or else
("arbiet", "wohnnug", "doktr") as the most frequent training word one edit away (a letter
missing, extra, wrong, or two neighbours swapped), found with the symmetric-delete method
(as SymSpell does): every known word is indexed under each form with one letter deleted.
Words the model knows, and short words, are left alone. Learnt from the training data of
every language at training time, so it needs no dictionary download and follows the data
when a language is added.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Mapping

MIN_LENGTH = 4  # shorter words are too easily corrected into another word


def deletions(word: str) -> set[str]:
    """Every form of the word with one letter deleted."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def one_edit_apart(a: str, b: str) -> bool:
    """Optimal string alignment distance exactly 1 (insertion, deletion, substitution or
    transposition of neighbours)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


class Speller:
    """Corrects unknown words to known ones; `counts` maps each known word to its frequency."""

    def __init__(self, counts: Mapping[str, int], prefixes: Iterable[str] = ()) -> None:
        self.counts = dict(counts)
        self.prefixes = tuple(prefixes)
        self._index: dict[str, list[str]] = {}
        for word in self.counts:
            if len(word) < MIN_LENGTH - 1:
                continue
            for key in {word, *deletions(word)}:
                self._index.setdefault(key, []).append(word)
        self._cache: dict[str, str] = {}

    @classmethod
    def fit(cls, texts: Iterable[str], prefixes: Iterable[str] = ()) -> Speller:
        """From normalised texts (bot.text.normalise)."""
        return cls(Counter(word for text in texts for word in text.split()), prefixes)

    def word(self, word: str) -> str:
        """The word itself if known or short, else its most frequent known neighbour."""
        if word in self.counts or len(word) < MIN_LENGTH or not word.isalpha():
            return word
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        best = self._without_prefix(word) or self.nearest(word) or word
        if len(self._cache) < 100_000:
            self._cache[word] = best
        return best

    def _without_prefix(self, word: str) -> str | None:
        """ "والسكن" -> "السكن": a known word after a prefix written onto it."""
        for prefix in self.prefixes:
            rest = word[len(prefix) :]
            if word.startswith(prefix) and len(rest) >= MIN_LENGTH - 1 and rest in self.counts:
                return rest
        return None

    def nearest(self, word: str) -> str | None:
        """The most frequent known word exactly one edit away, if any."""
        found = {c for key in {word, *deletions(word)} for c in self._index.get(key, ())}
        near = [c for c in found if one_edit_apart(word, c)]
        return max(near, key=lambda c: (self.counts[c], c)) if near else None

    def text(self, normalised: str) -> str:
        """Every word of a normalised text, corrected."""
        return " ".join(self.word(word) for word in normalised.split())
