"""The WhatsApp channel: configuration, signatures, the handshake, replies, and which
messages are answered (once, fresh, for a configured number)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import pytest

from bot.channels.deliveries import Deliveries
from bot.channels.edge import MAX_MESSAGE_LENGTH
from bot.channels.ratelimit import RateLimiter
from bot.channels.whatsapp import (
    Number,
    WhatsAppConfig,
    WhatsAppInput,
    WhatsAppOutput,
    config_from_environment,
    signature_matches,
    verification_answer,
)
from bot.channels.whatsapp_messages import Incoming, pseudonym
from bot.locales.catalog import phrase

ENV = {
    "WHATSAPP_MUNICIPALITIES": "dornbirn, san-candido",
    "WHATSAPP_PHONE_NUMBER_ID_DORNBIRN": "111",
    "WHATSAPP_PHONE_NUMBER_ID_SAN_CANDIDO": "222",
    "WHATSAPP_ACCESS_TOKEN": "shared-token",
    "WHATSAPP_ACCESS_TOKEN_SAN_CANDIDO": "own-token",
    "WHATSAPP_APP_SECRET": "app-secret",
    "WHATSAPP_VERIFY_TOKEN": "verify-me",
}


def test_numbers_from_environment() -> None:
    config = config_from_environment(ENV)
    assert {n: (x.municipality, x.access_token) for n, x in config.numbers.items()} == {
        "111": ("dornbirn", "shared-token"),
        "222": ("san-candido", "own-token"),
    }
    assert config.api_url.startswith("https://graph.facebook.com/")
    assert config_from_environment({}).numbers == {}


@pytest.mark.parametrize(
    "missing",
    ["WHATSAPP_PHONE_NUMBER_ID_DORNBIRN", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"],
)
def test_a_missing_variable_is_named(missing: str) -> None:
    env = {k: v for k, v in ENV.items() if k != missing}
    with pytest.raises(ValueError, match=missing):
        config_from_environment(env)


def test_numbers_must_be_ids_and_not_shared() -> None:
    with pytest.raises(ValueError, match="digits"):
        config_from_environment({**ENV, "WHATSAPP_PHONE_NUMBER_ID_DORNBIRN": "+43 5572"})
    with pytest.raises(ValueError, match="shares"):
        config_from_environment({**ENV, "WHATSAPP_PHONE_NUMBER_ID_DORNBIRN": "222"})


def sign(body: bytes, secret: str = "app-secret") -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_signature_of_the_raw_body() -> None:
    body = b'{"entry": []}'
    assert signature_matches(body, sign(body), "app-secret")
    assert not signature_matches(body, sign(body, "other"), "app-secret")
    assert not signature_matches(body + b" ", sign(body), "app-secret")
    assert not signature_matches(body, "", "app-secret")
    assert not signature_matches(body, sign(body).upper(), "app-secret")
    assert not signature_matches(body, "sha256=ü", "app-secret")
    assert not signature_matches(body, sign(body, ""), ""), "no secret, no trust"


def test_verification_handshake() -> None:
    right = {
        "hub.mode": "subscribe",
        "hub.verify_token": "verify-me",
        "hub.challenge": "1158201444",
    }
    assert verification_answer(right, "verify-me") == "1158201444"
    assert verification_answer({**right, "hub.verify_token": "guess"}, "verify-me") is None
    assert verification_answer({**right, "hub.mode": "unsubscribe"}, "verify-me") is None
    assert verification_answer({**right, "hub.challenge": "<script>"}, "verify-me") == "<script>"
    assert verification_answer({**right, "hub.challenge": "a b"}, "verify-me") is None
    assert verification_answer({**right, "hub.challenge": "1" * 129}, "verify-me") is None
    assert verification_answer(right, "") is None, "no token configured, no handshake"


class RecordingApi:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def send(self, message: dict[str, Any]) -> bool:
        self.sent.append(message)
        return True


async def test_replies_in_whatsapp_forms() -> None:
    api = RecordingApi()
    output = WhatsAppOutput(api, "4366")  # type: ignore[arg-type]
    await output.send_response("x", {"text": "Hallo"})
    buttons = [{"title": "Wohnen", "payload": "/ask_housing"}]
    await output.send_response("x", {"text": "Wählen Sie", "buttons": buttons, "language": "de"})
    many = [{"title": f"Angebot {n}", "payload": f"/s{n}"} for n in range(12)]
    await output.send_response("x", {"text": "Alle", "buttons": many, "language": "de"})
    await output.send_response("x", {"image": "https://example.org/map.png"})
    await output.send_response("x", {"text": "Karte", "custom": {"counter_card": {}}})
    kinds = [m["type"] for m in api.sent]
    assert kinds == ["text", "interactive", "text", "text", "text"]
    numbered = api.sent[2]["text"]["body"]
    assert numbered.splitlines()[1] == "2. Angebot 0", "numbering runs on after the button"
    assert numbered.endswith(phrase("de", "choices_reply_with_number"))
    assert api.sent[3]["text"]["body"] == "https://example.org/map.png"
    assert output.sent == 5


async def test_a_list_is_opened_by_a_button_in_the_persons_language() -> None:
    api = RecordingApi()
    output = WhatsAppOutput(api, "4366")  # type: ignore[arg-type]
    five = [{"title": f"خدمة {n}", "payload": f"/s{n}"} for n in range(5)]
    await output.send_response("x", {"text": "اختر", "buttons": five, "language": "ar"})
    assert api.sent[0]["interactive"]["action"]["button"] == phrase("ar", "choices_list_button")


NOW = 1_792_000_000


def channel() -> WhatsAppInput:
    config = WhatsAppConfig(
        {"111": Number("dornbirn", "111", "token")}, "app-secret", "verify-me", "http://127.0.0.1:9"
    )
    whatsapp = WhatsAppInput(config, clock=lambda: NOW)
    whatsapp.deliveries = Deliveries(shared=False)
    whatsapp.limiter = RateLimiter(30, shared=False)
    return whatsapp


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What the channel sends to the Graph API."""
    sent: list[dict[str, Any]] = []

    async def record(self: Any, message: dict[str, Any]) -> bool:
        sent.append(message)
        return True

    monkeypatch.setattr("bot.channels.whatsapp.GraphApi.send", record)
    return sent


