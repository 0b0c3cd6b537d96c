"""Per-sender message limit, so one client cannot flood the assistant.

RATE_LIMIT_PER_MINUTE (default 30) messages per sender in any 60 seconds; more are refused
by the channel before any processing. With `REDIS_HOST` set (the production profile), the
count is kept in Redis and shared by every Rasa instance; otherwise it is kept in this
process. If Redis cannot be reached, each instance counts on its own until it can again.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections import defaultdict, deque
from typing import Any, Callable, Deque, Dict, Optional

import redis

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60.0
KEY_PREFIX = "welcome:rate:"


def redis_from_environment() -> Optional[Any]:
    """A client for the lock store's Redis (REDIS_HOST, REDIS_PORT, REDIS_PASSWORD,
    REDIS_DB), or None when REDIS_HOST is not set."""
    host = os.environ.get("REDIS_HOST")
    if not host:
        return None
    return redis.Redis(
        host=host,
        port=int(os.environ.get("REDIS_PORT") or 6379),
        password=os.environ.get("REDIS_PASSWORD") or None,
        db=int(os.environ.get("REDIS_DB") or 1),
        socket_timeout=1.0,
        socket_connect_timeout=1.0,
    )


class RateLimiter:
    """Sliding-window counter of accepted messages per sender."""

    def __init__(
        self,
        per_minute: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        shared: Optional[Any] = None,
    ) -> None:
        self.per_minute = per_minute or int(os.environ.get("RATE_LIMIT_PER_MINUTE", "30"))
        self._clock = clock
        self._seen: Dict[str, Deque[float]] = defaultdict(deque)
        self._shared = shared if shared is not None else redis_from_environment()
        self._shared_down = False

    def allow(self, sender: str) -> bool:
        """Count the message and say whether it may be processed."""
        if self._shared is not None:
            try:
                allowed = self._allow_shared(self._shared, sender)
            except redis.RedisError as error:
                if not self._shared_down:
                    logger.error("Rate limit: Redis unreachable (%s); counting locally", error)
                self._shared_down = True
            else:
                if self._shared_down:
                    logger.info("Rate limit: Redis reachable again")
                self._shared_down = False
                return allowed
        return self._allow_local(sender)

    def _allow_shared(self, shared: Any, sender: str) -> bool:
        """The same sliding window in a Redis sorted set of accept times, one per sender."""
        key = KEY_PREFIX + sender
        now = time.time()
        pipe = shared.pipeline()
        pipe.zremrangebyscore(key, 0, now - WINDOW_SECONDS)
        pipe.zcard(key)
        count = pipe.execute()[1]
        if count >= self.per_minute:
            return False
        pipe = shared.pipeline()
        pipe.zadd(key, {f"{now}:{uuid.uuid4().hex[:8]}": now})
        pipe.expire(key, int(WINDOW_SECONDS) + 1)
        pipe.execute()
        return True

    def _allow_local(self, sender: str) -> bool:
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
