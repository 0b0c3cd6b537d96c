"""Text normalisation shared by detection and matching."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s'-]", re.UNICODE)
# Arabic-script characters that vary by keyboard but mean the same letter.
_ARABIC_VARIANTS = str.maketrans(
    {"ي": "ی", "ك": "ک", "ى": "ی", "ة": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "و", "ئ": "ی"}
)
# Letters that keyboards abroad lack and that do not decompose into a base and an accent
# (Turkish dotless i, German sharp s), and marks that are optional in writing: Arabic
# vowel signs and tatweel, and the zero-width non-joiner inside Persian words ("می‌خواهم" is
# also typed "میخواهم").
_FOLDED = str.maketrans({"ı": "i", "ß": "ss", "ـ": None, "\u200c": None})
_ARABIC_MARKS = re.compile(r"[\u064B-\u065F\u0670]")


def strip_accents(text: str) -> str:
    """Remove combining accents from Latin letters, leave other scripts untouched."""
    decomposed = unicodedata.normalize("NFD", text)
    kept: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char):
            base = kept[-1] if kept else ""
            if base and "LATIN" in unicodedata.name(base, ""):
                continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def normalise(text: str) -> str:
    """Lower-case, accent-less, punctuation-free, single-spaced form used for matching."""
    text = strip_accents(text.casefold()).translate(_ARABIC_VARIANTS).translate(_FOLDED)
    text = _ARABIC_MARKS.sub("", text)
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def in_latin_letters(text: str) -> str:
    """The normalised text in Latin letters (anyascii): "Больцано" -> "bol'tsano", "آنسي" and
    "انسي" alike, so the forms people type on a foreign keyboard meet the original."""
    return normalise(anyascii(normalise(text)))


def tokens(text: str) -> list[str]:
    """Normalised word tokens."""
    return normalise(text).split()
