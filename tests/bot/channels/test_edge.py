"""The edge checks every channel applies before a message reaches Rasa."""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels.edge import (
    MAX_MESSAGE_LENGTH,
    MAX_SENDER_LENGTH,
    RefusedError,
    check_language,
    check_message,
    check_metadata,
    check_sender,
    conversation_id,
    json_object,
)


@pytest.mark.parametrize(
    "text",
    [
        "Wo finde ich eine Wohnung?",
        "سلام، دکتر می\u200cخواهم",  # the zero-width non-joiner Persian needs
        "שלום \u202bmixed\u202c",  # bidi embedding controls are format characters, allowed
        "line one\nline two\twith a tab\r\n",
        "👍🏽 e\u0301",
    ],
)
def test_real_text_passes_unchanged(text: str) -> None:
    assert check_message(text) == text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("hi\udc00", "surrogate"),
        ("\ud800", "surrogate"),
        ("a\u0000b", "control"),
        ("bell\u0007", "control"),
        ("esc\u001b[31m", "control"),
        ("c1\u0085", "control"),
        ("", "non-empty"),
        ("   \n", "non-empty"),
        (5, "non-empty"),
        (None, "non-empty"),
        (["hi"], "non-empty"),
        ("x" * (MAX_MESSAGE_LENGTH + 1), str(MAX_MESSAGE_LENGTH)),
    ],
)
def test_bad_messages_are_refused_with_a_reason(text: Any, reason: str) -> None:
    with pytest.raises(RefusedError, match=reason):
        check_message(text)


def test_sender_length_and_characters() -> None:
    assert check_sender("user-1") == "user-1"
    with pytest.raises(RefusedError, match=str(MAX_SENDER_LENGTH)):
        check_sender("s" * (MAX_SENDER_LENGTH + 1))
    with pytest.raises(RefusedError, match="surrogate"):
        check_sender("x\udc00")
    with pytest.raises(RefusedError, match="control"):
        check_sender("a\u0000b")


def test_conversation_ids_belong_to_their_channel() -> None:
    forged = conversation_id("rest", "telegram:kranj:4711")
    assert forged == "rest:telegram:kranj:4711"
    assert forged != conversation_id("telegram", "kranj:4711")


def test_allowed_metadata_is_normalised() -> None:
    checked = check_metadata(
        {
            "municipality": "Kranj",
            "language": "uk-UA",
            "location": {"lat": 46, "lon": 14.3},
            "text_only": True,
        }
    )
    assert checked == {
        "municipality": "kranj",
        "language": "uk",
        "location": {"lat": 46.0, "lon": 14.3},
        "text_only": True,
    }
    assert check_metadata(None) == {}
    assert check_metadata({"language": None}) == {}, "a null value is no value"


@pytest.mark.parametrize(
    ("metadata", "reason"),
    [
        ("kranj", "JSON object"),
        ([1], "JSON object"),
        ({"municipality": ["kranj"]}, "municipality"),
        ({"municipality": {"id": "kranj"}}, "municipality"),
        ({"municipality": "../etc"}, "municipality"),
        ({"municipality": "k" * 65}, "municipality"),
        ({"language": 7}, "language"),
        ({"language": "deutsch bitte"}, "language"),
        ({"location": {"lat": float("nan"), "lon": 14}}, "location"),
        ({"location": {"lat": 1e308, "lon": 14}}, "location"),
        ({"location": {"lat": 10**400, "lon": 14}}, "location"),
        ({"location": {"lat": True, "lon": 14}}, "location"),
        ({"location": {"lat": 46, "lon": 14, "accuracy": 3}}, "location"),
        ({"location": [46, 14]}, "location"),
        ({"text_only": "yes"}, "true or false"),
        ({"pad": "x" * 60_000}, "unknown keys"),
        ({"note": float("nan")}, "unknown keys"),
    ],
)
def test_bad_metadata_is_refused(metadata: Any, reason: str) -> None:
    with pytest.raises(RefusedError, match=reason):
        check_metadata(metadata)


def test_language_tags() -> None:
    assert check_language("pt-BR") == "pt"
    assert check_language("FA") == "fa"
    with pytest.raises(RefusedError):
        check_language("")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"sender": "\xe0\xa0\xc3x", "message": "hi"}', "UTF-8"),  # found by the fuzz suite
        (b'{"sender": "x", "message": "hi"', "JSON"),
        (b"[" * 5000 + b"]" * 5000, "JSON"),
        (b'["sender", "x"]', "object"),
        (b"{}" + b" " * 20_000, "larger"),
    ],
    ids=["broken utf-8", "cut off", "nested 5000 deep", "a list", "too large"],
)
def test_bodies_that_are_not_a_json_object_in_utf8_are_refused(body: bytes, reason: str) -> None:
    with pytest.raises(RefusedError, match=reason):
        json_object(body, max_bytes=20_000)


def test_a_json_object_in_utf8_is_read() -> None:
    assert json_object('{"message": "Grüß Gott"}'.encode(), 100) == {"message": "Grüß Gott"}
