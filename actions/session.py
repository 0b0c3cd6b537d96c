"""action_session_start: after `session_expiration_time` minutes of silence (domain.yml) a
new session begins. The newcomer's language and municipality carry over, so nobody is asked
again; what was under way (the topic, a request waiting for the municipality, the feedback
question) does not, so an answer an hour later never builds on a forgotten question."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

CARRIED_OVER = ("language", "municipality", "session_started_metadata")


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        carried = [
            SlotSet(slot, tracker.get_slot(slot))
            for slot in CARRIED_OVER
            if tracker.get_slot(slot) is not None
        ]
        return [SessionStarted(), *carried, ActionExecuted("action_listen")]
