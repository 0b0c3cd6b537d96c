"""The bound on messages handled at once: never more inside than allowed, in order of
arrival, and lifted by 0."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels.admission import DEFAULT_CONCURRENT, Admission, concurrent_from_environment


async def _handle_all(admission: Admission, count: int) -> tuple[list[int], int]:
    """`count` messages arriving one after the other, each taking more event-loop steps
    than there are messages (so all would overlap without a bound);
    returns the order they got in and the most that were inside at once."""
    entered: list[int] = []
    inside = 0
    most = 0

    async def handle(number: int) -> None:
        nonlocal inside, most
        async with admission.turn():
            entered.append(number)
            inside += 1
            most = max(most, inside)
            for _ in range(count + 2):
                await asyncio.sleep(0)
            inside -= 1

    tasks = []
    for number in range(count):
        tasks.append(asyncio.create_task(handle(number)))
        await asyncio.sleep(0)  # arrivals in order
    await asyncio.gather(*tasks)
    return entered, most


def test_at_most_the_limit_inside_in_order_of_arrival() -> None:
    entered, most = asyncio.run(_handle_all(Admission(2), 12))
    assert most == 2
    assert entered == list(range(12))


def test_a_freed_place_goes_to_the_first_waiting_not_to_a_newcomer() -> None:
    admission = Admission(1)
    order: list[str] = []

    async def handle(name: str) -> None:
        async with admission.turn():
            order.append(name)
            await asyncio.sleep(0)

    async def scenario() -> None:
        first = admission.turn()
        await first.__aenter__()
        waiting = asyncio.create_task(handle("waiting"))
        await asyncio.sleep(0)
        newcomer = asyncio.create_task(handle("newcomer"))  # runs before the waiting wakes
        await first.__aexit__(None, None, None)
        await asyncio.gather(waiting, newcomer)

    asyncio.run(scenario())
    assert order == ["waiting", "newcomer"]


def test_zero_lifts_the_bound() -> None:
    entered, most = asyncio.run(_handle_all(Admission(0), 12))
    assert most == 12
    assert sorted(entered) == list(range(12))


def test_a_failing_message_gives_its_place_back() -> None:
    admission = Admission(1)

    async def scenario() -> list[int]:
        with pytest.raises(RuntimeError):
            async with admission.turn():
                raise RuntimeError("Rasa failed")
        entered, _ = await _handle_all(admission, 3)
        return entered

    assert asyncio.run(scenario()) == [0, 1, 2]
    assert admission.waiting == 0


def test_a_cancelled_waiter_leaves_no_trace() -> None:
    admission = Admission(1)

    async def scenario() -> int:
        async with admission.turn():
            waiter = asyncio.create_task(admission.turn().__aenter__())
            await asyncio.sleep(0)
            assert admission.waiting == 1
            waiter.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiter
        entered, _ = await _handle_all(admission, 2)
        return len(entered)

    assert asyncio.run(scenario()) == 2
    assert admission.waiting == 0


def test_a_new_event_loop_gets_its_own_gate() -> None:
    admission = Admission(1)
    for _ in range(2):  # a semaphore bound to a finished loop would fail here
        entered, most = asyncio.run(_handle_all(admission, 3))
        assert (entered, most) == ([0, 1, 2], 1)


@pytest.mark.parametrize(
    ("value", "expected"), [("", DEFAULT_CONCURRENT), ("8", 8), ("0", 0), (" 3 ", 3)]
)
def test_limit_from_environment(monkeypatch: pytest.MonkeyPatch, value: str, expected: int) -> None:
    monkeypatch.setenv("MAX_CONCURRENT_MESSAGES", value)
    assert concurrent_from_environment() == expected


def test_a_limit_that_is_not_a_number_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAX_CONCURRENT_MESSAGES", "four")
    with pytest.raises(ValueError, match="MAX_CONCURRENT_MESSAGES"):
        concurrent_from_environment()
