"""Telegram updates in Rasa's terms, bot configuration and keyboards."""

from __future__ import annotations

import pytest

from bot.channels.telegram import bots_from_environment, inline_keyboard, parse_update


def test_text_with_language_hint_and_municipality() -> None:
    update = {
        "message": {
            "chat": {"id": 42},
            "from": {"id": 42, "language_code": "uk-UA"},
            "text": "привіт",
        }
    }
    incoming = parse_update(update, "kranj")
    assert incoming is not None
    assert (incoming.chat_id, incoming.text) == (42, "привіт")
    assert incoming.metadata == {"municipality": "kranj", "language": "uk"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("/privacy", "/ask_privacy"),
        ("/privacy@kranj_welcome_bot", "/ask_privacy"),
        ("/start", "/greet"),
        ("/help", "/help"),
        ("/unknown", "/unknown"),
        ("privacy please", "privacy please"),
    ],
)
def test_standard_commands_become_intents(text: str, expected: str) -> None:
    incoming = parse_update({"message": {"chat": {"id": 7}, "text": text}}, "kranj")
    assert incoming is not None and incoming.text == expected


def test_location_becomes_a_lookup_with_coordinates() -> None:
    update = {"message": {"chat": {"id": 7}, "location": {"latitude": 46.2, "longitude": 14.3}}}
    incoming = parse_update(update, "kranj")
    assert incoming is not None and incoming.text == "/find_service"
    assert incoming.metadata["location"] == {"lat": 46.2, "lon": 14.3}


def test_callback_query_carries_the_payload() -> None:
    update = {
        "callback_query": {
            "id": "9",
            "from": {"language_code": "ar"},
            "message": {"chat": {"id": 5}},
            "data": "/ask_housing",
        }
    }
    incoming = parse_update(update, "bolzano")
    assert incoming is not None
    assert (incoming.text, incoming.callback_query_id, incoming.metadata["language"]) == (
        "/ask_housing",
        "9",
        "ar",
    )


@pytest.mark.parametrize(
    "update", [{}, {"message": {"chat": {"id": 1}, "pinned_message": {}}}, {"edited_message": {}}]
)
def test_other_updates_are_ignored(update: dict) -> None:
    assert parse_update(update, "kranj") is None


@pytest.mark.parametrize("kind", ["voice", "photo", "sticker", "document"])
def test_media_is_marked_so_the_person_is_asked_to_write(kind: str) -> None:
    incoming = parse_update({"message": {"chat": {"id": 1}, kind: {}}}, "kranj")
    assert incoming is not None and incoming.media and incoming.text == ""


def test_bots_from_environment() -> None:
    env = {
        "TELEGRAM_MUNICIPALITIES": "kranj, san-candido",
        "TELEGRAM_TOKEN_KRANJ": "1:a",
        "TELEGRAM_SECRET_KRANJ": "s1",
        "TELEGRAM_TOKEN_SAN_CANDIDO": "2:b",
        "TELEGRAM_SECRET_SAN_CANDIDO": "s2",
    }
    bots = bots_from_environment(env)
    assert sorted(bots) == ["kranj", "san-candido"]
    assert bots["san-candido"].token == "2:b"
    assert bots_from_environment({}) == {}
    with pytest.raises(ValueError, match="TELEGRAM_SECRET_KRANJ"):
        bots_from_environment({"TELEGRAM_MUNICIPALITIES": "kranj", "TELEGRAM_TOKEN_KRANJ": "x"})


def test_inline_keyboard_one_button_a_row_within_telegrams_limit() -> None:
    keyboard = inline_keyboard([{"title": "Wohnen", "payload": "/ask_housing"}])
    assert keyboard == {"inline_keyboard": [[{"text": "Wohnen", "callback_data": "/ask_housing"}]]}
    assert inline_keyboard([{"title": "x", "payload": "/" + "a" * 64}]) is None


class _RecordingApi:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []

    async def call(self, method: str, payload: dict) -> None:
        self.calls.append((method, payload))


async def test_the_counter_card_is_one_plain_message_never_raw_json() -> None:
    from bot.channels.telegram import TelegramOutput

    api = _RecordingApi()
    output = TelegramOutput(api, 42)  # type: ignore[arg-type]
    card = {"sides": [{"lang": "ar", "dir": "rtl", "text": "أحتاج إلى دواء."}]}
    await output.send_response(
        "42", {"text": "أحتاج إلى دواء.\nFarmacia", "custom": {"counter_card": card}}
    )
    assert [method for method, _ in api.calls] == ["sendMessage"]
    assert api.calls[0][1]["text"] == "أحتاج إلى دواء.\nFarmacia"


async def test_a_reply_longer_than_a_message_is_split_with_the_keyboard_on_the_last() -> None:
    from bot.channels.telegram import TelegramOutput

    api = _RecordingApi()
    output = TelegramOutput(api, 42)  # type: ignore[arg-type]
    lines = [f"{n}. Beratung {n}, Marktplatz {n}, 6850 Dornbirn" for n in range(150)]
    buttons = [{"title": "Wohnen", "payload": "/ask_housing"}]
    await output.send_response("42", {"text": "\n".join(lines), "buttons": buttons})
    texts = [payload["text"] for _, payload in api.calls]
    assert len(texts) == 2 and all(len(text) <= 4096 for text in texts)
    assert "\n".join(texts) == "\n".join(lines)
    assert "reply_markup" in api.calls[-1][1] and "reply_markup" not in api.calls[0][1]
    assert output.sent == 1
