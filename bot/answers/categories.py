"""Which kind of service a message asks for ("nearest pharmacy", "найближча аптека"), from
the per-language word lists in bot/locales/categories/<code>.yml. Content staff never touch
these; adding a language adds one file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from bot.knowledge.schema import CATEGORIES, TOPICS
from bot.language.registry import settings
from bot.locales.catalog import CATALOG_DIR
from bot.nlu.spelling import one_edit_apart
from bot.text import in_latin_letters, normalise

MIN_TYPO_LENGTH = 6  # shorter words must be spelled right ("étage" is not "stage")

WORDS_DIR = CATALOG_DIR / "categories"


# The topic each finer category belongs to; the others (counselling, library, ...) have none.
PARENT_TOPIC = {
    "language_cafe": "language_courses",
    "language_school": "language_courses",
    "adult_education": "language_courses",
    "job_centre": "jobs",
    "apprenticeship": "jobs",
    "kindergarten": "schooling",
    "school": "schooling",
    "after_school_care": "schooling",
    "doctor": "healthcare",
    "hospital": "healthcare",
    "pharmacy": "healthcare",
    "emergency": "healthcare",
    "registry_office": "registration",
    "housing_office": "housing",
    "shelter": "housing",
}


def topic_of(category: str | None) -> str | None:
    """The topic a category is or belongs to; None for none."""
    if category in TOPICS:
        return category
    return PARENT_TOPIC.get(category or "")


@dataclass(frozen=True)
class _Entry:
    category: str
    words: tuple[str, ...]  # normalised words; the last one may be a stem
    stem: bool


@cache
def _latin_entries(code: str) -> tuple[_Entry, ...]:
    """The entries in Latin letters, for a language also typed in them ("apteka")."""
    return tuple(
        _Entry(e.category, tuple(in_latin_letters(w) for w in e.words), e.stem)
        for e in _entries(code)
    )


def _typed_in_latin(words: list[str], code: str) -> bool:
    language = settings().get(code)
    if language is None or language.scripts[0] == "latin":
        return False
    return all(word.isascii() for word in words)


@cache
def _entries(code: str) -> tuple[_Entry, ...]:
    path = WORDS_DIR / f"{code}.yml"
    if not path.exists():
        return ()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = []
    for category, spellings in (raw.get("categories") or {}).items():
        if category not in CATEGORIES:
            raise ValueError(f"{path}: unknown category '{category}'")
        for spelling in spellings or []:
            text = str(spelling).strip()
            words = tuple(_words(text.rstrip("*")))
            if words:
                entries.append(_Entry(category, words, text.endswith("*")))
    return tuple(entries)


def _words(text: str) -> list[str]:
    """Normalised words; elided articles split off ("all'anagrafe" -> all, anagrafe)."""
    return normalise(text).replace("'", " ").split()


def _matches(entry: _Entry, words: list[str], typos: bool = False) -> bool:
    """Whether the entry's words appear in `words`; with `typos`, its last word also with one
    typo ("kindergarden"), if that word is long enough."""
    size = len(entry.words)
    wanted = entry.words[-1]
    if typos and len(wanted) < MIN_TYPO_LENGTH:
        return False
    for start in range(len(words) - size + 1):
        window = words[start : start + size]
        if window[:-1] != list(entry.words[:-1]):
            continue
        last = window[-1]
        if typos:
            if _one_typo(last, wanted, entry.stem):
                return True
        elif last == wanted or (entry.stem and last.startswith(wanted)):
            return True
    return False


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


def category_in_text(text: str, language: str, fallback: str = "en") -> str | None:
    """The most specific category named in `text` (finer categories before the six topics,
    longer phrases before shorter ones), looking at the user's language, then `fallback`;
    only when no word is spelled right, words with one typo."""
    words = _words(text)
    if not words:
        return None
    for typos in (False, True):  # words spelled right first, in both languages
        for code in dict.fromkeys((language, fallback)):
            entries = _latin_entries(code) if _typed_in_latin(words, code) else _entries(code)
            found = [entry for entry in entries if _matches(entry, words, typos)]
            if found:
                best = max(
                    found, key=lambda e: (e.category not in TOPICS, len(e.words), not e.stem)
                )
                return best.category
    return None
