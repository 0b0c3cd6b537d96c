"""Writing-system rules: which supported languages a text's letters allow.

The scripts each language is written in, and the letters that settle a language on their
own, are data in bot/locales/languages.yml (`scripts`, `letters`), so adding a language
needs no code here.
"""

from __future__ import annotations

import unicodedata

from bot.language.registry import settings

# Unicode character-name prefixes of the scripts languages.yml may name.
_SCRIPT_NAMES = {
    "latin": "LATIN",
    "cyrillic": "CYRILLIC",
    "arabic": "ARABIC",
    "greek": "GREEK",
    "armenian": "ARMENIAN",
    "georgian": "GEORGIAN",
    "hebrew": "HEBREW",
    "devanagari": "DEVANAGARI",
    "ethiopic": "ETHIOPIC",
}


MIN_OTHER_LETTERS = 4


def script_of(char: str) -> str | None:
    """The script of one letter ('latin', 'cyrillic', ...); None for anything else."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return next((s for s, prefix in _SCRIPT_NAMES.items() if name.startswith(prefix)), None)


def candidates(text: str, supported: tuple[str, ...]) -> tuple[str, ...]:
    """Languages the text can be in, judged by its letters alone: those written in the
    text's main script (usual writers first), narrowed to one when a letter only that
    language uses appears and the script is not its second one."""
    counts: dict[str, int] = {}
    for char in text:
        script = script_of(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return supported
    script = max(counts, key=lambda name: counts[name])
    others = {name: n for name, n in counts.items() if name != "latin"}
    if script == "latin" and others and max(others.values()) >= MIN_OTHER_LETTERS:
        # Latin words inside an Arabic or Cyrillic message are names and office words
        # ("де зробити codice fiscale", "وين بطلع الـ Meldezettel"), not its language.
        script = max(others, key=lambda name: others[name])
    languages = [lang for lang in settings().languages if lang.code in supported]
    usual = [lang for lang in languages if lang.scripts[0] == script]
    also = [lang for lang in languages if script in lang.scripts[1:]]
    pool = tuple(lang.code for lang in usual + also)
    present = set(text)
    decisive = [lang.code for lang in usual if set(lang.letters) & present]
    if len(decisive) == 1:
        return tuple(decisive)
    return pool or supported
