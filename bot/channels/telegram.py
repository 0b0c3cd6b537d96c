"""Telegram: one deployment serving a bot per municipality.

Each municipality's bot has its own token and webhook secret, read from the environment:

    TELEGRAM_MUNICIPALITIES=kranj,bolzano
    TELEGRAM_TOKEN_KRANJ=123:abc       TELEGRAM_SECRET_KRANJ=<random>
    TELEGRAM_API_URL=https://api.telegram.org   (optional: a self-hosted Bot API server)

Telegram posts updates to /webhooks/telegram/<municipality> with the secret in the
`X-Telegram-Bot-Api-Secret-Token` header; a wrong or missing secret gets 403 and nothing is
processed. The municipality comes from the bot that received the update, the user's
`language_code` is passed as a language hint, a shared location as coordinates, buttons go out
as inline keyboards and their callback queries come back as the button's payload.
"""

from __future__ import annotations

import hmac
import logging
import os
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.choices import numbered
from bot.channels.deliveries import Deliveries
from bot.channels.delivery import answer
from bot.channels.edge import (
    RefusedError,
    check_characters,
    check_language,
    check_location,
    conversation_id,
    json_object,
)
from bot.channels.outbound import post_json
from bot.channels.ratelimit import RateLimiter
from bot.channels.splitting import split_text

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit for inline button data
TEXT_LIMIT = 4096  # characters of one message; longer replies go in several
MAX_UPDATE_BYTES = 256 * 1024  # a text update is a few KB; Telegram's own limits are lower
FIND_SERVICE_PAYLOAD = "/find_service"
# Telegram's standard commands (shown in the client's menu) and the intents they stand for.
COMMANDS = {"/start": "/greet", "/help": "/help", "/privacy": "/ask_privacy"}
# What a person can send that the assistant cannot read: told to write instead.
MEDIA = ("voice", "audio", "photo", "video", "video_note", "document", "sticker", "contact")


@dataclass(frozen=True)
class BotConfig:
    """One municipality's Telegram bot."""

    municipality: str
    token: str
    secret: str


def bots_from_environment(environ: Mapping[str, str]) -> Dict[str, BotConfig]:
    """The configured bots; a listed municipality without token or secret is an error."""
    bots = {}
    for municipality in filter(
        None, (m.strip() for m in environ.get("TELEGRAM_MUNICIPALITIES", "").split(","))
    ):
        key = municipality.upper().replace("-", "_")
        token = environ.get(f"TELEGRAM_TOKEN_{key}", "")
        secret = environ.get(f"TELEGRAM_SECRET_{key}", "")
        if not token or not secret:
            raise ValueError(
                f"Telegram bot for '{municipality}': set TELEGRAM_TOKEN_{key} and "
                f"TELEGRAM_SECRET_{key}"
            )
        bots[municipality] = BotConfig(municipality, token, secret)
    return bots


@dataclass(frozen=True)
class Incoming:
    """What an update asks the assistant, in Rasa's terms."""

    chat_id: int
    text: str
    metadata: Dict[str, Any]
    callback_query_id: Optional[str] = None
    media: bool = False  # a voice message, a photo...: nothing the assistant can read


def _language_hint(sender: Any) -> Dict[str, Any]:
    """The user's client language as a hint; a malformed one is no hint."""
    raw = sender.get("language_code") if isinstance(sender, Mapping) else None
    try:
        return {"language": check_language(raw)} if raw else {}
    except RefusedError:
        return {}


def _command_to_intent(text: str) -> str:
    """`/privacy` or `/privacy@town_bot` -> `/ask_privacy`; other texts unchanged."""
    command = text.strip().split(maxsplit=1)[0].split("@", 1)[0].lower()
    return COMMANDS.get(command, text)


def _chat_id(container: Any, field: str) -> Optional[int]:
    """The chat id of a message, None without a chat; RefusedError when it is not an id."""
    chat = container.get("chat") if isinstance(container, Mapping) else None
    if not isinstance(chat, Mapping) or "id" not in chat:
        return None
    chat_id = chat["id"]
    if isinstance(chat_id, bool) or not isinstance(chat_id, int) or abs(chat_id) >= 2**53:
        raise RefusedError(f"'{field}.chat.id' must be a whole number.")
    return chat_id


def parse_update(update: Mapping[str, Any], municipality: str) -> Optional[Incoming]:
    """A text, a shared location or a pressed button; None for anything else. An update
    whose fields have the wrong form raises `RefusedError` (the webhook answers 400)."""
    base: Dict[str, Any] = {"municipality": municipality}
    callback = update.get("callback_query")
    if isinstance(callback, Mapping):
        chat_id = _chat_id(callback.get("message"), "callback_query.message")
        data = callback.get("data")
        if chat_id is None or not isinstance(data, str) or not data.strip():
            return None
        if len(data.encode("utf-8", "surrogatepass")) > CALLBACK_DATA_LIMIT:
            raise RefusedError(f"'callback_query.data' is longer than {CALLBACK_DATA_LIMIT} bytes.")
        metadata = {**base, **_language_hint(callback.get("from"))}
        query_id = str(callback.get("id"))[:64]
        return Incoming(chat_id, check_characters(data, "callback_query.data"), metadata, query_id)
    message = update.get("message")
    if not isinstance(message, Mapping):
        return None
    chat_id = _chat_id(message, "message")
    if chat_id is None:
        return None
    metadata = {**base, **_language_hint(message.get("from"))}
    location = message.get("location")
    if isinstance(location, Mapping):
        coordinates = {"lat": location.get("latitude"), "lon": location.get("longitude")}
        checked = check_location(coordinates, "message.location")
        return Incoming(chat_id, FIND_SERVICE_PAYLOAD, {**metadata, "location": checked})
    text = message.get("text")
    if isinstance(text, str) and text.strip():
        return Incoming(
            chat_id, _command_to_intent(check_characters(text, "message.text")), metadata
        )
    if any(key in message for key in MEDIA):
        return Incoming(chat_id, "", metadata, media=True)
    return None


