"""Parts fail, the newcomer still gets a polite answer in their language."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from bot import PROJECT_DIR
from bot.locales.catalog import load_catalog
from tests.e2e.conftest import _free_port, _wait

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def rasa_without_actions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Rasa server whose action server is down (nothing listens on its port)."""
    model = os.environ.get("MODEL_PATH")
    if not model:
        pytest.fail("MODEL_PATH is not set: run the e2e tests through `make test`")
    work = tmp_path_factory.mktemp("no-actions")
    endpoints = work / "endpoints.yml"
    endpoints.write_text(
        (PROJECT_DIR / "endpoints.yml")
        .read_text()
        .replace("localhost:5055", f"localhost:{_free_port()}")
        .replace("db: var/tracker.db", f"db: {work / 'tracker.db'}")
    )
    port = _free_port()
    log = work / "rasa.log"
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "rasa"),
            "run",
            "--model",
            str(PROJECT_DIR / model),
            "--port",
            str(port),
            "--credentials",
            str(PROJECT_DIR / "credentials.yml"),
            "--endpoints",
            str(endpoints),
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait(f"http://localhost:{port}/", [process], [log])
        yield f"http://localhost:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("de", "Wie finde ich eine Wohnung in Kranj?"),
        ("ar", "كيف أجد شقة للإيجار؟"),
        ("uk", "Як знайти квартиру?"),
    ],
)
def test_action_server_down_gets_a_polite_reply(
    rasa_without_actions: str, code: str, message: str
) -> None:
    answer = requests.post(
        f"{rasa_without_actions}/webhooks/rest/webhook",
        json={
            "sender": uuid.uuid4().hex,
            "message": message,
            "metadata": {"municipality": "kranj"},
        },
        timeout=120,
    )
    assert answer.status_code == 200
    replies = answer.json()
    expected = load_catalog(code)["responses"]["utter_technical_problem"][0]["text"]
    assert [r["text"] for r in replies] == [expected]
    assert replies[0]["language"] == code
