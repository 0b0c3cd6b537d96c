"""WhatsApp webhooks in the assistant's terms, and replies in the forms WhatsApp shows."""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels.edge import RefusedError
from bot.channels.splitting import utf16_length
from bot.channels.whatsapp_messages import (
    BODY_LIMIT,
    choice_list,
    choice_messages,
    parse_message,
    parse_webhook,
    pseudonym,
    reply_buttons,
    text_messages,
)

NUMBER = "109876543210"


def message(kind: str, **content: Any) -> dict[str, Any]:
    return {
        "from": "436641234567",
        "id": "wamid.HBgM",
        "timestamp": "1792000000",
        "type": kind,
        **content,
    }


def webhook(*messages: dict[str, Any], statuses: bool = False) -> dict[str, Any]:
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "43557230", "phone_number_id": NUMBER},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": "A"}, "wa_id": "436641234567"}]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = [{"id": "wamid.x", "status": "read", "timestamp": "1"}]
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}],
    }


def test_text_message() -> None:
    (incoming,) = parse_webhook(webhook(message("text", text={"body": "مرحبا"})))
    assert (incoming.phone_number_id, incoming.wa_id, incoming.text) == (
        NUMBER,
        "436641234567",
        "مرحبا",
    )
    assert (incoming.message_id, incoming.timestamp, incoming.metadata) == (
        "wamid.HBgM",
        1792000000,
        {},
    )


@pytest.mark.parametrize("reply", ["button_reply", "list_reply"])
def test_pressed_button_or_list_row_gives_its_payload(reply: str) -> None:
    interactive = {"type": reply, reply: {"id": "/ask_housing", "title": "Wohnen"}}
    incoming = parse_message(message("interactive", interactive=interactive), NUMBER)
    assert incoming is not None and incoming.text == "/ask_housing"


def test_template_quick_reply_gives_its_payload() -> None:
    incoming = parse_message(message("button", button={"payload": "/greet", "text": "Hi"}), NUMBER)
    assert incoming is not None and incoming.text == "/greet"


def test_location_becomes_a_lookup_with_coordinates_only() -> None:
    where = {"latitude": 47.41, "longitude": 9.74, "name": "Home", "address": "Marktstraße 1"}
    incoming = parse_message(message("location", location=where), NUMBER)
    assert incoming is not None and incoming.text == "/find_service"
    assert incoming.metadata == {"location": {"lat": 47.41, "lon": 9.74}}


@pytest.mark.parametrize("kind", ["audio", "image", "sticker", "document", "video", "contacts"])
def test_media_is_marked_so_the_person_is_asked_to_write(kind: str) -> None:
    incoming = parse_message(message(kind, **{kind: {"id": "1"}}), NUMBER)
    assert incoming is not None and incoming.media and incoming.text == ""


@pytest.mark.parametrize("kind", ["reaction", "system", "unsupported", "order"])
def test_other_kinds_are_left_out(kind: str) -> None:
    assert parse_message(message(kind), NUMBER) is None


def test_status_callbacks_are_left_out() -> None:
    assert parse_webhook(webhook(statuses=True)) == []


@pytest.mark.parametrize(
    "change",
    [
        {"from": 436641234567},
        {"id": "wamid with spaces"},
        {"timestamp": "yesterday"},
        {"timestamp": "1" + "0" * 400},  # a whole number no clock can compare with
        {"timestamp": "1_792_000_000"},
        {"timestamp": True},
        {"type": ["text"]},
        {"type": {"name": "text"}},
        {"type": "text", "text": {"body": "a\x00b"}},
        {"type": "location", "location": {"latitude": 91, "longitude": 0}},
    ],
)
def test_malformed_fields_are_refused(change: dict[str, Any]) -> None:
    with pytest.raises(RefusedError):
        parse_message({**message("text", text={"body": "x"}), **change}, NUMBER)


def test_a_malformed_message_does_not_stop_the_others_in_a_batch() -> None:
    good = message("text", text={"body": "Hallo"})
    bad = {**message("text", text={"body": "x"}), "id": "bad id"}
    assert [m.text for m in parse_webhook(webhook(bad, good))] == ["Hallo"]


