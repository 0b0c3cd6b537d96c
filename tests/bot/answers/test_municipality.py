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
        ("where is the school", None),
    ],
)
def test_municipality_in_text(text: str, expected: str | None) -> None:
    found = find_municipality(text, MUNICIPALITIES)
    assert (found.id if found else None) == expected
