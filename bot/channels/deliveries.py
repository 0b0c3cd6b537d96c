"""Deliveries a provider retries are answered once, across every instance.

WhatsApp retries a webhook it thinks failed (same message id), and so does Telegram (same
`update_id`); a slow answer or a lost acknowledgement is enough. Before handling a
delivery the channel claims its id:

- the claim lasts CLAIM_SECONDS; a second delivery meanwhile, at this or another
  instance, is acknowledged and dropped;
- once handled, the id is remembered as done for REMEMBER_SECONDS (25 hours: WhatsApp
  drops messages older than a day, see whatsapp.py, and Telegram keeps updates for 24 h);
- an instance that dies while handling lets its claim expire, so the provider's next
  retry is handled: a message is not lost because an instance crashed.

With REDIS_HOST set (the production profile) the ids are kept in Redis, shared by every
instance (`SET NX EX`); otherwise in this process, at most MAX_LOCAL of them. If Redis
cannot be reached, each instance remembers on its own until it can again.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Any, Callable, Optional

from bot.channels.ratelimit import SharedRedis

logger = logging.getLogger(__name__)

KEY_PREFIX = "welcome:delivery:"
CLAIM_SECONDS = 120
REMEMBER_SECONDS = 25 * 3600
MAX_LOCAL = 100_000  # a day of a busy instance's messages, about 15 MB at most


class Deliveries:
    """Which delivery ids have been claimed or handled."""

    def __init__(
        self,
        shared: Optional[Any] = None,
        clock: Callable[[], float] = time.monotonic,
        max_local: int = MAX_LOCAL,
    ) -> None:
        self._shared = SharedRedis(shared, "Deliveries", "remembering")
        self._clock = clock
        self._max_local = max(1, max_local)
        self._local: OrderedDict[str, float] = OrderedDict()  # id -> until, oldest first

    def claim(self, delivery: str) -> bool:
        """True if this delivery is new and now ours to handle."""
        stored = self._shared.run(
            lambda shared: bool(
                shared.set(KEY_PREFIX + delivery, "claimed", nx=True, ex=CLAIM_SECONDS)
            )
        )
        return self._claim_local(delivery) if stored is None else stored

    def done(self, delivery: str) -> None:
        """Remember a handled delivery, so a retry of it is dropped."""
        stored = self._shared.run(
            lambda shared: shared.set(KEY_PREFIX + delivery, "done", ex=REMEMBER_SECONDS)
        )
        if stored is None:
            self._remember_local(delivery, REMEMBER_SECONDS)

    @property
    def remembered(self) -> int:
        """Ids kept in this process now."""
        return len(self._local)

    def _claim_local(self, delivery: str) -> bool:
        now = self._clock()
        while self._local and next(iter(self._local.values())) <= now:
            self._local.popitem(last=False)
        until = self._local.get(delivery)
        if until is not None and until > now:
            return False
        self._remember_local(delivery, CLAIM_SECONDS)
        return True

    def _remember_local(self, delivery: str, seconds: float) -> None:
        self._local[delivery] = self._clock() + seconds
        self._local.move_to_end(delivery)
        while len(self._local) > self._max_local:
            self._local.popitem(last=False)
