"""Each message reads the recent events and the state before them, never the whole history,
and never anything stale: two stores (two Rasa instances) on one database, SQLite and
PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import PrivateSQLTrackerStore
from tests.postgres import fresh_database

DOMAIN = Domain.from_yaml(
    """
slots:
  language: {type: text, influence_conversation: false, mappings: [{type: custom}]}
  municipality: {type: text, influence_conversation: false, mappings: [{type: custom}]}
  topic: {type: text, influence_conversation: false, mappings: [{type: custom}]}
"""
)


def _store(path: Path, recent: int = 20) -> PrivateSQLTrackerStore:
    return PrivateSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(path), recent_events=recent)


Stores = Callable[[], PrivateSQLTrackerStore]


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Stores:
    """Makes tracker stores (Rasa instances) on one database of the parameter's kind."""
    if request.param == "sqlite":
        return lambda: _store(tmp_path / "t.db")
    database = fresh_database(request.getfixturevalue("postgres_url"))
    return lambda: _postgres_store(database)


def _postgres_store(database: str, recent: int = 20) -> PrivateSQLTrackerStore:
    url = sa.engine.make_url(database)
    return PrivateSQLTrackerStore(
        DOMAIN,
        dialect="postgresql",
        host=url.host,
        port=url.port,
        db=url.database,
        username=url.username,
        password=url.password,
        recent_events=recent,
    )


def _turn(number: int) -> list[Event]:
    return [
        UserUttered(f"message {number}", {"name": "greet", "confidence": 1.0}),
        ActionExecuted("utter_greet"),
        BotUttered(f"answer {number}"),
        ActionExecuted("action_listen"),
    ]


async def _converse(store: PrivateSQLTrackerStore, sender: str, events: list[Event]) -> None:
    tracker = await store.retrieve(sender) or DialogueStateTracker(sender, DOMAIN.slots)
    for event in events:
        tracker.update(event)
    await store.save(tracker)


async def test_a_long_conversation_reads_its_recent_events_and_earlier_state(
    stores: Stores,
) -> None:
    store = stores()
    early = [SessionStarted(), SlotSet("language", "ar"), SlotSet("municipality", "kranj")]
    await _converse(store, "s", [*early, SlotSet("topic", "jobs"), *_turn(0)])
    await _converse(store, "s", [SlotSet("topic", "housing"), ConversationPaused()])
    for number in range(1, 40):
        await _converse(store, "s", _turn(number))
    tracker = await store.retrieve("s")
    assert tracker is not None
    # 20 recent events, and from before them: the session start, three slots, the pause
    assert len(tracker.events) == 20 + 5
    assert tracker.get_slot("language") == "ar" and tracker.get_slot("municipality") == "kranj"
    assert tracker.get_slot("topic") == "housing", "the latest value, not the first"
    assert tracker.is_paused()
    assert tracker.latest_message.text == "message 39"
    assert isinstance(tracker.events[0], SessionStarted), "Rasa still sees the session start"


async def test_new_events_are_stored_once_each_in_order(stores: Stores) -> None:
    store = stores()
    for number in range(30):
        await _converse(store, "s", _turn(number))
    full = await store.retrieve_full_tracker("s")
    assert full is not None
    texts = [e.text for e in full.events if isinstance(e, UserUttered)]
    assert texts == [f"message {n}" for n in range(30)]


async def test_what_another_instance_wrote_is_never_missed(stores: Stores) -> None:
    """Instance A answers, instance B answers the next message, A answers again: A reads
    B's events from the database, and its own new events go after them."""
    one, two = stores(), stores()
    await _converse(one, "s", [SlotSet("language", "de"), *_turn(0)])
    seen_by_one = await one.retrieve("s")
    await _converse(two, "s", [SlotSet("language", "uk"), *_turn(1)])
    assert seen_by_one is not None and seen_by_one.get_slot("language") == "de"
    again = await one.retrieve("s")
    assert again is not None
    assert again.get_slot("language") == "uk" and again.latest_message.text == "message 1"
    await _converse(one, "s", _turn(2))
    full = await two.retrieve_full_tracker("s")
    assert full is not None
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == [
        "message 0",
        "message 1",
        "message 2",
    ]


async def test_a_new_session_starts_afresh(stores: Stores) -> None:
    store = stores()
    await _converse(store, "s", [SlotSet("topic", "jobs"), *_turn(0)])
    await _converse(store, "s", [SessionStarted(), SlotSet("language", "fr"), *_turn(1)])
    tracker = await store.retrieve("s")
    assert tracker is not None
    assert tracker.get_slot("topic") is None and tracker.get_slot("language") == "fr"
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["message 1"]


async def test_the_cache_holds_exactly_what_the_database_gives(stores: Stores) -> None:
    cached, fresh = stores(), stores()
    early = [SessionStarted(), SlotSet("language", "ar"), SlotSet("topic", "jobs")]
    await _converse(cached, "s", [*early, *_turn(0), ConversationPaused()])
    for number in range(1, 25):
        extra = [SlotSet("municipality", "kranj")] if number == 3 else []
        await _converse(cached, "s", [*extra, *_turn(number)])
        from_cache, from_database = await cached.retrieve("s"), await fresh.retrieve("s")
        fresh.cache.drop("s")  # always read from the database
        assert from_cache is not None and from_database is not None
        assert [e.as_dict() for e in from_cache.events] == [
            e.as_dict() for e in from_database.events
        ], number


