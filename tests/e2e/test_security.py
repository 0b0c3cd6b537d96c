"""Hostile and broken requests: each gets the right 4xx or a safe reply, and nothing is stored."""

from __future__ import annotations

import itertools
import json
import uuid
from pathlib import Path

import pytest
import requests

from bot.channels.edge import MAX_MESSAGE_LENGTH, conversation_id
from bot.locales.catalog import phrase
from tests.e2e.conftest import stored_events
from tests.e2e.fake_telegram import FakeBotApi
from tests.e2e.test_rest import post_message
from tests.e2e.test_telegram import post_update, replies, text_update

pytestmark = pytest.mark.e2e

_chats = itertools.count(880_001)


def post_raw(
    rasa_url: str, body: bytes, content_type: str = "application/json"
) -> requests.Response:
    return requests.post(
        f"{rasa_url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": content_type},
        timeout=30,
    )


@pytest.mark.parametrize(
    "template",
    [
        '{{"sender": "{s}", "message": "Hallo"',  # cut off
        '{{"sender": "{s}"}}',  # no message
        '{{"sender": "{s}", "message": 5}}',  # message not text
        '{{"sender": "{s}", "message": ""}}',  # empty
        '{{"sender": "{s}", "message": "Hallo", "metadata": "kranj"}}',  # metadata not a map
        '{{"sender": ["{s}"], "message": "Hallo"}}',  # sender not text
        '{{"sender": "{s}", "message": "Hallo", "metadata": {{"location": {{"lat": "x"}}}}}}',
    ],
)
def test_malformed_request_gets_4xx_and_stores_nothing(
    rasa_url: str, servers_dir: Path, template: str
) -> None:
    sender = uuid.uuid4().hex
    response = post_raw(rasa_url, template.format(s=sender).encode())
    assert 400 <= response.status_code < 500, response.text
    assert "error" in response.json(), "the client is told what is wrong"
    assert stored_events(servers_dir, conversation_id("rest", sender)) == []


def test_missing_sender_gets_4xx(rasa_url: str) -> None:
    assert 400 <= post_raw(rasa_url, b'{"message": "Hallo"}').status_code < 500


def test_not_json_content_gets_4xx(rasa_url: str, servers_dir: Path) -> None:
    sender = uuid.uuid4().hex
    response = post_raw(rasa_url, f"sender={sender}&message=Hallo".encode(), "text/plain")
    assert 400 <= response.status_code < 500
    assert stored_events(servers_dir, conversation_id("rest", sender)) == []


def test_oversize_message_is_refused_with_a_clear_reason(rasa_url: str, servers_dir: Path) -> None:
    sender = uuid.uuid4().hex
    body = {"sender": sender, "message": "ä" * (MAX_MESSAGE_LENGTH + 1)}
    response = requests.post(f"{rasa_url}/webhooks/rest/webhook", json=body, timeout=30)
    assert response.status_code == 400
    assert str(MAX_MESSAGE_LENGTH) in response.json()["error"], "says what the limit is"
    assert stored_events(servers_dir, conversation_id("rest", sender)) == []


def test_oversize_body_is_refused_before_parsing(rasa_url: str, servers_dir: Path) -> None:
    sender = uuid.uuid4().hex
    padding = "x" * 2_000_000
    body = json.dumps({"sender": sender, "message": "Hallo", "metadata": {"pad": padding}})
    response = post_raw(rasa_url, body.encode())
    assert 400 <= response.status_code < 500
    assert stored_events(servers_dir, conversation_id("rest", sender)) == []


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert('x')</script>",
        '<img src=x onerror="alert(1)">Wohnung?',
        "javascript:alert(1)",
        "{{7*7}} ${7*7} {language}",
    ],
)
def test_markup_and_template_payloads_get_a_safe_reply(rasa_url: str, payload: str) -> None:
    response = post_message(rasa_url, uuid.uuid4().hex, payload, municipality="kranj")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    replies = response.json()
    assert replies, "the bot still answers"
    text = " ".join(reply.get("text", "") for reply in replies)
    for dangerous in ("<script", "onerror", "javascript:", "7*7"):
        assert dangerous not in text, "nothing of the payload is echoed or evaluated"


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/conversations/someone/tracker"),
        ("POST", "/conversations/someone/tracker/events"),
        ("POST", "/model/parse"),
        ("PUT", "/model"),
        ("GET", "/domain"),
    ],
)
def test_rasa_http_api_is_off(rasa_url: str, method: str, path: str) -> None:
    response = requests.request(method, f"{rasa_url}{path}", json={"text": "x"}, timeout=30)
    assert response.status_code in (404, 405)


def test_telegram_message_too_long_is_refused_in_the_users_language(
    rasa_url: str, servers_dir: Path, fake_telegram: FakeBotApi
) -> None:
    chat = next(_chats)
    update = text_update(chat, "Wohnung " * (MAX_MESSAGE_LENGTH // 8 + 1), "de")
    assert post_update(rasa_url, "kranj", update).status_code == 200
    expected = phrase("de", "message_too_long", limit=MAX_MESSAGE_LENGTH)
    assert [m["text"] for m in replies(fake_telegram, "kranj", chat)] == [expected]
    assert stored_events(servers_dir, f"telegram:kranj:{chat}") == []
