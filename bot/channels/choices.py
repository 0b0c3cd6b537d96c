"""Buttons on channels that can only show text: numbered choices, and "2" picks the second.

Out: the buttons become numbered lines under the text, with a hint in the user's language.
In: a message that is only a number (Latin, Arabic-Indic or Persian digits) becomes the
payload of that button among those the bot offered in its latest turn, read from the
tracker store, so it works with several Rasa instances sharing one store.

The numbers run on across the messages of one turn: after a FAQ answer with three more
questions (1-3), "Did this help?" offers 4 and 5, so "2" still picks the second question.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa.shared.core.events import BotUttered, UserUttered

from bot.locales.catalog import phrase

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def numbered(text: str, buttons: List[Dict[str, Any]], language: str, start: int = 1) -> str:
    """'Text\n1. First\n2. Second\nReply with the number of your choice.', numbered from
    `start` (the buttons offered before it in the same turn come first)."""
    lines = [f"{number}. {button.get('title', '')}" for number, button in enumerate(buttons, start)]
    return "\n".join([text, *lines, phrase(language, "choices_reply_with_number")])


def chosen_number(text: str) -> Optional[int]:
    """The number a message consists of, if it is only a number."""
    match = _NUMBER.match(text.translate(_DIGITS))
    return int(match.group(1)) if match else None


def last_buttons(events: List[Any]) -> List[Dict[str, Any]]:
    """The buttons the bot offered in its latest turn, in the order shown, across its
    messages (none if it offered none since the user last wrote)."""
    offered: List[List[Dict[str, Any]]] = []
    for event in reversed(events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered) and event.data.get("buttons"):
            offered.append(list(event.data["buttons"]))
    return [button for buttons in reversed(offered) for button in buttons]


async def resolve_choice(text: str, sender_id: str, agent: Any) -> str:
    """The payload of the chosen button, or the text unchanged."""
    number = chosen_number(text)
    if number is None or agent is None or getattr(agent, "tracker_store", None) is None:
        return text
    tracker = await agent.tracker_store.retrieve(sender_id)
    buttons = last_buttons(list(tracker.events)) if tracker else []
    if 1 <= number <= len(buttons):
        return str(buttons[number - 1].get("payload", text))
    return text
