"""Knowledge-base tests run against SQLite and against a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.postgres import fresh_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'knowledge.db'}"
    return fresh_database(request.getfixturevalue("postgres_url"))
