"""action_find_service: the nearest matching services, measured from where the user is."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    MunicipalityAction,
    RepositoryFactory,
    metadata_of,
    municipality_name,
    request_message,
)
from actions.feedback import ask_feedback
from actions.handoff import utter_contact
from bot.answers import formatting
from bot.answers.categories import category_in_text
from bot.answers.faq import likely_topic
from bot.answers.localise import localise_name
from bot.answers.location import Origin, resolve_origin
from bot.answers.opening import opening_status
from bot.answers.services import Nearby, osm_link
from bot.knowledge.holidays import is_public_holiday
from bot.knowledge.schema import CATEGORIES, Municipality
from bot.locales.catalog import phrase

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class ActionFindService(MunicipalityAction):
    def __init__(
        self, repository_factory: Optional[RepositoryFactory] = None, clock: Clock = utc_now
    ) -> None:
        super().__init__(repository_factory)
        self._clock = clock

    def name(self) -> str:
        return "action_find_service"

    @staticmethod
    def _category(tracker: Tracker, language: str) -> Optional[str]:
        """A button's category, else one named in the request, else the topic the classifier
        found likely beside "find a place" ("wo isch di nächschti sprachschuel"), else the
        current topic."""
        request = request_message(tracker)
        chosen = next(
            (
                e.get("value")
                for e in request.get("entities") or []
                if e.get("entity") == "category"
            ),
            None,
        )
        if chosen in CATEGORIES:
            return str(chosen)
        named = category_in_text(request.get("text") or "", language)
        if named is not None:
            return named
        likely = likely_topic(request)
        if likely is not None:
            return likely
        topic = tracker.get_slot("topic")
        return topic if topic in CATEGORIES else None

    def events_while_asking(self, tracker: Tracker, language: str) -> List[Dict[str, Any]]:
        """Keep the category asked for, to answer once the municipality is known."""
        return [SlotSet("topic", self._category(tracker, language))]

    def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: str,
        municipality: Municipality,
    ) -> List[Dict[str, Any]]:
        category = self._category(tracker, language)
        if category is None:
            dispatcher.utter_message(response="utter_service_ask_category")
            return []
        text = request_message(tracker).get("text") or ""
        origin = resolve_origin(text, metadata_of(tracker), municipality)
        index = self.repository.service_index(municipality.id)
        found = index.nearest_for(category, origin.lat, origin.lon, language)
        if found:
            dispatcher.utter_message(
                response="utter_service_intro",
                municipality_name=municipality_name(municipality, language),
                origin=self._origin_name(origin, municipality, language),
            )
            for item in found:
                self._utter_item(dispatcher, item, municipality, language)
            # rated as the answer's first (nearest) service
            asked = ask_feedback(dispatcher, tracker, language, "service", found[0].service.id)
            return [SlotSet("topic", category), *asked]
        self._elsewhere(dispatcher, tracker, category, origin, municipality, language)
        return [SlotSet("topic", category)]

    def _elsewhere(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        category: str,
        origin: Origin,
        municipality: Municipality,
        language: str,
    ) -> None:
        """Nothing here: the nearest in a neighbouring municipality, else the office."""
        best: Optional[tuple[Nearby, Municipality]] = None
        for town in self.repository.municipalities():
            if town.id == municipality.id:
                continue
            index = self.repository.service_index(town.id)
            for item in index.nearest(category, origin.lat, origin.lon, limit=1):
                if best is None or item.distance_km < best[0].distance_km:
                    best = (item, town)
        here = municipality_name(municipality, language)
        if best is None:
            dispatcher.utter_message(response="utter_service_none", municipality_name=here)
            self.note_unanswered(tracker, language, "nothing_found")
            utter_contact(dispatcher, municipality, language)
            return
        item, town = best
        dispatcher.utter_message(
            response="utter_service_elsewhere",
            municipality_name=here,
            other_municipality=municipality_name(town, language),
        )
        self._utter_item(dispatcher, item, town, language)

    @staticmethod
    def _origin_name(origin: Origin, municipality: Municipality, language: str) -> str:
        if origin.source == "shared":
            return phrase(language, "origin_your_location")
        if origin.place is not None:
            return localise_name(origin.place.name, language, municipality.languages)
        name = municipality_name(municipality, language)
        return phrase(language, "origin_centre", municipality_name=name)

    def _utter_item(
        self,
        dispatcher: CollectingDispatcher,
        item: Nearby,
        municipality: Municipality,
        language: str,
    ) -> None:
        service = item.service

        def holiday(day: Any) -> bool:
            return is_public_holiday(
                day, municipality.country, municipality.holiday_subdivision, municipality.holidays
            )

        status = opening_status(
            service.opening_hours, self._clock(), municipality.timezone, holiday
        )
        hours = formatting.opening(status, language)
        weekly = formatting.weekly_hours(service.opening_hours, language)
        speakers = formatting.language_names(service.languages)
        if language in service.languages:
            speakers = f"{speakers} ✓ {phrase(language, 'staff_speak_your_language')}"
        dispatcher.utter_message(
            response="utter_service_item",
            name=localise_name(service.name, language, municipality.languages),
            distance=formatting.distance(item.distance_km, language),
            address=service.address,
            opening_hours=f"{hours} ({weekly})" if weekly and status.kind != "always" else hours,
            languages=speakers,
            contact=" ".join(filter(None, [service.phone, service.email, service.website])),
            map_link=osm_link(service.lat, service.lon),
        )
