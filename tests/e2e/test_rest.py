"""End to end through the REST channel against the real Rasa and action servers."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from bot.channels.edge import conversation_id
from bot.language.registry import supported_codes
from bot.locales.catalog import load_catalog
from tests.e2e.conftest import RATE_LIMIT, stored_events, sync_and_wait

pytestmark = pytest.mark.e2e

GREETINGS = {
    "de": "Hallo, guten Tag",
    "it": "Buongiorno a tutti",
    "sl": "Dober dan, živjo",
    "fr": "Bonjour, salut",
    "en": "Hello there, good morning",
    "uk": "Привіт, добрий день",
    "ru": "Здравствуйте, добрый день",
    "ar": "مرحبا، السلام عليكم",
    "fa": "سلام، روز بخیر",
    "tr": "Merhaba, iyi günler",
}
HOUSING = {
    "de": "Wie finde ich eine Wohnung zur Miete?",
    "en": "How do I find a flat to rent?",
    "uk": "Як знайти квартиру в оренду?",
    "ar": "كيف أجد شقة للإيجار؟",
    "it": "Come trovo un appartamento?",
    "sl": "Kako najdem stanovanje za najem?",
    "fr": "Comment trouver un appartement à louer ?",
    "ru": "Как найти квартиру в аренду?",
    "fa": "چطور می توانم یک آپارتمان اجاره کنم؟",
    "tr": "Kiralık daire nasıl bulabilirim?",
}


def post_message(
    url: str, sender: str, message: str, timeout: float = 60, **metadata: Any
) -> requests.Response:
    """One message through the REST channel, the response as it comes."""
    return requests.post(
        f"{url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message, "metadata": metadata},
        timeout=timeout,
    )


def say(url: str, sender: str, message: str, **metadata: Any) -> list[dict[str, Any]]:
    response = post_message(url, sender, message, **metadata)
    response.raise_for_status()
    return list(response.json())


def texts(replies: list[dict[str, Any]]) -> list[str]:
    return [reply.get("text", "") for reply in replies]


def test_hallo_gets_a_greeting_with_topic_buttons(rasa_url: str) -> None:
    replies = say(rasa_url, uuid.uuid4().hex, "Hallo")
    assert (
        replies and replies[0]["text"] == load_catalog("de")["responses"]["utter_greet"][0]["text"]
    )
    assert len(replies[0]["buttons"]) == 7


@pytest.mark.parametrize("code", supported_codes())
def test_every_language_is_answered_in_that_language(rasa_url: str, code: str) -> None:
    replies = say(rasa_url, uuid.uuid4().hex, GREETINGS[code], municipality="kranj")
    expected = load_catalog(code)["responses"]["utter_greet"][0]
    assert texts(replies)[0] == expected["text"]
    assert [b["title"] for b in replies[0]["buttons"]] == expected["buttons"]


@pytest.mark.parametrize("code", supported_codes())
def test_conversation_in_a_language_gets_every_reply_in_it(rasa_url: str, code: str) -> None:
    sender = uuid.uuid4().hex
    replies = []
    for message in (GREETINGS[code], HOUSING[code], "ok", "1"):
        replies += say(rasa_url, sender, message, municipality="bolzano")
    assert len(replies) >= 4
    assert {reply["language"] for reply in replies} == {code}


def test_clear_sentence_switches_language(rasa_url: str) -> None:
    sender = uuid.uuid4().hex
    say(rasa_url, sender, "Hallo, ich bin neu hier", municipality="bolzano")
    replies = say(rasa_url, sender, "Scusi, come posso iscrivere mio figlio a scuola?")
    assert {reply["language"] for reply in replies} == {"it"}


@pytest.mark.parametrize("code", ["de", "en", "uk", "ar", "it"])
def test_faq_answer_comes_from_the_right_municipality(
    rasa_url: str, code: str, knowledge_dir: Path
) -> None:
    def housing_answers(municipality: str) -> set[str]:
        data = yaml.safe_load((knowledge_dir / f"{municipality}.yml").read_text())
        return {f["answer"][code] for f in data["faqs"] if f["topic"] == "housing"}

    for here, elsewhere in (("kranj", "bolzano"), ("bolzano", "kranj")):
        replies = set(texts(say(rasa_url, uuid.uuid4().hex, HOUSING[code], municipality=here)))
        assert replies & housing_answers(here), f"no {here} housing answer in {code}"
        assert not replies & housing_answers(elsewhere)


def test_short_reply_keeps_language_and_switch_is_followed(rasa_url: str) -> None:
    sender = uuid.uuid4().hex
    say(rasa_url, sender, "Привіт, мені потрібна допомога", municipality="kranj")
    replies = say(rasa_url, sender, "ok")
    uk_texts = {r[0]["text"] for r in load_catalog("uk")["responses"].values()}
    assert texts(replies)[0] in uk_texts
    replies = say(rasa_url, sender, "English please")
    assert (
        texts(replies)[0] == load_catalog("en")["responses"]["utter_language_switched"][0]["text"]
    )
    replies = say(rasa_url, sender, "/greet")
    assert texts(replies)[0] == load_catalog("en")["responses"]["utter_greet"][0]["text"]


def test_language_button_payload_switches(rasa_url: str) -> None:
    sender = uuid.uuid4().hex
    say(rasa_url, sender, "Hallo zusammen")
    replies = say(rasa_url, sender, '/switch_language{"language": "ar"}')
    assert (
        texts(replies)[0] == load_catalog("ar")["responses"]["utter_language_switched"][0]["text"]
    )


def test_knowledge_change_is_served_without_restart(
    rasa_url: str, knowledge_dir: Path, database_url_e2e: str
) -> None:
    path = knowledge_dir / "kranj.yml"
    original = path.read_text()
    path.write_text(original.replace("within 8 days", "within 8 (eight) days"))
    try:
        assert sync_and_wait(database_url_e2e, knowledge_dir).changed == ["kranj"]
        replies = say(
            rasa_url, uuid.uuid4().hex, "How do I register my address?", municipality="kranj"
        )
        assert any("within 8 (eight) days" in t for t in texts(replies))
    finally:
        path.write_text(original)
        sync_and_wait(database_url_e2e, knowledge_dir)


@pytest.mark.parametrize(("code", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("de", "ltr")])
def test_replies_carry_language_and_direction(rasa_url: str, code: str, direction: str) -> None:
    replies = say(rasa_url, uuid.uuid4().hex, GREETINGS[code])
    assert replies and all(r["language"] == code and r["direction"] == direction for r in replies)


def test_oversize_message_is_refused(rasa_url: str) -> None:
    response = requests.post(
        f"{rasa_url}/webhooks/rest/webhook",
        json={"sender": "x", "message": "a" * 5000},
        timeout=30,
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"sender": "x"}',
        b'{"message": 5, "sender": "x"}',
        b"[1, 2]",
        b'{"sender": "x", "message": "hi", "metadata": "kranj"}',
    ],
)
def test_malformed_requests_get_4xx(rasa_url: str, body: bytes) -> None:
    response = requests.post(
        f"{rasa_url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert 400 <= response.status_code < 500


def test_shared_location_serves_the_lookup_and_is_not_stored(
    rasa_url: str, servers_dir: Path
) -> None:
    sender = uuid.uuid4().hex
    location = {"lat": 46.24571, "lon": 14.35842}  # next to the health centre in Kranj
    replies = say(
        rasa_url,
        sender,
        "where is the nearest pharmacy?",
        municipality="kranj",
        language="en",
        location=location,
    )
    assert replies and "your location" in replies[0]["text"]
    stored = stored_events(servers_dir, conversation_id("rest", sender))
    assert any('"kranj"' in data for data in stored), "the conversation itself is stored"
    assert not any("46.24571" in data or '"location"' in data for data in stored)


def test_text_only_client_gets_numbered_choices_and_a_number_picks_one(
    rasa_url: str, knowledge_dir: Path
) -> None:
    sender = uuid.uuid4().hex
    greeting = say(rasa_url, sender, "Hallo", municipality="kranj", text_only=True)
    assert "buttons" not in greeting[0]
    lines = greeting[0]["text"].splitlines()
    work = load_catalog("de")["responses"]["utter_greet"][0]["buttons"][1]
    assert f"2. {work}" in lines
    answer = say(rasa_url, sender, "2", municipality="kranj", text_only=True)
    data = yaml.safe_load((knowledge_dir / "kranj.yml").read_text())
    jobs = {f["answer"]["de"] for f in data["faqs"] if f["topic"] == "jobs"}
    assert set(texts(answer)) & jobs, "'2' chose the second topic, work"


def test_flooding_sender_gets_429_others_are_served(rasa_url: str) -> None:
    sender = uuid.uuid4().hex
    codes = [post_message(rasa_url, sender, "ok").status_code for _ in range(RATE_LIMIT + 1)]
    assert codes[:RATE_LIMIT] == [200] * RATE_LIMIT and codes[-1] == 429
    assert say(rasa_url, uuid.uuid4().hex, "Hallo"), "another sender is still served"


@pytest.mark.parametrize(
    "code, question",
    [
        ("de", "Was speichert ihr eigentlich über mich?"),
        ("uk", "Які дані ви зберігаєте про мене?"),
        ("ar", "ماذا تحفظون من معلوماتي؟"),
        ("tr", "Benim hakkımda hangi bilgileri saklıyorsunuz?"),
    ],
)
def test_privacy_notice_in_the_users_language(rasa_url: str, code: str, question: str) -> None:
    replies = say(rasa_url, uuid.uuid4().hex, question, municipality="kranj")
    expected = load_catalog(code)["responses"]["utter_privacy"][0]["text"]
    assert replies[0]["language"] == code
    assert replies[0]["text"] == expected.replace("{retention_days}", "30")
    location = load_catalog(code)["responses"]["utter_privacy_location"][0]
    assert replies[1]["text"] == location["text"]
    assert [b["title"] for b in replies[1]["buttons"]] == location["buttons"]
    questions = load_catalog(code)["responses"]["utter_privacy_questions"][0]["text"]
    assert replies[2]["text"] == questions.replace("{retention_days}", "30")
