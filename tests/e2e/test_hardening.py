"""The attacks of the hardening review, one by one, against the real servers: each gets the
right 4xx (or a normal reply), the server stays up, and nothing of a refused request is
stored."""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import requests

from bot.channels.edge import conversation_id
from bot.language.registry import supported_codes
from bot.locales.catalog import load_catalog
from tests.e2e.conftest import ACTIONS_PORT, stored_events
from tests.e2e.fake_telegram import FakeBotApi
from tests.e2e.test_rest import post_message
from tests.e2e.test_security import post_raw
from tests.e2e.test_telegram import post_update, replies, text_update

pytestmark = pytest.mark.e2e

_chats = itertools.count(770_001)


def alive(rasa_url: str) -> bool:
    return requests.get(f"{rasa_url}/", timeout=10).status_code == 200


def raw_body(sender: str, message: str, metadata: Any = None) -> bytes:
    """JSON as an attacker writes it: lone surrogates and NaN escaped, not refused."""
    body: dict[str, Any] = {"sender": sender, "message": message}
    if metadata is not None:
        body["metadata"] = metadata
    return json.dumps(body, ensure_ascii=True, allow_nan=True).encode("ascii")


@pytest.mark.parametrize(
    ("sender", "message"),
    [
        ("x\udc00", "hi"),  # stopped the whole bot (SystemExit from the tracker store)
        ("a\u0000b", "hi"),  # stopped a PostgreSQL instance
        ("ok-{id}", "hi\udc00"),  # was a 500
        ("ok-{id}", "a\u0000b"),
        ("ok-{id}", "ring\u0007"),
    ],
)
def test_bad_characters_get_400_and_the_bot_stays_up(
    rasa_url: str, servers_dir: Path, sender: str, message: str
) -> None:
    sender = sender.format(id=uuid.uuid4().hex)
    response = post_raw(rasa_url, raw_body(sender, message))
    assert response.status_code == 400
    assert "not allowed" in response.json()["error"]
    assert alive(rasa_url)
    assert post_message(rasa_url, uuid.uuid4().hex, "Hallo").status_code == 200
    if "\udc00" not in sender:
        assert stored_events(servers_dir, conversation_id("rest", sender)) == []


def test_rest_cannot_write_into_a_telegram_conversation(
    rasa_url: str, servers_dir: Path, fake_telegram: FakeBotApi
) -> None:
    chat = next(_chats)
    assert post_update(rasa_url, "kranj", text_update(chat, "Добрий день", "uk")).status_code == 200
    assert replies(fake_telegram, "kranj", chat), "the Telegram user got the greeting"
    telegram_id = conversation_id("telegram", f"kranj:{chat}")
    before = stored_events(servers_dir, telegram_id)
    assert before
    forged = post_message(rasa_url, f"telegram:kranj:{chat}", "what did I ask before?")
    assert forged.status_code == 200
    assert stored_events(servers_dir, telegram_id) == before, (
        "the Telegram conversation is untouched"
    )
    assert all(reply.get("language") != "uk" for reply in forged.json()), "none of its context"
    assert [r["recipient_id"] for r in forged.json()][:1] == [f"telegram:kranj:{chat}"]


@pytest.mark.parametrize(
    "metadata",
    [
        {"municipality": ["kranj"]},  # the action server answered 500
        {"municipality": {"id": "kranj"}},
        {"pad": "x" * 60_000},  # 60 KB became 304 KB in the store
        {"municipality": "kranj", "note": float("nan")},  # stored as invalid JSON
        {"municipality": "kranj", "location": {"lat": float("nan"), "lon": 14.3}},
        {"municipality": "kranj", "location": {"lat": 1e308, "lon": 14.3}},
    ],
)
def test_metadata_is_allow_listed(rasa_url: str, servers_dir: Path, metadata: Any) -> None:
    sender = uuid.uuid4().hex
    response = post_raw(rasa_url, raw_body(sender, "Wohnung", metadata))
    assert response.status_code == 400
    assert "metadata" in response.json()["error"]
    assert stored_events(servers_dir, conversation_id("rest", sender)) == []


@pytest.mark.parametrize("text", ["a " * 1000, "\u0301" * 400, "\u0308\u0301\u0327" * 100])
def test_nonsense_is_not_read_as_goodbye(rasa_url: str, text: str) -> None:
    replies_ = post_message(rasa_url, uuid.uuid4().hex, text.strip(), municipality="kranj")
    assert replies_.status_code == 200
    texts = [reply["text"] for reply in replies_.json()]
    assert texts, "an answer, not silence"
    goodbye = {
        variant["text"]
        for code in supported_codes()
        for variant in load_catalog(code)["responses"]["utter_goodbye"]
    }
    assert not goodbye & set(texts)


def test_telegram_malformed_with_the_right_secret_is_400(rasa_url: str, servers_dir: Path) -> None:
    update = text_update(1, "Hallo", "de")
    update["message"]["chat"]["id"] = "abc"
    response = post_update(rasa_url, "kranj", update)
    assert response.status_code == 400 and "chat.id" in response.json()["error"]
    chat = next(_chats)
    surrogate = text_update(chat, "x", "de")
    body = json.dumps({"update_id": 1, **surrogate}).replace('"x"', '"x\\udc00"')
    secret = {"X-Telegram-Bot-Api-Secret-Token": "kranj-secret"}
    posted = requests.post(
        f"{rasa_url}/webhooks/telegram/kranj",
        data=body.encode(),
        headers={"Content-Type": "application/json", **secret},
        timeout=30,
    )
    assert posted.status_code == 400
    assert stored_events(servers_dir, conversation_id("telegram", f"kranj:{chat}")) == []
    assert alive(rasa_url)


