"""Right-to-left replies that show numbers, addresses and Latin names right.

Inside Arabic or Persian text, a phone number "+386 4 237 31 00" is shown with its groups
reordered ("00 31 237 4 386+"): a newcomer would dial a wrong number. Every value inserted into
a right-to-left reply is wrapped in a first-strong isolate (U+2068 ... U+2069), so it keeps its
own direction. Persian running text writes numbers in Persian digits (۳); phone numbers, which
are dialled, keep theirs."""

from __future__ import annotations

from bot.language.registry import settings

FSI, PDI = "\u2068", "\u2069"
_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_PERSIAN_DECIMAL = "٫"


def right_to_left(language: str) -> bool:
    entry = settings().get(language)
    return entry is not None and entry.direction == "rtl"


def isolate(text: str, language: str) -> str:
    """`text` as an isolate in a right-to-left language; unchanged otherwise (or if empty)."""
    if not text or not right_to_left(language) or text.startswith(FSI):
        return text
    return f"{FSI}{text}{PDI}"


def local_digits(text: str, language: str) -> str:
    """Numbers of running text (distances, times, dates) in the language's digits: Persian
    digits and decimal separator for fa; unchanged for the others."""
    if language != "fa":
        return text
    out = []
    for position, char in enumerate(text):
        is_decimal = (
            char == "."
            and 0 < position < len(text) - 1
            and text[position - 1].isdigit()
            and text[position + 1].isdigit()
        )
        out.append(_PERSIAN_DECIMAL if is_decimal else char)
    return "".join(out).translate(_PERSIAN)
