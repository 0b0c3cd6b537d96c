"""action_find_service: the nearest matching services, measured from where the user is; the
answer is built by bot/answers/service_answer.py, the action utters it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Dict, List, Optional, Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    MunicipalityAction,
    RepositoryFactory,
    metadata_of,
    municipality_name,
    narrowed_requests,
    request_message,
)
from actions.feedback import ask_feedback
from actions.handoff import utter_contact
from bot.answers.categories import category_in_text
from bot.answers.faq import likely_topic
from bot.answers.filters import FILTERS, filters_in_text, without_filters
from bot.answers.localise import localise_name
from bot.answers.location import Origin, resolve_origin
from bot.answers.municipality import find_municipality
from bot.answers.service_answer import Request, find_services
from bot.clock import now
from bot.knowledge.schema import CATEGORIES, Municipality
from bot.locales.catalog import phrase

Clock = Callable[[], datetime]


class ActionFindService(MunicipalityAction):
    def __init__(
        self, repository_factory: Optional[RepositoryFactory] = None, clock: Clock = now
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
        named = category_in_text(without_filters(request.get("text") or "", language), language)
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
        earlier: Optional[Sequence[str]] = None,
        the_way: bool = False,
    ) -> List[Dict[str, Any]]:
        """The nearest places of the category; `earlier`: the requests of the list this
        message narrows ("in the evening?" after "the nearest German course near the
        market"), whose filters and place still hold, found here when not given (a filter
        read as a search); `the_way`: only the nearest, with walking directions ("how do I
        get there?")."""
        if earlier is None:
            earlier = narrowed_requests(tracker, language)
        listed = tracker.get_slot("topic")  # the kind of place of the list narrowed
        category = listed if earlier and listed in CATEGORIES else self._category(tracker, language)
        if category is None:
            dispatcher.utter_message(response="utter_service_ask_category")
            return []
        text = request_message(tracker).get("text") or ""
        municipality = self._town_of_list(text, earlier) or municipality
        origin = resolve_origin(text, metadata_of(tracker), municipality)
        for before in earlier:  # a place named earlier; a location shared then is gone
            if origin.source != "centre":
                break
            origin = resolve_origin(before, {}, municipality)
        named = {f for said in (text, *earlier) for f in filters_in_text(said, language)}
        request = Request(
            category,
            origin,
            language,
            tuple(f for f in FILTERS if f in named),
            self._origin_name(origin, municipality, language),
            the_way,
        )
        here = municipality_name(municipality, language)
        found = find_services(self.repository, municipality, request, self._clock(), here)
        for utterance in found.utterances:
            dispatcher.utter_message(
                response=utterance.response, buttons=utterance.buttons or None, **utterance.values
            )
        events: List[Dict[str, Any]] = [SlotSet("topic", category)]
        if found.found_nothing:
            self.note_unanswered(tracker, language, "nothing_found")
            utter_contact(dispatcher, municipality, language)
        elif found.shown:  # rated as the answer's first (nearest) service
            events += ask_feedback(dispatcher, tracker, language, "service", found.shown[0].id)
        return events

    def _town_of_list(self, text: str, earlier: Sequence[str]) -> Optional[Municipality]:
        """The town a narrowed list was for, when its requests named one ("the nearest
        German course in Bozen", then "in the evening?") and this message names none."""
        towns = self.repository.municipalities()
        if not earlier or find_municipality(text, towns) is not None:
            return None
        return next(filter(None, (find_municipality(said, towns) for said in earlier)), None)

    @staticmethod
    def _origin_name(origin: Origin, municipality: Municipality, language: str) -> str:
        if origin.source == "shared":
            return phrase(language, "origin_your_location")
        if origin.place is not None:
            return localise_name(origin.place.name, language, municipality.languages)
        name = municipality_name(municipality, language)
        return phrase(language, "origin_centre", municipality_name=name)
