"""Keep the production profile running: watch its processes and forget old conversations.

The privacy purge runs at start and then every `PRIVACY_PURGE_EVERY_SECONDS` (default one
hour). A purge that fails (the database is down, a lock times out) is logged and tried again
after `retry_seconds`; it never stops an instance: serving newcomers matters more than
deleting on the minute.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from bot.cluster import Cluster
from bot.privacy import purge, purge_unanswered, retention_days

logger = logging.getLogger(__name__)

PURGE_EVERY_SECONDS = float(os.environ.get("PRIVACY_PURGE_EVERY_SECONDS") or 3600)
PURGE_RETRY_SECONDS = 300.0


@dataclass
class PurgeSchedule:
    """When the next purge is due, and how the last ones went."""

    every: float = PURGE_EVERY_SECONDS
    retry: float = PURGE_RETRY_SECONDS
    next_at: float = 0.0
    succeeded: int = 0
    failed: int = 0
    clock: Callable[[], float] = field(default=time.monotonic)

    def run_if_due(self, tracker_url: str, knowledge_url: Optional[str] = None) -> Optional[bool]:
        """Purge if due; True or False for how it went, None if it was not due."""
        now = self.clock()
        if now < self.next_at:
            return None
        try:
            report = purge(tracker_url, retention_days() * 86400.0)
            if knowledge_url:
                purge_unanswered(knowledge_url, retention_days() * 86400.0)
        except Exception as error:  # the database may be down: never stop serving for this
            self.failed += 1
            self.next_at = now + self.retry
            logger.error(
                "Privacy purge failed (%s); trying again in %.0f s",
                type(error).__name__,
                self.retry,
            )
            return False
        self.succeeded += 1
        self.next_at = now + self.every
        logger.info(
            "Privacy purge: %s events deleted, %s conversations gone",
            report.events,
            report.conversations,
        )
        return True


def supervise(
    cluster: Cluster,
    schedule: PurgeSchedule,
    stop: threading.Event,
    poll_seconds: float = 1.0,
) -> bool:
    """Purge on schedule until `stop` is set (True) or a server process exits (False)."""
    tracker_url = cluster.environment["TRACKER_DB_URL"]
    while not stop.is_set():
        if any(process.poll() is not None for process in cluster.processes.values()):
            return False
        schedule.run_if_due(tracker_url, cluster.environment.get("DATABASE_URL"))
        stop.wait(poll_seconds)
    return True
