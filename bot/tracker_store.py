"""Conversation storage that never writes a shared location to disk, and whose cost per
message does not grow with the conversation.

A location the channel shares (browser geolocation, a Telegram location) is used for the
nearest-service lookup of that very message: the actions read it from the in-memory tracker
of the current turn. Rasa saves the tracker after the turn; this store removes `location`
from the message metadata (and from the parse data's copy of it) before writing.

Rasa's SQL store reads every event of the conversation session for each message and replays
it; the policies and the action server then walk that whole history too. Here a message reads
the latest `recent_events` events and, from before them, only the latest event that still
shapes the conversation's state (each slot's value, a paused conversation, an active loop).
The dialogue needs no more: no slot influences a prediction and the policies look at most a
few turns back (config.yml, docs/operations.md "Long conversations").
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
from functools import lru_cache
from typing import Any, Generator, Iterable, Iterator, Optional, Type

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, ensure_schema_exists
from rasa.shared.core.constants import SESSION_START_METADATA_SLOT
from rasa.shared.core.events import (
    Event,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.conversation_cache import BOUNDARIES, STATEFUL, ConversationCache, still_holding, window

PRIVATE_METADATA = ("location",)


def _without_private(metadata: Any) -> Any:
    if not isinstance(metadata, dict):
        return metadata
    return {key: value for key, value in metadata.items() if key not in PRIVATE_METADATA}


def scrub(event: Event) -> Event:
    """A copy of a user message (or of the session-start metadata slot Rasa fills from the
    first message) without private metadata; other events as they are."""
    if isinstance(event, SlotSet) and event.key == SESSION_START_METADATA_SLOT:
        if not any(key in (event.value or {}) for key in PRIVATE_METADATA):
            return event
        clean_slot = copy.copy(event)
        clean_slot.value = _without_private(event.value)
        return clean_slot
    if not isinstance(event, UserUttered):
        return event
    private = any(key in (event.metadata or {}) for key in PRIVATE_METADATA) or any(
        key in ((event.parse_data or {}).get("metadata") or {}) for key in PRIVATE_METADATA
    )
    if not private:
        return event
    clean = copy.copy(event)
    clean.metadata = _without_private(event.metadata)
    clean.parse_data = {
        **event.parse_data,
        "metadata": _without_private(event.parse_data.get("metadata")),
    }
    return clean


# How many of the tracker's events are in the database (set on the trackers this store
# builds or saves): new events are the ones after them.
STORED = "_welcome_stored_events"
# The ids of the conversation's first and latest stored events when the tracker was read or
# last saved (see _span).
SPAN = "_welcome_stored_span"


@lru_cache(maxsize=64)  # a few dozen kinds of event
def _event_class(type_name: str) -> Optional[Type[Event]]:
    """Rasa looks the class up by walking every subclass of Event, for every event."""
    return Event.resolve_by_type(type_name, default=None)


def deserialise(data: dict[str, Any]) -> Optional[Event]:
    """An event from its stored form, as `Event.from_parameters` makes it."""
    event_class = _event_class(str(data.get("event")))
    return event_class._from_parameters(data) if event_class is not None else None


def _events(rows: Iterable[Any]) -> list[Event]:
    """The events of stored rows (id, data), in their order; unknown kinds left out."""
    found = (deserialise(json.loads(data)) for _, data in rows)
    return [event for event in found if event is not None]


def _sqlite_write_ahead(connection: Any, _record: Any) -> None:
    """A write-ahead log, synced at checkpoints: a message's commit no longer waits for the
    disk twice. A crash of the process loses nothing; a power cut may lose the last messages
    before a checkpoint, never the file (https://www.sqlite.org/wal.html)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _engine_kwargs(url: sa.engine.URL) -> dict[str, Any]:
    """Rasa's engine settings, plus: PostgreSQL connections are checked before use (a
    restarted server is noticed, not a failed message); a SQLite file keeps its connections
    in a pool. SQLAlchemy 1.4 gives a file NullPool, a new connection with its pragmas for
    every read and write: 4 ms of Rasa's 24 ms a message (docs/operations.md). Rasa uses
    the store from its event loop's thread only, and SQLite in WAL mode lets the purge and
    other processes read and write beside it."""
    kwargs: dict[str, Any] = {"pool_pre_ping": True, **create_engine_kwargs(url)}
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        kwargs.update(
            pool_pre_ping=False,
            poolclass=sa.pool.QueuePool,
            connect_args={"check_same_thread": False},
        )
    return kwargs


def _row(sender_id: str, event: Event) -> dict[str, Any]:
    """An event as Rasa's SQL store writes it."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


# The latest event of a conversation, and its recent ones, read from the index alone. Made
# with the table on a new database; added to an existing one at start (_ensure_index).
RECENT_INDEX = sa.Index(
    "events_sender_id_id", SQLTrackerStore.SQLEvent.sender_id, SQLTrackerStore.SQLEvent.id
)


def _ensure_index(engine: sa.engine.Engine) -> None:
    """Create the index unless it exists; several instances starting at once may race to
    create it, and whichever loses finds it made."""
    try:
        RECENT_INDEX.create(engine, checkfirst=True)
    except sa.exc.DBAPIError:
        names = {index["name"] for index in sa.inspect(engine).get_indexes("events")}
        if RECENT_INDEX.name not in names:
            raise


class TrackerStoreError(RuntimeError):
    """A database operation of the tracker store failed; the message fails, not the server."""


class PrivateSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store (SQLite, PostgreSQL) minus shared locations, and with pooled
    connections tested before use: after a database restart the first message is answered
    instead of failing on a dead connection.

    Rasa's `session_scope` turns any `ValueError` raised inside it (a lone surrogate that
    SQLite cannot encode, a NUL byte PostgreSQL refuses) into `sys.exit`, which ends the
    whole server; here it stays an error of that one message."""

    engine: sa.engine.Engine

    def __init__(
        self,
        *args: Any,
        recent_events: int = 30,
        cached_conversations: int = 500,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if int(recent_events) < 20:
            raise ValueError("recent_events: at least 20 (two turns and then some)")
        self.recent_events = int(recent_events)
        self.cache = ConversationCache(int(cached_conversations))
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, **_engine_kwargs(url))
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_write_ahead)
        _ensure_index(self.engine)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Any, None, None]:
        """A transactional scope whose failures are exceptions, never `SystemExit`."""
        session = self.sessionmaker()
        try:
            ensure_schema_exists(session)
            yield session
        except ValueError as error:
            raise TrackerStoreError(f"tracker store: {type(error).__name__}") from error
        finally:
            session.close()

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        """The conversation's current session: its recent events, and the latest state-shaping
        event of each kind before them; from the process's cache while no other instance
        has written to the conversation since."""
        with self.session_scope() as session:
            latest = self._span(session, sender_id)
            if latest is None:
                self.cache.drop(sender_id)
                return None
            events = self.cache.get(sender_id, latest)
            if events is None:
                events = self._caught_up(session, sender_id, latest)
                if events is None:
                    events = self._recent(session, sender_id)
                self.cache.put(sender_id, latest, events)
        tracker = DialogueStateTracker.from_events(sender_id, events, self.domain.slots)
        setattr(tracker, STORED, len(tracker.events))
        setattr(tracker, SPAN, latest)
        return tracker

    def _span(self, session: Any, sender_id: str) -> Optional[tuple[int, int]]:
        """The ids of the conversation's first and latest stored events: a write by
        another instance changes the latest, the privacy purge the first."""
        table = self.SQLEvent
        first, latest = (
            session.query(sa.func.min(table.id), sa.func.max(table.id))
            .filter(table.sender_id == sender_id)
            .one()
        )
        return None if latest is None else (int(first), int(latest))

    def _caught_up(
        self, session: Any, sender_id: str, latest: tuple[int, int]
    ) -> Optional[list[Event]]:
        """The cached window of a conversation another instance answered since, with the
        events stored after it: one query for a few rows instead of the recent window.
        None when nothing usable is cached, or more was written than the window holds.
        Stored events never change in place: new ones are added, old ones only deleted
        (the purge), which changes the first id and so leads to a full read."""
        behind = self.cache.behind(sender_id, latest)
        if behind is None:
            return None
        since, events = behind
        table = self.SQLEvent
        rows = (
            session.query(table.id, table.data)
            .filter(table.sender_id == sender_id, table.id > since, table.id <= latest[1])
            .order_by(table.id)
            .limit(self.recent_events + 1)
            .all()
        )
        if not rows or len(rows) > self.recent_events or rows[-1][0] != latest[1]:
            return None
        return window([*events, *_events(rows)], self.recent_events)

    def _recent(self, session: Any, sender_id: str) -> list[Event]:
        table = self.SQLEvent
        mine = table.sender_id == sender_id
        start = (
            session.query(sa.func.max(table.id)).filter(mine, table.type_name.in_(BOUNDARIES))
        ).scalar() or 0
        recent = (
            session.query(table.id, table.data)
            .filter(mine, table.id >= start)
            .order_by(table.id.desc())
            .limit(self.recent_events)
            .all()
        )
        if not recent:
            return []
        first = recent[-1][0]
        earlier: list[Any] = []
        if first > start:  # the session began before the recent events
            latest = (
                session.query(sa.func.max(table.id), table.type_name, table.action_name)
                .filter(mine, table.id >= start, table.id < first, table.type_name.in_(STATEFUL))
                .group_by(table.type_name, table.action_name)
                .all()
            )
            wanted = still_holding([(i, kind, name) for i, kind, name in latest])
            if start:
                wanted.insert(0, start)
            if wanted:
                earlier = (
                    session.query(table.id, table.data)
                    .filter(table.id.in_(wanted))
                    .order_by(table.id)
                    .all()
                )
        rows = itertools.chain(earlier, reversed(recent))
        return _events(rows)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save, in one statement for all new events; then the conversation is
        kept in the process's cache with the ids of its first and latest events."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [
                _row(tracker.sender_id, event)
                for event in self._additional_events(session, tracker)
            ]
            latest = self._insert(session, tracker, rows)
            session.commit()
            if latest is None:
                latest = self._span(session, tracker.sender_id)
        setattr(tracker, STORED, len(tracker.events))
        setattr(tracker, SPAN, latest)
        if latest is not None:
            # as stored: without a shared location, which serves its own message only
            events = [scrub(e) for e in window(list(tracker.events), self.recent_events)]
            self.cache.put(tracker.sender_id, latest, events)

    def _insert(
        self, session: Any, tracker: DialogueStateTracker, rows: list[dict[str, Any]]
    ) -> Optional[tuple[int, int]]:
        """Insert the new events. With PostgreSQL the statement returns their ids, and the
        span is the first id this tracker was read with (or the first new one) and the
        latest new one: no query after it. If the first changed meanwhile (a purge), the
        next read sees a different span and reads the database: never stale. SQLite (and a
        tracker this store did not read) gets None: the span is read after the commit."""
        if not rows:
            return None
        table = self.SQLEvent.__table__
        if self.engine.dialect.name != "postgresql":
            session.execute(sa.insert(table), rows)
            return None
        ids = [i for (i,) in session.execute(sa.insert(table).values(rows).returning(table.c.id))]
        if not hasattr(tracker, SPAN):  # not built by this store: what is stored is unknown
            return None
        read: Optional[tuple[int, int]] = getattr(tracker, SPAN)
        return (read[0] if read else min(ids), max(ids))

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The events after those already stored: counted on the trackers this store built;
        Rasa's way (the number of events of the session in the database) for any other."""
        stored = getattr(tracker, STORED, None)
        if stored is None:
            new: Iterator[Event] = super()._additional_events(session, tracker)
        else:
            new = itertools.islice(tracker.events, stored, None)
        for event in new:
            yield scrub(event)
