"""action_answer_faq: the municipality's answer for an ask_* intent, in the user's language."""

from __future__ import annotations

import json
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import KnowledgeAction, municipality_name
from bot.answers.faq import INTENT_TOPICS, best_faq
from bot.answers.localise import localise
from bot.language.registry import settings


class ActionAnswerFaq(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_faq"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> List[Dict[str, Any]]:
        intent = tracker.get_intent_of_latest_message() or ""
        topic = INTENT_TOPICS.get(intent) or tracker.get_slot("topic")
        municipality = self.current_municipality(tracker)
        if municipality is None:
            self.ask_municipality(dispatcher, language)
            return [SlotSet("topic", topic)]
        faqs = self.repository.faqs(municipality.id, topic)
        chosen_id = next(tracker.get_latest_entity_values("faq_id"), None)
        faq = next((f for f in faqs if f.id == chosen_id), None) or best_faq(
            faqs, tracker.latest_message.get("text") or "", language
        )
        if faq is None:
            dispatcher.utter_message(
                response="utter_faq_missing",
                municipality_name=municipality_name(municipality, language),
            )
            return [SlotSet("topic", topic)]
        answer, answer_language = localise(faq.answer, language, municipality.languages)
        if answer_language and answer_language != language:
            source = settings().get(answer_language)
            dispatcher.utter_message(
                response="utter_not_translated",
                source_language=source.name if source else answer_language,
            )
        dispatcher.utter_message(response="utter_faq_answer", answer=answer)
        others = [f for f in faqs if f.id != faq.id and f.questions]
        if others:
            buttons = [
                {
                    "title": localise(
                        {code: qs[0] for code, qs in other.questions.items() if qs},
                        language,
                        municipality.languages,
                    )[0],
                    "payload": f"/{intent or 'ask_' + str(topic)}"
                    + json.dumps({"faq_id": other.id}),
                }
                for other in others
            ]
            dispatcher.utter_message(response="utter_faq_more", buttons=buttons)
        return [SlotSet("topic", topic)]
