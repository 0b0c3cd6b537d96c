"""Newcomers as they really write, end to end through the REST channel: a greeting and a
request in one message, follow-ups, the request that waits for the municipality, towns
named in any form, and the "did you mean…?" reply."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from bot.channels.edge import conversation_id
from bot.knowledge.loader import load_paths
from bot.language.registry import supported_codes
from bot.locales.catalog import load_catalog
from tests.e2e.conftest import stored_events
from tests.e2e.test_rest import say, texts

pytestmark = pytest.mark.e2e


UNSURE = {str(load_catalog(c)["responses"]["utter_unsure"][0]["text"]) for c in supported_codes()}


def answers(knowledge_dir: Path, municipality: str, topic: str) -> set[str]:
    """Every FAQ answer (any language) of one topic of one municipality."""
    town = next(m for m in load_paths([knowledge_dir]).municipalities if m.id == municipality)
    return {text.strip() for faq in town.faqs if faq.topic == topic for text in faq.answer.values()}


def answered(replies: list[dict[str, Any]], expected: set[str]) -> bool:
    return any(text.strip() in expected for text in texts(replies))


def wording(code: str, response: str) -> str:
    return str(load_catalog(code)["responses"][response][0]["text"])


@pytest.mark.parametrize(
    ("message", "topic", "code"),
    [
        ("مرحبا، أبحث عن عمل", "jobs", "ar"),
        ("Merhaba, doktor arıyorum", "healthcare", "tr"),
        ("Hallo, ich suche eine Wohnung", "housing", "de"),
        ("Привіт! Де можна вивчити словенську мову?", "language_courses", "uk"),
    ],
)
def test_greeting_and_request_in_one_message_gets_the_answer(
    rasa_url: str, knowledge_dir: Path, message: str, topic: str, code: str
) -> None:
    replies = say(rasa_url, uuid.uuid4().hex, message, municipality="kranj")
    assert answered(replies, answers(knowledge_dir, "kranj", topic)), texts(replies)
    assert {reply["language"] for reply in replies} == {code}


def test_follow_up_fragments_keep_or_name_the_topic(rasa_url: str, knowledge_dir: Path) -> None:
    sender = uuid.uuid4().hex
    say(rasa_url, sender, "Wo kann ich Deutsch lernen?", municipality="dornbirn")
    kept = say(rasa_url, sender, "ist das gratis?", municipality="dornbirn")
    assert answered(kept, answers(knowledge_dir, "dornbirn", "language_courses")), texts(kept)
    switched = say(rasa_url, sender, "und Arbeit?", municipality="dornbirn")
    assert answered(switched, answers(knowledge_dir, "dornbirn", "jobs")), texts(switched)


def test_pending_request_is_answered_after_a_municipality_button(
    rasa_url: str, knowledge_dir: Path
) -> None:
    sender = uuid.uuid4().hex
    asked = say(rasa_url, sender, "I need a language course")
    assert texts(asked)[0] == wording("en", "utter_ask_municipality")
    payload = '/choose_municipality{"municipality": "dornbirn"}'
    assert payload in {b["payload"] for b in asked[0]["buttons"]}
    replies = say(rasa_url, sender, payload)
    assert texts(replies)[0] == wording("en", "utter_municipality_set").format(
        municipality_name="Dornbirn"
    )
    assert answered(replies, answers(knowledge_dir, "dornbirn", "language_courses"))


def test_pending_request_is_answered_when_the_town_is_written(
    rasa_url: str, knowledge_dir: Path
) -> None:
    sender = uuid.uuid4().hex
    asked = say(rasa_url, sender, "Wie melde ich meine Adresse an?")
    assert texts(asked)[0] == wording("de", "utter_ask_municipality")
    replies = say(rasa_url, sender, "in Dornbirn")
    assert answered(replies, answers(knowledge_dir, "dornbirn", "registration")), texts(replies)
    assert {reply["language"] for reply in replies} == {"de"}


@pytest.mark.parametrize(
    ("message", "page", "town", "topic", "code"),
    [
        ("Živim v Kranju. Kje se lahko učim slovenščino?", None, "kranj", "language_courses", "sl"),
        (
            "Ich ziehe nach Bozen. Wie finde ich dort eine Wohnung?",
            "kranj",
            "bolzano",
            "housing",
            "de",
        ),
        ("Як знайти лікаря у Дорнбірні?", "kranj", "dornbirn", "healthcare", "uk"),
        ("Как записать ребенка в школу в Больцано?", "annecy", "bolzano", "schooling", "ru"),
        ("كيف أسجل عنواني في دورنبيرن؟", "kranj", "dornbirn", "registration", "ar"),
        ("Bolzano'da iş nasıl bulurum?", "kranj", "bolzano", "jobs", "tr"),
        ("Comment trouver un logement à Annecy ?", "dornbirn", "annecy", "housing", "fr"),
    ],
)
def test_town_named_in_any_form_answers_for_that_town(
    rasa_url: str,
    knowledge_dir: Path,
    message: str,
    page: str | None,
    town: str,
    topic: str,
    code: str,
) -> None:
    metadata = {"municipality": page} if page else {}
    replies = say(rasa_url, uuid.uuid4().hex, message, **metadata)
    assert answered(replies, answers(knowledge_dir, town, topic)), texts(replies)
    assert {reply["language"] for reply in replies} == {code}


def test_named_town_does_not_move_the_conversation(rasa_url: str, knowledge_dir: Path) -> None:
    sender = uuid.uuid4().hex
    about_bozen = say(
        rasa_url,
        sender,
        "Ich ziehe nach Bozen. Wie finde ich dort eine Wohnung?",
        municipality="kranj",
    )
    assert texts(about_bozen)[0] == wording("de", "utter_answer_for").format(
        municipality_name="Bozen"
    )
    later = say(rasa_url, sender, "Wie finde ich Arbeit?", municipality="kranj")
    assert answered(later, answers(knowledge_dir, "kranj", "jobs")), texts(later)


def test_unsure_reply_offers_the_likeliest_topics(rasa_url: str, servers_dir: Path) -> None:
    """The buttons are the topics the classifier ranked highest for this very message (as
    Rasa stored its parse), best first, then the person."""
    sender = uuid.uuid4().hex
    replies = say(rasa_url, sender, "asdfghjkl qwertz", municipality="kranj")
    assert texts(replies)[0] in UNSURE
    user = [json.loads(e) for e in stored_events(servers_dir, conversation_id("rest", sender))]
    ranking = next(e for e in user if e["event"] == "user")["parse_data"]["intent_ranking"]
    likely = [
        f"/{e['name']}"
        for e in ranking
        if e["name"].startswith("ask_") and e["name"] != "ask_privacy" and e["confidence"] >= 0.05
    ][:3]
    payloads = [b["payload"] for b in replies[0]["buttons"]]
    assert likely and payloads == [*likely, "/human_handoff"]


@pytest.mark.parametrize(
    "nonsense", ["a " * 1000, "aaaaaaaaaaaaaaaaaaaaaaaa", "e" + "\u0301" * 300]
)
def test_nonsense_gets_the_unsure_reply_with_every_topic(rasa_url: str, nonsense: str) -> None:
    """Before, 2,000 characters of "a a a …" got the goodbye."""
    replies = say(rasa_url, uuid.uuid4().hex, nonsense, municipality="kranj")
    assert texts(replies)[0] in UNSURE
    assert len(replies[0]["buttons"]) == 7
