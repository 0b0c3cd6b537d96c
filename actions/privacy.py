"""action_privacy_notice: what the bot keeps about a conversation, and for how long."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.privacy import retention_days


class ActionPrivacyNotice(Action):
    def name(self) -> str:
        return "action_privacy_notice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        days = retention_days()
        dispatcher.utter_message(response="utter_privacy", retention_days=days)
        dispatcher.utter_message(response="utter_privacy_location")
        dispatcher.utter_message(response="utter_privacy_questions", retention_days=days)
        return []
