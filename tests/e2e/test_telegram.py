"""The Telegram connector against a fake Bot API: two municipalities' bots, a location, a
pressed button, and a forged secret."""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from bot.locales.catalog import load_catalog
from tests.e2e.conftest import TELEGRAM_BOTS, stored_events
from tests.e2e.fake_telegram import FakeBotApi

pytestmark = pytest.mark.e2e

_update_ids = itertools.count(1000)
_chat_ids = itertools.count(5000)


def post_update(
    rasa_url: str, municipality: str, update: dict[str, Any], secret: str | None = None
) -> requests.Response:
    secret = TELEGRAM_BOTS[municipality][1] if secret is None else secret
    return requests.post(
        f"{rasa_url}/webhooks/telegram/{municipality}",
        json={"update_id": next(_update_ids), **update},
        headers={"X-Telegram-Bot-Api-Secret-Token": secret},
        timeout=60,
    )


def text_update(chat_id: int, text: str, language_code: str) -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "A", "language_code": language_code}
    return {
        "message": {
            "message_id": 1,
            "chat": {"id": chat_id, "type": "private"},
            "from": user,
            "date": 0,
            "text": text,
        }
    }


def callback_update(chat_id: int, data: str, language_code: str, query_id: str) -> dict[str, Any]:
    """A pressed inline button."""
    user = {"id": chat_id, "is_bot": False, "first_name": "A", "language_code": language_code}
    return {
        "callback_query": {
            "id": query_id,
            "from": user,
            "message": {"message_id": 2, "chat": {"id": chat_id, "type": "private"}, "date": 0},
            "chat_instance": "x",
            "data": data,
        }
    }


def replies(api: FakeBotApi, municipality: str, chat_id: int) -> list[dict[str, Any]]:
    token = TELEGRAM_BOTS[municipality][0]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not api.sent(token, chat_id):
        time.sleep(0.1)
    return api.sent(token, chat_id)


def test_greeting_in_the_users_language_with_inline_buttons(
    rasa_url: str, fake_telegram: FakeBotApi
) -> None:
    chat = next(_chat_ids)
    assert post_update(rasa_url, "kranj", text_update(chat, "привіт", "uk")).status_code == 200
    sent = replies(fake_telegram, "kranj", chat)
    assert sent and "inline_keyboard" in sent[0]["reply_markup"]
    first_button = sent[0]["reply_markup"]["inline_keyboard"][0][0]
    assert first_button["callback_data"] == "/ask_housing"
    assert first_button["text"] == "Житло"


@pytest.mark.parametrize("municipality", ["kranj", "bolzano"])
def test_each_bot_answers_from_its_municipality(
    rasa_url: str, fake_telegram: FakeBotApi, knowledge_dir: Any, municipality: str
) -> None:
    chat = next(_chat_ids)
    update = text_update(chat, "Wie finde ich eine Wohnung?", "de")
    assert post_update(rasa_url, municipality, update).status_code == 200
    data = yaml.safe_load((knowledge_dir / f"{municipality}.yml").read_text())
    answers = {f["answer"]["de"] for f in data["faqs"] if f["topic"] == "housing"}
    texts = {m["text"] for m in replies(fake_telegram, municipality, chat)}
    assert texts & answers


def test_location_gives_the_nearest_services_from_there(
    rasa_url: str, fake_telegram: FakeBotApi
) -> None:
    chat = next(_chat_ids)
    post_update(rasa_url, "kranj", text_update(chat, "Where is the nearest pharmacy?", "en"))
    replies(fake_telegram, "kranj", chat)
    location = text_update(chat, "", "en")
    del location["message"]["text"]
    location["message"]["location"] = {"latitude": 46.2457, "longitude": 14.3584}
    assert post_update(rasa_url, "kranj", location).status_code == 200
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(
        "your location" in m["text"] for m in fake_telegram.sent("111:kranj-token", chat)
    ):
        time.sleep(0.1)
    assert any("your location" in m["text"] for m in fake_telegram.sent("111:kranj-token", chat))


def test_callback_query_is_answered_and_followed(rasa_url: str, fake_telegram: FakeBotApi) -> None:
    chat = next(_chat_ids)
    update = callback_update(chat, "/human_handoff", "it", "cb-1")
    assert post_update(rasa_url, "bolzano", update).status_code == 200
    sent = replies(fake_telegram, "bolzano", chat)
    token = TELEGRAM_BOTS["bolzano"][0]
    assert (token, "answerCallbackQuery", {"callback_query_id": "cb-1"}) in fake_telegram.calls
    assert any("integrazione@bolzano.example.org" in m["text"] for m in sent)


