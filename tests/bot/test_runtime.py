"""The action server's responses are checked as strictly as Rasa checks them, once compiled."""

from __future__ import annotations

import gc

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot import runtime

GOOD = {
    "events": [{"event": "slot", "name": "topic", "value": "jobs", "timestamp": None}],
    "responses": [{"response": "utter_greet", "buttons": [{"title": "a", "payload": "/b"}]}],
}
BAD = {"events": [{"event": 7}], "responses": []}


def test_the_same_verdicts_and_message_as_rasa(monkeypatch: pytest.MonkeyPatch) -> None:
    action = RemoteAction("action_x", None)
    assert RemoteAction._validate_action_result(action, GOOD)
    with pytest.raises(ValidationError) as rasa_error:
        RemoteAction._validate_action_result(action, BAD)
    monkeypatch.setattr(
        RemoteAction, "_validate_action_result", RemoteAction._validate_action_result
    )
    runtime.check_action_responses_once_compiled()
    assert action._validate_action_result(GOOD)
    with pytest.raises(ValidationError) as ours:
        action._validate_action_result(BAD)
    assert ours.value.message == rasa_error.value.message
    assert "Failed to validate Action server response" in ours.value.message


def test_freeze_keeps_live_objects_out_of_collections() -> None:
    try:
        runtime.freeze_loaded_objects()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
