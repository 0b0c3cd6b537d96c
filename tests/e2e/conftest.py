"""Start the real action server and Rasa server once for the end-to-end tests."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Iterator

import pytest

from bot import PROJECT_DIR
from bot.cluster import embedded_endpoints, embedded_servers, free_port, rasa_run
from bot.knowledge.db import make_engine
from bot.knowledge.repository import recheck_from_environment
from bot.knowledge.sync import SyncReport, sync
from tests.e2e.fake_graph import FakeGraphApi
from tests.e2e.fake_telegram import FakeBotApi

FIXED_CLOCK = "2026-10-21T19:30:00+02:00"
RASA_PORT = int(os.environ.get("E2E_RASA_PORT") or free_port())
ACTIONS_PORT = int(os.environ.get("E2E_ACTIONS_PORT") or free_port())
SAMPLES = PROJECT_DIR / "knowledge" / "municipalities"


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


def sync_and_wait(database_url: str, knowledge_dir: Path) -> SyncReport:
    """Sync the knowledge, then wait until the action server reads the content hash again
    (it trusts the one it read for KNOWLEDGE_RECHECK_SECONDS)."""
    report = sync(make_engine(database_url), [knowledge_dir])
    time.sleep(recheck_from_environment() + 0.2)
    return report


@pytest.fixture(scope="session")
def servers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the servers' endpoints, logs and conversation database (tracker.db) live."""
    return tmp_path_factory.mktemp("servers")


def stored_events(servers_dir: Path, sender: str) -> list[str]:
    """The stored events (JSON) of one conversation in the e2e servers' tracker.db."""
    with sqlite3.connect(servers_dir / "tracker.db") as database:
        query = "SELECT data FROM events WHERE sender_id = ? ORDER BY id"
        return [row[0] for row in database.execute(query, (sender,))]


RATE_LIMIT = 25  # messages per sender per minute in the e2e servers
ADDRESS_RATE_LIMIT = 1_000_000  # every e2e request comes from 127.0.0.1

# The staff page's tokens (bot/staff/access.py)
STAFF_TOKENS = {
    "STAFF_TOKEN_KRANJ": "kranj-staff-token-0123456789",
    "STAFF_TOKEN_BOLZANO": "bolzano-staff-token-0123456789",
    "STAFF_ADMIN_TOKEN": "admin-staff-token-0123456789",
}

TELEGRAM_BOTS = {
    "kranj": ("111:kranj-token", "kranj-secret"),
    "bolzano": ("222:bolzano-token", "bolzano-secret"),
}


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[FakeBotApi]:
    api = FakeBotApi()
    yield api
    api.close()


# WhatsApp: one Meta app, a number per municipality (bot/channels/whatsapp.py)
WHATSAPP_NUMBERS = {"dornbirn": "1001", "kranj": "1002"}
WHATSAPP_APP_SECRET = "whatsapp-app-secret"
WHATSAPP_VERIFY_TOKEN = "whatsapp-verify-token"
WHATSAPP_ACCESS_TOKEN = "whatsapp-access-token"


def whatsapp_environment(api_url: str) -> dict[str, str]:
    """The environment of a server whose WhatsApp numbers talk to the Graph API at `api_url`."""
    env = {
        "WHATSAPP_MUNICIPALITIES": ",".join(WHATSAPP_NUMBERS),
        "WHATSAPP_APP_SECRET": WHATSAPP_APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": WHATSAPP_VERIFY_TOKEN,
        "WHATSAPP_ACCESS_TOKEN": WHATSAPP_ACCESS_TOKEN,
        "WHATSAPP_API_URL": f"{api_url}/v21.0",
    }
    for municipality, number in WHATSAPP_NUMBERS.items():
        env[f"WHATSAPP_PHONE_NUMBER_ID_{municipality.upper()}"] = number
    return env


@pytest.fixture(scope="session")
def fake_graph() -> Iterator[FakeGraphApi]:
    api = FakeGraphApi()
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
    return rasa_run(model_path(), port, embedded_endpoints(work, actions_port))


@pytest.fixture(scope="session")
def rasa_url(
    servers_dir: Path,
    database_url_e2e: str,
    fake_telegram: FakeBotApi,
    fake_graph: FakeGraphApi,
    knowledge_dir: Path,
) -> Iterator[str]:
    work = servers_dir
    telegram = {"TELEGRAM_API_URL": fake_telegram.url, "TELEGRAM_MUNICIPALITIES": "kranj,bolzano"}
    for municipality, (token, secret) in TELEGRAM_BOTS.items():
        telegram[f"TELEGRAM_TOKEN_{municipality.upper()}"] = token
        telegram[f"TELEGRAM_SECRET_{municipality.upper()}"] = secret
    env = {
        **os.environ,
        **telegram,
        **whatsapp_environment(fake_graph.url),
        "DATABASE_URL": database_url_e2e,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
        "ADDRESS_RATE_LIMIT_PER_MINUTE": str(ADDRESS_RATE_LIMIT),
        **STAFF_TOKENS,
        "STAFF_KNOWLEDGE_DIR": str(knowledge_dir),
        # the tests are the proxy: X-Forwarded-For names the client (the staff page's
        # wrong-token limit is tested from made-up addresses, not from 127.0.0.1)
        "TRUSTED_PROXIES": "127.0.0.1",
        # Wednesday 21 October 2026, 19:30 in Vienna, after that day's language café and four
        # days before summer time ends: "next" dates are fixed and cross the change
        "FIXED_CLOCK": FIXED_CLOCK,
    }
    with embedded_servers(work, model_path(), env, (RASA_PORT, ACTIONS_PORT)):
        yield f"http://localhost:{RASA_PORT}"
