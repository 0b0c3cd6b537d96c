"""action_switch_language: confirm a language change, or offer the languages as buttons."""

from __future__ import annotations

import json
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.language.registry import settings


class ActionSwitchLanguage(Action):
    def name(self) -> str:
        return "action_switch_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        detection = tracker.latest_message.get("language_detection") or {}
        asked = next(tracker.get_latest_entity_values("language"), None) or detection.get(
            "requested"
        )
        if settings().is_supported(asked):
            dispatcher.utter_message(response="utter_language_switched")
            return []
        buttons = [
            {
                "title": lang.name,
                "payload": "/switch_language" + json.dumps({"language": lang.code}),
            }
            for lang in settings().languages
        ]
        dispatcher.utter_message(response="utter_ask_language", buttons=buttons)
        return []
