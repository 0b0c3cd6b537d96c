"""Field types and checks shared by the models of a municipality file (schema.py, events.py)."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Callable, Dict, Optional

from pydantic import BaseModel, ConstrainedStr

from bot.knowledge.limits import MAX_CODE, MAX_LONG_TEXT, MAX_TEXT
from bot.language.registry import supported_codes

URL = re.compile(r"^https?://[^\s/$.?#].[^\s]*$")

if TYPE_CHECKING:  # to type checkers (and the code that reads the content) plain text
    Text = str
    LongText = str
    Code = str
    CountryCode = str
    Link = str
else:

    class Text(ConstrainedStr):
        """Text as written: a YAML number, date or true/false is an error, not turned into text
        (it would lose a phone number's leading 0 or +); a comment after it must not cut it."""

        strict = True
        strip_whitespace = True
        min_length = 1  # an empty answer (`ar: ""`) is not a translation
        max_length = MAX_TEXT

    class LongText(Text):
        """An answer or a note: fits one chat message."""

        max_length = MAX_LONG_TEXT

    class Code(ConstrainedStr):
        """An id or a code without spaces (topic, country, time zone, language, category): as
        strict as Text, but a comment after it cannot cut it, so it may follow on the line."""

        strict = True
        max_length = MAX_CODE

    class CountryCode(Code):
        regex = re.compile(r"^[A-Z]{2}$")

    class Link(ConstrainedStr):
        """An e-mail or web address: one word like a code, as long as a text."""

        strict = True
        max_length = MAX_TEXT


LocalisedText = Dict[str, Text]
LocalisedLongText = Dict[str, LongText]


class Strict(BaseModel):
    class Config:
        extra = "forbid"
        anystr_strip_whitespace = True


def check_languages(value: Dict[str, object]) -> Dict[str, object]:
    unknown = sorted(set(value) - set(supported_codes()))
    if unknown:
        raise ValueError(
            f"unknown language code {', '.join(unknown)}; use one of {', '.join(supported_codes())}"
        )
    return value


def suggest(value: str, known: tuple[str, ...]) -> str:
    guess = difflib.get_close_matches(value, known, n=1)
    return f"did you mean '{guess[0]}'?" if guess else f"use one of {', '.join(known)}"


def one_of(known: tuple[str, ...], what: str) -> Callable[[Optional[str]], Optional[str]]:
    """A validator for a code from a fixed list, with the likely one suggested."""

    def check(value: Optional[str]) -> Optional[str]:
        if value is not None and value not in known:
            raise ValueError(f"unknown {what} '{value}'; {suggest(value, known)}")
        return value

    return check


def check_url(value: Optional[str]) -> Optional[str]:
    if value is not None and not URL.match(value):
        raise ValueError("is not a web address starting with https://")
    return value
