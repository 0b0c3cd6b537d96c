"""action_human_handoff: how to reach a person at the integration office."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import KnowledgeAction
from bot.answers.localise import localise


class ActionHumanHandoff(KnowledgeAction):
    def name(self) -> str:
        return "action_human_handoff"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> List[Dict[str, Any]]:
        municipality = self.current_municipality(tracker)
        if municipality is None:
            self.ask_municipality(dispatcher, language)
            return []
        contact = municipality.contact
        dispatcher.utter_message(
            response="utter_handoff",
            office_name=localise(contact.name, language, municipality.languages)[0],
            address=contact.address,
            phone=contact.phone,
            email=contact.email,
            opening_hours=localise(contact.opening_hours, language, municipality.languages)[0],
        )
        return []
