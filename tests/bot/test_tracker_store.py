"""A shared location is used for the turn and never written with the conversation."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import PrivateSQLTrackerStore, TrackerStoreError, scrub


def test_location_removed_from_metadata_and_parse_data() -> None:
    event = UserUttered(
        "nearest pharmacy",
        {"name": "find_service", "confidence": 1.0},
        parse_data={"text": "nearest pharmacy", "metadata": {"location": {"lat": 46.2}}},
        metadata={"location": {"lat": 46.2, "lon": 14.3}, "municipality": "kranj"},
    )
    clean = scrub(event)
    assert clean.metadata == {"municipality": "kranj"}
    assert clean.parse_data["metadata"] == {}
    assert clean.text == "nearest pharmacy" and clean.intent_name == "find_service"
    assert event.metadata["location"] == {"lat": 46.2, "lon": 14.3}, "the live turn keeps it"


def test_other_events_untouched() -> None:
    plain = UserUttered("hi", metadata={"municipality": "kranj"})
    action = ActionExecuted("action_listen")
    assert scrub(plain) is plain and scrub(action) is action


def test_session_start_metadata_slot_loses_the_location() -> None:
    event = SlotSet(
        "session_started_metadata", {"municipality": "kranj", "location": {"lat": 46.2}}
    )
    assert scrub(event).value == {"municipality": "kranj"}
    assert event.value["location"] == {"lat": 46.2}
    other = SlotSet("municipality", "kranj")
    assert scrub(other) is other


async def test_a_sender_sqlite_cannot_store_fails_that_message_not_the_server(
    tmp_path: Path,
) -> None:
    """Rasa's own session_scope turns this ValueError into sys.exit (the whole bot stops)."""
    store = PrivateSQLTrackerStore(
        Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db")
    )
    tracker = DialogueStateTracker.from_events("x\udc00", [UserUttered("hi")])
    with pytest.raises(TrackerStoreError):
        await store.save(tracker)
    fine = DialogueStateTracker.from_events("someone", [UserUttered("hi")])
    await store.save(fine)
    assert (await store.retrieve("someone")) is not None, "the store still works"