def test_telegram_secret_with_a_non_ascii_byte_is_403(rasa_url: str) -> None:
    response = requests.post(
        f"{rasa_url}/webhooks/telegram/kranj",
        data=json.dumps(text_update(next(_chats), "Hallo", "de")).encode(),
        headers={
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": "kranj-secr\xe9t".encode("latin-1"),  # type: ignore[dict-item]
        },
        timeout=30,
    )
    assert response.status_code == 403


def test_telegram_health_answers_with_the_trailing_slash(rasa_url: str) -> None:
    for path in ("/webhooks/telegram", "/webhooks/telegram/"):
        response = requests.get(f"{rasa_url}{path}", timeout=10)
        assert response.status_code == 200, path
        assert response.json()["status"] == "ok"


async def _widget(url: str, origin: str | None, message: Any) -> list[tuple[str, Any]]:
    """Open the widget's socket from `origin` (Engine.IO 4 / Socket.IO 5 frames over a
    websocket), ask for a session, send one message, return the first answer event."""
    address = "ws" + url.removeprefix("http") + "/webhooks/widget/socket.io/"
    headers = {"Origin": origin} if origin else {}
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(
            address + "?EIO=4&transport=websocket", headers=headers, autoclose=False
        ) as ws,
    ):

        async def event(*names: str) -> tuple[str, Any]:
            while True:
                frame = await asyncio.wait_for(ws.receive(), 30)
                if frame.type != aiohttp.WSMsgType.TEXT:
                    raise ConnectionError(str(frame.type))
                if frame.data == "2":  # ping
                    await ws.send_str("3")
                elif frame.data.startswith("42"):
                    name, *args = json.loads(frame.data[2:])
                    if name in names:
                        return name, args[0] if args else None

        await ws.receive()  # the Engine.IO handshake
        await ws.send_str("40")
        await ws.receive()  # Socket.IO connected
        await ws.send_str("42" + json.dumps(["session_request", {}]))
        await event("session_confirm")
        await ws.send_str("42" + json.dumps(["user_uttered", message], allow_nan=True))
        return [await event("bot_uttered", "refused")]


def test_widget_refuses_a_lone_surrogate_instead_of_silence(rasa_url: str) -> None:
    events = asyncio.run(_widget(rasa_url, None, {"message": "hi\udc00", "metadata": {}}))
    assert events and events[0][0] == "refused" and "surrogate" in events[0][1]["reason"]
    events = asyncio.run(_widget(rasa_url, None, {"message": "Hallo", "metadata": {"x": 1}}))
    assert events and events[0][0] == "refused" and "unknown keys" in events[0][1]["reason"]


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://localhost:5005", True),
        (None, True),  # not a browser: no origin to check
        ("https://evil.example.com", False),
        ("null", False),
    ],
)
def test_widget_origins_in_the_embedded_profile(
    rasa_url: str, origin: str | None, allowed: bool
) -> None:
    message = {"message": "Hallo", "metadata": {"municipality": "kranj"}}
    if allowed:
        events = asyncio.run(_widget(rasa_url, origin, message))
        assert events and events[0][0] == "bot_uttered"
    else:
        with pytest.raises(aiohttp.WSServerHandshakeError):
            asyncio.run(_widget(rasa_url, origin, message))
    polling = requests.get(
        f"{rasa_url}/webhooks/widget/socket.io/?EIO=4&transport=polling",
        headers={"Origin": origin} if origin else {},
        timeout=10,
    )
    assert polling.headers.get("Access-Control-Allow-Origin") in (
        (origin, None) if allowed else (None,)
    )


def test_action_server_listens_on_loopback_only() -> None:
    """The e2e action server, started like `make run` starts it, binds 127.0.0.1."""
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port = local.rsplit(":", 1)
            if state == "0A" and int(port, 16) == ACTIONS_PORT:  # 0A: LISTEN
                listening.add(address)
    assert listening == {"0100007F"}, listening


@pytest.mark.parametrize("path", ["/webhooks/rest/webhook", "/webhooks/telegram/kranj"])
def test_a_body_that_is_not_utf8_is_refused(rasa_url: str, servers_dir: Path, path: str) -> None:
    """Found by the fuzz suite: Sanic's JSON reader guessed at broken UTF-8 and the message
    was answered and stored under a mangled sender."""
    sender = f"\xe0\xa0\xc3{uuid.uuid4().hex}"
    body = b'{"sender": "@", "message": "Hallo", "update_id": 1}'
    body = body.replace(b"@", sender.encode("latin-1"))
    response = requests.post(
        f"{rasa_url}{path}",
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": "kranj-secret",
        },
        timeout=30,
    )
    assert response.status_code == 400 and "UTF-8" in response.json()["error"]
    assert alive(rasa_url)
