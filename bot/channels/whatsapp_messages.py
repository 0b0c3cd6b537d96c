"""WhatsApp Business Cloud API messages: what a webhook brings in, and what goes out.

In: texts, pressed reply buttons and list rows, shared locations, and media the assistant
cannot read; status callbacks (sent, delivered, read) are left out. Out: texts split at the
API's limit, up to 3 reply buttons, a list for up to 10 choices, and numbered choices
beyond (bot/channels/choices.py). Pure functions: whatsapp.py does the HTTP.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass, field, replace
from typing import Any, Dict, Iterator, List, Mapping, Optional

from bot.channels.edge import RefusedError, check_characters, check_location
from bot.channels.splitting import split_text, utf16_length

logger = logging.getLogger(__name__)

TEXT_LIMIT = 4096  # characters of a text message
BODY_LIMIT = 1024  # characters of an interactive message's body
MAX_BUTTONS = 3
BUTTON_TITLE_LIMIT = 20
BUTTON_ID_LIMIT = 256
MAX_ROWS = 10
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
ROW_ID_LIMIT = 200
MAX_MESSAGE_AGE_SECONDS = 24 * 3600  # older deliveries are not answered (see `Incoming`)
FIND_SERVICE_PAYLOAD = "/find_service"
# What a person can send that the assistant cannot read: they are asked to write instead.
MEDIA = frozenset({"audio", "image", "video", "document", "sticker", "contacts"})
_WA_ID = re.compile(r"^[A-Za-z0-9._:+-]{1,64}$")
_MESSAGE_ID = re.compile(r"^[A-Za-z0-9._:=+/-]{1,256}$")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # seconds since 1970, as Meta writes them


@dataclass(frozen=True)
class Incoming:
    """One message of a webhook, in the assistant's terms."""

    phone_number_id: str  # the municipality's number that received it
    wa_id: str  # the person's WhatsApp id: used to answer, never stored
    message_id: str
    timestamp: int
    text: str = ""
    metadata: Dict[str, Any] = field(default_factory=dict)
    media: bool = False  # a voice message, a photo...: nothing the assistant can read


def pseudonym(wa_id: str, key: str) -> str:
    """The conversation's stored id for a WhatsApp user: a keyed hash of their id, so the
    tracker store, logs and staff pages never hold a phone number."""
    digest = hmac.new(key.encode("utf-8"), wa_id.encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:24]


def _interactive_reply(message: Mapping[str, Any]) -> Optional[str]:
    """The id of a pressed reply button or list row (the payload we gave it)."""
    interactive = message.get("interactive")
    if not isinstance(interactive, Mapping):
        return None
    reply = interactive.get("button_reply") or interactive.get("list_reply")
    chosen = reply.get("id") if isinstance(reply, Mapping) else None
    return chosen if isinstance(chosen, str) and chosen.strip() else None


def _template_button(message: Mapping[str, Any]) -> Optional[str]:
    """A quick-reply button of a template message: its payload, else its text."""
    button = message.get("button")
    if not isinstance(button, Mapping):
        return None
    chosen = button.get("payload") or button.get("text")
    return chosen if isinstance(chosen, str) and chosen.strip() else None


def _text_of(message: Mapping[str, Any]) -> Optional[str]:
    kind = message.get("type")
    if kind == "text":
        body = message.get("text")
        text = body.get("body") if isinstance(body, Mapping) else None
        return text if isinstance(text, str) and text.strip() else None
    if kind == "interactive":
        return _interactive_reply(message)
    if kind == "button":
        return _template_button(message)
    return None


def parse_message(message: Mapping[str, Any], phone_number_id: str) -> Optional[Incoming]:
    """One entry of a webhook's `messages`; None for what the assistant does not answer
    (reactions, system notices, unknown types). A message whose fields have the wrong form
    raises `RefusedError`."""
    wa_id, message_id = message.get("from"), message.get("id")
    if not isinstance(wa_id, str) or not _WA_ID.match(wa_id):
        raise RefusedError("'from' must be a WhatsApp id.")
    if not isinstance(message_id, str) or not _MESSAGE_ID.match(message_id):
        raise RefusedError("'id' must be a message id.")
    timestamp = message.get("timestamp")
    if isinstance(timestamp, bool) or not _TIMESTAMP.fullmatch(str(timestamp)):
        raise RefusedError("'timestamp' must be whole seconds.")
    kind = message.get("type")
    if not isinstance(kind, str):
        raise RefusedError("'type' must be a name.")
    base = Incoming(phone_number_id, wa_id, message_id, int(str(timestamp)))
    if kind == "location":
        where = message.get("location")
        where = where if isinstance(where, Mapping) else {}
        coordinates = {"lat": where.get("latitude"), "lon": where.get("longitude")}
        location = check_location(coordinates, "location")
        return replace(base, text=FIND_SERVICE_PAYLOAD, metadata={"location": location})
    text = _text_of(message)
    if text is not None:
        return replace(base, text=check_characters(text, f"{kind}"))
    if kind in MEDIA:
        return replace(base, media=True)
    return None


