"""action_human_handoff: how to reach a person at the integration office."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import MunicipalityAction
from bot.answers import formatting
from bot.answers.localise import localise_name
from bot.knowledge.schema import Municipality


def utter_contact(
    dispatcher: CollectingDispatcher, municipality: Municipality, language: str
) -> None:
    """The integration office's name, address, phone, e-mail and hours, in the language."""
    contact = municipality.contact
    dispatcher.utter_message(
        response="utter_handoff",
        office_name=localise_name(contact.name, language, municipality.languages),
        address=contact.address,
        phone=contact.phone,
        email=contact.email,
        opening_hours=formatting.weekly_hours(contact.opening_hours, language),
    )


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
        utter_contact(dispatcher, municipality, language)
        return []
