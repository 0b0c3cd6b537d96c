"""The REST channel at /webhooks/rest/webhook, refusing malformed requests with a 400.

Rasa's own RestInput crashes (500) or processes `None` when `sender` or `message` is missing
or not text; this one checks the body at the edge first (bot/channels/edge.py). The sender's
conversation is stored as "rest:<sender>", so a REST client can only reach REST
conversations. Each reply also carries `language` and `direction` ("rtl" for Arabic and
Persian) so clients can lay it out. Configured in credentials.yml.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import runtime
from bot.channels.address import AddressLimit
from bot.channels.choices import numbered
from bot.channels.delivery import deliver
from bot.channels.edge import (
    RefusedError,
    check_message,
    check_metadata,
    check_sender,
    conversation_id,
    json_object,
)
from bot.channels.ratelimit import RateLimiter

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024  # a message, its metadata and JSON escapes fit many times over
REPLY_LAYOUT_KEYS = ("language", "direction")


def _body(request: Request) -> Dict[str, Any]:
    cached = getattr(request.ctx, "checked_body", None)
    if cached is None:
        cached = request.ctx.checked_body = json_object(request.body or b"", MAX_BODY_BYTES)
    return cached


class LayoutCollectingOutputChannel(CollectingOutputChannel):
    """Collects replies like Rasa's, keeping the NLG's `language` and `direction`; for a
    text-only client, buttons become numbered choices in the text."""

    def __init__(self, text_only: bool = False, reply_to: Optional[str] = None) -> None:
        super().__init__()
        self.text_only = text_only
        self.reply_to = reply_to
        self.offered = 0  # buttons numbered so far in this turn

    @property
    def sent(self) -> int:
        return len(self.messages)

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        first_new = len(self.messages)
        message = dict(message)
        if self.text_only and message.get("buttons"):
            buttons = message.pop("buttons")
            language = str(message.get("language") or "en")
            text = str(message.get("text") or "")
            message["text"] = numbered(text, buttons, language, self.offered + 1)
            self.offered += len(buttons)
        await super().send_response(recipient_id, dict(message))
        layout = {key: message[key] for key in REPLY_LAYOUT_KEYS if message.get(key)}
        if self.reply_to is not None:  # the client's own sender id, not the stored one
            layout["recipient_id"] = self.reply_to
        for collected in self.messages[first_new:]:
            collected.update(layout)


class ValidatingRestInput(RestInput):
    """RestInput that answers 400 to bodies the edge refuses (bot/channels/edge.py)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    limiter = RateLimiter()
    addresses = AddressLimit()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        """Rasa's REST routes, with validation first and layout-aware replies (no streaming)."""
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.listener("before_server_start")
        async def json_errors(app: Any, loop: Any) -> None:
            # errors Sanic raises before any route (headers or URL over 8 KB: 413) in JSON,
            # like every refusal of the channels, instead of Sanic's plain text
            app.config.FALLBACK_ERROR_FORMAT = "json"
            runtime.check_action_responses_once_compiled()

        @webhook.listener("after_server_start")
        async def freeze(app: Any, loop: Any) -> None:
            # after Rasa's own start listener has loaded the model
            runtime.freeze_loaded_objects()

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender = await self._extract_sender(request)
                text = self._extract_message(request)
                metadata = self.get_metadata(request)
            except RefusedError as refused:
                return response.json({"error": str(refused)}, status=400)
            conversation = conversation_id(self.name(), sender)
            # the address first, so a refused burst of made-up senders leaves no entries
            if not self.addresses.allow_request(request) or not self.limiter.allow(conversation):
                return response.json(
                    {"error": "Too many messages; please wait a minute."}, status=429
                )
            agent = getattr(request.app.ctx, "agent", None)
            collector = LayoutCollectingOutputChannel(bool(metadata.get("text_only")), sender)
            await deliver(
                on_new_message, agent, text, collector, conversation, self.name(), metadata
            )
            return response.json(collector.messages)

        return webhook

    async def _extract_sender(self, req: Request) -> str:
        return check_sender(_body(req).get("sender"))

    def _extract_message(self, req: Request) -> str:
        return check_message(_body(req).get("message"))

    def get_metadata(self, request: Request) -> Dict[str, Any]:
        return check_metadata(_body(request).get("metadata"))
