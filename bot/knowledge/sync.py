"""Load every knowledge file into the database in one transaction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.knowledge.loader import LoadResult, load_paths
from bot.knowledge.models import FaqRow, MunicipalityRow, ServiceRow
from bot.knowledge.schema import Municipality


@dataclass
class SyncReport:
    """What a sync did (or, when `problems` has errors, would not do)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    load: LoadResult = field(default_factory=LoadResult)

    @property
    def ok(self) -> bool:
        return self.load.ok


def _document(municipality: Municipality) -> dict[str, Any]:
    """The checked municipality as JSON-ready data (serialised once)."""
    return json.loads(municipality.json())


def _content_hash(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _insert(session: Session, document: dict[str, Any], source: str, digest: str) -> None:
    """Insert one municipality with its FAQs and services (bulk statements, no ORM objects)."""
    municipality_id = document["id"]
    session.execute(
        insert(MunicipalityRow),
        [
            {
                "id": municipality_id,
                "content_hash": digest,
                "source_file": source,
                "lat": document["lat"],
                "lon": document["lon"],
                "data": {k: v for k, v in document.items() if k not in ("faqs", "services")},
            }
        ],
    )
    if document["faqs"]:
        session.execute(
            insert(FaqRow),
            [
                {
                    "municipality_id": municipality_id,
                    "faq_id": faq["id"],
                    "topic": faq["topic"],
                    "data": faq,
                }
                for faq in document["faqs"]
            ],
        )
    if document["services"]:
        session.execute(
            insert(ServiceRow),
            [
                {
                    "municipality_id": municipality_id,
                    "service_id": service["id"],
                    "lat": service["lat"],
                    "lon": service["lon"],
                    "categories": service["categories"],
                    "data": service,
                }
                for service in document["services"]
            ],
        )


def _delete(session: Session, municipality_id: str) -> None:
    for table in (FaqRow, ServiceRow):
        session.execute(delete(table).where(table.municipality_id == municipality_id))
    session.execute(delete(MunicipalityRow).where(MunicipalityRow.id == municipality_id))


def sync(engine: Engine, paths: Iterable[Path]) -> SyncReport:
    """Replace the database content with the files' content, all or nothing.

    Files are checked first; if any has an error, the database is not touched.
    Municipalities whose content did not change are left as they are (idempotent).
    """
    report = SyncReport(load=load_paths(paths))
    if not report.ok:
        return report
    sources = {m.id: m for m in report.load.municipalities}
    with Session(engine) as session, session.begin():
        existing = dict(
            session.execute(select(MunicipalityRow.id, MunicipalityRow.content_hash)).all()
        )
        for municipality_id in sorted(set(existing) - set(sources)):
            _delete(session, municipality_id)
            report.removed.append(municipality_id)
        for municipality_id, municipality in sorted(sources.items()):
            document = _document(municipality)
            digest = _content_hash(document)
            if existing.get(municipality_id) == digest:
                report.unchanged.append(municipality_id)
                continue
            if municipality_id in existing:
                _delete(session, municipality_id)
                report.changed.append(municipality_id)
            else:
                report.added.append(municipality_id)
            _insert(session, document, f"{municipality_id}.yml", digest)
    return report
