"""action_answer_faq: the municipality's answer for an ask_* intent, in the user's language."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    MunicipalityAction,
    listed_requests,
    metadata_of,
    municipality_name,
    narrowed_requests,
    request_message,
)
from actions.feedback import ask_feedback
from actions.services import ActionFindService
from bot.answers import formatting
from bot.answers.categories import category_in_text, topic_of
from bot.answers.event_answer import asks_for_events
from bot.answers.faq import INTENT_TOPICS, best_faq_scored, weakly_matched
from bot.answers.filters import describes_a_service, without_filters
from bot.answers.localise import localise
from bot.answers.nearby import asks_for_nearest, asks_the_way
from bot.knowledge.schema import Faq, Municipality
from bot.language.registry import settings


class ActionAnswerFaq(MunicipalityAction):
    def name(self) -> str:
        return "action_answer_faq"

    @staticmethod
    def _topic(tracker: Tracker) -> Optional[str]:
        """The request's topic; for a follow-up ("and for the kids?") or a request answered
        after the municipality was chosen, the topic of the conversation (a service
        category counts as the topic it belongs to). A follow-up's own words do not change
        it: "in the evening? I work during the day" is still about the course."""
        request = request_message(tracker)
        intent = (request.get("intent") or {}).get("name") or ""
        if intent in INTENT_TOPICS:
            return INTENT_TOPICS[intent]
        return topic_of(tracker.get_slot("topic"))

    def events_while_asking(self, tracker: Tracker, language: str) -> List[Dict[str, Any]]:
        return [SlotSet("topic", self._topic(tracker))]

    def _places(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: str,
        municipality: Municipality,
        earlier: Optional[Sequence[str]] = None,
        the_way: bool = False,
    ) -> List[Dict[str, Any]]:
        """The request answered with places, as action_find_service answers them."""
        finder = ActionFindService(lambda: self.repository)
        return finder.answer(dispatcher, tracker, language, municipality, earlier, the_way)

    def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: str,
        municipality: Municipality,
    ) -> List[Dict[str, Any]]:
        topic = self._topic(tracker)
        text = request_message(tracker).get("text") or ""
        if topic is None:
            if category_in_text(without_filters(text, language), language) is not None:
                # a fragment with nothing before it that names a kind of place ("is there
                # a doctor who speaks Arabic?"): the places
                return self._places(dispatcher, tracker, language, municipality)
            dispatcher.utter_message(response="utter_ask_topic")
            return []
        faqs = self.repository.faqs(municipality.id, topic)
        chosen_id = next(tracker.get_latest_entity_values("faq_id"), None)
        if chosen_id is None and asks_the_way(text, language):
            listed = listed_requests(tracker, language)
            if listed:  # "how do I get there?" after a list: the way to its nearest place
                return self._places(dispatcher, tracker, language, municipality, listed, True)
        earlier = narrowed_requests(tracker, language) if chosen_id is None else []
        if chosen_id is None and (
            describes_a_service(text, language)
            or asks_for_events(text, language)
            or asks_for_nearest(text, language, metadata_of(tracker))
            or earlier
        ):  # "a free German course in the evening", "the next language café", "the nearest
            # German course", a shared location; "in the evening?" after a list of places
            return self._places(dispatcher, tracker, language, municipality, earlier)
        faq = next((f for f in faqs if f.id == chosen_id), None)
        if faq is None:
            faq, score = best_faq_scored(
                faqs, text, language, corpus=self.repository.faqs(municipality.id)
            )
            if faq is not None and weakly_matched(text, score):
                self.note_unanswered(tracker, language, "weak_match")
        if faq is None:
            dispatcher.utter_message(
                response="utter_faq_missing",
                municipality_name=municipality_name(municipality, language),
            )
            self.note_unanswered(tracker, language, "nothing_found")
            return [SlotSet("topic", topic)]
        answer, answer_language = localise(faq.answer, language, municipality.languages)
        if answer_language and answer_language != language:
            source = settings().get(answer_language)
            dispatcher.utter_message(
                response="utter_not_translated",
                source_language=source.name if source else answer_language,
            )
        dispatcher.utter_message(response="utter_faq_answer", answer=answer)
        utter_source(dispatcher, faq, municipality_name(municipality, language), language)
        others = [f for f in faqs if f.id != faq.id and f.questions]
        if others:
            dispatcher.utter_message(
                response="utter_faq_more",
                buttons=faq_buttons(others, language, municipality.languages),
            )
        asked = ask_feedback(dispatcher, tracker, language, "faq", faq.id)
        return [SlotSet("topic", topic), *asked]


def utter_source(
    dispatcher: CollectingDispatcher, faq: Faq, municipality: str, language: str
) -> None:
    """Where the answer comes from and when it was last checked, in the user's language:
    "Information from the municipality of Dornbirn, checked on 1 September 2026"."""
    if faq.last_reviewed is None:
        dispatcher.utter_message(
            response="utter_faq_source_undated", municipality_name=municipality
        )
        return
    dispatcher.utter_message(
        response="utter_faq_source",
        municipality_name=municipality,
        date=formatting.long_date(faq.last_reviewed, language),
    )


def faq_buttons(faqs: List[Faq], language: str, official: List[str]) -> List[Dict[str, str]]:
    """One button per FAQ: its first question in the user's language, choosing that FAQ."""
    intent_of = {topic: intent for intent, topic in INTENT_TOPICS.items()}
    return [
        {
            "title": localise(
                {c: qs[0] for c, qs in faq.questions.items() if qs}, language, official
            )[0],
            "payload": f"/{intent_of[faq.topic]}" + json.dumps({"faq_id": faq.id}),
        }
        for faq in faqs
    ]
