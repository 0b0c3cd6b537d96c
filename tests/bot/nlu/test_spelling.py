"""Typo correction against the training words, and prefixes written onto words."""

import pytest

from bot.nlu.spelling import Speller, one_edit_apart
from bot.text import normalise


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("arbiet", "arbeit", True),  # neighbours swapped
        ("wohnnug", "wohnung", True),
        ("doktr", "doktor", True),  # a letter missing
        ("kurrs", "kurs", True),  # a letter extra
        ("kurs", "kurs", False),  # not an edit
        ("arbeit", "abriet", False),  # two edits
        ("haus", "maus1", False),
    ],
)
def test_one_edit_apart(a: str, b: str, expected: bool) -> None:
    assert one_edit_apart(a, b) is expected
    assert one_edit_apart(b, a) is expected


def test_unknown_words_become_the_most_frequent_neighbour() -> None:
    speller = Speller.fit(["ich suche arbeit", "arbeit bitte", "arbeiter", "wohnung"])
    assert speller.text("ich suche arbiet") == "ich suche arbeit"
    assert speller.text("wohnnug") == "wohnung"
    # known words, short words and words with nothing near stay as they are
    assert speller.text("arbeiter ich zzzzzz") == "arbeiter ich zzzzzz"


def test_a_prefix_written_onto_a_known_word_is_read_off() -> None:
    speller = Speller.fit([normalise("السكن والعمل")], prefixes=["و", "ب"])
    assert speller.text(normalise("والسكن")) == normalise("السكن")
    assert speller.text(normalise("بالسكن")) == normalise("السكن")
    assert speller.text(normalise("والشغل")) == normalise("والشغل")  # nothing known after it
