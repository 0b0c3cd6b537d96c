"""WhatsApp Business Cloud API: one deployment, one number per municipality.

Configured only from the environment (docs/channels.md):

    WHATSAPP_MUNICIPALITIES=dornbirn,kranj
    WHATSAPP_PHONE_NUMBER_ID_DORNBIRN=109876543210     (the number's id, not the number)
    WHATSAPP_ACCESS_TOKEN=<system user token>           (WHATSAPP_ACCESS_TOKEN_<ID> overrides)
    WHATSAPP_APP_SECRET=<the Meta app's secret>         (checks every POST's signature)
    WHATSAPP_VERIFY_TOKEN=<random>                      (the webhook's GET handshake)
    WHATSAPP_API_URL=https://graph.facebook.com/v21.0   (optional; tests name a fake)

Meta posts to /webhooks/whatsapp/webhook. A POST whose X-Hub-Signature-256 is not the
HMAC-SHA256 of its raw body with the app secret gets 403, and nothing of it is processed or
stored. A message is answered from the knowledge of the municipality whose number received
it; the same message id delivered again is answered once, across instances
(bot/channels/deliveries.py). The person's WhatsApp id is used to answer and never stored:
the conversation is kept under a keyed hash of it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.choices import numbered
from bot.channels.deliveries import Deliveries
from bot.channels.delivery import answer
from bot.channels.edge import RefusedError, conversation_id, json_object
from bot.channels.outbound import post_json
from bot.channels.ratelimit import RateLimiter
from bot.channels.whatsapp_messages import (
    MAX_MESSAGE_AGE_SECONDS,
    Incoming,
    choice_messages,
    parse_webhook,
    pseudonym,
    text_messages,
)
from bot.locales.catalog import phrase

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://graph.facebook.com/v21.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"
MAX_BODY_BYTES = 1024 * 1024  # a webhook of a few messages is a few KB
MAX_CHALLENGE_LENGTH = 128
_PHONE_NUMBER_ID = re.compile(r"^[0-9]{1,32}$")
_CHALLENGE = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII, no spaces


@dataclass(frozen=True)
class Number:
    """One municipality's WhatsApp business number."""

    municipality: str
    phone_number_id: str
    access_token: str


@dataclass(frozen=True)
class WhatsAppConfig:
    """The deployment's Meta app and the numbers it serves."""

    numbers: Dict[str, Number]  # by phone number id
    app_secret: str = ""
    verify_token: str = ""
    api_url: str = DEFAULT_API_URL


def _required(environ: Mapping[str, str], name: str) -> str:
    value = environ.get(name, "").strip()
    if not value:
        raise ValueError(f"WhatsApp: set {name} (WHATSAPP_MUNICIPALITIES names municipalities)")
    return value


def config_from_environment(environ: Mapping[str, str]) -> WhatsAppConfig:
    """The numbers of WHATSAPP_MUNICIPALITIES; a missing variable is an error naming it."""
    listed = [m.strip() for m in environ.get("WHATSAPP_MUNICIPALITIES", "").split(",")]
    numbers: Dict[str, Number] = {}
    for municipality in filter(None, listed):
        key = municipality.upper().replace("-", "_")
        number_id = _required(environ, f"WHATSAPP_PHONE_NUMBER_ID_{key}")
        if not _PHONE_NUMBER_ID.match(number_id):
            raise ValueError(f"WhatsApp: WHATSAPP_PHONE_NUMBER_ID_{key} must be digits")
        if number_id in numbers:
            raise ValueError(f"WhatsApp: {municipality} shares its phone number id with another")
        token = environ.get(f"WHATSAPP_ACCESS_TOKEN_{key}") or _required(
            environ, "WHATSAPP_ACCESS_TOKEN"
        )
        numbers[number_id] = Number(municipality, number_id, token)
    if not numbers:
        return WhatsAppConfig({})
    return WhatsAppConfig(
        numbers,
        _required(environ, "WHATSAPP_APP_SECRET"),
        _required(environ, "WHATSAPP_VERIFY_TOKEN"),
        environ.get("WHATSAPP_API_URL") or DEFAULT_API_URL,
    )


def signature_matches(body: bytes, header: str, app_secret: str) -> bool:
    """Whether `header` is `sha256=<hex HMAC-SHA256 of body>`, compared in constant time."""
    if not app_secret:
        return False
    expected = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    try:
        given = header.encode("ascii")
    except UnicodeError:
        return False
    return hmac.compare_digest(given, expected.encode("ascii"))


def verification_answer(args: Mapping[str, Any], verify_token: str) -> Optional[str]:
    """The challenge to echo for a right handshake, else None."""
    mode, token, challenge = (
        args.get(f"hub.{key}") for key in ("mode", "verify_token", "challenge")
    )
    if mode != "subscribe" or not isinstance(token, str) or not verify_token:
        return None
    if not hmac.compare_digest(token.encode("utf-8", "replace"), verify_token.encode("utf-8")):
        return None
    if not isinstance(challenge, str) or len(challenge) > MAX_CHALLENGE_LENGTH:
        return None
    return challenge if _CHALLENGE.match(challenge) else None


