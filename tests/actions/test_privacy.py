"""action_privacy_notice: the notice names the retention the operator configured."""

import pytest

from actions.privacy import ActionPrivacyNotice


@pytest.mark.parametrize("configured, days", [(None, 30), ("14", 14), ("soon", 30), ("0", 30)])
async def test_notice_carries_the_retention_days(
    dispatcher, tracker_factory, monkeypatch, configured, days
) -> None:
    if configured is None:
        monkeypatch.delenv("PRIVACY_RETENTION_DAYS", raising=False)
    else:
        monkeypatch.setenv("PRIVACY_RETENTION_DAYS", configured)
    tracker = tracker_factory("what do you store?", "ask_privacy", slots={"language": "de"})
    assert await ActionPrivacyNotice().run(dispatcher, tracker, {}) == []
    assert dispatcher.messages[0]["response"] == "utter_privacy"
    assert dispatcher.messages[0]["retention_days"] == days
    # short bubbles (bot/knowledge/plain.py): the location, then what is kept for staff
    assert dispatcher.messages[1]["response"] == "utter_privacy_location"
    assert dispatcher.messages[2]["response"] == "utter_privacy_questions"
    assert dispatcher.messages[2]["retention_days"] == days
