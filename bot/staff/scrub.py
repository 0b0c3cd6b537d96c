"""Personal data out of a newcomer's question before it is kept for staff.

Removed: e-mail and web addresses, IBANs, and every digit (phone numbers in any national
format, dates of birth, house and document numbers, postcodes). What is left says what was
asked, not who asked. Locations shared by the channel never reach the text.
"""

from __future__ import annotations

import re

MAX_KEPT = 500  # characters of a question kept for staff

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|at|it|si|fr|de|eu)\b\S*")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
# Runs of digits with the separators phone numbers and dates use: "+43 5572 306-0",
# "(0471) 99 70 00", "12.03.1990", "1990-03-12".
_NUMBER = re.compile(r"\+?\(?\d[\d\s().\-/]*\d|\d", re.UNICODE)
_SPACES = re.compile(r"\s+")

EMAIL, LINK, IBAN, NUMBER = "[e-mail]", "[link]", "[IBAN]", "[number]"


def scrub(text: str) -> str:
    """The question without personal data, single-spaced, at most MAX_KEPT characters."""
    text = _EMAIL.sub(EMAIL, text)
    text = _LINK.sub(LINK, text)
    text = _IBAN.sub(IBAN, text)
    text = _NUMBER.sub(NUMBER, text)
    text = re.sub(r"\d", "", text)  # any digit in another script that slipped through
    return _SPACES.sub(" ", text).strip()[:MAX_KEPT]
