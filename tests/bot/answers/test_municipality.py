"""The municipality named in a message, in any language and script."""

from __future__ import annotations

import pytest

from bot.answers.municipality import find_municipality
from bot.knowledge.loader import load_paths
from tests.conftest import SAMPLE_KNOWLEDGE

MUNICIPALITIES = load_paths([SAMPLE_KNOWLEDGE]).municipalities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I live in Annecy", "annecy"),
        ("ich wohne in Bozen", "bolzano"),
        ("я живу в Крані", "kranj"),  # Ukrainian case ending
        ("я в Больцано", "bolzano"),
        ("я переехал в Дорнбирн", "dornbirn"),
        ("أعيش في آنسي", "annecy"),
        ("Krankenhaus bitte", None),  # "kran..." is not Kranj
        ("ich bin krank", None),
        ("where is the school", None),
        # inflected and written-on forms, in ten languages
        ("Živim v Kranju. Kje je najbližji tečaj slovenščine?", "kranj"),
        ("iz Kranja sem", "kranj"),
        ("Ich ziehe nach Bozen. Wie finde ich dort eine Wohnung?", "bolzano"),
        ("abito a Bolzano", "bolzano"),
        ("je cherche un logement à Annecy", "annecy"),
        ("wohne jetzt in Krainburg", "kranj"),
        ("в Дорнбірні", "dornbirn"),
        ("в Дорнбирне есть курсы?", "dornbirn"),
        ("в Аннесі", "annecy"),
        ("في دورنبيرن", "dornbirn"),
        ("بدي شقة بدورنبيرن", "dornbirn"),  # ب written onto the name
        ("انتقلنا لآنسي", "annecy"),
        ("تو کرانی خونه میخوام", "kranj"),
        ("Dornbirn'de iş arıyorum", "dornbirn"),
        ("Bolzanoda eczane", "bolzano"),  # no apostrophe
        ("i live in dornbrin", "dornbirn"),  # one typo in a long name
        ("دورنبرن", "dornbirn"),  # another Arabic spelling
    ],
)
def test_municipality_in_text(text: str, expected: str | None) -> None:
    found = find_municipality(text, MUNICIPALITIES)
    assert (found.id if found else None) == expected


def test_the_first_town_named_wins() -> None:
    found = find_municipality("aus Kranj nach Bozen gezogen", MUNICIPALITIES)
    assert found is not None and found.id == "kranj"
