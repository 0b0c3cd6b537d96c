"""The bot's clock: the real time, or the fixed moment named by FIXED_CLOCK.

FIXED_CLOCK (ISO 8601 with a UTC offset, e.g. `2026-10-21T19:30:00+02:00`) freezes what
the bot takes for "now": which events come next, which offices are open. It is for tests,
demonstrations and staff training ("what will newcomers see on Monday evening?"); a
production deployment leaves it unset (docs/operations.md)."""

from __future__ import annotations

import logging
import os
from datetime import datetime, timezone
from functools import lru_cache

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _fixed(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"FIXED_CLOCK needs a UTC offset, e.g. {value}+01:00")
    logger.warning("FIXED_CLOCK is set: the bot answers as if it were %s", moment.isoformat())
    return moment.astimezone(timezone.utc)


def now() -> datetime:
    """The current moment in UTC, or FIXED_CLOCK's if it is set."""
    value = os.environ.get("FIXED_CLOCK", "").strip()
    return _fixed(value) if value else datetime.now(timezone.utc)
