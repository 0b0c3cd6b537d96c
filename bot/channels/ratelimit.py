"""Sliding-window message limits, so one client cannot flood the assistant.

Per sender: RATE_LIMIT_PER_MINUTE (default 30) messages in any 60 seconds; more are refused
by the channel before any processing. The same class counts messages per client address
(bot/channels/address.py) under another key prefix. With `REDIS_HOST` set (the production
profile), the count is kept in Redis and shared by every Rasa instance; otherwise it is kept
in this process. If Redis cannot be reached, each instance counts on its own until it can
again.

In this process a key is forgotten once its window is empty, and at most `max_keys` keys
are kept (beyond that the least recently seen goes), so a flood of made-up sender ids costs
bounded memory and constant work per message.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections import OrderedDict, deque
from typing import Any, Callable, Deque, Optional, TypeVar

import redis

from bot.redis_tls import client_options

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60.0
KEY_PREFIX = "welcome:rate:"
# Keys kept in this process. A key stays only while it had a message accepted within the
# window; one instance answers some 40 messages a second (docs/operations.md), so 20,000
# is several times the senders it can serve in a minute, and costs at most about 20 MB.
MAX_TRACKED = 20_000


def redis_from_environment() -> Optional[Any]:
    """A client for the lock store's Redis (REDIS_HOST, REDIS_PORT, REDIS_PASSWORD,
    REDIS_DB; REDIS_TLS and REDIS_CA_CERT, bot/redis_tls.py), or None when REDIS_HOST is not
    set."""
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
        **client_options(),
    )


T = TypeVar("T")


class SharedRedis:
    """The Redis that instances share, used while it answers. When it does not, `run` gives
    None, the caller falls back to its own process, and the outage and the recovery are
    logged once each."""

    def __init__(self, shared: Optional[Any], what: str, fallback: str) -> None:
        # None: Redis if REDIS_HOST is set; False: this process only
        self.client = redis_from_environment() if shared is None else (shared or None)
        self._what, self._fallback = what, fallback
        self._down = False

    def run(self, operation: Callable[[Any], T]) -> Optional[T]:
        """The operation's result on Redis; None without Redis or while it is down."""
        if self.client is None:
            return None
        try:
            result = operation(self.client)
        except redis.RedisError as error:
            if not self._down:
                logger.error(
                    "%s: Redis unreachable (%s); %s locally", self._what, error, self._fallback
                )
            self._down = True
            return None
        if self._down:
            logger.info("%s: Redis reachable again", self._what)
        self._down = False
        return result


class RateLimiter:
    """Sliding-window count of accepted messages per key: at most `limit` in any `window`
    seconds (default: RATE_LIMIT_PER_MINUTE per 60 s)."""

    def __init__(
        self,
        limit: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        shared: Optional[Any] = None,
        *,
        window: float = WINDOW_SECONDS,
        prefix: str = KEY_PREFIX,
        max_keys: int = MAX_TRACKED,
    ) -> None:
        self.limit = max(1, limit or int(os.environ.get("RATE_LIMIT_PER_MINUTE") or 30))
        self.window = window
        self.prefix = prefix
        self.max_keys = max(1, max_keys)
        self._clock = clock
        # key -> accept times in the window; least recently seen key first
        self._seen: OrderedDict[str, Deque[float]] = OrderedDict()
        self._shared = SharedRedis(shared, "Rate limit", "counting")
        self._full_warned_at: float | None = None

    @property
    def tracked(self) -> int:
        """Keys counted in this process now."""
        return len(self._seen)

    def allow(self, key: str) -> bool:
        """Count the message and say whether it may be processed."""
        allowed = self._shared.run(lambda shared: self._allow_shared(shared, key))
        if allowed is not None:
            return allowed
        return self._allow_local(key)

    def exhausted(self, key: str) -> bool:
        """Whether the key has used up its window in this process (counts nothing)."""
        seen = self._seen.get(key)
        now = self._clock()
        return seen is not None and sum(now - t < self.window for t in seen) >= self.limit

    def _allow_shared(self, shared: Any, key: str) -> bool:
        """The same sliding window in a Redis sorted set of accept times, one per key."""
        name = self.prefix + key
        now = time.time()
        pipe = shared.pipeline()
        pipe.zremrangebyscore(name, 0, now - self.window)
        pipe.zcard(name)
        count = pipe.execute()[1]
        if count >= self.limit:
            return False
        pipe = shared.pipeline()
        pipe.zadd(name, {f"{now}:{uuid.uuid4().hex[:8]}": now})
        pipe.expire(name, int(self.window) + 1)
        pipe.execute()
        return True

    def _allow_local(self, key: str) -> bool:
        now = self._clock()
        self._forget_idle(now)
        seen = self._seen.get(key)
        if seen is None:
            seen = self._seen[key] = deque()
        else:
            self._seen.move_to_end(key)  # refused or not: a sender still writing stays
            while seen and now - seen[0] >= self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                return False
        seen.append(now)
        if len(self._seen) > self.max_keys:
            self._seen.popitem(last=False)
            self._warn_full(now)
        return True

    def _forget_idle(self, now: float) -> None:
        """Drop the least recently seen keys whose window is empty, stopping at the first
        with a message in it: amortised O(1) per message. A key is gone at the latest one
        window after its last message (every key seen before it has an empty window then)."""
        while self._seen:
            latest = next(iter(self._seen.values()))[-1]
            if now - latest < self.window:
                return
            self._seen.popitem(last=False)

    def _warn_full(self, now: float) -> None:
        if self._full_warned_at is None or now - self._full_warned_at >= self.window:
            self._full_warned_at = now
            logger.warning(
                "Rate limit %s: over %d keys seen in %.0f s; forgetting the least recent",
                self.prefix,
                self.max_keys,
                self.window,
            )
