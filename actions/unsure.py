"""action_unsure: what the bot says when it did not understand a message.

While a request waits for the municipality (slot `pending`), a message that names one is
that answer, whatever the classifier made of it ("in bozen bitte"). When context settles
the doubt (a request torn only with "follow-up" or "names a place", or a likely follow-up
after an answer: actions/common.py `resolve_unsure`), that is answered. Otherwise the reply
is `utter_unsure`, whose buttons bot/nlg.py narrows to the likeliest topics.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    ACTION_OF,
    KnowledgeAction,
    answer_pending,
    language_of,
    municipality_name,
    resolve_unsure,
)
from bot.answers.municipality import find_municipality


class ActionUnsure(KnowledgeAction):
    def name(self) -> str:
        return "action_unsure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        """Only a waiting request needs the knowledge base (to find the town): otherwise
        the reply does not depend on it, and works while it is down."""
        if tracker.get_slot("pending"):
            return await super().run(dispatcher, tracker, domain)
        return self._settle_or_say_unsure(dispatcher, tracker, language_of(tracker))

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> List[Dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        named = find_municipality(text, self.repository.municipalities())
        if named is not None:
            dispatcher.utter_message(
                response="utter_municipality_set",
                municipality_name=municipality_name(named, language),
            )
            return answer_pending(tracker, named.id)
        return self._settle_or_say_unsure(dispatcher, tracker, language)

    def _settle_or_say_unsure(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> List[Dict[str, Any]]:
        """Answer what context settles; else say so, and keep the question for staff."""
        settled = resolve_unsure(tracker.latest_message or {}, bool(tracker.get_slot("topic")))
        if settled is not None:
            return [FollowupAction(ACTION_OF[settled])]
        dispatcher.utter_message(response="utter_unsure")
        self.note_unanswered(tracker, language, "not_understood")
        return []


class ActionOutOfScope(KnowledgeAction):
    """Says what the bot knows about, and keeps the question for the staff: what newcomers
    ask beyond the content shows what to add."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(response="utter_out_of_scope")
        self.note_unanswered(tracker, language_of(tracker), "out_of_scope")
        return []

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> List[Dict[str, Any]]:
        return []  # run() answers without needing the knowledge base
