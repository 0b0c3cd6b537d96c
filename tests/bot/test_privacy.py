"""Old conversations are deleted from the tracker store on request."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.cli import main
from bot.privacy import parse_age, purge, tracker_url_from_endpoints
from bot.tracker_store import PrivateSQLTrackerStore

DAY = 86400.0


async def _store_with_conversations(path: Path) -> PrivateSQLTrackerStore:
    store = PrivateSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    now = time.time()
    for sender, ages in {"old": [40, 39], "mixed": [40, 1], "new": [1, 0]}.items():
        tracker = DialogueStateTracker(sender, [])
        for age in ages:
            tracker.update(UserUttered("hi", timestamp=now - age * DAY))
            tracker.update(ActionExecuted("utter_greet", timestamp=now - age * DAY))
        await store.save(tracker)
    return store


async def test_purge_deletes_events_older_than_the_cutoff(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = await _store_with_conversations(db)
    report = purge(f"sqlite:///{db}", 30 * DAY)
    assert report.events == 6 and report.conversations == 1
    assert await store.retrieve("old") is None
    mixed = await store.retrieve("mixed")
    assert mixed is not None and len(mixed.events) == 2
    new = await store.retrieve("new")
    assert new is not None and len(new.events) == 4


async def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "tracker.db"
    await _store_with_conversations(db)
    assert (
        main(["privacy", "purge", "--older-than", "30d", "--tracker-url", f"sqlite:///{db}"]) == 0
    )
    assert "Deleted 6 events" in capsys.readouterr().out
    assert main(["privacy", "purge", "--older-than", "a month"]) == 2


async def test_without_an_age_the_configured_retention_applies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "tracker.db"
    await _store_with_conversations(db)
    monkeypatch.setenv("PRIVACY_RETENTION_DAYS", "20")
    assert main(["privacy", "purge", "--tracker-url", f"sqlite:///{db}"]) == 0
    assert "Deleted 6 events older than 20d" in capsys.readouterr().out
    monkeypatch.setenv("PRIVACY_RETENTION_DAYS", "0")  # not a retention: the default
    assert main(["privacy", "purge", "--tracker-url", f"sqlite:///{db}"]) == 0
    assert "older than 30d" in capsys.readouterr().out


def test_ages_and_default_store() -> None:
    assert parse_age("30d") == 30 * DAY and parse_age("12h") == 12 * 3600
    with pytest.raises(ValueError):
        parse_age("30")
    assert str(tracker_url_from_endpoints()).endswith("var/tracker.db")
