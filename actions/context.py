"""action_read_context: fills the `language` and `municipality` slots on every message.

It is the custom slot mapping of both slots (domain.yml), so Rasa runs it right after each
user message, before any reply is chosen.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import metadata_of, set_slot_if_changed
from bot.language.conversation import next_language


def _entity(tracker: Tracker, name: str) -> Any:
    return next(tracker.get_latest_entity_values(name), None)


class ActionReadContext(Action):
    def name(self) -> str:
        return "action_read_context"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        metadata = metadata_of(tracker)
        language = next_language(
            current=tracker.get_slot("language"),
            detection=tracker.latest_message.get("language_detection"),
            hint=metadata.get("language"),
            requested=_entity(tracker, "language"),
        )
        events = set_slot_if_changed(tracker, "language", language)
        municipality = _entity(tracker, "municipality") or metadata.get("municipality")
        if municipality and not tracker.get_slot("municipality"):
            events += set_slot_if_changed(tracker, "municipality", municipality)
        return events
