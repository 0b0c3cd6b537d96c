"""Per-sender message limit over a sliding minute."""

from __future__ import annotations

from bot.channels.ratelimit import RateLimiter


def test_limit_per_sender_in_a_sliding_minute() -> None:
    now = [1000.0]
    limiter = RateLimiter(per_minute=3, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b"), "another sender has its own count"
    now[0] += 59.9
    assert not limiter.allow("a")
    now[0] += 0.2
    assert limiter.allow("a"), "the oldest message left the window"
