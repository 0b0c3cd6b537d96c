"""First come, first served: at most a few messages are inside Rasa at once in a process.

Rasa is one asyncio process. Without a bound, 50 messages arriving together are all worked
on at once, each step of one waiting for a step of every other: everyone waits about as
long on average, but a message with more steps (a service lookup calls the action server)
waits longest, and the slowest answers get slower. With a few at once, in order of arrival,
a message waits for those before it and then runs almost alone: the same throughput, and
the tail close to the middle (docs/operations.md "Cost per message").

More than one at once, so that Rasa works on another message while one waits for the action
server or the database. `MAX_CONCURRENT_MESSAGES` (default 4) sets the number; 0 lifts the
bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from typing import AsyncIterator, Optional

DEFAULT_CONCURRENT = 4


def concurrent_from_environment() -> int:
    """`MAX_CONCURRENT_MESSAGES`, or the default; 0 or less: no bound."""
    value = os.environ.get("MAX_CONCURRENT_MESSAGES", "").strip()
    if not value:
        return DEFAULT_CONCURRENT
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"MAX_CONCURRENT_MESSAGES: a whole number, not {value!r}") from None


class Admission:
    """A bound on the messages handled at once; the others wait in order of arrival
    (asyncio's Semaphore hands a freed place to the first waiting since Python 3.10.9)."""

    def __init__(self, limit: Optional[int] = None) -> None:
        self.limit = concurrent_from_environment() if limit is None else limit
        self._semaphore: Optional[asyncio.Semaphore] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self.waiting = 0

    def _gate(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._semaphore is None or self._loop is not loop:  # a semaphore serves one loop
            self._semaphore, self._loop = asyncio.Semaphore(self.limit), loop
        return self._semaphore

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Wait for a place, in order of arrival; hold it while inside."""
        if self.limit <= 0:
            yield
            return
        gate = self._gate()
        self.waiting += 1
        try:
            await gate.acquire()
        finally:
            self.waiting -= 1
        try:
            yield
        finally:
            gate.release()


ADMISSION = Admission()