def test_the_cache_keeps_a_bounded_number_of_conversations() -> None:
    from bot.conversation_cache import ConversationCache

    cache = ConversationCache(3)
    for number in range(5):
        cache.put(f"s{number}", (1, number), [])
    assert len(cache) == 3
    assert cache.get("s0", (1, 0)) is None and cache.get("s4", (1, 4)) == []
    assert cache.get("s4", (1, 5)) is None, "another write since: not served"


async def test_a_sqlite_file_keeps_one_connection_in_write_ahead_mode(tmp_path: Path) -> None:
    import sqlalchemy as sa

    store = _store(tmp_path / "t.db")
    store.engine.dispose()  # count from no connection at all
    opened: list[object] = []
    sa.event.listen(store.engine, "connect", lambda connection, _record: opened.append(connection))
    for number in range(10):
        await _converse(store, f"s{number % 3}", _turn(number))
    assert len(opened) == 1, "one pooled connection, not one per read and write"
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    other = _store(tmp_path / "t.db")  # a second instance or the purge beside it
    await _converse(other, "s0", _turn(99))
    tracker = await store.retrieve("s0")
    assert tracker is not None and tracker.latest_message.text == "message 99"


async def test_a_purge_between_two_messages_is_noticed(stores: Stores) -> None:
    """The earliest events deleted after this instance saved: its cached conversation is
    not used (the first id changed); the database's is."""
    cached, fresh = stores(), stores()
    for number in range(6):
        await _converse(cached, "s", [SlotSet("language", "de"), *_turn(number)])
    table = cached.SQLEvent.__table__
    with cached.engine.begin() as connection:
        first = connection.execute(sa.select(sa.func.min(table.c.id))).scalar()
        connection.execute(sa.delete(table).where(table.c.id < first + 10))
    from_cache, from_database = await cached.retrieve("s"), await fresh.retrieve("s")
    assert from_cache is not None and from_database is not None
    assert [e.as_dict() for e in from_cache.events] == [e.as_dict() for e in from_database.events]


async def test_saving_a_message_reads_nothing_back_on_postgresql(
    postgres_url: str,
) -> None:
    """The insert returns the new ids: no query for the latest id after it."""
    store = _postgres_store(fresh_database(postgres_url))
    await _converse(store, "s", _turn(0))
    tracker = await store.retrieve("s")
    assert tracker is not None
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for event in _turn(1):
        tracker.update(event)
    await store.save(tracker)
    assert [s.split()[0] for s in statements if not s.startswith("select pg_catalog")] == [
        "INSERT"
    ], statements
    again = await store.retrieve("s")
    assert again is not None and again.latest_message.text == "message 1"
    assert len(statements) == 2, "then one query: the span, which the cache matches"


async def test_two_instances_answering_in_turn_read_only_what_the_other_wrote(
    stores: Stores,
) -> None:
    """A proxy without affinity sends each message to the other instance: each reads the
    events written since its own last message and adds them to what it kept, and gets
    exactly what the database gives (slots, a pause, a new session included)."""
    one, two, fresh = stores(), stores(), stores()
    full_reads: list[str] = []
    for store, name in ((one, "one"), (two, "two")):
        read = store._recent

        def counted(session: object, sender_id: str, read=read, name=name) -> list[Event]:
            full_reads.append(name)
            return read(session, sender_id)

        store._recent = counted  # type: ignore[method-assign]
    await _converse(one, "s", [SessionStarted(), SlotSet("language", "ar"), *_turn(0)])
    extras: dict[int, list[Event]] = {
        5: [SlotSet("topic", "jobs")],
        9: [ConversationPaused()],
        14: [SessionStarted(), SlotSet("language", "ar")],
        21: [SlotSet("topic", "housing"), SlotSet("municipality", "kranj")],
    }
    for number in range(1, 30):
        store, other = (one, two) if number % 2 == 0 else (two, one)
        await _converse(store, "s", [*extras.get(number, []), *_turn(number)])
        seen, truth = await other.retrieve("s"), await fresh.retrieve("s")
        fresh.cache.drop("s")
        assert seen is not None and truth is not None
        assert [e.as_dict() for e in seen.events] == [e.as_dict() for e in truth.events], number
    assert full_reads == ["two"], "only the first read of the second instance is a full one"


async def test_a_shared_location_is_not_kept_in_the_cache_either(stores: Stores) -> None:
    store = stores()
    tracker = DialogueStateTracker("s", DOMAIN.slots)
    where = {"location": {"latitude": 46.24, "longitude": 14.36}, "municipality": "kranj"}
    tracker.update(UserUttered("/find_service", {"name": "find_service"}, metadata=where))
    await store.save(tracker)
    again = await store.retrieve("s")
    assert again is not None and "location" not in str([e.as_dict() for e in again.events])
    assert again.latest_message.metadata == {"municipality": "kranj"}
