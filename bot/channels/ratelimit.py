"""Per-sender message limit, so one client cannot flood the assistant.

RATE_LIMIT_PER_MINUTE (default 30) messages per sender in any 60 seconds; more are refused
by the channel before any processing. Counted per Rasa process: with several instances behind
a proxy, the effective limit is per instance (sticky sessions make it per sender again).
"""

from __future__ import annotations

import os
import time
from collections import defaultdict, deque
from typing import Callable, Deque, Dict

WINDOW_SECONDS = 60.0


class RateLimiter:
    """Sliding-window counter of accepted messages per sender."""

    def __init__(
        self, per_minute: int | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_minute = per_minute or int(os.environ.get("RATE_LIMIT_PER_MINUTE", "30"))
        self._clock = clock
        self._seen: Dict[str, Deque[float]] = defaultdict(deque)

    def allow(self, sender: str) -> bool:
        """Count the message and say whether it may be processed."""
        now = self._clock()
        seen = self._seen[sender]
        while seen and now - seen[0] >= WINDOW_SECONDS:
            seen.popleft()
        if len(seen) >= self.per_minute:
            return False
        seen.append(now)
        if len(self._seen) > 100_000:  # forget idle senders now and then
            for key in [k for k, v in self._seen.items() if not v]:
                del self._seen[key]
        return True