@pytest.mark.parametrize("errors", [5, True, "x", {"code": 1}, [1, None]])
def test_errors_of_any_shape_leave_the_messages_answered(errors: Any) -> None:
    body = webhook(message("text", text={"body": "Hallo"}))
    body["entry"][0]["changes"][0]["value"]["errors"] = errors
    assert [m.text for m in parse_webhook(body)] == ["Hallo"]


@pytest.mark.parametrize("body", [{}, {"entry": "x"}, {"entry": [{"changes": [None]}]}])
def test_bodies_of_other_shapes_give_nothing(body: dict[str, Any]) -> None:
    assert parse_webhook(body) == []


def test_the_pseudonym_is_stable_keyed_and_not_the_number() -> None:
    first = pseudonym("436641234567", "secret")
    assert first == pseudonym("436641234567", "secret")
    assert first != pseudonym("436641234567", "other secret")
    assert "436641234567" not in first and len(first) == 24


def test_text_is_split_and_links_get_a_preview() -> None:
    sent = text_messages("4366", "see https://dornbirn.at\n" + "x " * 3000)
    assert sent[0]["text"] == {"body": "see https://dornbirn.at", "preview_url": True}
    assert len(sent) == 3 and sent[1]["text"]["preview_url"] is False
    assert all(len(m["text"]["body"]) <= 4096 and m["to"] == "4366" for m in sent)


BUTTONS = [
    {"title": "Wohnen", "payload": "/ask_housing"},
    {"title": "Arbeit", "payload": "/ask_jobs"},
]


def test_up_to_three_short_choices_are_reply_buttons() -> None:
    assert reply_buttons(BUTTONS) == {
        "type": "button",
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": "/ask_housing", "title": "Wohnen"}},
                {"type": "reply", "reply": {"id": "/ask_jobs", "title": "Arbeit"}},
            ]
        },
    }
    assert reply_buttons(BUTTONS * 2) is None, "four are too many"
    assert reply_buttons([{"title": "x" * 21, "payload": "/a"}]) is None, "title over 20"
    assert reply_buttons([BUTTONS[0], BUTTONS[0]]) is None, "ids must be unique"


def test_four_to_ten_choices_are_a_list_with_long_titles_whole_in_the_description() -> None:
    long_title = "Wo kann ich mich anmelden und was brauche ich dafür?"
    buttons = [
        *BUTTONS,
        {"title": long_title, "payload": '/faq{"id":"register"}'},
        BUTTONS[0] | {"payload": "/x"},
    ]
    listed = choice_list(buttons, "Auswählen")
    assert listed is not None
    rows = listed["action"]["sections"][0]["rows"]
    assert [row["id"] for row in rows] == [b["payload"] for b in buttons]
    assert all(utf16_length(row["title"]) <= 24 for row in rows)
    assert rows[2]["title"].endswith("…") and rows[2]["description"] == long_title
    assert listed["action"]["button"] == "Auswählen"
    assert choice_list(BUTTONS * 6, "Auswählen") is None, "over ten rows"
    assert choice_list([{"title": "x" * 73, "payload": "/a"}], "Auswählen") is None


def test_a_long_text_with_buttons_goes_first_and_the_body_fits() -> None:
    text = "Ein langer Satz über Wohnungen in Dornbirn. " * 60
    sent = choice_messages("4366", text, BUTTONS, "Auswählen")
    assert sent is not None and sent[-1]["type"] == "interactive"
    body = sent[-1]["interactive"]["body"]["text"]
    assert len(body) <= BODY_LIMIT
    assert all(m["type"] == "text" for m in sent[:-1])
    said = " ".join([*(m["text"]["body"] for m in sent[:-1]), body])
    assert said.split() == text.split()


def test_choices_that_fit_neither_form_are_left_to_numbered_choices() -> None:
    many = [{"title": f"Angebot {n}", "payload": f"/s{n}"} for n in range(11)]
    assert choice_messages("4366", "Wählen Sie", many, "Auswählen") is None
    assert choice_messages("4366", "", BUTTONS, "Auswählen") is None, "a body is required"
