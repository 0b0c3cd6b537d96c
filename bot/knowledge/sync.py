"""Load knowledge files into the database in one transaction: the municipalities of the files
given are added or changed; others are removed only with `prune` (see `sync`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.knowledge.kept_feeds import unread_feeds, with_kept_events
from bot.knowledge.loader import SUFFIXES, LoadResult, load_paths
from bot.knowledge.models import EventRow, FaqRow, MunicipalityRow, ServiceRow
from bot.knowledge.problems import Problem
from bot.knowledge.schema import Municipality

_OWN_TABLES = ("faqs", "services", "events")  # stored in rows of their own, not in `data`


@dataclass
class SyncReport:
    """What a sync did (or, when `problems` has errors, would not do)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_in_files: list[str] = field(default_factory=list)  # kept: a folder lacks them, no prune
    others: list[str] = field(default_factory=list)  # kept: only single files were given
    # calendar feeds that could not be read, "municipality: url": their events of the last
    # sync kept, or none to keep (not synced before)
    feeds_kept: list[str] = field(default_factory=list)
    feeds_without_events: list[str] = field(default_factory=list)
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
    """Insert one municipality with its FAQs, services and events (bulk statements, no ORM
    objects)."""
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
                "data": {k: v for k, v in document.items() if k not in _OWN_TABLES},
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
    if document["events"]:
        session.execute(
            insert(EventRow),
            [
                {
                    "municipality_id": municipality_id,
                    "event_id": event["id"],
                    "kind": event["kind"],
                    "data": event,
                }
                for event in document["events"]
            ],
        )


def _with_kept_events(
    session: Session, report: SyncReport, municipality: Municipality, unread: dict[str, set[str]]
) -> Municipality:
    urls = unread[municipality.id]
    municipality, none = with_kept_events(session, municipality, urls)
    report.feeds_kept += [f"{municipality.id}: {url}" for url in sorted(urls) if url not in none]
    report.feeds_without_events += [f"{municipality.id}: {url}" for url in sorted(none)]
    return municipality


def _delete(session: Session, municipality_id: str) -> None:
    for table in (FaqRow, ServiceRow, EventRow):
        session.execute(delete(table).where(table.municipality_id == municipality_id))
    session.execute(delete(MunicipalityRow).where(MunicipalityRow.id == municipality_id))


def _missing(paths: list[Path]) -> dict[str, Path]:
    """Municipality id -> named .yml file that does not exist (a removal, with prune)."""
    return {p.stem: p for p in paths if p.suffix in SUFFIXES and not p.exists()}


def _missing_without_prune(missing: dict[str, Path]) -> list[Problem]:
    return [
        Problem(
            path,
            1,
            1,
            "(file)",
            f"no such file; to remove '{municipality_id}' from the database, run sync with "
            "--prune and this file",
        )
        for municipality_id, path in missing.items()
    ]


def _plan(
    report: SyncReport, existing: set[str], gone: dict[str, Path], whole: bool, prune: bool
) -> list[str]:
    """The municipalities to remove (`gone`: with prune, named files that do not exist);
    sorts the ones kept into the report; a removal of an unknown one is a warning (a typo, or
    a sync run twice)."""
    files = {m.id for m in report.load.municipalities}
    gone = {i: path for i, path in gone.items() if i not in files}
    for municipality_id, path in gone.items():
        if municipality_id not in existing:
            message = (
                f"no such file, and '{municipality_id}' is not in the database: nothing to remove"
            )
            report.load.problems.append(Problem(path, 1, 1, "(file)", message, "warning"))
    absent = sorted(existing - files)
    if whole and prune:
        return absent
    if whole:
        report.not_in_files = absent
        return []
    report.others = [i for i in absent if i not in gone]
    return [i for i in absent if i in gone]


def sync(
    engine: Engine, paths: Iterable[Path], prune: bool = False, today: date | None = None
) -> SyncReport:
    """Add and change the municipalities of the files given, all or nothing.

    Files are checked first; if any has an error, the database is not touched. Unchanged
    municipalities are left as they are (idempotent). Municipalities without a file are only
    removed with `prune`, and only within what was given: a folder stands for every
    municipality (all in the database without a file in it go), a named file for its own
    (it goes when the file no longer exists). Without prune they are listed in the report.
    Calendar feeds (`calendars: - url:`) are fetched here, and only here: one that cannot be
    read is a warning, and the events it gave at the last sync are kept (kept_feeds.py).
    `today` (default: the current day) is the day from which calendar events are imported.
    """
    paths = list(paths)
    gone = _missing(paths)
    given = [path for path in paths if path not in gone.values()]
    loaded = load_paths(given, today, fetch=True) if given else LoadResult()
    report = SyncReport(load=loaded)
    if not prune:
        report.load.problems += _missing_without_prune(gone)
    if not report.ok:
        return report
    whole = any(path.is_dir() for path in given)
    unread = unread_feeds(report.load.problems)
    sources = {m.id: m for m in report.load.municipalities}
    with Session(engine) as session, session.begin():
        existing = dict(
            session.execute(select(MunicipalityRow.id, MunicipalityRow.content_hash)).all()
        )
        for municipality_id in _plan(report, set(existing), gone, whole, prune):
            _delete(session, municipality_id)
            report.removed.append(municipality_id)
        for municipality_id, municipality in sorted(sources.items()):
            if municipality_id in unread:
                municipality = _with_kept_events(session, report, municipality, unread)
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
