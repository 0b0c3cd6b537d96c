"""A new session keeps who and where the newcomer is, and forgets what was under way."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart


async def test_language_and_municipality_carry_over_the_rest_does_not(tracker_factory: Any) -> None:
    tracker = tracker_factory(
        "",
        slots={
            "language": "ar",
            "municipality": "kranj",
            "topic": "housing",
            "pending": "action_answer_faq",
            "feedback_asked": True,
            "session_started_metadata": {"municipality": "kranj"},
        },
    )
    events = await ActionSessionStart().run(CollectingDispatcher(), tracker, {})
    assert events[0]["event"] == "session_started"
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots == {
        "language": "ar",
        "municipality": "kranj",
        "session_started_metadata": {"municipality": "kranj"},
    }
    assert events[-1] == {**events[-1], "event": "action", "name": "action_listen"}


async def test_a_first_session_sets_nothing(tracker_factory: Any) -> None:
    events = await ActionSessionStart().run(CollectingDispatcher(), tracker_factory(""), {})
    assert [e["event"] for e in events] == ["session_started", "action"]
