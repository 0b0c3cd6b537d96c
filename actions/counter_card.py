"""action_counter_card: the card to show at the office for a service the person was shown."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import KnowledgeAction
from actions.handoff import utter_contact
from bot.answers.counter_card import counter_card
from bot.staff import feedback


class ActionCounterCard(KnowledgeAction):
    """Show the card for the service whose button was pressed; the office if it is gone."""

    def name(self) -> str:
        return "action_counter_card"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> List[Dict[str, Any]]:
        municipality = self.current_municipality(tracker)
        if municipality is None:
            self.ask_municipality(dispatcher, language)
            return []
        answer = str(next(tracker.get_latest_entity_values("answer"), "") or "")
        services = self.repository.services(municipality.id)
        chosen = feedback.subject_of(answer, "service", [s.id for s in services])
        service = next((s for s in services if s.id == chosen), None)
        if service is None:  # changed since it was shown
            utter_contact(dispatcher, municipality, language)
            return []
        card = counter_card(service, municipality, language)
        dispatcher.utter_message(
            response="utter_counter_card",
            card=card.as_text(language),
            json_message={"counter_card": card.as_data()},
        )
        return []
