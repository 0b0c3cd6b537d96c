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


def test_instances_sharing_redis_share_the_count(redis_port: int) -> None:
    import redis

    def instance() -> RateLimiter:
        return RateLimiter(per_minute=3, shared=redis.Redis(port=redis_port, db=2))

    first, second = instance(), instance()
    sender = f"shared-{redis_port}"
    assert [first.allow(sender), second.allow(sender), first.allow(sender)] == [True] * 3
    assert not second.allow(sender), "the fourth message is refused whichever instance gets it"
    assert first.allow("someone else")


def test_redis_down_falls_back_to_counting_locally() -> None:
    import redis

    from bot.cluster import free_port

    closed = redis.Redis(port=free_port(), socket_connect_timeout=0.2)
    limiter = RateLimiter(per_minute=2, shared=closed)
    assert [limiter.allow("a") for _ in range(3)] == [True, True, False]