async def received(whatsapp: WhatsAppInput, incoming: Incoming) -> list[Any]:
    """The messages handed to Rasa (which answers each with "ok")."""
    handed: list[Any] = []

    async def on_new_message(message: Any) -> None:
        handed.append(message)
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    await whatsapp._receive_once(incoming, None, on_new_message)
    return handed


async def test_a_message_is_handed_to_rasa_once_under_a_pseudonym(
    graph: list[dict[str, Any]],
) -> None:
    whatsapp = channel()
    incoming = Incoming("111", "436641234567", "wamid.1", NOW - 5, "Hallo")
    (handed,) = await received(whatsapp, incoming)
    assert handed.sender_id == f"whatsapp:dornbirn:{pseudonym('436641234567', 'app-secret')}"
    assert handed.metadata == {"municipality": "dornbirn"}
    assert handed.input_channel == "whatsapp"
    assert graph[0]["to"] == "436641234567" and graph[0]["text"]["body"] == "ok"
    assert await received(whatsapp, incoming) == [], "the retried delivery is dropped"
    assert len(graph) == 1


@pytest.mark.parametrize(
    "incoming",
    [
        Incoming("999", "4366", "wamid.2", NOW, "Hallo"),  # not our number
        Incoming("111", "4366", "wamid.3", NOW - 25 * 3600, "Hallo"),  # a day late
    ],
)
async def test_messages_not_to_answer(incoming: Incoming, graph: list[dict[str, Any]]) -> None:
    assert await received(channel(), incoming) == []
    assert graph == []


@pytest.mark.parametrize(
    ("incoming", "key"),
    [
        (Incoming("111", "4366", "wamid.4", NOW, media=True), "text_only_please"),
        (
            Incoming("111", "4366", "wamid.5", NOW, "x" * (MAX_MESSAGE_LENGTH + 1)),
            "message_too_long",
        ),
    ],
)
async def test_what_cannot_be_processed_is_told_not_handed_on(
    incoming: Incoming, key: str, graph: list[dict[str, Any]]
) -> None:
    assert await received(channel(), incoming) == []
    (told,) = graph
    catalogs = {phrase(code, key, limit=MAX_MESSAGE_LENGTH) for code in ("de", "en", "it")}
    assert told["text"]["body"] in catalogs
