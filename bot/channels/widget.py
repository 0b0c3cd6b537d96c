"""The embeddable web widget, served by the Rasa process itself, talking socket.io.

    <script src="https://bot.example.org/webhooks/widget/widget.js"
            data-municipality="kranj" data-language="de" defer></script>

Demo page: /webhooks/widget/ ; script: /webhooks/widget/widget.js ; socket.io endpoint:
/webhooks/widget/socket.io. Unlike Rasa 3.6's socket.io channel, a session is joined before it
is confirmed (`enter_room` awaited), so a reloaded page keeps its conversation: the widget keeps
the session id and the transcript in the tab's sessionStorage and asks for the same session.
A session's conversation is stored as "widget:<session id>" (bot/channels/edge.py).

Origins allowed to connect (bot/channels/origins.py): WIDGET_ALLOWED_ORIGINS (comma-separated)
and the bot's own pages; without it only pages on this machine (localhost), and the
production profile refuses to start. The origin "null" (sandboxed frames, file pages) never.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.address import AddressLimit
from bot.channels.delivery import deliver
from bot.channels.edge import RefusedError, check_message, check_metadata, conversation_id
from bot.channels.origins import OriginPolicy
from bot.channels.ratelimit import RateLimiter
from bot.channels.rest import REPLY_LAYOUT_KEYS
from bot.language.registry import settings
from bot.locales.catalog import load_catalog

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "widget_static"
FILES = {
    "widget.js": "application/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
    "socket.io.min.js": "application/javascript; charset=utf-8",
}
SOCKET_PATH = "/webhooks/widget/socket.io"
_SESSION = re.compile(r"^[0-9a-f]{32}$")


def widget_strings() -> Dict[str, Any]:
    """The widget's own wording in every language, from the catalogs (`widget_*` phrases)."""
    languages = settings().languages
    return {
        "default": settings().default,
        "languages": [
            {"code": lang.code, "name": lang.name, "direction": lang.direction}
            for lang in languages
        ],
        "strings": {
            lang.code: {
                key.removeprefix("widget_"): text
                for key, text in load_catalog(lang.code).get("phrases", {}).items()
                if key.startswith("widget_")
            }
            for lang in languages
        },
    }


class RefusingServer(AsyncServer):
    """A socket.io server that answers a frame it cannot decode (broken JSON, a number of
    thousands of digits, nesting thousands deep) with `refused` instead of silence."""

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        try:
            await super()._handle_eio_message(eio_sid, data)
        except (ValueError, RecursionError) as error:  # RecursionError: nesting too deep
            sid = self.manager.sid_from_eio_sid(eio_sid, "/")
            logger.info("Widget frame refused: %s", type(error).__name__)
            if sid:
                await self.emit("refused", {"reason": "the message could not be read"}, to=sid)


class WidgetOutput(OutputChannel):
    """Sends replies to every tab of one session."""

    @classmethod
    def name(cls) -> str:
        return "widget"

    def __init__(self, sio: AsyncServer, session_id: str) -> None:
        self._sio, self._session_id = sio, session_id
        self.sent = 0

    async def emit(self, message: Dict[str, Any]) -> None:
        self.sent += 1
        await self._sio.emit("bot_uttered", message, room=self._session_id)

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        reply: Dict[str, Any] = {"text": str(message.get("text") or "")}
        buttons = message.get("buttons") or message.get("quick_replies") or []
        if buttons:
            reply["buttons"] = [
                {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                for b in buttons
            ]
        reply.update({k: message[k] for k in REPLY_LAYOUT_KEYS if message.get(k)})
        card = (message.get("custom") or {}).get("counter_card")
        if isinstance(card, dict):  # printed large, each language in its own direction
            reply["card"] = card
        if reply["text"] or buttons:
            await self.emit(reply)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.emit({"text": text})


class WidgetInput(InputChannel):
    """Socket.io endpoint, demo page and static files of the web widget."""

    @classmethod
    def name(cls) -> str:
        return "widget"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        return cls(OriginPolicy.from_environment(os.environ))

    def __init__(self, origins: Optional[OriginPolicy] = None) -> None:
        self.origins = origins or OriginPolicy()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> SocketBlueprint:
        sio = RefusingServer(async_mode="sanic", cors_allowed_origins=self.origins.allows)
        limiter = RateLimiter()
        addresses = AddressLimit()
        blueprint = SocketBlueprint(sio, SOCKET_PATH, f"custom_webhook_{type(self).__name__}")

        @blueprint.route("/", methods=["GET"], strict_slashes=False)
        async def demo(request: Request) -> HTTPResponse:
            return _demo_page()

        @blueprint.route("/strings.json", methods=["GET"])
        async def strings(request: Request) -> HTTPResponse:
            return response.json(widget_strings())

        @blueprint.route("/<name>", methods=["GET"])
        async def static(request: Request, name: str) -> HTTPResponse:
            if name in ("", "index.html"):
                return _demo_page()
            if name not in FILES:
                return response.json({"error": "not found"}, status=404)
            body = (STATIC / name).read_text("utf-8")
            return response.text(body, content_type=FILES[name])

        @sio.on("session_request")
        async def session_request(sid: str, data: Any = None) -> None:
            wanted = data.get("session_id") if isinstance(data, dict) else None
            session_id = wanted if isinstance(wanted, str) and _SESSION.match(wanted) else None
            session_id = session_id or uuid.uuid4().hex
            await sio.enter_room(sid, session_id)
            await sio.save_session(sid, {"session_id": session_id})
            await sio.emit("session_confirm", {"session_id": session_id}, room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: Any = None, *extra: Any) -> None:
            session = await sio.get_session(sid)
            session_id = session.get("session_id") if session else None
            if not session_id or not isinstance(data, dict):
                await sio.emit("refused", {"reason": "no session or no message"}, room=sid)
                return
            try:
                text = check_message(data.get("message"))
                metadata = check_metadata(data.get("metadata"))
            except RefusedError as refused:
                await sio.emit("refused", {"reason": str(refused)}, room=sid)
                return
            conversation = conversation_id(self.name(), session_id)
            allowed = addresses.allow_socket(sio.get_environ(sid)) and limiter.allow(conversation)
            if not allowed:
                await sio.emit("refused", {"reason": "too many messages"}, room=sid)
                return
            agent = getattr(getattr(getattr(sio, "sanic_app", None), "ctx", None), "agent", None)
            output = WidgetOutput(sio, session_id)
            await deliver(on_new_message, agent, text, output, conversation, self.name(), metadata)

        @blueprint.listener("after_server_start")
        async def remember_app(app: Any, loop: Any) -> None:
            sio.sanic_app = app

        return blueprint


def _demo_page() -> HTTPResponse:
    page = (STATIC / "demo.html").read_text("utf-8")
    return response.html(page, headers={"Content-Security-Policy": _CSP})


_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; frame-ancestors 'self'"
)
