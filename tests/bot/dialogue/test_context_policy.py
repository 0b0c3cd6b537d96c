"""ContextPolicy sets the context slots with its prediction and never chooses an action."""

import pytest
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import PROJECT_DIR
from bot.dialogue.context_policy import ContextPolicy
from bot.language.component import DETECTION_KEY

RELIABLE_FR = {"language": "fr", "confidence": 0.99, "reliable": True, "words": 5}


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(PROJECT_DIR / "domain.yml")


@pytest.fixture
def policy(tmp_path) -> ContextPolicy:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    return ContextPolicy.create(
        ContextPolicy.get_default_config(), storage, Resource("context"), context
    )


def _user_message(tracker: DialogueStateTracker, text: str, **metadata: str) -> None:
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    tracker.update(
        UserUttered(
            text,
            intent={"name": "ask_housing", "confidence": 0.9},
            parse_data={DETECTION_KEY: RELIABLE_FR},
            metadata=metadata,
        )
    )


def test_sets_slots_after_a_user_message(policy: ContextPolicy, domain: Domain) -> None:
    tracker = DialogueStateTracker("p", domain.slots)
    _user_message(tracker, "Je cherche un logement à louer", municipality="annecy")
    prediction = policy.predict_action_probabilities(tracker, domain)
    assert prediction.events == [SlotSet("language", "fr"), SlotSet("municipality", "annecy")]
    assert max(prediction.probabilities) == 0.0
    # below every policy that chooses actions, so it never wins a tie
    assert prediction.policy_priority < MemoizationPolicy.get_default_config()["priority"]


def test_silent_once_an_action_answered(policy: ContextPolicy, domain: Domain) -> None:
    tracker = DialogueStateTracker("p", domain.slots)
    _user_message(tracker, "Je cherche un logement à louer", municipality="annecy")
    tracker.update(ActionExecuted("utter_housing"))
    tracker.update(SlotSet("language", "de"))  # an action switched it: it stays
    assert policy.predict_action_probabilities(tracker, domain).events == []


def test_silent_before_any_message(policy: ContextPolicy, domain: Domain) -> None:
    tracker = DialogueStateTracker("p", domain.slots)
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    assert policy.predict_action_probabilities(tracker, domain).events == []
