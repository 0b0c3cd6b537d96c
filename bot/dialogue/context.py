"""The conversation's context after a user message: its language and municipality.

A pure function, so the rule is one and testable on its own; `ContextPolicy` applies it
inside Rasa on every message (bot/dialogue/context_policy.py).
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from bot.language.conversation import next_language

NAMES_A_PLACE = "choose_municipality"


def context_changes(
    slots: Mapping[str, Any],
    detection: Optional[Mapping[str, Any]],
    metadata: Mapping[str, Any],
    entities: Mapping[str, Any],
    intent: Optional[str] = None,
) -> Dict[str, Any]:
    """The `language` and `municipality` slots to set, only those whose value changes.

    slots: the current slot values; detection: the message's `language_detection`;
    metadata: the channel's message metadata (`language` hint, page `municipality`);
    entities: the first value of each entity extracted from the message (a `language`
    button payload, a `municipality` named in the text).

    Explicit requests and button payloads win, a reliable detection switches, the rest
    sticks (bot/language/conversation.py). A message that only names a municipality
    ("dornbirn, en autriche", "abito a kranj") does not switch an established language:
    town names belong to no language. The first municipality known, named in a
    message or given by the page, is kept; changing it is action_choose_municipality's job.
    """
    changes: Dict[str, Any] = {}
    if intent == NAMES_A_PLACE and slots.get("language") and detection:
        detection = {**detection, "reliable": False}
    language = next_language(
        current=slots.get("language"),
        detection=detection,
        hint=metadata.get("language"),
        requested=entities.get("language"),
    )
    if language != slots.get("language"):
        changes["language"] = language
    municipality = entities.get("municipality") or metadata.get("municipality")
    if municipality and not slots.get("municipality"):
        changes["municipality"] = municipality
    return changes
