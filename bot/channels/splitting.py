"""Long texts in pieces a messenger accepts, never cutting a word, a line or an address.

Limits are counted in UTF-16 code units, as the messengers count them (an emoji is two).
A piece ends, in order of preference:
1. at a paragraph break (an empty line) in the second half of the allowance;
2. at any line break: a service's address, hours or link is on a line of its own, so
   no address is ever cut while a line break is within reach;
3. after a sentence (. ! ? ؟ …) in the second half of the allowance;
4. at the last space;
5. only a single "word" longer than the whole limit (a link of thousands of characters) is
   cut where the limit falls.
The whitespace at a cut is dropped; nothing else is lost or changed.
"""

from __future__ import annotations

import re
from typing import List

_SENTENCE_END = re.compile(r"[.!?؟。…](?=\s)")


def utf16_length(text: str) -> int:
    """The length as the messengers count it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _fitting_prefix(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 code units."""
    units = 0
    for index, character in enumerate(text):
        units += 2 if ord(character) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _cut(window: str) -> int:
    """Where to end a piece taken from `window`: the most that fits plus the character
    after it, so that a boundary right at the limit is seen."""
    half = len(window) // 2
    paragraph = window.rfind("\n\n")
    if paragraph >= half:
        return paragraph
    line = window.rfind("\n")
    if line > 0:
        return line
    sentences = [match.end() for match in _SENTENCE_END.finditer(window)]
    if sentences and sentences[-1] >= half:
        return sentences[-1]
    space = max(window.rfind(" "), window.rfind("\t"))
    if space > 0:
        return space
    return len(window) - 1


def split_text(text: str, limit: int) -> List[str]:
    """`text` in pieces of at most `limit` UTF-16 code units (see the module's rules)."""
    if limit < 2:
        raise ValueError("limit must be at least 2")
    pieces: List[str] = []
    rest = text.strip()
    while utf16_length(rest) > limit:
        fitting = _fitting_prefix(rest, limit)
        end = _cut(rest[: fitting + 1])
        piece = rest[:end].rstrip()
        if piece:
            pieces.append(piece)
        rest = rest[end:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces
