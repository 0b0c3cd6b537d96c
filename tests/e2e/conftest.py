"""Start the real action server and Rasa server once for the end-to-end tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests

from bot import PROJECT_DIR
from bot.knowledge.db import make_engine
from bot.knowledge.sync import sync
from tests.e2e.fake_telegram import FakeBotApi


def _free_port() -> int:
    """A port nobody listens on now, so that two test runs on one machine do not collide."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


RASA_PORT = int(os.environ.get("E2E_RASA_PORT") or _free_port())
ACTIONS_PORT = int(os.environ.get("E2E_ACTIONS_PORT") or _free_port())
SAMPLES = PROJECT_DIR / "knowledge" / "municipalities"


def _wait(
    url: str, processes: list[subprocess.Popen], logs: list[Path], seconds: int = 240
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                tails = "\n".join(log.read_text(errors="replace")[-3000:] for log in logs)
                raise RuntimeError(f"a server exited early:\n{tails}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError(f"{url} not ready after {seconds} s")


@pytest.fixture(scope="session")
def knowledge_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample knowledge that tests may edit and re-sync."""
    folder = tmp_path_factory.mktemp("knowledge") / "municipalities"
    shutil.copytree(SAMPLES, folder)
    return folder


@pytest.fixture(scope="session")
def database_url_e2e(tmp_path_factory: pytest.TempPathFactory, knowledge_dir: Path) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'knowledge.db'}"
    assert sync(make_engine(url), [knowledge_dir]).ok
    return url


@pytest.fixture(scope="session")
def servers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the servers' endpoints, logs and conversation database (tracker.db) live."""
    return tmp_path_factory.mktemp("servers")


RATE_LIMIT = 25  # messages per sender per minute in the e2e servers

TELEGRAM_BOTS = {
    "kranj": ("111:kranj-token", "kranj-secret"),
    "bolzano": ("222:bolzano-token", "bolzano-secret"),
}


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[FakeBotApi]:
    api = FakeBotApi()
    yield api
    api.close()


def model_path() -> str:
    """The model `make test` trained (MODEL_PATH); the e2e tests fail without it."""
    model = os.environ.get("MODEL_PATH")
    if not model:
        pytest.fail("MODEL_PATH is not set: run the e2e tests through `make test`")
    return str(PROJECT_DIR / model)


def rasa_command(work: Path, port: int, actions_port: int) -> list[str]:
    """`rasa run` on `port` with the project's endpoints, except the action server's port
    and a conversation database of its own in `work`."""
    endpoints = work / "endpoints.yml"
    endpoints.write_text(
        (PROJECT_DIR / "endpoints.yml")
        .read_text()
        .replace("localhost:5055", f"localhost:{actions_port}")
        .replace("db: var/tracker.db", f"db: {work / 'tracker.db'}")
    )
    return [
        str(Path(sys.executable).parent / "rasa"),
        "run",
        "--model",
        model_path(),
        "--port",
        str(port),
        "--credentials",
        str(PROJECT_DIR / "credentials.yml"),
        "--endpoints",
        str(endpoints),
    ]


@pytest.fixture(scope="session")
def rasa_url(servers_dir: Path, database_url_e2e: str, fake_telegram: FakeBotApi) -> Iterator[str]:
    work = servers_dir
    telegram = {"TELEGRAM_API_URL": fake_telegram.url, "TELEGRAM_MUNICIPALITIES": "kranj,bolzano"}
    for municipality, (token, secret) in TELEGRAM_BOTS.items():
        telegram[f"TELEGRAM_TOKEN_{municipality.upper()}"] = token
        telegram[f"TELEGRAM_SECRET_{municipality.upper()}"] = secret
    env = {
        **os.environ,
        **telegram,
        "DATABASE_URL": database_url_e2e,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
    }
    bin_dir = Path(sys.executable).parent
    logs = [work / "actions.log", work / "rasa.log"]
    commands = [
        [
            str(bin_dir / "rasa"),
            "run",
            "actions",
            "--port",
            str(ACTIONS_PORT),
            "--actions",
            "actions",
        ],
        rasa_command(work, RASA_PORT, ACTIONS_PORT),
    ]
    processes = [
        subprocess.Popen(
            cmd, cwd=PROJECT_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        for cmd, log in zip(commands, logs)
    ]
    try:
        _wait(f"http://localhost:{ACTIONS_PORT}/health", processes, logs)
        _wait(f"http://localhost:{RASA_PORT}/", processes, logs)
        yield f"http://localhost:{RASA_PORT}"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
