"""The short soak: many distinct newcomers, and no process grows with them.

The long one is `python -m benchmarks.soak` (make bench). Here 600 newcomers write three
messages each, ten at a time, to a Rasa server that caches 50 conversations, so every cache
keyed by sender is full well before the middle. From the middle to the end 300 more
newcomers come; anything kept per sender without bound (a conversation window is about
0.1 MiB) would add over 25 MiB to the Rasa server, against the bound of 2% (about 20 MiB)
plus 4 MiB for the allocator's own slack. The action server keeps nothing per sender; it
gets the same bound."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from benchmarks.servers import embedded_webhook
from benchmarks.soak import soak
from tests.e2e.conftest import model_path

pytestmark = pytest.mark.e2e

LIFTED = "1000000"


def test_memory_does_not_grow_with_the_number_of_newcomers(tmp_path: Path) -> None:
    env = {"RATE_LIMIT_PER_MINUTE": LIFTED, "ADDRESS_RATE_LIMIT_PER_MINUTE": LIFTED}
    with embedded_webhook(tmp_path, model_path(), cached_conversations=50, **env) as url:
        result = asyncio.run(soak(url, senders=600, messages=1800, concurrency=10, rate=1000))
    assert result.failures == 0
    assert len(result.samples) == 1800
    middle, end = result.rss[len(result.rss) // 2], result.rss[-1]
    print({name: (round(middle[name]), round(end[name])) for name in end})
    for name in ("rasa", "actions"):
        assert end[name] <= middle[name] * 1.02 + 4, (name, middle, end)
