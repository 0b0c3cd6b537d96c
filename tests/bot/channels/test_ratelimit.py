"""Sliding-window message limits, per sender and per client address."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Callable, List, Optional

import pytest
from sanic.compat import Header

from bot.channels.address import (
    ADDRESS_KEY_PREFIX,
    AddressLimit,
    client_address,
    limit_key,
    parse_trusted,
    per_window_from_environment,
    request_address,
    socket_address,
)
from bot.channels.ratelimit import KEY_PREFIX, RateLimiter


def clocked(limit: int, max_keys: int = 1000) -> tuple[RateLimiter, List[float]]:
    """An in-process limiter and the clock the test moves."""
    now = [1000.0]
    return RateLimiter(limit, clock=lambda: now[0], shared=False, max_keys=max_keys), now


def test_limit_per_sender_in_a_sliding_minute() -> None:
    limiter, now = clocked(3)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b"), "another sender has its own count"
    now[0] += 59.9
    assert not limiter.allow("a")
    now[0] += 0.2
    assert limiter.allow("a"), "the oldest message left the window"


def test_default_limit_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "7")
    assert RateLimiter(shared=False).limit == 7


def test_idle_senders_are_forgotten() -> None:
    limiter, now = clocked(3)
    for n in range(500):
        limiter.allow(f"tab-{n}")
        now[0] += 0.01
    assert limiter.tracked == 500
    now[0] += 60.0
    assert limiter.allow("someone new")
    assert limiter.tracked == 1, "every sender whose minute is over is gone"


def test_a_sender_is_forgotten_one_window_after_its_last_message() -> None:
    limiter, now = clocked(2)
    assert limiter.allow("early")
    now[0] += 30.0
    assert [limiter.allow("busy") for _ in range(3)] == [True, True, False]
    now[0] += 30.0  # early's window is empty, busy's is not
    assert limiter.allow("late")
    assert limiter.tracked == 2
    now[0] += 29.0
    assert not limiter.allow("busy"), "refused: still two messages in its window"
    now[0] += 31.0
    assert limiter.allow("late")
    assert limiter.tracked == 1, "busy is forgotten a window after its last message"


def test_tracked_senders_never_exceed_the_cap_under_a_flood() -> None:
    limiter, now = clocked(3, max_keys=5000)
    largest = 0
    for n in range(100_000):  # 100,000 new ids within one window
        assert limiter.allow(f"flood-{n}")
        largest = max(largest, limiter.tracked)
        now[0] += 0.0005
    assert largest == 5000
    now[0] += 60.0
    limiter.allow("after")
    assert limiter.tracked == 1


def test_an_active_sender_stays_limited_during_a_flood() -> None:
    limiter, now = clocked(3, max_keys=100)
    answers = []
    for n in range(100_000):
        limiter.allow(f"flood-{n}")
        if n % 50 == 0:
            answers.append(limiter.allow("regular"))
        now[0] += 0.0005  # 50 s in all: one window
    assert answers[:3] == [True] * 3
    assert not any(answers[3:]), "still writing, so never forgotten: refused all window"
    now[0] += 11.0
    assert limiter.allow("regular"), "accepted again once its first messages left the window"


def test_forgetting_takes_constant_work_per_message() -> None:
    limiter, now = clocked(3, max_keys=100_000)
    calls = []

    def counting(original: Callable[[float], None]) -> Callable[[float], None]:
        def wrapper(when: float) -> None:
            before = limiter.tracked
            original(when)
            calls.append(before - limiter.tracked)

        return wrapper

    limiter._forget_idle = counting(limiter._forget_idle)  # type: ignore[method-assign]
    for n in range(20_000):
        limiter.allow(f"id-{n}")
        now[0] += 1.0  # a new sender every second: 60 in a window
    assert limiter.tracked == 60
    assert sum(calls) == 20_000 - 60 and max(calls) == 1, "one forgotten per message"


def test_instances_sharing_redis_share_the_count(redis_port: int) -> None:
    import redis

    def instance() -> RateLimiter:
        return RateLimiter(3, shared=redis.Redis(port=redis_port, db=2))

    first, second = instance(), instance()
    sender = f"shared-{redis_port}"
    assert [first.allow(sender), second.allow(sender), first.allow(sender)] == [True] * 3
    assert not second.allow(sender), "the fourth message is refused whichever instance gets it"
    assert first.allow("someone else")


def test_address_counts_are_apart_from_sender_counts(redis_port: int) -> None:
    import redis

    shared = redis.Redis(port=redis_port, db=2)
    senders = RateLimiter(1, shared=shared)
    addresses = AddressLimit(RateLimiter(1, shared=shared, prefix=ADDRESS_KEY_PREFIX), ())
    assert addresses.allow("192.0.2.77")
    assert senders.allow("192.0.2.77"), "a sender named like an address has its own count"
    assert not ADDRESS_KEY_PREFIX.startswith(KEY_PREFIX), "no sender id can reach an address"
    assert shared.exists(ADDRESS_KEY_PREFIX + "192.0.2.77")


def test_redis_down_falls_back_to_counting_locally() -> None:
    import redis

    from bot.cluster import free_port

    closed = redis.Redis(port=free_port(), socket_connect_timeout=0.2)
    limiter = RateLimiter(2, shared=closed)
    assert [limiter.allow("a") for _ in range(3)] == [True, True, False]


# -- the client's address ----------------------------------------------------------------

PROXIES = parse_trusted("10.0.0.0/8, 127.0.0.1, 2001:db8:ffff::/48")


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("198.51.100.7", None, "198.51.100.7"),
        ("198.51.100.7", "203.0.113.1", "198.51.100.7"),  # untrusted peer: header ignored
        ("198.51.100.7", "127.0.0.1, 10.1.1.1", "198.51.100.7"),  # spoofed "trusted" hops
        ("127.0.0.1", None, "127.0.0.1"),  # the proxy itself, no header
        ("127.0.0.1", "203.0.113.1", "203.0.113.1"),
        ("127.0.0.1", "6.6.6.6, 203.0.113.1", "203.0.113.1"),  # the client's own part is left
        ("127.0.0.1", "6.6.6.6, 203.0.113.1, 10.2.3.4", "203.0.113.1"),  # two proxies
        ("127.0.0.1", "203.0.113.1,10.2.3.4,10.9.9.9", "203.0.113.1"),
        ("127.0.0.1", "10.2.3.4, 10.9.9.9", "10.2.3.4"),  # only proxies: the farthest
        ("127.0.0.1", "203.0.113.1:51234", "203.0.113.1"),  # with a port
        ("::ffff:127.0.0.1", "203.0.113.1", "203.0.113.1"),  # dual-stack peer
        ("127.0.0.1", "::ffff:203.0.113.1", "203.0.113.1"),
        ("::1", "203.0.113.1", "::1"),  # ::1 is not trusted here
        ("127.0.0.1", "2001:db8:1::7", "2001:db8:1::7"),
        ("127.0.0.1", "[2001:db8:1::7]:443", "2001:db8:1::7"),
        ("127.0.0.1", "2001:DB8:1:0:0:0:0:7", "2001:db8:1::7"),
        ("2001:db8:ffff:1::2", "2001:db8:1::7", "2001:db8:1::7"),  # an IPv6 proxy
        ("[2001:db8:ffff:1::2]", "203.0.113.1", "203.0.113.1"),  # Sanic brackets IPv6
        ("127.0.0.1", "<script>", "127.0.0.1"),  # garbage: the proxy is all we know
        ("127.0.0.1", "6.6.6.6, garbage, 10.2.3.4", "10.2.3.4"),  # garbage stops the walk
        ("127.0.0.1", "203.0.113.1, ", "127.0.0.1"),  # an empty entry is not an address
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "1" * 5000, "127.0.0.1"),
        ("127.0.0.1", "999.1.1.1", "127.0.0.1"),
        ("127.0.0.1", "[::1", "127.0.0.1"),
        ("unix:/run/rasa.sock", "203.0.113.1", "unix:/run/rasa.sock"),  # not an IP peer
        ("", None, "unknown"),
    ],
)
def test_client_address(peer: str, forwarded: Optional[str], expected: str) -> None:
    assert client_address(peer, forwarded, PROXIES) == expected


def test_without_trusted_proxies_the_header_is_never_read() -> None:
    assert client_address("127.0.0.1", "203.0.113.1", ()) == "127.0.0.1"


def test_trusted_proxies_from_text() -> None:
    assert [str(n) for n in parse_trusted(" 10.0.0.1, 192.168.0.0/16,,::1 ")] == [
        "10.0.0.1/32",
        "192.168.0.0/16",
        "::1/128",
    ]
    assert parse_trusted("") == ()
    with pytest.raises(ValueError, match="nginx"):
        parse_trusted("127.0.0.1, nginx")


def test_ipv6_clients_count_by_their_64_network() -> None:
    assert limit_key("2001:db8:1:2:aaaa::1") == limit_key("2001:db8:1:2:bbbb::9")
    assert limit_key("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert limit_key("2001:db8:1:3::1") != limit_key("2001:db8:1:2::1")
    assert limit_key("203.0.113.1") == "203.0.113.1"
    assert limit_key("unknown") == "unknown"


def sanic_request(ip: str, *forwarded: str, remote_addr: str = "") -> SimpleNamespace:
    headers = Header([("X-Forwarded-For", value) for value in forwarded])
    return SimpleNamespace(ip=ip, remote_addr=remote_addr, headers=headers)


def test_address_of_a_sanic_request() -> None:
    trusted = parse_trusted("127.0.0.1")
    request = sanic_request("127.0.0.1", "6.6.6.6", "203.0.113.1")  # two header lines
    assert request_address(request, trusted) == "203.0.113.1"  # type: ignore[arg-type]
    spoofed = sanic_request("198.51.100.7", "203.0.113.1")
    assert request_address(spoofed, trusted) == "198.51.100.7"  # type: ignore[arg-type]
    configured = sanic_request("127.0.0.1", "203.0.113.9", remote_addr="203.0.113.9")
    assert request_address(configured, trusted) == "203.0.113.9"  # type: ignore[arg-type]


def test_address_of_a_socket_connection() -> None:
    trusted = parse_trusted("127.0.0.1")
    # python-engineio's sanic mode: REMOTE_ADDR is always 127.0.0.1, the request has the peer
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_X_FORWARDED_FOR": "6.6.6.6",
        "sanic.request": sanic_request("198.51.100.7", "6.6.6.6"),
    }
    assert socket_address(environ, trusted) == "198.51.100.7"
    other_mode = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.1"}
    assert socket_address(other_mode, trusted) == "203.0.113.1"
    assert socket_address(None, trusted) == "unknown"


def test_many_sender_ids_from_one_address_hit_the_address_limit() -> None:
    now = [0.0]
    limiter = RateLimiter(20, clock=lambda: now[0], shared=False, window=10.0)
    addresses = AddressLimit(limiter, parse_trusted("127.0.0.1"))
    senders = RateLimiter(30, clock=lambda: now[0], shared=False)

    def send(forwarded: str, sender: str) -> bool:
        request = sanic_request("127.0.0.1", forwarded)
        return addresses.allow_request(request) and senders.allow(sender)  # type: ignore[arg-type]

    burst = [send("203.0.113.1", f"tab-{n}") for n in range(1000)]
    assert sum(burst) == 20
    assert all(send("198.51.100.7", "regular") for _ in range(20)), "another address is apart"
    assert not send("203.0.113.1", "tab-new")
    now[0] += 10.0
    assert send("203.0.113.1", "tab-new"), "the address may write again after the window"
    assert senders.tracked == 22, "refused by address: no sender count was made"


def test_address_limit_per_window_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADDRESS_RATE_LIMIT_PER_MINUTE", raising=False)
    assert per_window_from_environment(10.0) == 20
    monkeypatch.setenv("ADDRESS_RATE_LIMIT_PER_MINUTE", "1000000")
    assert per_window_from_environment(10.0) == 166_667
    monkeypatch.setenv("ADDRESS_RATE_LIMIT_PER_MINUTE", "1")
    assert per_window_from_environment(10.0) == 1
