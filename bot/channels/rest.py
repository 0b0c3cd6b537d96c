"""The REST channel at /webhooks/rest/webhook, refusing malformed requests with a 400.

Rasa's own RestInput crashes (500) or processes `None` when `sender` or `message` is missing
or not text; this one checks the body first. Each reply also carries `language` and
`direction` ("rtl" for Arabic and Persian) so clients can lay it out. Configured in
credentials.yml.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.choices import numbered
from bot.channels.delivery import deliver
from bot.channels.ratelimit import RateLimiter
from bot.geo import on_earth

logger = logging.getLogger(__name__)

MAX_MESSAGE_LENGTH = int(os.environ.get("MAX_MESSAGE_LENGTH", "2000"))
MAX_BODY_BYTES = 64 * 1024  # a message, its metadata and JSON escapes fit many times over
REPLY_LAYOUT_KEYS = ("language", "direction")


def _body(request: Request) -> Dict[str, Any]:
    if len(request.body or b"") > MAX_BODY_BYTES:
        raise InvalidUsage(f"The request body is larger than {MAX_BODY_BYTES} bytes.")
    try:
        body = request.json
    except Exception as error:  # sanic raises its own parse errors
        raise InvalidUsage("The request body must be JSON.") from error
    if not isinstance(body, dict):
        raise InvalidUsage("The request body must be a JSON object.")
    return body


class LayoutCollectingOutputChannel(CollectingOutputChannel):
    """Collects replies like Rasa's, keeping the NLG's `language` and `direction`; for a
    text-only client, buttons become numbered choices in the text."""

    def __init__(self, text_only: bool = False) -> None:
        super().__init__()
        self.text_only = text_only

    @property
    def sent(self) -> int:
        return len(self.messages)

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        first_new = len(self.messages)
        message = dict(message)
        if self.text_only and message.get("buttons"):
            buttons = message.pop("buttons")
            language = str(message.get("language") or "en")
            message["text"] = numbered(str(message.get("text") or ""), buttons, language)
        await super().send_response(recipient_id, dict(message))
        layout = {key: message[key] for key in REPLY_LAYOUT_KEYS if message.get(key)}
        for collected in self.messages[first_new:]:
            collected.update(layout)


class ValidatingRestInput(RestInput):
    """RestInput that answers 400 to bodies without a text `sender` and `message`."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    limiter = RateLimiter()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        """Rasa's REST routes, with validation first and layout-aware replies (no streaming)."""
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender = await self._extract_sender(request)
                text = self._extract_message(request)
                metadata = self.get_metadata(request)
            except InvalidUsage as refused:
                return response.json({"error": str(refused)}, status=400)
            if not self.limiter.allow(sender or ""):
                return response.json(
                    {"error": "Too many messages; please wait a minute."}, status=429
                )
            agent = getattr(request.app.ctx, "agent", None)
            collector = LayoutCollectingOutputChannel(bool((metadata or {}).get("text_only")))
            await deliver(
                on_new_message,
                agent,
                text or "",
                collector,
                sender or "",
                self.name(),
                metadata,
            )
            return response.json(collector.messages)

        return webhook

    async def _extract_sender(self, req: Request) -> Optional[str]:
        sender = _body(req).get("sender")
        if not isinstance(sender, str) or not sender.strip() or len(sender) > 128:
            raise InvalidUsage("'sender' must be a non-empty text of at most 128 characters.")
        return sender

    def _extract_message(self, req: Request) -> Optional[str]:
        message = _body(req).get("message")
        if not isinstance(message, str) or not message.strip():
            raise InvalidUsage("'message' must be a non-empty text.")
        if len(message) > MAX_MESSAGE_LENGTH:
            raise InvalidUsage(f"'message' is longer than {MAX_MESSAGE_LENGTH} characters.")
        return message

    def get_metadata(self, request: Request) -> Optional[Dict[str, Any]]:
        metadata = _body(request).get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise InvalidUsage("'metadata' must be a JSON object.")
        if metadata and "location" in metadata and not _is_location(metadata["location"]):
            raise InvalidUsage("'metadata.location' must be {\"lat\": number, \"lon\": number}.")
        return metadata


def _is_location(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    lat, lon = value.get("lat"), value.get("lon")
    if isinstance(lat, bool) or isinstance(lon, bool):
        return False
    if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
        return False
    return on_earth(lat, lon)
