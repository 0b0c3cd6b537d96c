"""The production loop's purge: a failure is logged and retried, never fatal."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from bot.supervise import PurgeSchedule


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _tracker_db(path: Path) -> str:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp REAL)")
        db.execute("INSERT INTO events (sender_id, timestamp) VALUES ('old', 0)")
    return f"sqlite:///{path}"


def test_failed_purge_is_logged_and_retried_sooner(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    schedule = PurgeSchedule(every=3600, retry=300, clock=clock)
    down = f"sqlite:///{tmp_path / 'missing-folder' / 'tracker.db'}"  # cannot be opened
    with caplog.at_level(logging.ERROR):
        assert schedule.run_if_due(down) is False
    assert "Privacy purge failed" in caplog.text
    assert (schedule.failed, schedule.next_at) == (1, 1300.0)
    clock.now = 1200.0
    assert schedule.run_if_due(down) is None, "not due before the retry time"


def test_purge_runs_again_after_an_outage_and_then_hourly(tmp_path: Path) -> None:
    clock = Clock()
    schedule = PurgeSchedule(every=3600, retry=300, clock=clock)
    assert schedule.run_if_due(f"sqlite:///{tmp_path / 'nope' / 'x.db'}") is False
    good = _tracker_db(tmp_path / "tracker.db")
    clock.now = 1300.0
    assert schedule.run_if_due(good) is True
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        assert db.execute("SELECT COUNT(*) FROM events").fetchone() == (0,), "old events gone"
    assert schedule.next_at == 1300.0 + 3600
