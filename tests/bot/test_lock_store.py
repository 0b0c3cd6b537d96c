"""The atomic Redis lock store against a real Redis server (scripts/redis.sh starts one)."""

from __future__ import annotations

import threading

from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import AtomicRedisLockStore

THREADS = 6
ROUNDS = 40


def store(port: int) -> AtomicRedisLockStore:
    config = EndpointConfig(url="127.0.0.1", port=port, db=1, key_prefix="test")
    return AtomicRedisLockStore(endpoint_config=config)


def hammer(work, count: int = THREADS) -> list[BaseException]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # collected, asserted below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_tickets_issued_at_once_from_many_clients_are_all_different(redis_port: int) -> None:
    issued: list[int] = []

    def issue() -> None:
        mine = store(redis_port)  # one client each, as separate Rasa instances have
        issued.extend(mine.issue_ticket("crowded", lock_lifetime=60) for _ in range(ROUNDS))

    assert hammer(issue) == []
    assert sorted(issued) == list(range(THREADS * ROUNDS))
    lock = store(redis_port).get_lock("crowded")
    assert lock is not None and len(lock.tickets) == THREADS * ROUNDS


def test_a_queued_ticket_survives_other_clients_finishing(redis_port: int) -> None:
    def take_turns() -> None:
        mine = store(redis_port)
        for _ in range(ROUNDS):
            ticket = mine.issue_ticket("busy", lock_lifetime=60)
            lock = mine.get_lock("busy")
            assert lock is not None, "the lock was deleted while this ticket waited"
            assert ticket in [t.number for t in lock.tickets], "this ticket was lost"
            mine.cleanup("busy", ticket)

    assert hammer(take_turns) == []
    assert store(redis_port).get_lock("busy") is None, "the last one out removed the lock"
