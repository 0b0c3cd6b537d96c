"""Forget old conversations: delete tracker-store events older than a given age, and the
unanswered questions kept for staff (bot/staff/unanswered.py) as old.

    python -m bot privacy purge [--older-than 30d] [--tracker-url URL]

The tracker store is the SQL database of endpoints.yml (SQLite or PostgreSQL); `--tracker-url`
names another one. Every event older than the cut-off goes, in one transaction; a conversation
whose events are all older disappears. Run it daily from cron or a systemd timer.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from bot import PROJECT_DIR

_AGE = re.compile(r"^(\d+)([dhm])$")
_SECONDS = {"d": 86400, "h": 3600, "m": 60}
DEFAULT_RETENTION_DAYS = 30


def retention_days() -> int:
    """`PRIVACY_RETENTION_DAYS` (default 30): the age at which `python -m bot privacy purge`
    deletes conversations, and the one the privacy notice names (docs/operations.md)."""
    raw = os.environ.get("PRIVACY_RETENTION_DAYS", "")
    return int(raw) if raw.strip().isdigit() and int(raw) > 0 else DEFAULT_RETENTION_DAYS


def parse_age(value: str) -> float:
    """'30d', '12h', '90m' -> seconds."""
    match = _AGE.match(value.strip())
    if not match:
        raise ValueError(f"'{value}' is not an age like 30d, 12h or 90m")
    return int(match.group(1)) * _SECONDS[match.group(2)]


def tracker_url_from_endpoints(endpoints: Path = PROJECT_DIR / "endpoints.yml") -> URL:
    """The SQL tracker store's URL as endpoints.yml configures it."""
    store = (yaml.safe_load(endpoints.read_text("utf-8")) or {}).get("tracker_store") or {}
    dialect = store.get("dialect", "sqlite")
    database = str(store.get("db", "rasa.db"))
    if dialect == "sqlite":
        path = Path(database)
        return make_url(f"sqlite:///{path if path.is_absolute() else PROJECT_DIR / path}")
    return URL.create(
        drivername=dialect,
        username=store.get("username"),
        password=store.get("password"),
        host=store.get("url"),
        port=store.get("port"),
        database=database,
    )


@dataclass(frozen=True)
class PurgeReport:
    events: int
    conversations: int


def purge(url: URL | str, older_than_seconds: float, now: float | None = None) -> PurgeReport:
    """Delete events older than the cut-off; count them and the conversations now gone."""
    cutoff = (now if now is not None else time.time()) - older_than_seconds
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        senders_before = connection.execute(text("SELECT COUNT(DISTINCT sender_id) FROM events"))
        before = int(senders_before.scalar() or 0)
        deleted = connection.execute(
            text("DELETE FROM events WHERE timestamp < :cutoff"), {"cutoff": cutoff}
        ).rowcount
        after = int(
            connection.execute(text("SELECT COUNT(DISTINCT sender_id) FROM events")).scalar() or 0
        )
    engine.dispose()
    return PurgeReport(events=int(deleted or 0), conversations=before - after)


def purge_unanswered(knowledge_url: str | None, older_than_seconds: float) -> int:
    """Delete the staff loop's unanswered questions and "Did this help?" answers older than
    the cut-off from the knowledge database (`DATABASE_URL`); how many questions went."""
    from bot.knowledge.db import make_engine
    from bot.staff import feedback, unanswered

    engine = make_engine(knowledge_url)
    days = int(older_than_seconds // 86400)
    try:
        feedback.purge(engine, days)
        return unanswered.purge(engine, days)
    finally:
        engine.dispose()
