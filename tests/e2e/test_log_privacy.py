"""A failing action leaves neither the user's words nor their location in any log, even with
Rasa, the action server and the libraries logging at DEBUG."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cluster import embedded_servers
from tests.e2e.conftest import model_path
from tests.e2e.test_rest import post_message

pytestmark = pytest.mark.e2e

MARKER = "zebra-7731"
MESSAGES = (f"Wo ist der nächste Sprachkurs? {MARKER}", f"Sprachkurs bitte, {MARKER}")
LAT, LON = 46.23917, 14.35561
# The knowledge database's driver is not installed: every knowledge action raises an
# ImportError, which rasa_sdk answers with a 500 whose body holds the whole action call
# (tracker, latest message, metadata with the location), and Rasa logs that body.
BROKEN_DATABASE_URL = "postgresql+pg8000://rasa@127.0.0.1:1/knowledge"


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The servers' complete logs after messages with a location whose lookup failed."""
    work = tmp_path_factory.mktemp("log-privacy")
    env = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "DATABASE_URL": BROKEN_DATABASE_URL,
        "LOG_LEVEL_LIBRARIES": "DEBUG",  # Sanic, socket.io, asyncio, ...
    }
    with embedded_servers(work, model_path(), env, extra_args=["--debug"]) as url:
        sender = uuid.uuid4().hex
        for message in MESSAGES:
            location = {"lat": LAT, "lon": LON}
            answer = post_message(
                url, sender, message, timeout=120, municipality="kranj", location=location
            )
            assert answer.status_code == 200, answer.text
    # every line is written once they have stopped
    files = {name: work / f"{name}.log" for name in ("actions", "rasa")}
    yield {name: _read(path) for name, path in files.items()}


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def test_the_lookup_really_failed_and_was_logged_at_debug(logs: dict[str, str]) -> None:
    """Guard: the servers logged the failure and their DEBUG lines (else the next test would
    pass for nothing)."""
    assert "Encountered an exception while running action" in logs["rasa"]
    assert "Exception occurred during execution of request" in logs["actions"]
    assert "pg8000" in logs["actions"]
    assert " DEBUG " in logs["rasa"] and " DEBUG " in logs["actions"]


@pytest.mark.parametrize("secret", [MARKER, str(LAT), str(LON)])
def test_no_text_or_location_in_any_log(logs: dict[str, str], secret: str) -> None:
    leaks = [
        f"{name}: {line[:300]}"
        for name, text in logs.items()
        for line in text.splitlines()
        if secret.lower() in line.lower()
    ]
    assert not leaks, f"{len(leaks)} log lines with {secret!r}:\n" + "\n".join(leaks[:10])
