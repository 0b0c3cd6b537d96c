"""Read access to the knowledge base; owns the SQLAlchemy sessions."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.knowledge.events import Event
from bot.knowledge.models import EventRow, FaqRow, MunicipalityRow, ServiceRow
from bot.knowledge.schema import Contact, Faq, Municipality, Place, Service

Parsed = TypeVar("Parsed", bound=BaseModel)


@dataclass
class _Snapshot:
    """One municipality's content as last read, valid while its content hash is unchanged."""

    digest: str | None
    checked: float = float("-inf")  # when the hash was last read (the repository's clock)
    municipality: Municipality | None = None
    faqs: list[Faq] | None = None
    services: list[Service] | None = None
    events: list[Event] | None = None


def recheck_from_environment() -> float:
    """`KNOWLEDGE_RECHECK_SECONDS` (default 1): how long the action server trusts the content
    hash it last read before reading it again, so a sync shows within that time."""
    value = os.environ.get("KNOWLEDGE_RECHECK_SECONDS", "").strip()
    try:
        seconds = float(value) if value else 1.0
    except ValueError:
        raise ValueError(f"KNOWLEDGE_RECHECK_SECONDS: a number of seconds, not {value!r}") from None
    if not 0 <= seconds <= 60:
        raise ValueError(f"KNOWLEDGE_RECHECK_SECONDS: between 0 and 60, not {value!r}")
    return seconds


class KnowledgeRepository:
    """Queries the actions need. A municipality's content is kept in memory and re-read when
    its content hash changes. The hash is read at most once per `recheck_seconds` (0: on
    every call, so a sync shows at once); inside `one_view()` (one answer), once at most."""

    def __init__(
        self,
        engine: Engine,
        recheck_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self.recheck_seconds = recheck_seconds
        self._clock = clock
        self._snapshots: dict[str, _Snapshot] = {}
        self._view: dict[str, _Snapshot] | None = None
        # (id, content hash) of every municipality, and those municipalities parsed
        self._all: tuple[tuple[tuple[str, str | None], ...], list[Municipality]] | None = None
        self._all_checked = float("-inf")

    def _fresh(self, checked: float) -> bool:
        """Whether a hash read at `checked` is still trusted."""
        return self._clock() - checked < self.recheck_seconds

    @property
    def engine(self) -> Engine:
        """The database the knowledge lives in (the staff loop's records live there too)."""
        return self._engine

    @contextmanager
    def one_view(self) -> Iterator[None]:
        """Calls inside read one version of each municipality's content, checked once.

        An answer that reads a municipality, its FAQs and its services then makes one hash
        query instead of three, and never mixes the content before and after a sync."""
        if self._view is not None:  # already inside one
            yield
            return
        self._view = {}
        try:
            yield
        finally:
            self._view = None

    def _snapshot(self, municipality_id: str) -> _Snapshot:
        if self._view is not None and municipality_id in self._view:
            return self._view[municipality_id]
        cached = self._snapshots.get(municipality_id)
        if cached is None or not self._fresh(cached.checked):
            now = self._clock()
            with Session(self._engine) as session:
                digest = session.scalar(
                    select(MunicipalityRow.content_hash).where(
                        MunicipalityRow.id == municipality_id
                    )
                )
            if cached is None or cached.digest != digest:
                cached = self._snapshots[municipality_id] = _Snapshot(digest)
            cached.checked = now
        if self._view is not None:
            self._view[municipality_id] = cached
        return cached

    def municipality_ids(self) -> list[str]:
        with Session(self._engine) as session:
            return list(session.scalars(select(MunicipalityRow.id).order_by(MunicipalityRow.id)))

    def municipalities(self) -> list[Municipality]:
        """Every municipality with its places and contact (without FAQs, services and
        events); parsed again only when one of them changed (one query to find out, at most
        once per `recheck_seconds`)."""
        if self._all is not None and self._fresh(self._all_checked):
            return list(self._all[1])
        now = self._clock()
        with Session(self._engine) as session:
            query = select(MunicipalityRow.id, MunicipalityRow.content_hash)
            key = tuple((str(i), h) for i, h in session.execute(query.order_by(MunicipalityRow.id)))
        self._all_checked = now
        if self._all is None or self._all[0] != key:
            with Session(self._engine) as session:
                rows = session.scalars(select(MunicipalityRow).order_by(MunicipalityRow.id))
                self._all = (key, [Municipality.parse_obj(row.data) for row in rows])
        return list(self._all[1])

    def municipality(self, municipality_id: str) -> Municipality | None:
        snapshot = self._snapshot(municipality_id)
        if snapshot.digest is not None and snapshot.municipality is None:
            with Session(self._engine) as session:
                row = session.get(MunicipalityRow, municipality_id)
                snapshot.municipality = Municipality.parse_obj(row.data) if row else None
        return snapshot.municipality

    def contact(self, municipality_id: str) -> Contact | None:
        found = self.municipality(municipality_id)
        return found.contact if found else None

    def places(self, municipality_id: str) -> list[Place]:
        found = self.municipality(municipality_id)
        return found.places if found else []

    def faqs(self, municipality_id: str, topic: str | None = None) -> list[Faq]:
        snapshot = self._snapshot(municipality_id)
        if snapshot.faqs is None:
            snapshot.faqs = self._parsed(FaqRow, Faq, municipality_id)
        return [faq for faq in snapshot.faqs if not topic or faq.topic == topic]

    def _parsed(self, row: Any, model: type[Parsed], municipality_id: str) -> list[Parsed]:
        """The municipality's rows of one table (FAQs, services, events), in file order."""
        query = select(row).where(row.municipality_id == municipality_id).order_by(row.pk)
        with Session(self._engine) as session:
            return [model.parse_obj(found.data) for found in session.scalars(query)]

    def content_hash(self, municipality_id: str) -> str | None:
        """The hash of the municipality's content as synced (None: not known): what anything
        built from the content (the answers layer's service index) is keyed by."""
        return self._snapshot(municipality_id).digest

    def services(self, municipality_id: str) -> list[Service]:
        """The municipality's services, in file order."""
        snapshot = self._snapshot(municipality_id)
        if snapshot.services is None:
            snapshot.services = self._parsed(ServiceRow, Service, municipality_id)
        return snapshot.services

    def events(self, municipality_id: str) -> list[Event]:
        """The municipality's events, its own then its calendars', in file order."""
        snapshot = self._snapshot(municipality_id)
        if snapshot.events is None:
            snapshot.events = self._parsed(EventRow, Event, municipality_id)
        return snapshot.events
