"""Load every knowledge file into the database in one transaction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from sqlalchemy import select
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


def _content_hash(municipality: Municipality) -> str:
    canonical = json.dumps(json.loads(municipality.json()), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _row(municipality: Municipality, source: str, digest: str) -> MunicipalityRow:
    document = json.loads(municipality.json(exclude={"faqs", "services"}))
    row = MunicipalityRow(
        id=municipality.id,
        content_hash=digest,
        source_file=source,
        lat=municipality.lat,
        lon=municipality.lon,
        data=document,
    )
    row.faqs = [
        FaqRow(faq_id=faq.id, topic=faq.topic, data=json.loads(faq.json()))
        for faq in municipality.faqs
    ]
    row.services = [
        ServiceRow(
            service_id=service.id,
            lat=service.lat,
            lon=service.lon,
            categories=list(service.categories),
            data=json.loads(service.json()),
        )
        for service in municipality.services
    ]
    return row


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
        existing = {row.id: row for row in session.scalars(select(MunicipalityRow))}
        for municipality_id in sorted(set(existing) - set(sources)):
            session.delete(existing[municipality_id])
            report.removed.append(municipality_id)
        for municipality_id, municipality in sorted(sources.items()):
            digest = _content_hash(municipality)
            old = existing.get(municipality_id)
            if old is not None and old.content_hash == digest:
                report.unchanged.append(municipality_id)
                continue
            if old is not None:
                session.delete(old)
                session.flush()
                report.changed.append(municipality_id)
            else:
                report.added.append(municipality_id)
            session.add(_row(municipality, f"{municipality_id}.yml", digest))
    return report