@pytest.mark.parametrize("secret", ["", "kranj-secret-forged", "bolzano-secret"])
def test_forged_secret_is_refused_and_nothing_is_processed(
    rasa_url: str, fake_telegram: FakeBotApi, servers_dir: Path, secret: str
) -> None:
    chat = next(_chat_ids)
    answer = post_update(rasa_url, "kranj", text_update(chat, "Hallo", "de"), secret=secret)
    assert answer.status_code == 403
    time.sleep(1)
    assert not any(payload.get("chat_id") == chat for _, _, payload in fake_telegram.calls)
    assert stored_events(servers_dir, f"telegram:kranj:{chat}") == [], "nothing is stored"


def test_unknown_bot_and_malformed_body(rasa_url: str) -> None:
    assert post_update(rasa_url, "atlantis", {}, secret="x").status_code == 404
    bad = requests.post(
        f"{rasa_url}/webhooks/telegram/kranj",
        data="{not json",
        headers={"X-Telegram-Bot-Api-Secret-Token": "kranj-secret"},
        timeout=30,
    )
    assert bad.status_code == 400


def test_privacy_command_shows_the_notice(rasa_url: str, fake_telegram: FakeBotApi) -> None:
    chat = next(_chat_ids)
    assert post_update(rasa_url, "kranj", text_update(chat, "/privacy", "fa")).status_code == 200
    notice = load_catalog("fa")["responses"]["utter_privacy"][0]["text"]
    sent = replies(fake_telegram, "kranj", chat)
    assert sent and sent[0]["text"] == notice.replace("{retention_days}", "30")


def test_did_this_help_comes_as_inline_buttons_and_counts(
    rasa_url: str, fake_telegram: FakeBotApi
) -> None:
    chat = next(_chat_ids)
    assert (
        post_update(rasa_url, "kranj", text_update(chat, "Nasıl ev bulabilirim?", "tr")).status_code
        == 200
    )
    deadline = time.monotonic() + 15
    asked: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not asked:
        asked = [
            m
            for m in replies(fake_telegram, "kranj", chat)
            if "/feedback" in str(m.get("reply_markup"))
        ]
        time.sleep(0.2)
    assert asked, replies(fake_telegram, "kranj", chat)
    thumbs = [row[0] for row in asked[0]["reply_markup"]["inline_keyboard"]]
    assert [b["text"] for b in thumbs] == [
        load_catalog("tr")["phrases"]["feedback_yes"],
        load_catalog("tr")["phrases"]["feedback_no"],
    ]
    assert all(len(b["callback_data"].encode("utf-8")) <= 64 for b in thumbs)
    update = callback_update(chat, thumbs[0]["callback_data"], "tr", "cb-feedback")
    assert post_update(rasa_url, "kranj", update).status_code == 200
    thanks = load_catalog("tr")["responses"]["utter_feedback_thanks"][0]["text"]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if any(m["text"] == thanks for m in replies(fake_telegram, "kranj", chat)):
            break
        time.sleep(0.2)
    assert any(m["text"] == thanks for m in replies(fake_telegram, "kranj", chat))


def test_a_retried_update_is_answered_once(
    rasa_url: str, fake_telegram: FakeBotApi, servers_dir: Path
) -> None:
    chat = next(_chat_ids)
    update = {"update_id": 990_001, **text_update(chat, "Dober dan", "sl")}
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_BOTS["kranj"][1]}
    url = f"{rasa_url}/webhooks/telegram/kranj"
    assert requests.post(url, json=update, headers=headers, timeout=60).status_code == 200
    answered = len(replies(fake_telegram, "kranj", chat))
    again = requests.post(url, json=update, headers=headers, timeout=60)
    assert again.status_code == 200, "acknowledged, so Telegram stops retrying"
    time.sleep(1.5)
    assert len(fake_telegram.sent(TELEGRAM_BOTS["kranj"][0], chat)) == answered
    users = [
        e for e in stored_events(servers_dir, f"telegram:kranj:{chat}") if '"event": "user"' in e
    ]
    assert len(users) == 1


def test_a_voice_message_gets_a_request_to_write(rasa_url: str, fake_telegram: FakeBotApi) -> None:
    chat = next(_chat_ids)
    voice = text_update(chat, "", "uk")
    del voice["message"]["text"]
    voice["message"]["voice"] = {"file_id": "x", "duration": 3}
    assert post_update(rasa_url, "kranj", voice).status_code == 200
    sent = replies(fake_telegram, "kranj", chat)
    assert [m["text"] for m in sent] == [load_catalog("uk")["phrases"]["text_only_please"]]
