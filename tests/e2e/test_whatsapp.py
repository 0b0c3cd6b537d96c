"""The WhatsApp connector against the real servers and a fake Graph API: the handshake,
signatures, two municipalities' numbers, buttons, lists, a location, a retried delivery
and an answer longer than WhatsApp's limit."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from bot.locales.catalog import load_catalog, phrase
from tests.e2e.conftest import (
    WHATSAPP_ACCESS_TOKEN,
    WHATSAPP_NUMBERS,
    WHATSAPP_VERIFY_TOKEN,
    stored_events,
    sync_and_wait,
)
from tests.e2e.fake_graph import FakeGraphApi
from tests.e2e.whatsapp_client import (
    message,
    new_person,
    post,
    pressed,
    sign,
    stored_id,
    text,
    webhook,
)

pytestmark = pytest.mark.e2e


def bodies(sent: list[dict[str, Any]]) -> list[str]:
    """The text each message shows: a text's body, an interactive message's body."""
    return [
        m["text"]["body"] if m["type"] == "text" else m["interactive"]["body"]["text"] for m in sent
    ]


def faq_answers(knowledge_dir: Path, municipality: str, topic: str, code: str) -> set[str]:
    data = yaml.safe_load((knowledge_dir / f"{municipality}.yml").read_text())
    return {faq["answer"][code] for faq in data["faqs"] if faq["topic"] == topic}


def test_verification_handshake(rasa_url: str) -> None:
    url = f"{rasa_url}/webhooks/whatsapp/webhook"
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": WHATSAPP_VERIFY_TOKEN,
        "hub.challenge": "8431",
    }
    right = requests.get(url, params=params, timeout=10)
    assert (right.status_code, right.text) == (200, "8431")
    wrong = requests.get(url, params={**params, "hub.verify_token": "guessed"}, timeout=10)
    assert wrong.status_code == 403 and "8431" not in wrong.text


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, "forged", "wrong secret"])
def test_unsigned_or_wrongly_signed_posts_are_refused_and_nothing_is_stored(
    rasa_url: str, fake_graph: FakeGraphApi, servers_dir: Path, signature: str
) -> None:
    person = new_person()
    payload = webhook("kranj", text(person, "Hallo"))
    if signature == "wrong secret":
        import json

        signature = sign(json.dumps(payload).encode(), "another app's secret")
    assert post(rasa_url, payload, signature=signature).status_code == 403
    time.sleep(1)
    assert fake_graph.sent(person) == []
    assert stored_events(servers_dir, stored_id("kranj", person)) == []


def test_arabic_is_answered_in_arabic_from_the_numbers_municipality(
    rasa_url: str, fake_graph: FakeGraphApi, knowledge_dir: Path, servers_dir: Path
) -> None:
    person = new_person()
    answer = post(rasa_url, webhook("dornbirn", text(person, "كيف أجد شقة للإيجار؟")))
    assert answer.status_code == 200
    sent = fake_graph.wait(person)
    assert set(bodies(sent)) & faq_answers(knowledge_dir, "dornbirn", "housing", "ar")
    numbers = {number for number, _, m in fake_graph.messages() if m["to"] == person}
    assert numbers == {WHATSAPP_NUMBERS["dornbirn"]}, "answered from Dornbirn's number"
    assert all(token == WHATSAPP_ACCESS_TOKEN for _, token, m in fake_graph.messages())
    stored = "\n".join(stored_events(servers_dir, stored_id("dornbirn", person)))
    assert stored and person not in stored, "the phone number is never stored"


def test_the_greeting_is_a_list_and_a_chosen_row_is_followed(
    rasa_url: str, fake_graph: FakeGraphApi, knowledge_dir: Path
) -> None:
    person = new_person()
    assert post(rasa_url, webhook("kranj", text(person, "Добрий день"))).status_code == 200
    (greeting,) = [m for m in fake_graph.wait(person) if m["type"] == "interactive"]
    action = greeting["interactive"]["action"]
    assert greeting["interactive"]["type"] == "list"
    assert action["button"] == phrase("uk", "choices_list_button")
    rows = action["sections"][0]["rows"]
    assert len(rows) == 7 and all(len(row["title"]) <= 24 for row in rows)
    housing = next(row for row in rows if row["id"] == "/ask_housing")
    before = len(fake_graph.sent(person))
    chosen = pressed(person, "list_reply", housing["id"], housing["title"])
    assert post(rasa_url, webhook("kranj", chosen)).status_code == 200
    after = bodies(fake_graph.wait(person, before + 1)[before:])
    assert set(after) & faq_answers(knowledge_dir, "kranj", "housing", "uk")


def test_a_pressed_reply_button_is_followed(rasa_url: str, fake_graph: FakeGraphApi) -> None:
    person = new_person()
    assert post(rasa_url, webhook("dornbirn", text(person, "Wie finde ich eine Wohnung?"))).ok
    deadline = time.monotonic() + 15
    asked: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not asked:
        asked = [
            m
            for m in fake_graph.sent(person)
            if m["type"] == "interactive" and m["interactive"]["type"] == "button"
        ]
        time.sleep(0.2)
    assert asked, fake_graph.sent(person)
    buttons = asked[-1]["interactive"]["action"]["buttons"]
    thumbs_up = buttons[0]["reply"]
    assert thumbs_up["title"] == phrase("de", "feedback_yes") and len(buttons) == 2
    before = len(fake_graph.sent(person))
    assert post(
        rasa_url, webhook("dornbirn", pressed(person, "button_reply", thumbs_up["id"], "x"))
    ).ok
    thanks = load_catalog("de")["responses"]["utter_feedback_thanks"][0]["text"]
    assert thanks in bodies(fake_graph.wait(person, before + 1)[before:])


def test_a_location_gives_the_nearest_services_from_there(
    rasa_url: str, fake_graph: FakeGraphApi, servers_dir: Path
) -> None:
    person = new_person()
    assert post(rasa_url, webhook("kranj", text(person, "Where is the nearest pharmacy?"))).ok
    before = len(fake_graph.wait(person))
    where = {"latitude": 46.2457, "longitude": 14.3584, "name": "Doma", "address": "Cesta 1"}
    assert post(rasa_url, webhook("kranj", message(person, "location", location=where))).ok
    after = bodies(fake_graph.wait(person, before + 1)[before:])
    assert any(phrase("en", "origin_your_location") in body for body in after), after
    stored = "\n".join(stored_events(servers_dir, stored_id("kranj", person)))
    assert "46.2457" not in stored and "Cesta 1" not in stored, "the location is never stored"


def test_the_same_message_id_delivered_twice_is_answered_once(
    rasa_url: str, fake_graph: FakeGraphApi, servers_dir: Path
) -> None:
    person = new_person()
    delivery = webhook("kranj", text(person, "Hvala", message_id="wamid.retried-once"))
    assert post(rasa_url, delivery).status_code == 200
    answered = len(fake_graph.wait(person))
    assert post(rasa_url, delivery).status_code == 200, "acknowledged, so Meta stops retrying"
    time.sleep(1.5)
    assert len(fake_graph.sent(person)) == answered
    users = [
        e for e in stored_events(servers_dir, stored_id("kranj", person)) if '"event": "user"' in e
    ]
    assert len(users) == 1


def test_a_voice_message_gets_a_request_to_write_in_the_persons_language(
    rasa_url: str, fake_graph: FakeGraphApi
) -> None:
    person = new_person()
    assert post(rasa_url, webhook("dornbirn", text(person, "سلام، من تازه آمده‌ام"))).ok
    before = len(fake_graph.wait(person))
    voice = message(person, "audio", audio={"id": "123", "mime_type": "audio/ogg"})
    assert post(rasa_url, webhook("dornbirn", voice)).ok
    assert bodies(fake_graph.wait(person, before + 1)[before:]) == [
        phrase("fa", "text_only_please")
    ]


def test_a_five_thousand_character_answer_is_split_cleanly(
    rasa_url: str, fake_graph: FakeGraphApi, knowledge_dir: Path, database_url_e2e: str
) -> None:
    """A service whose notes list its partner pharmacies and whose cost note is long:
    one reply of over 5,000 characters, more than one WhatsApp message holds."""
    path = knowledge_dir / "dornbirn.yml"
    original = path.read_text()
    data = yaml.safe_load(original)
    partners = [
        f"{n}. Partnerapotheke {n}, Hatlerstraße {n}, 6850 Dornbirn, Mo–Fr 8:00–18:00"
        for n in range(1, 54)
    ]
    pharmacy = next(s for s in data["services"] if s["id"] == "pharmacy-markt")
    pharmacy["notes"]["de"] = "Nacht- und Sonntagsdienst im Wechsel mit:\n" + "\n".join(partners)
    pharmacy["cost_note"] = {"de": "Die Rezeptgebühr beträgt 7,55 Euro je Medikament. " * 25}
    assert 3800 < len(pharmacy["notes"]["de"]) <= 4000, "within the knowledge limit"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    try:
        assert sync_and_wait(database_url_e2e, knowledge_dir).changed == ["dornbirn"]
        person = new_person()
        ask = text(person, "Wo ist die nächste Apotheke?")
        assert post(rasa_url, webhook("dornbirn", ask)).ok
        sent = bodies(fake_graph.wait(person, 3))
        first = next(n for n, body in enumerate(sent) if "Stadtapotheke am Marktplatz" in body)
        rest = [
            body
            for body in sent[first + 1 :]
            if "Partnerapotheke" in body or "Rezeptgebühr" in body
        ]
        pieces = [sent[first], *rest]
        whole = "\n".join(pieces)
        assert len(whole) >= 5000 and len(pieces) >= 2
        assert all(len(piece) <= 4096 for piece in pieces)
        lines = {line for piece in pieces for line in piece.splitlines()}
        assert set(partners) <= lines, "every address whole, on its own line"
        assert whole.count("7,55 Euro") == 25, "no sentence of the cost note lost or cut"
    finally:
        path.write_text(original)
        sync_and_wait(database_url_e2e, knowledge_dir)
