"""Database URL and engine factory (nothing is connected at import time)."""

from __future__ import annotations

import os
from functools import cache

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from bot import PROJECT_DIR
from bot.knowledge.models import Base

DEFAULT_DATABASE_FILE = PROJECT_DIR / "var" / "knowledge.db"


def database_url() -> str:
    """`DATABASE_URL` from the environment, else a SQLite file under var/."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DATABASE_FILE}"


def make_engine(url: str | None = None) -> Engine:
    """Create an engine and the tables if they are missing."""
    url = url or database_url()
    if url.startswith("sqlite:///"):
        (PROJECT_DIR / url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True)
    Base.metadata.create_all(engine)
    return engine


@cache
def shared_engine(url: str | None = None) -> Engine:
    """One engine per URL per process."""
    return make_engine(url)
