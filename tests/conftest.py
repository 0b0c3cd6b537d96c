"""Shared fixtures: a temporary SQLite knowledge base, a dispatcher and a tracker factory."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import PROJECT_DIR
from bot.knowledge.db import make_engine
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.sync import sync

SAMPLE_KNOWLEDGE = PROJECT_DIR / "knowledge" / "municipalities"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'knowledge.db'}"


@pytest.fixture
def kb(database_url: str) -> KnowledgeRepository:
    """The sample municipalities, synced into a fresh SQLite file."""
    engine = make_engine(database_url)
    report = sync(engine, [SAMPLE_KNOWLEDGE])
    assert report.ok, report.load.problems
    return KnowledgeRepository(engine)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


TrackerFactory = Callable[..., Tracker]


@pytest.fixture
def tracker_factory() -> TrackerFactory:
    def make(
        text: str = "",
        intent: str = "greet",
        slots: dict[str, Any] | None = None,
        entities: list[dict[str, Any]] | None = None,
        metadata: dict[str, Any] | None = None,
        detection: dict[str, Any] | None = None,
        ranking: list[tuple[str, float]] | None = None,
        earlier: list[tuple[str, str]] | None = None,
    ) -> Tracker:
        """A tracker whose latest message is `text` with `intent` (and `ranking`, best
        first, if given); `earlier` are (text, intent) user messages before it."""
        scores = ranking or [(intent, 1.0)]
        latest = {
            "text": text,
            "intent": {"name": intent, "confidence": scores[0][1] if ranking else 1.0},
            "intent_ranking": [{"name": n, "confidence": c} for n, c in scores],
            "entities": entities or [],
            "metadata": metadata or {},
            "language_detection": detection,
        }
        return Tracker(
            sender_id="test",
            slots={
                "language": None,
                "municipality": None,
                "topic": None,
                "pending": None,
                **(slots or {}),
            },
            latest_message=latest,
            events=[
                {"event": "user", "text": t, "parse_data": {"intent": {"name": i}}}
                for t, i in [*(earlier or []), (text, intent)]
            ],
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )

    return make


@pytest.fixture(scope="session")
def redis_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A real Redis server on a free port (scripts/redis.sh installs Debian's if missing)."""
    from bot.cluster import free_port

    folder = tmp_path_factory.mktemp("redis")
    port = free_port()
    script = str(PROJECT_DIR / "scripts" / "redis.sh")
    subprocess.run([script, "start", str(folder), str(port)], check=True, capture_output=True)
    yield port
    subprocess.run([script, "stop", str(folder)], check=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for the session (tests/postgres.py)."""
    from tests.postgres import postgres_server

    with postgres_server() as url:
        yield url