def _changes(body: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """The `value` of every change about messages in a webhook body."""
    entries = body.get("entry")
    for entry in entries if isinstance(entries, list) else []:
        changes = entry.get("changes") if isinstance(entry, Mapping) else None
        for change in changes if isinstance(changes, list) else []:
            if isinstance(change, Mapping) and change.get("field") == "messages":
                value = change.get("value")
                if isinstance(value, Mapping):
                    yield value


def parse_webhook(body: Mapping[str, Any]) -> List[Incoming]:
    """The messages of a webhook body, in the order given. Status callbacks are left out;
    so is a message whose fields have the wrong form (logged, not fatal to the others:
    the body is signed by Meta, and answering it with an error would only make Meta
    retry it for a week)."""
    found: List[Incoming] = []
    for value in _changes(body):
        metadata = value.get("metadata")
        number = metadata.get("phone_number_id") if isinstance(metadata, Mapping) else None
        messages = value.get("messages")
        if not isinstance(number, str) or not isinstance(messages, list):
            continue
        for message in messages:
            try:
                parsed = parse_message(message, number) if isinstance(message, Mapping) else None
            except RefusedError as refused:
                logger.warning("WhatsApp message left out: %s", refused)
                continue
            if parsed is not None:
                found.append(parsed)
        errors = value.get("errors")
        for error in errors if isinstance(errors, list) else []:
            if isinstance(error, Mapping):
                logger.warning("WhatsApp reports error %s", error.get("code"))
    return found


# ---- out ----------------------------------------------------------------------------


def text_messages(to: str, text: str) -> List[Dict[str, Any]]:
    """A text in as many messages as the API's limit needs; links get a preview."""
    return [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "type": "text",
            "text": {"body": piece, "preview_url": "https://" in piece or "http://" in piece},
        }
        for piece in split_text(text, TEXT_LIMIT)
    ]


def _interactive(to: str, body: str, interactive: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "interactive",
        "interactive": {"body": {"text": body}, **interactive},
    }


def _fits(text: str, limit: int) -> bool:
    return 0 < utf16_length(text) <= limit


def reply_buttons(buttons: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """Up to 3 reply buttons, if every title and payload fits; else None."""
    if not 0 < len(buttons) <= MAX_BUTTONS:
        return None
    replies: List[Dict[str, Any]] = []
    for button in buttons:
        title, payload = str(button.get("title", "")), str(button.get("payload", ""))
        if not _fits(title, BUTTON_TITLE_LIMIT) or not _fits(payload, BUTTON_ID_LIMIT):
            return None
        replies.append({"type": "reply", "reply": {"id": payload, "title": title}})
    if len({reply["reply"]["id"] for reply in replies}) < len(replies):
        return None  # button ids must be unique in a message
    return {"type": "button", "action": {"buttons": replies}}


def _row(button: Dict[str, Any]) -> Optional[Dict[str, str]]:
    """A list row: the title, or a shortened title with the whole of it as description."""
    title, payload = str(button.get("title", "")), str(button.get("payload", ""))
    if not _fits(payload, ROW_ID_LIMIT) or not title.strip():
        return None
    if _fits(title, ROW_TITLE_LIMIT):
        return {"id": payload, "title": title}
    if not _fits(title, ROW_DESCRIPTION_LIMIT):
        return None
    short = split_text(title, ROW_TITLE_LIMIT - 1)[0].rstrip(" ,.;:") + "…"
    return {"id": payload, "title": short, "description": title}


def choice_list(buttons: List[Dict[str, Any]], label: str) -> Optional[Dict[str, Any]]:
    """A list message for up to 10 choices, opened by a button named `label`; None if a
    choice cannot be shown whole as a row."""
    if not 0 < len(buttons) <= MAX_ROWS or not _fits(label, BUTTON_TITLE_LIMIT):
        return None
    rows = [_row(button) for button in buttons]
    if any(row is None for row in rows) or len({row["id"] for row in rows if row}) < len(rows):
        return None  # row ids must be unique in a list
    return {"type": "list", "action": {"button": label, "sections": [{"rows": rows}]}}


def choice_messages(
    to: str, text: str, buttons: List[Dict[str, Any]], list_label: str
) -> Optional[List[Dict[str, Any]]]:
    """The text with its choices as reply buttons or a list; a text too long for an
    interactive body goes first in text messages of its own. None if neither fits (the
    caller sends numbered choices)."""
    interactive = reply_buttons(buttons) or choice_list(buttons, list_label)
    if interactive is None or not text.strip():
        return None
    pieces = split_text(text, TEXT_LIMIT)
    last = pieces.pop()
    if utf16_length(last) > BODY_LIMIT:
        *before, last = split_text(last, BODY_LIMIT)
        pieces += before
    leading = [message for piece in pieces for message in text_messages(to, piece)]
    return [*leading, _interactive(to, last, interactive)]
