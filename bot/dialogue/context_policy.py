"""ContextPolicy: sets the `language` and `municipality` slots inside Rasa, every message.

It never chooses an action (its probabilities are all zero and its priority is the lowest);
it only returns `SlotSet` events with its prediction. Rasa applies a prediction's events
to the tracker before the chosen action runs, whichever policy won, so every reply, whether
a response rendered by bot/nlg.py or a custom action on the action server, already sees the
message's language and municipality. Doing this here rather than in a custom slot-mapping
action saves a call to the action server on every message (docs/architecture.md).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dialogue.context import context_changes
from bot.language.component import DETECTION_KEY

CONTEXT_SLOTS = ("language", "municipality")


def _context_events(tracker: DialogueStateTracker) -> List[Event]:
    """SlotSet events for the latest user message; none once an action has answered it."""
    message = tracker.latest_message
    if not message.intent.get("name") or tracker.latest_action_name != ACTION_LISTEN_NAME:
        return []
    entities = {name: next(tracker.get_latest_entity_values(name), None) for name in CONTEXT_SLOTS}
    changes = context_changes(
        slots={name: tracker.get_slot(name) for name in CONTEXT_SLOTS},
        detection=message.parse_data.get(DETECTION_KEY),
        metadata=message.metadata or {},
        entities=entities,
        intent=message.intent.get("name"),
    )
    events: List[Event] = [SlotSet(name, value) for name, value in changes.items()]
    return events


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class ContextPolicy(Policy):
    """Fills the conversation's language and municipality; predicts no action."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"priority": 0}

    def train(
        self,
        training_trackers: List[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        """Nothing to learn: the rule is code (bot/dialogue/context.py)."""
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[str, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        return self._prediction(self._default_predictions(domain), events=_context_events(tracker))
