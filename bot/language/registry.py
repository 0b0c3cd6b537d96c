"""The list of supported languages, read once from bot/locales/languages.yml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from bot import PACKAGE_DIR

LANGUAGES_FILE = PACKAGE_DIR / "locales" / "languages.yml"


@dataclass(frozen=True)
class Language:
    """One supported language."""

    code: str
    name: str
    english_name: str
    direction: str = "ltr"
    scripts: tuple[str, ...] = ("latin",)
    letters: str = ""  # letters only this language uses among those of its script
    name_endings: tuple[str, ...] = ()  # case endings of town names ("Kranju")
    prefixes: tuple[str, ...] = ()  # words written onto the next word ("والسكن", "بدورنبيرن")
    # (word, elided form) before a name that starts with a vowel: ("de", "d'") in French
    elisions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LanguageSettings:
    """The supported languages with the default and the fallback order."""

    languages: tuple[Language, ...]
    default: str
    fallback: tuple[str, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(language.code for language in self.languages)

    def get(self, code: str) -> Language | None:
        return next((lang for lang in self.languages if lang.code == code), None)

    def is_supported(self, code: Any) -> bool:
        return isinstance(code, str) and self.get(code) is not None


@lru_cache(maxsize=1)
def settings() -> LanguageSettings:
    """Parse languages.yml (cached: it is read once per process)."""
    raw = yaml.safe_load(LANGUAGES_FILE.read_text(encoding="utf-8"))
    languages = tuple(
        Language(
            **{
                **entry,
                "scripts": tuple(entry.get("scripts") or ("latin",)),
                "name_endings": tuple(str(e) for e in entry.get("name_endings") or ()),
                "prefixes": tuple(str(p) for p in entry.get("prefixes") or ()),
                "elisions": tuple(
                    (str(word), str(short)) for word, short in (entry.get("elisions") or {}).items()
                ),
            }
        )
        for entry in raw["languages"]
    )
    codes = {lang.code for lang in languages}
    default = raw.get("default", languages[0].code)
    fallback = tuple(raw.get("fallback", [default]))
    unknown = ({default} | set(fallback)) - codes
    if unknown:
        raise ValueError(f"{LANGUAGES_FILE}: default/fallback not in languages: {sorted(unknown)}")
    return LanguageSettings(languages=languages, default=default, fallback=fallback)


def word_prefixes() -> tuple[str, ...]:
    """The prefixes of every supported language (languages.yml), longest first."""
    found = {p for lang in settings().languages for p in lang.prefixes if p}
    return tuple(sorted(found, key=len, reverse=True))


def supported_codes() -> tuple[str, ...]:
    """ISO 639-1 codes of every supported language, in the configured order."""
    return settings().codes
