"""Parts fail, the newcomer still gets a polite answer in their language."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator

import pytest

from bot import PROJECT_DIR
from bot.cluster import free_port, stop_processes, wait_ready
from bot.locales.catalog import load_catalog
from tests.e2e.conftest import rasa_command
from tests.e2e.test_rest import post_message

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def rasa_without_actions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Rasa server whose action server is down (nothing listens on its port)."""
    work = tmp_path_factory.mktemp("no-actions")
    port = free_port()
    log = work / "rasa.log"
    process = subprocess.Popen(
        rasa_command(work, port, actions_port=free_port()),  # nothing listens there
        cwd=PROJECT_DIR,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_ready(f"http://localhost:{port}/", {"rasa": process}, {"rasa": log})
        yield f"http://localhost:{port}"
    finally:
        stop_processes([process])


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("de", "Wie finde ich eine Wohnung in Kranj?"),
        ("ar", "كيف أجد شقة للإيجار؟"),
        ("uk", "Як знайти квартиру?"),
        ("de", "Ich verstehe das Formular vom Amt für meine Frau nicht ganz"),  # unclear
    ],
)
def test_action_server_down_gets_a_polite_reply(
    rasa_without_actions: str, code: str, message: str
) -> None:
    sender = uuid.uuid4().hex
    answer = post_message(rasa_without_actions, sender, message, timeout=120, municipality="kranj")
    assert answer.status_code == 200
    replies = answer.json()
    expected = load_catalog(code)["responses"]["utter_technical_problem"][0]["text"]
    assert [r["text"] for r in replies] == [expected]
    assert replies[0]["language"] == code


@pytest.mark.parametrize(
    ("code", "message", "hint"),
    [
        ("de", "Hallo", None),
        ("uk", "/greet", "uk"),  # a button payload: the channel's locale decides
        ("fr", "Bonjour, pouvez-vous m'aider s'il vous plaît ?", None),
    ],
)
def test_action_server_down_still_greets_in_the_users_language(
    rasa_without_actions: str, code: str, message: str, hint: str | None
) -> None:
    """Replies that need no knowledge (rendered by Rasa's NLG) keep working, in the
    user's language, while the action server is down."""
    metadata = {"municipality": "kranj", **({"language": hint} if hint else {})}
    replies = post_message(rasa_without_actions, uuid.uuid4().hex, message, **metadata).json()
    catalog = load_catalog(code)["responses"]
    expected = {catalog[name][0]["text"] for name in ("utter_greet", "utter_help")}
    assert replies and replies[0]["text"] in expected
    assert replies[0]["language"] == code
