"""action_find_service: the nearest places of a category in the user's municipality."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import MunicipalityAction, municipality_name
from bot.answers import formatting
from bot.answers.localise import localise
from bot.answers.services import nearest, osm_link
from bot.knowledge.schema import CATEGORIES, Municipality


class ActionFindService(MunicipalityAction):
    def name(self) -> str:
        return "action_find_service"

    @staticmethod
    def _category(tracker: Tracker) -> Optional[str]:
        wanted = next(tracker.get_latest_entity_values("category"), None) or tracker.get_slot(
            "topic"
        )
        return wanted if wanted in CATEGORIES else None

    def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: str,
        municipality: Municipality,
    ) -> List[Dict[str, Any]]:
        category = self._category(tracker)
        if category is None:
            dispatcher.utter_message(response="utter_service_ask_category")
            return []
        place_name = municipality_name(municipality, language)
        found = nearest(
            self.repository.services(municipality.id), category, municipality.lat, municipality.lon
        )
        if not found:
            dispatcher.utter_message(response="utter_service_none", municipality_name=place_name)
            return [SlotSet("topic", category)]
        dispatcher.utter_message(
            response="utter_service_intro", municipality_name=place_name, origin=place_name
        )
        for item in found:
            service = item.service
            dispatcher.utter_message(
                response="utter_service_item",
                name=localise(service.name, language, municipality.languages)[0],
                distance=formatting.distance(item.distance_km, language),
                address=service.address,
                opening_hours=service.opening_hours or "",
                languages=formatting.language_names(service.languages),
                contact=" ".join(filter(None, [service.phone, service.email, service.website])),
                map_link=osm_link(service.lat, service.lon),
            )
        return [SlotSet("topic", category)]
