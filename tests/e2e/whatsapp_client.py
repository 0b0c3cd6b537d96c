"""What Meta's servers post to the WhatsApp webhook, signed as Meta signs it."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
import uuid
from typing import Any

import aiohttp
import requests

from bot.channels.whatsapp_messages import pseudonym
from tests.e2e.conftest import WHATSAPP_APP_SECRET, WHATSAPP_NUMBERS

_people = itertools.count(4366400000)


def new_person() -> str:
    """A WhatsApp id (a phone number) nobody in this test run has used."""
    return str(next(_people))


def stored_id(municipality: str, wa_id: str) -> str:
    """The conversation id the channel keeps for a person (never the number)."""
    return f"whatsapp:{municipality}:{pseudonym(wa_id, WHATSAPP_APP_SECRET)}"


def message(wa_id: str, kind: str, message_id: str | None = None, **content: Any) -> dict[str, Any]:
    return {
        "from": wa_id,
        "id": message_id or f"wamid.{uuid.uuid4().hex}",
        "timestamp": str(int(time.time())),
        "type": kind,
        **content,
    }


def text(wa_id: str, body: str, message_id: str | None = None) -> dict[str, Any]:
    return message(wa_id, "text", message_id, text={"body": body})


def pressed(wa_id: str, reply: str, payload: str, title: str) -> dict[str, Any]:
    """A pressed reply button (`button_reply`) or list row (`list_reply`)."""
    interactive = {"type": reply, reply: {"id": payload, "title": title}}
    return message(wa_id, "interactive", interactive=interactive)


def webhook(municipality: str, *messages: dict[str, Any]) -> dict[str, Any]:
    number = WHATSAPP_NUMBERS[municipality]
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": f"43{number}", "phone_number_id": number},
        "contacts": [{"profile": {"name": "A"}, "wa_id": m["from"]} for m in messages],
        "messages": list(messages),
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "waba", "changes": [{"field": "messages", "value": value}]}],
    }


def sign(body: bytes, secret: str = WHATSAPP_APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(
    rasa_url: str, payload: dict[str, Any], signature: str | None = None, timeout: float = 60
) -> requests.Response:
    """POST a webhook body signed with the app secret (or with `signature` as given)."""
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    headers["X-Hub-Signature-256"] = sign(body) if signature is None else signature
    return requests.post(
        f"{rasa_url}/webhooks/whatsapp/webhook", data=body, headers=headers, timeout=timeout
    )


async def converse(
    session: aiohttp.ClientSession,
    urls: list[str],
    municipality: str,
    person: str,
    texts: list[str],
    *,
    retried: bool = False,
) -> list[str]:
    """One person's messages, each waiting for the answer; message n goes to instance
    n mod k. With `retried`, each delivery also reaches the next instance at the same
    moment, as Meta's retry of a slow answer does. Returns the texts as sent."""
    for turn, said in enumerate(texts):
        body = json.dumps(webhook(municipality, text(person, said))).encode()
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(body)}
        targets = [urls[turn % len(urls)]]
        if retried:
            targets.append(urls[(turn + 1) % len(urls)])
        answers = await asyncio.gather(
            *(
                session.post(f"{url}/webhooks/whatsapp/webhook", data=body, headers=headers)
                for url in targets
            )
        )
        for answer in answers:
            assert answer.status == 200, await answer.text()
    return texts
