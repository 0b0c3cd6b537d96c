"""Text normalisation shared by detection and matching."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s'-]", re.UNICODE)
# Arabic-script characters that vary by keyboard but mean the same letter.
_ARABIC_VARIANTS = str.maketrans(
    {"ي": "ی", "ك": "ک", "ى": "ی", "ة": "ه", "أ": "ا", "إ": "ا", "آ": "ا"}
)


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
    text = strip_accents(text.casefold()).translate(_ARABIC_VARIANTS)
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    """Normalised word tokens."""
    return normalise(text).split()
