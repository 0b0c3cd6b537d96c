"""action_next_events: what's on ("Was ist diese Woche los?", "the next welcome evening"):
the next dated events of the municipality, of the kind named if any."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import MunicipalityAction, RepositoryFactory, municipality_name, request_message
from actions.handoff import utter_contact
from bot.answers.event_answer import event_kinds_in, upcoming_dates
from bot.clock import now
from bot.knowledge.schema import Municipality


class ActionNextEvents(MunicipalityAction):
    def __init__(
        self,
        repository_factory: Optional[RepositoryFactory] = None,
        clock: Callable[[], datetime] = now,
    ) -> None:
        super().__init__(repository_factory)
        self._clock = clock

    def name(self) -> str:
        return "action_next_events"

    def answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: str,
        municipality: Municipality,
    ) -> List[Dict[str, Any]]:
        text = request_message(tracker).get("text") or ""
        kinds = event_kinds_in(text, language)
        dates = upcoming_dates(self.repository, municipality, kinds, language, self._clock())
        here = municipality_name(municipality, language)
        if dates:
            dispatcher.utter_message(
                response="utter_events_next", municipality_name=here, events=dates
            )
            return []
        # nothing planned: say so, and who to ask instead
        self.note_unanswered(tracker, language, "nothing_found")
        dispatcher.utter_message(response="utter_events_none", municipality_name=here)
        utter_contact(dispatcher, municipality, language)
        return []
