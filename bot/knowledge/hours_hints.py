"""What staff probably meant by opening hours that do not follow the syntax: the same text
with the usual slips put right, offered in the validator's message.

Slips: a dash (–, —) that looks like the hyphen; German day names (Mo-Do, Di, Mi, So);
hours without the leading zero (8:00); "Uhr"; an appointment written in words ("nach
Vereinbarung", "su appuntamento", "sur rendez-vous", "po dogovoru").
"""

from __future__ import annotations

import re

from bot.knowledge.hours import OpeningHoursError, parse

_DASHES = str.maketrans({"–": "-", "—": "-", "‒": "-", "−": "-", "‐": "-"})
_GERMAN_DAYS = {"Di": "Tu", "Mi": "We", "Do": "Th", "So": "Su"}
_DAY = re.compile(r"\b(Mo|Di|Mi|Do|Fr|Sa|So)\b")
_SHORT_HOUR = re.compile(r"(?<![\d:])(\d):(\d\d)")
_APPOINTMENT_WORDS = re.compile(
    r"^\s*\"?\s*(nach vereinbarung|nur mit termin|nach terminvereinbarung|termin nach "
    r"vereinbarung|su appuntamento|previo appuntamento|sur rendez-vous|po dogovoru|po "
    r"predhodnem dogovoru|by appointment only|appointment only|on appointment)\s*\"?\s*$",
    re.IGNORECASE,
)


def _rule(rule: str) -> str:
    if _APPOINTMENT_WORDS.match(rule):
        return '"by appointment"'
    rule = re.sub(r"\s*uhr\b", "", rule, flags=re.IGNORECASE)
    rule = _SHORT_HOUR.sub(r"0\1:\2", rule)
    if any(day in rule for day in ("Di", "Mi", "Do", "So")):
        rule = _DAY.sub(lambda m: _GERMAN_DAYS.get(m.group(1), m.group(1)), rule)
    return re.sub(r"\s*-\s*", "-", rule)


def has_dash(text: str) -> bool:
    """Whether the text has a dash that looks like the hyphen the syntax needs."""
    return text.translate(_DASHES) != text


def likely_meant(text: str) -> str | None:
    """The corrected opening hours, if the usual slips explain the error; else None."""
    fixed = "; ".join(_rule(rule.strip()) for rule in text.translate(_DASHES).split(";"))
    if fixed == text:
        return None
    try:
        parse(fixed)
    except OpeningHoursError:
        return None
    return fixed