class BotApi:
    """The few Bot API methods the assistant uses."""

    def __init__(self, base_url: str, token: str) -> None:
        self._url = f"{base_url.rstrip('/')}/bot{token}"

    async def call(self, method: str, payload: Dict[str, Any]) -> None:
        await post_json(f"{self._url}/{method}", payload, f"Telegram {method}")


def inline_keyboard(buttons: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """One button per row; None if any payload is too long for Telegram."""
    rows = []
    for button in buttons:
        payload = str(button.get("payload", ""))
        if len(payload.encode("utf-8")) > CALLBACK_DATA_LIMIT:
            return None
        rows.append([{"text": str(button.get("title", "")), "callback_data": payload}])
    return {"inline_keyboard": rows}


class TelegramOutput(OutputChannel):
    """Sends the assistant's replies to one chat through one municipality's bot."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, api: BotApi, chat_id: int) -> None:
        self._api, self._chat_id = api, chat_id
        self.sent = 0
        self.offered = 0  # buttons offered so far in this turn, for numbered choices

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.sent += 1
        for piece in split_text(text, TEXT_LIMIT):
            await self._api.call("sendMessage", {"chat_id": self._chat_id, "text": piece})

    async def send_custom_json(
        self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any
    ) -> None:
        """Structured extras (the counter card's layout) are for the widget; the text of the
        same reply has said it all, so nothing more is sent (never raw JSON)."""

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        keyboard = inline_keyboard(buttons)
        start, self.offered = self.offered + 1, self.offered + len(buttons)
        if keyboard is None:  # too long for Telegram's buttons: numbered choices instead
            language = str(kwargs.get("language") or "en")
            await self.send_text_message(recipient_id, numbered(text, buttons, language, start))
            return
        *leading, last = split_text(text, TEXT_LIMIT) or [text]
        for piece in leading:
            await self._api.call("sendMessage", {"chat_id": self._chat_id, "text": piece})
        payload = {"chat_id": self._chat_id, "text": last, "reply_markup": keyboard}
        self.sent += 1
        await self._api.call("sendMessage", payload)


def _secret_matches(given: str, secret: str) -> bool:
    """Constant-time comparison that also survives header bytes that are not text."""
    try:
        given_bytes = given.encode("utf-8")
    except UnicodeError:
        return False
    return hmac.compare_digest(given_bytes, secret.encode("utf-8"))


class MunicipalTelegramInput(InputChannel):
    """Webhooks of every municipality's Telegram bot."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        return cls(bots_from_environment(os.environ), os.environ.get("TELEGRAM_API_URL"))

    def __init__(self, bots: Dict[str, BotConfig], api_url: Optional[str] = None) -> None:
        self.bots = bots
        self.api_url = api_url or DEFAULT_API_URL
        self.limiter = RateLimiter()
        self.deliveries = Deliveries()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "municipalities": sorted(self.bots)})

        # "/webhooks/telegram/" (as docs/channels.md writes it) reaches this route with an
        # empty name: the same health answer; "/webhooks/telegram/<id>" tells about one bot
        @webhook.route("/<municipality>", methods=["GET"])
        async def bot_health(request: Request, municipality: str) -> HTTPResponse:
            if not municipality:
                return await health(request)
            if municipality not in self.bots:
                return response.json({"error": "unknown bot"}, status=404)
            return response.json({"status": "ok", "municipalities": [municipality]})

        @webhook.route("/<municipality>", methods=["POST"])
        async def receive(request: Request, municipality: str) -> HTTPResponse:
            bot = self.bots.get(municipality)
            if bot is None:
                return response.json({"error": "unknown bot"}, status=404)
            if not _secret_matches(request.headers.get(SECRET_HEADER, ""), bot.secret):
                logger.warning("Telegram update for %s with a wrong secret refused", municipality)
                return response.json({"error": "forbidden"}, status=403)
            try:
                update = json_object(request.body or b"", MAX_UPDATE_BYTES)
                incoming = parse_update(update, municipality)
            except RefusedError as refused:
                return response.json({"error": str(refused)}, status=400)
            if incoming is None:
                return response.json({"status": "ignored"})
            update_id = update.get("update_id")
            delivery = (
                f"telegram:{municipality}:{update_id}" if isinstance(update_id, int) else None
            )
            if delivery and not self.deliveries.claim(delivery):
                return response.json({"status": "duplicate"})  # Telegram retried it
            try:
                return await self._handle(request, bot, incoming, on_new_message)
            finally:
                if delivery:
                    self.deliveries.done(delivery)

        return webhook

    async def _handle(
        self,
        request: Request,
        bot: BotConfig,
        incoming: Incoming,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> HTTPResponse:
        """Answer one update that passed the checks."""
        municipality = bot.municipality
        api = BotApi(self.api_url, bot.token)
        sender = conversation_id(self.name(), f"{municipality}:{incoming.chat_id}")
        if not self.limiter.allow(sender):
            logger.warning("Telegram chat %s sends too many messages; ignored", sender)
            return response.json({"status": "rate limited"})
        agent = getattr(request.app.ctx, "agent", None)
        if incoming.callback_query_id:
            await api.call("answerCallbackQuery", {"callback_query_id": incoming.callback_query_id})
        output = TelegramOutput(api, incoming.chat_id)
        status = await answer(
            on_new_message,
            agent,
            incoming.text,
            output,
            sender,
            self.name(),
            incoming.metadata,
            media=incoming.media,
        )
        return response.json({"status": status})
