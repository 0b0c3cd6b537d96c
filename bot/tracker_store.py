"""Conversation storage that never writes a shared location to disk.

A location the channel shares (browser geolocation, a Telegram location) is used for the
nearest-service lookup of that very message: the actions read it from the in-memory tracker
of the current turn. Rasa saves the tracker after the turn; this store removes `location`
from the message metadata (and from the parse data's copy of it) before writing.
"""

from __future__ import annotations

import contextlib
import copy
from typing import Any, Generator, Iterator

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, ensure_schema_exists
from rasa.shared.core.constants import SESSION_START_METADATA_SLOT
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
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

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        for event in super()._additional_events(session, tracker):
            yield scrub(event)
