"""action_choose_municipality: set or change where the newcomer lives."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    REQUEST_ACTIONS,
    KnowledgeAction,
    answer_pending,
    implied_request,
    municipality_buttons,
    municipality_name,
)
from bot.answers.municipality import find_municipality


class ActionChooseMunicipality(KnowledgeAction):
    """Sets the municipality; a request that waited for it is answered right after."""

    def name(self) -> str:
        return "action_choose_municipality"

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> List[Dict[str, Any]]:
        known = self.repository.municipalities()
        wanted = next(tracker.get_latest_entity_values("municipality"), None)
        chosen = next((m for m in known if m.id == wanted), None) or find_municipality(
            tracker.latest_message.get("text") or "", known
        )
        implied = implied_request(tracker.latest_message or {})
        if chosen is not None and implied is not None:
            # "gibt es in Bozen günstige Wohnungen?": a request about a town, answered
            # for it by the request's action; where the person lives does not change.
            return [FollowupAction(REQUEST_ACTIONS[implied])]
        if chosen is None:
            dispatcher.utter_message(
                response="utter_municipality_unknown",
                buttons=municipality_buttons(self.repository, language),
            )
            return []
        dispatcher.utter_message(
            response="utter_municipality_set",
            municipality_name=municipality_name(chosen, language),
        )
        return answer_pending(tracker, chosen.id)
