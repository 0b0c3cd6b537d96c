"""Read access to the knowledge base; owns the SQLAlchemy sessions."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.knowledge.events import Event
from bot.knowledge.models import EventRow, FaqRow, MunicipalityRow, ServiceRow
from bot.knowledge.schema import Contact, Faq, Municipality, Place, Service


@dataclass
class _Snapshot:
    """One municipality's content as last read, valid while its content hash is unchanged."""

    digest: str | None
    municipality: Municipality | None = None
    faqs: list[Faq] | None = None
    services: list[Service] | None = None
    events: list[Event] | None = None


class KnowledgeRepository:
    """Queries the actions need. A municipality's content is kept in memory and re-read when
    its content hash changes: one short query per call, so a sync shows at once. Inside
    `one_view()` (one answer), the hash is checked once per municipality."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._snapshots: dict[str, _Snapshot] = {}
        self._view: dict[str, _Snapshot] | None = None

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
        with Session(self._engine) as session:
            digest = session.scalar(
                select(MunicipalityRow.content_hash).where(MunicipalityRow.id == municipality_id)
            )
        cached = self._snapshots.get(municipality_id)
        if cached is None or cached.digest != digest:
            cached = self._snapshots[municipality_id] = _Snapshot(digest)
        if self._view is not None:
            self._view[municipality_id] = cached
        return cached

    def municipality_ids(self) -> list[str]:
        with Session(self._engine) as session:
            return list(session.scalars(select(MunicipalityRow.id).order_by(MunicipalityRow.id)))

    def municipalities(self) -> list[Municipality]:
        """Every municipality with its places and contact (without FAQs, services and
        events)."""
        with Session(self._engine) as session:
            rows = session.scalars(select(MunicipalityRow).order_by(MunicipalityRow.id))
            return [Municipality.parse_obj(row.data) for row in rows]

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
            query = select(FaqRow).where(FaqRow.municipality_id == municipality_id)
            with Session(self._engine) as session:
                rows = session.scalars(query.order_by(FaqRow.pk))
                snapshot.faqs = [Faq.parse_obj(row.data) for row in rows]
        return [faq for faq in snapshot.faqs if not topic or faq.topic == topic]

    def content_hash(self, municipality_id: str) -> str | None:
        """The hash of the municipality's content as synced (None: not known): what anything
        built from the content (the answers layer's service index) is keyed by."""
        return self._snapshot(municipality_id).digest

    def services(self, municipality_id: str) -> list[Service]:
        """The municipality's services, in file order."""
        snapshot = self._snapshot(municipality_id)
        if snapshot.services is None:
            query = select(ServiceRow).where(ServiceRow.municipality_id == municipality_id)
            with Session(self._engine) as session:
                rows = session.scalars(query.order_by(ServiceRow.pk))
                snapshot.services = [Service.parse_obj(r.data) for r in rows]
        return snapshot.services

    def events(self, municipality_id: str) -> list[Event]:
        """The municipality's events, its own then its calendars', in file order."""
        snapshot = self._snapshot(municipality_id)
        if snapshot.events is None:
            query = select(EventRow).where(EventRow.municipality_id == municipality_id)
            with Session(self._engine) as session:
                rows = session.scalars(query.order_by(EventRow.pk))
                snapshot.events = [Event.parse_obj(r.data) for r in rows]
        return snapshot.events
