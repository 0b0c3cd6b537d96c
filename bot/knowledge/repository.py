"""Read access to the knowledge base; owns the SQLAlchemy sessions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.answers.services import ServiceIndex
from bot.knowledge.models import FaqRow, MunicipalityRow, ServiceRow
from bot.knowledge.schema import Contact, Faq, Municipality, Place, Service


class KnowledgeRepository:
    """Queries the actions need. Every call opens a short session, so a sync shows at once."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._indexes: dict[str, tuple[str | None, ServiceIndex]] = {}

    def municipality_ids(self) -> list[str]:
        with Session(self._engine) as session:
            return list(session.scalars(select(MunicipalityRow.id).order_by(MunicipalityRow.id)))

    def municipalities(self) -> list[Municipality]:
        """Every municipality with its places and contact (without FAQs and services)."""
        with Session(self._engine) as session:
            rows = session.scalars(select(MunicipalityRow).order_by(MunicipalityRow.id))
            return [Municipality.parse_obj(row.data) for row in rows]

    def municipality(self, municipality_id: str) -> Municipality | None:
        with Session(self._engine) as session:
            row = session.get(MunicipalityRow, municipality_id)
            return Municipality.parse_obj(row.data) if row else None

    def contact(self, municipality_id: str) -> Contact | None:
        found = self.municipality(municipality_id)
        return found.contact if found else None

    def places(self, municipality_id: str) -> list[Place]:
        found = self.municipality(municipality_id)
        return found.places if found else []

    def faqs(self, municipality_id: str, topic: str | None = None) -> list[Faq]:
        query = select(FaqRow).where(FaqRow.municipality_id == municipality_id)
        if topic:
            query = query.where(FaqRow.topic == topic)
        with Session(self._engine) as session:
            return [Faq.parse_obj(row.data) for row in session.scalars(query.order_by(FaqRow.pk))]

    def services(self, municipality_id: str | None = None) -> list[Service]:
        query = select(ServiceRow)
        if municipality_id:
            query = query.where(ServiceRow.municipality_id == municipality_id)
        with Session(self._engine) as session:
            return [
                Service.parse_obj(r.data) for r in session.scalars(query.order_by(ServiceRow.pk))
            ]

    def service_index(self, municipality_id: str) -> ServiceIndex:
        """The municipality's services ready for nearest-first lookups. Kept in memory while
        the municipality's content hash is unchanged, so a sync shows at once."""
        with Session(self._engine) as session:
            digest = session.scalar(
                select(MunicipalityRow.content_hash).where(MunicipalityRow.id == municipality_id)
            )
        cached = self._indexes.get(municipality_id)
        if cached is not None and cached[0] == digest:
            return cached[1]
        index = ServiceIndex(self.services(municipality_id))
        self._indexes[municipality_id] = (digest, index)
        return index
