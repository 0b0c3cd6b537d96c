"""The kind of service a message asks for, in every supported language."""

from __future__ import annotations

import pytest
import yaml

from bot.answers.categories import WORDS_DIR, category_in_text
from bot.knowledge.schema import CATEGORIES
from bot.language.registry import supported_codes


@pytest.mark.parametrize(
    ("text", "language", "category"),
    [
        ("where is the nearest pharmacy", "en", "pharmacy"),
        ("I need a language cafe", "en", "language_cafe"),
        ("language school", "en", "language_school"),  # the longer phrase beats "school"
        ("social housing", "en", "housing_office"),
        ("Wo ist das AMS?", "de", "job_centre"),
        ("dov'è l'anagrafe", "it", "registry_office"),
        ("centro per l’impiego", "it", "job_centre"),  # curly apostrophe
        ("les urgences", "fr", "emergency"),
        ("najblizja lekarna", "sl", "pharmacy"),  # without the accent
        ("найближча аптека", "uk", "pharmacy"),
        ("где детский садик", "ru", "kindergarten"),
        ("أقرب صيدلية", "ar", "pharmacy"),
        ("داروخانه نزدیک", "fa", "pharmacy"),
        ("en yakin eczane", "tr", "pharmacy"),
        ("nearest hospital", "tr", "hospital"),  # English words work in any language
        ("any kindergarden near me", "en", "kindergarten"),  # one typo in a long word
        ("c'è un asilo qua vicino", "it", "kindergarten"),
        ("de najblyzhcha apteka", "uk", "pharmacy"),  # Ukrainian in Latin letters
        ("gde tut blizhaishiy vrach", "ru", "doctor"),
        ("il y a un ascenseur à quel étage", "fr", None),  # "étage" is not "stage"
    ],
)
def test_category_found(text: str, language: str, category: str) -> None:
    assert category_in_text(text, language) == category


@pytest.mark.parametrize(
    ("text", "language"),
    [("thank you", "en"), ("danke schön", "de"), ("ok", "uk"), ("", "ar"), ("merci", "fr")],
)
def test_small_talk_names_no_category(text: str, language: str) -> None:
    assert category_in_text(text, language) is None


@pytest.mark.parametrize("code", supported_codes())
def test_every_language_names_every_category_once(code: str) -> None:
    raw = yaml.safe_load((WORDS_DIR / f"{code}.yml").read_text(encoding="utf-8"))
    assert raw["language"] == code
    categories = raw["categories"]
    assert set(categories) == set(CATEGORIES)
    assert all(len(words) >= 3 for words in categories.values())
    every = [word for words in categories.values() for word in words]
    assert len(every) == len(set(every)), "a word is listed under two categories"


def test_every_category_belongs_to_a_topic_or_none() -> None:
    from bot.answers.categories import PARENT_TOPIC, topic_of
    from bot.knowledge.schema import TOPICS

    assert topic_of("pharmacy") == "healthcare"
    assert topic_of("housing") == "housing"
    assert topic_of("library") is None
    assert topic_of(None) is None
    assert set(PARENT_TOPIC) <= set(CATEGORIES)
    assert set(PARENT_TOPIC.values()) <= set(TOPICS)
