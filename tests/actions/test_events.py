"""action_next_events on a small fixed knowledge base and a fixed clock: all coming events,
the kind named, and an honest answer (with a person to ask) when nothing is planned."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.events import ActionNextEvents
from bot.knowledge.repository import KnowledgeRepository

MONDAY_MORNING = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)  # 10:00 in Vienna


async def _ask(
    kb: KnowledgeRepository, tracker_factory: Any, text: str, town: str = "testville"
) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    tracker = tracker_factory(text, "ask_events", slots={"language": "en", "municipality": town})
    await ActionNextEvents(lambda: kb, clock=lambda: MONDAY_MORNING).run(dispatcher, tracker, {})
    return dispatcher.messages


async def test_whats_on_lists_every_kind_earliest_first(town_kb, tracker_factory) -> None:
    messages = await _ask(town_kb, tracker_factory, "what's on this week?")
    assert [m["response"] for m in messages] == ["utter_events_next"]
    events = messages[0]["events"]
    # Wednesday's café (9 December) comes before Monday's welcome evening (14 December)
    assert events.index("Language café") < events.index("Willkommensabend"), events
    assert "Wednesday 9 December" in events and "17:00–19:00" in events
    assert "Monday 14 December" in events and "18:30–20:30" in events


async def test_a_kind_named_keeps_to_that_kind(town_kb, tracker_factory) -> None:
    messages = await _ask(town_kb, tracker_factory, "when is the next welcome evening?")
    events = messages[0]["events"]
    assert "Willkommensabend" in events
    assert "Language café" not in events


async def test_nothing_planned_says_so_and_names_a_person(town_kb, tracker_factory) -> None:
    messages = await _ask(town_kb, tracker_factory, "any events?", town="nachbarort")
    assert [m["response"] for m in messages] == ["utter_events_none", "utter_handoff"]
    assert messages[0]["municipality_name"] == "Nextdoor"