class GraphApi:
    """Sends messages from one municipality's number."""

    def __init__(self, base_url: str, number: Number) -> None:
        self._url = f"{base_url.rstrip('/')}/{number.phone_number_id}/messages"
        self._headers = {"Authorization": f"Bearer {number.access_token}"}
        self._what = f"WhatsApp message from {number.municipality}"

    async def send(self, message: Dict[str, Any]) -> bool:
        return await post_json(self._url, message, self._what, self._headers)


class WhatsAppOutput(OutputChannel):
    """The assistant's replies to one person, in the forms WhatsApp shows."""

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    def __init__(self, api: GraphApi, to: str) -> None:
        self._api, self._to = api, to
        self.sent = 0
        self.offered = 0  # buttons offered so far in this turn, for numbered choices

    async def _send_all(self, messages: List[Dict[str, Any]]) -> None:
        self.sent += 1
        for message in messages:
            if not await self._api.send(message):
                return  # the rest would arrive out of context

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send_all(text_messages(self._to, text))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        language = str(kwargs.get("language") or "en")
        start, self.offered = self.offered + 1, self.offered + len(buttons)
        label = phrase(language, "choices_list_button")
        messages = choice_messages(self._to, text, buttons, label)
        if messages is None:  # too many or too long for WhatsApp: numbered choices
            await self.send_text_message(recipient_id, numbered(text, buttons, language, start))
            return
        await self._send_all(messages)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, image)

    async def send_attachment(self, recipient_id: str, attachment: str, **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, attachment)

    async def send_custom_json(
        self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any
    ) -> None:
        """Structured extras (the counter card's layout) are for the widget; the text of the
        same reply has said it all, so nothing more is sent (never raw JSON)."""


class WhatsAppInput(InputChannel):
    """The webhook of the deployment's Meta app, for every municipality's number."""

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        return cls(config_from_environment(os.environ))

    def __init__(self, config: WhatsAppConfig, clock: Callable[[], float] = time.time) -> None:
        self.config = config
        self.limiter = RateLimiter()
        self.deliveries = Deliveries()
        self._clock = clock

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        municipalities = sorted(n.municipality for n in self.config.numbers.values())

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "municipalities": municipalities})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            args = {key: request.args.get(key) for key in request.args}
            challenge = verification_answer(args, self.config.verify_token)
            if challenge is None:
                logger.warning("WhatsApp webhook verification with a wrong token refused")
                return response.text("forbidden", status=403)
            return response.text(challenge)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.body or b""
            if len(body) > MAX_BODY_BYTES:
                return response.json({"error": "too large"}, status=413)
            header = request.headers.get(SIGNATURE_HEADER, "")
            if not signature_matches(body, header, self.config.app_secret):
                logger.warning("WhatsApp webhook with a missing or wrong signature refused")
                return response.json({"error": "forbidden"}, status=403)
            try:
                messages = parse_webhook(json_object(body, MAX_BODY_BYTES))
            except RefusedError as refused:
                return response.json({"error": str(refused)}, status=400)
            agent = getattr(request.app.ctx, "agent", None)
            for incoming in messages:
                await self._receive_once(incoming, agent, on_new_message)
            return response.json({"status": "ok"})

        return webhook

    async def _receive_once(
        self,
        incoming: Incoming,
        agent: Any,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        """Answer one message unless it is for no configured number, too old to answer,
        or a delivery already claimed."""
        number = self.config.numbers.get(incoming.phone_number_id)
        if number is None:
            logger.warning("WhatsApp message for an unknown phone number id; ignored")
            return
        if self._clock() - incoming.timestamp > MAX_MESSAGE_AGE_SECONDS:
            logger.warning("WhatsApp message older than a day delivered late; not answered")
            return
        delivery = f"whatsapp:{incoming.message_id}"
        if not self.deliveries.claim(delivery):
            return  # Meta retried it: answered once already, or being answered
        try:
            await self._answer(number, incoming, agent, on_new_message)
        finally:
            self.deliveries.done(delivery)

    async def _answer(
        self,
        number: Number,
        incoming: Incoming,
        agent: Any,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        person = pseudonym(incoming.wa_id, self.config.app_secret)
        sender = conversation_id(self.name(), f"{number.municipality}:{person}")
        if not self.limiter.allow(sender):
            logger.warning("WhatsApp sender %s sends too many messages; ignored", sender)
            return
        output = WhatsAppOutput(GraphApi(self.config.api_url, number), incoming.wa_id)
        metadata = {"municipality": number.municipality, **incoming.metadata}
        await answer(
            on_new_message,
            agent,
            incoming.text,
            output,
            sender,
            self.name(),
            metadata,
            media=incoming.media,
        )
