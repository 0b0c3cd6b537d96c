"""What every channel does around Rasa's handling of one message: a bare number picks a
button the bot just offered, and a message that got no reply at all gets an apology in the
user's language (see apology.py)."""

from __future__ import annotations

import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Optional, Protocol

from rasa.core.channels.channel import UserMessage

from bot.channels.admission import ADMISSION
from bot.channels.apology import apology, conversation_language
from bot.channels.choices import resolve_choice
from bot.channels.edge import MAX_MESSAGE_LENGTH
from bot.locales.catalog import phrase
from bot.logging_privacy import private_values

logger = logging.getLogger(__name__)


class CountingOutput(Protocol):
    """An output channel that knows how many replies it has sent."""

    @property
    def sent(self) -> int: ...

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None: ...


async def apologise_if_silent(
    agent: Any,
    output: CountingOutput,
    sender: str,
    metadata: Optional[Dict[str, Any]],
    text: str = "",
) -> None:
    """Send the technical-problem reply if the message got no reply at all."""
    if not output.sent:
        language = await conversation_language(agent, sender, metadata, text)
        await output.send_response(sender, apology(language))


async def deliver(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    agent: Any,
    text: str,
    output: Any,
    sender: str,
    channel: str,
    metadata: Optional[Dict[str, Any]],
) -> None:
    """Hand the message to Rasa, with a numbered choice turned into its button's payload;
    then the apology if nothing was answered. A failure inside Rasa (tracker store or lock
    store down, a timeout) is logged and never reaches the client as a crash. No log line
    written meanwhile shows the message's text or location (bot/logging_privacy.py)."""
    with private_values(text, metadata):
        try:
            async with ADMISSION.turn():
                choice = await resolve_choice(text, sender, agent)
                await on_new_message(
                    UserMessage(choice, output, sender, input_channel=channel, metadata=metadata)
                )
        except CancelledError:
            logger.error("Timeout while handling a message from %s", sender)
        except Exception:
            logger.exception("Failed to handle a message from %s", sender)
        await apologise_if_silent(agent, output, sender, metadata, text)


async def tell(
    agent: Any,
    output: Any,
    sender: str,
    metadata: Optional[Dict[str, Any]],
    key: str,
    **values: Any,
) -> None:
    """Send one phrase of the catalogs in the conversation's language, without handing
    anything to Rasa (a message too long to process, a voice message on a messenger)."""
    language = await conversation_language(agent, sender, metadata)
    await output.send_response(
        sender, {"text": phrase(language, key, **values), "language": language}
    )


async def answer(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    agent: Any,
    text: str,
    output: Any,
    sender: str,
    channel: str,
    metadata: Optional[Dict[str, Any]],
    *,
    media: bool = False,
) -> str:
    """What a messenger does with a message that passed its checks: one too long to
    process, or something that is not text (a voice message, a photo), is told so in the
    conversation's language and never reaches Rasa; anything else is delivered. Returns
    what was done: "too long", "not text" or "ok"."""
    if len(text) > MAX_MESSAGE_LENGTH:
        await tell(agent, output, sender, metadata, "message_too_long", limit=MAX_MESSAGE_LENGTH)
        return "too long"
    if media:
        await tell(agent, output, sender, metadata, "text_only_please")
        return "not text"
    await deliver(on_new_message, agent, text, output, sender, channel, metadata)
    return "ok"
