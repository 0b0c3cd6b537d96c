"""Word lists per language (bot/locales/<folder>/<code>.yml): which of a fixed set of keys a
message names ("nearest pharmacy" -> pharmacy, "kostenloser Abendkurs" -> free, evening).

A spelling may be several words; a trailing `*` makes its last word a stem. Words of at least
MIN_TYPO_LENGTH letters also match with one typo, but only when nothing is spelled right. A
language written in another script is also matched when typed in Latin letters ("apteka")."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.language.registry import settings
from bot.locales import catalog
from bot.nlu.spelling import one_edit_apart
from bot.text import in_latin_letters, normalise

MIN_TYPO_LENGTH = 6  # shorter words must be spelled right ("étage" is not "stage")


@dataclass(frozen=True)
class Entry:
    key: str
    words: tuple[str, ...]  # normalised words; the last one may be a stem
    stem: bool


def words_of(text: str) -> list[str]:
    """Normalised words; elided articles split off ("all'anagrafe" -> all, anagrafe)."""
    return normalise(text).replace("'", " ").split()


@cache
def entries(path: Path, top: str, keys: tuple[str, ...]) -> tuple[Entry, ...]:
    """The entries of one word-list file; a key not in `keys` is an error naming the file."""
    if not path.exists():
        return ()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = []
    for key, spellings in (raw.get(top) or {}).items():
        if key not in keys:
            raise ValueError(f"{path}: unknown {top} key '{key}'")
        for spelling in spellings or []:
            text = str(spelling).strip()
            words = tuple(words_of(text.rstrip("*")))
            if words:
                found.append(Entry(key, words, text.endswith("*")))
    return tuple(found)


@cache
def latin_entries(path: Path, top: str, keys: tuple[str, ...]) -> tuple[Entry, ...]:
    """The entries in Latin letters, for a language also typed in them ("apteka")."""
    return tuple(
        Entry(e.key, tuple(in_latin_letters(w) for w in e.words), e.stem)
        for e in entries(path, top, keys)
    )


def _typed_in_latin(words: list[str], code: str) -> bool:
    language = settings().get(code)
    if language is None or language.scripts[0] == "latin":
        return False
    return all(word.isascii() for word in words)


def spelled_at(entry: Entry, words: list[str], start: int, typos: bool = False) -> bool:
    """Whether the entry is written in `words` from `start`: its last word as written (or
    as a stem), or with `typos` one typo away from it."""
    window = words[start : start + len(entry.words)]
    if len(window) < len(entry.words) or window[:-1] != list(entry.words[:-1]):
        return False
    last, wanted = window[-1], entry.words[-1]
    if typos:
        return _one_typo(last, wanted, entry.stem)
    return last == wanted or (entry.stem and last.startswith(wanted))


def _matches(entry: Entry, words: list[str], typos: bool = False) -> bool:
    """Whether the entry's words appear in `words`; with `typos`, its last word also with one
    typo ("kindergarden"), if that word is long enough."""
    if typos and len(entry.words[-1]) < MIN_TYPO_LENGTH:
        return False
    return any(
        spelled_at(entry, words, start, typos) for start in range(len(words) - len(entry.words) + 1)
    )


def _one_typo(word: str, wanted: str, stem: bool) -> bool:
    """ "kindergarden" for "kindergarten", "farmacya" for "farmaci*": one edit away from the
    word, or from the stem at the word's start."""
    if len(word) < len(wanted) - 1 or (not stem and len(word) > len(wanted) + 1):
        return False
    if not stem:
        return one_edit_apart(word, wanted)
    return any(
        one_edit_apart(word[:size], wanted) for size in range(len(wanted) - 1, len(wanted) + 2)
    )


class _Index:
    """Where to look for a word among a file's entries, so a message is checked against the
    few entries that can match at each word rather than against all of them. It only
    narrows: `spelled_at` still decides, so what is found is what a full scan finds."""

    def __init__(self, found: tuple[Entry, ...]) -> None:
        self.entries = found
        self.first: dict[str, list[int]] = {}  # entries starting with this exact word
        self.stems: dict[str, list[int]] = {}  # one-word stems, by their first two letters
        self.short_stems: list[int] = []  # one-word stems of one letter
        self.by_length: dict[int, list[int]] = {}  # one-word, typo-matchable, by length
        self.stems_by_length: list[tuple[int, int]] = []  # (length, position), the same
        for position, entry in enumerate(found):
            if len(entry.words) > 1 or not entry.stem:
                self.first.setdefault(entry.words[0], []).append(position)
            elif len(entry.words[0]) >= 2:
                self.stems.setdefault(entry.words[0][:2], []).append(position)
            else:
                self.short_stems.append(position)
            if len(entry.words) == 1 and len(entry.words[0]) >= MIN_TYPO_LENGTH:
                if entry.stem:
                    self.stems_by_length.append((len(entry.words[0]), position))
                else:
                    self.by_length.setdefault(len(entry.words[0]), []).append(position)

    def candidates(self, word: str, typos: bool) -> list[int]:
        """Entries that may be spelled (with `typos`: with one typo) from this word on."""
        if not typos:
            return [*self.first.get(word, ()), *self.stems.get(word[:2], ()), *self.short_stems]
        size = len(word)
        multi = [p for p in self.first.get(word, ()) if len(self.entries[p].words) > 1]
        return [
            *(p for p in multi if len(self.entries[p].words[-1]) >= MIN_TYPO_LENGTH),
            *(p for n in (size - 1, size, size + 1) for p in self.by_length.get(n, ())),
            *(p for n, p in self.stems_by_length if n <= size + 1),
        ]

    def found(self, words: list[str], typos: bool) -> list[Entry]:
        hits = {
            p
            for start, word in enumerate(words)
            for p in self.candidates(word, typos)
            if spelled_at(self.entries[p], words, start, typos)
        }
        return [self.entries[p] for p in sorted(hits)]


@cache
def _index(path: Path, top: str, keys: tuple[str, ...], latin: bool) -> _Index:
    return _Index(latin_entries(path, top, keys) if latin else entries(path, top, keys))


@dataclass(frozen=True)
class WordLists:
    """The word lists in bot/locales/<folder>/, under the file's key `top`."""

    folder: str
    top: str
    keys: tuple[str, ...]
    typos: bool = True  # also words one typo away, when nothing is spelled right

    def _index(self, code: str, words: list[str]) -> _Index:
        path = catalog.CATALOG_DIR / self.folder / f"{code}.yml"
        return _index(path, self.top, self.keys, _typed_in_latin(words, code))

    def found(self, text: str, language: str, fallback: str = "en") -> list[Entry]:
        """The entries named in `text`, in the user's language, then `fallback`; only when no
        word is spelled right, words with one typo."""
        words = words_of(text)
        if not words:
            return []
        for typos in (False, True) if self.typos else (False,):  # spelled right first
            for code in dict.fromkeys((language, fallback)):
                hits = self._index(code, words).found(words, typos)
                if hits:
                    return hits
        return []
