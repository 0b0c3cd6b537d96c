"""Retried deliveries are answered once: claims, done marks, expiry, bounds, Redis."""

from __future__ import annotations

import uuid

import pytest
import redis

from bot.channels.deliveries import CLAIM_SECONDS, REMEMBER_SECONDS, Deliveries


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_delivery_is_claimed_once_and_stays_done() -> None:
    clock = Clock()
    deliveries = Deliveries(shared=False, clock=clock)
    assert deliveries.claim("whatsapp:wamid.1")
    assert not deliveries.claim("whatsapp:wamid.1"), "being answered"
    deliveries.done("whatsapp:wamid.1")
    clock.now += REMEMBER_SECONDS - 1
    assert not deliveries.claim("whatsapp:wamid.1"), "answered"
    assert deliveries.claim("whatsapp:wamid.2")


def test_a_claim_of_a_crashed_handler_expires_so_the_retry_is_answered() -> None:
    clock = Clock()
    deliveries = Deliveries(shared=False, clock=clock)
    assert deliveries.claim("telegram:kranj:7")
    clock.now += CLAIM_SECONDS + 1
    assert deliveries.claim("telegram:kranj:7")


def test_memory_is_bounded() -> None:
    deliveries = Deliveries(shared=False, clock=Clock(), max_local=100)
    for n in range(1000):
        assert deliveries.claim(f"id-{n}")
        deliveries.done(f"id-{n}")
    assert deliveries.remembered == 100
    assert not deliveries.claim("id-999")


def test_instances_sharing_redis_answer_a_delivery_once(redis_port: int) -> None:
    first = Deliveries(shared=redis.Redis(port=redis_port, db=2))
    second = Deliveries(shared=redis.Redis(port=redis_port, db=2))
    delivery = f"whatsapp:wamid.{uuid.uuid4().hex}"
    assert first.claim(delivery)
    assert not second.claim(delivery)
    first.done(delivery)
    assert not second.claim(delivery)
    ttl = redis.Redis(port=redis_port, db=2).ttl(f"welcome:delivery:{delivery}")
    assert REMEMBER_SECONDS - 60 < ttl <= REMEMBER_SECONDS
    assert first.remembered == second.remembered == 0, "nothing kept in the process"


class _Down:
    def set(self, *args: object, **kwargs: object) -> None:
        raise redis.ConnectionError("down")


def test_with_redis_down_each_instance_remembers_locally(caplog: pytest.LogCaptureFixture) -> None:
    deliveries = Deliveries(shared=_Down())
    assert deliveries.claim("a")
    assert not deliveries.claim("a")
    assert "Redis unreachable" in caplog.text
