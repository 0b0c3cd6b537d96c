""" "Did this help? 👍 👎" after FAQ and service answers, and action_feedback, which counts
the answer (bot/staff/feedback.py).

The question comes after the answer as a message of its own with two buttons, so it never
stands in the way: the person may just write on. It is never asked twice in a row (slot
`feedback_asked`). On text-only clients the two buttons continue the numbering of the
turn's other choices (bot/channels/choices.py), so "2" still picks the second FAQ.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import KnowledgeAction
from bot.locales.catalog import phrase
from bot.staff import feedback


def ask_feedback(
    dispatcher: CollectingDispatcher, tracker: Tracker, language: str, kind: str, subject: str
) -> List[Dict[str, Any]]:
    """Ask whether the answer helped, unless the previous answer asked."""
    if tracker.get_slot("feedback_asked"):
        return [SlotSet("feedback_asked", False)]
    answer = feedback.token(kind, subject)
    dispatcher.utter_message(
        response="utter_feedback_ask",
        buttons=[
            {"title": phrase(language, f"feedback_{value}"), "payload": _payload(value, answer)}
            for value in ("yes", "no")
        ],
    )
    return [SlotSet("feedback_asked", True)]


def _payload(value: str, answer: str) -> str:
    """'/feedback{"helpful":"yes","answer":"f3fa9c1d2e0"}': 49 bytes at most."""
    return "/feedback" + json.dumps({"helpful": value, "answer": answer}, separators=(",", ":"))


class ActionFeedback(KnowledgeAction):
    """Count a 👍 or 👎 for the FAQ or service it was asked about, and thank the person."""

    def name(self) -> str:
        return "action_feedback"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> List[Dict[str, Any]]:
        helpful = next(tracker.get_latest_entity_values("helpful"), None) == "yes"
        answer = str(next(tracker.get_latest_entity_values("answer"), "") or "")
        municipality = self.current_municipality(tracker)
        kind = feedback.kind_of(answer)
        if municipality is not None and kind is not None:
            subject = feedback.subject_of(answer, kind, self._ids(municipality.id, kind))
            if subject is not None:
                feedback.record(
                    self.repository.engine, municipality.id, kind, subject, language, helpful
                )
        dispatcher.utter_message(
            response="utter_feedback_thanks" if helpful else "utter_feedback_sorry"
        )
        return []

    def _ids(self, municipality_id: str, kind: str) -> List[str]:
        if kind == "faq":
            return [faq.id for faq in self.repository.faqs(municipality_id)]
        return [s.id for s in self.repository.services(municipality_id)]
