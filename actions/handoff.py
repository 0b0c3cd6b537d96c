"""action_human_handoff: how to reach a person at the integration office."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import MunicipalityAction
from bot.answers.localise import localise
from bot.knowledge.schema import Municipality


class ActionHumanHandoff(MunicipalityAction):
    def name(self) -> str:
        return "action_human_handoff"

    def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: str,
        municipality: Municipality,
    ) -> List[Dict[str, Any]]:
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
