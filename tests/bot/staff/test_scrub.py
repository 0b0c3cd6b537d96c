"""Personal data never reaches the staff's list of unanswered questions."""

import pytest

from bot.staff.scrub import scrub


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("call me at +43 664 1234567", "call me at [number]"),  # Austria
        ("meine Nummer 0664/123 45 67", "meine Nummer [number]"),
        ("il mio numero è 339 123 4567", "il mio numero è [number]"),  # Italy
        ("mon numéro 06 12 34 56 78", "mon numéro [number]"),  # France
        ("moja številka je 041 123 456", "moja številka je [number]"),  # Slovenia
        ("Tel. (0471) 99-70-00 bitte", "Tel. [number] bitte"),
        ("+386 (0)4 237 31 00", "[number]"),
        ("رقمي ٠٦٦٤١٢٣٤٥٦٧", "رقمي [number]"),  # Arabic-Indic digits
        ("mein Geburtsdatum ist 12.03.1990", "mein Geburtsdatum ist [number]"),
        ("я родился 1990-03-12", "я родился [number]"),
        ("born 3/12/1990 in Aleppo", "born [number] in Aleppo"),
        ("write to ali.k+bot@gmail.com please", "write to [e-mail] please"),
        ("IBAN AT61 1904 3002 3457 3201 ok", "IBAN [IBAN] ok"),
        ("IBAN: DE89370400440532013000", "IBAN: [IBAN]"),
        ("see https://example.org/x?id=77 and www.test.at", "see [link] and [link]"),
    ],
)
def test_personal_data_is_removed(text: str, kept: str) -> None:
    assert scrub(text) == kept


def test_what_was_asked_stays() -> None:
    assert scrub("  wo bekomme ich   einen Hund  ") == "wo bekomme ich einen Hund"
    assert not any(char.isdigit() for char in scrub("Zimmer 3, 2. Stock, Haus 12a"))
