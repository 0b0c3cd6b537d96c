"""Writing-system rules: letters that only some of the supported languages use."""

from __future__ import annotations

# Letters that settle the language on their own (within the supported languages).
_DECISIVE = {
    "uk": set("іїєґІЇЄҐ"),
    "ru": set("ыэъёЫЭЪЁ"),
    # Persian keyboards type ی (U+06CC) and ک (U+06A9) and have پ چ ژ گ.
    "fa": set("پچژگیک"),
    # Arabic keyboards type ي (U+064A), ك (U+0643), ة and ى.
    "ar": set("يكةى"),
}
_LATIN = ("de", "it", "sl", "fr", "en", "tr")


def _script_of(char: str) -> str | None:
    code = ord(char)
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    if char.isalpha() and code < 0x0250:
        return "latin"
    return None


def candidates(text: str, supported: tuple[str, ...]) -> tuple[str, ...]:
    """Languages the text can be in, judged by its letters alone."""
    counts: dict[str, int] = {}
    for char in text:
        script = _script_of(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return supported
    script = max(counts, key=lambda name: counts[name])
    pool = {"cyrillic": ("uk", "ru"), "arabic": ("ar", "fa"), "latin": _LATIN}[script]
    pool = tuple(code for code in pool if code in supported)
    decisive = [code for code in pool if _DECISIVE.get(code, set()) & set(text)]
    if script in ("cyrillic", "arabic") and len(decisive) == 1:
        return tuple(decisive)
    return pool or supported
