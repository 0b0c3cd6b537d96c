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


@dataclass(frozen=True)
class WordLists:
    """The word lists in bot/locales/<folder>/, under the file's key `top`."""

    folder: str
    top: str
    keys: tuple[str, ...]
    typos: bool = True  # also words one typo away, when nothing is spelled right

    def _entries(self, code: str, words: list[str]) -> tuple[Entry, ...]:
        path = catalog.CATALOG_DIR / self.folder / f"{code}.yml"
        if _typed_in_latin(words, code):
            return latin_entries(path, self.top, self.keys)
        return entries(path, self.top, self.keys)

    def found(self, text: str, language: str, fallback: str = "en") -> list[Entry]:
        """The entries named in `text`, in the user's language, then `fallback`; only when no
        word is spelled right, words with one typo."""
        words = words_of(text)
        if not words:
            return []
        for typos in (False, True) if self.typos else (False,):  # spelled right first
            for code in dict.fromkeys((language, fallback)):
                hits = [e for e in self._entries(code, words) if _matches(e, words, typos)]
                if hits:
                    return hits
        return []
