"""The bot's clock: real time by default, FIXED_CLOCK when set, and no guessing of zones."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot import clock


def test_real_time_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FIXED_CLOCK", raising=False)
    assert abs(clock.now() - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_fixed_moment_in_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIXED_CLOCK", "2026-10-21T19:30:00+02:00")
    assert clock.now() == datetime(2026, 10, 21, 17, 30, tzinfo=timezone.utc)


def test_a_moment_without_offset_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIXED_CLOCK", "2026-10-21T19:30:00")
    with pytest.raises(ValueError, match="UTC offset"):
        clock.now()
