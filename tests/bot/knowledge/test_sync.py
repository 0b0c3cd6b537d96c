"""Sync is all-or-nothing and idempotent, reports what it did, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.knowledge.db import make_engine
from bot.knowledge.models import FaqRow, MunicipalityRow, ServiceRow
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.sync import sync
from tests.conftest import SAMPLE_KNOWLEDGE

SAMPLE_IDS = sorted(path.stem for path in SAMPLE_KNOWLEDGE.glob("*.yml"))


def _copy_samples(tmp_path: Path) -> Path:
    folder = tmp_path / "municipalities"
    shutil.copytree(SAMPLE_KNOWLEDGE, folder)
    return folder


def _snapshot(engine: Engine) -> dict[str, Any]:
    """Everything stored, comparable across two points in time."""
    with Session(engine) as session:
        return {
            "municipalities": sorted(
                (r.id, r.content_hash, str(r.data))
                for r in session.scalars(select(MunicipalityRow))
            ),
            "faqs": sorted(
                (r.municipality_id, r.faq_id, r.topic, str(r.data))
                for r in session.scalars(select(FaqRow))
            ),
            "services": sorted(
                (r.municipality_id, r.service_id, r.lat, r.lon, str(r.data))
                for r in session.scalars(select(ServiceRow))
            ),
        }


def test_sync_adds_then_is_idempotent(tmp_path: Path, database_url: str) -> None:
    engine = make_engine(database_url)
    folder = _copy_samples(tmp_path)
    first = sync(engine, [folder])
    assert sorted(first.added) == SAMPLE_IDS
    stored = _snapshot(engine)
    second = sync(engine, [folder])
    assert second.added == second.changed == second.removed == []
    assert sorted(second.unchanged) == SAMPLE_IDS
    assert _snapshot(engine) == stored


def test_stored_content_reads_back(tmp_path: Path, database_url: str) -> None:
    engine = make_engine(database_url)
    sync(engine, [_copy_samples(tmp_path)])
    repository = KnowledgeRepository(engine)
    assert repository.municipality_ids() == SAMPLE_IDS
    kranj = repository.municipality("kranj")
    assert kranj is not None and kranj.timezone == "Europe/Ljubljana"
    housing = repository.faqs("kranj", "housing")
    assert housing and all(faq.topic == "housing" for faq in housing)
    assert "Kranj" in housing[0].answer["en"]
    assert {s.id for s in repository.services("kranj")} >= {"language-cafe-library"}


def test_sync_reports_changes_and_removals(tmp_path: Path, database_url: str) -> None:
    engine = make_engine(database_url)
    folder = _copy_samples(tmp_path)
    sync(engine, [folder])
    kranj = folder / "kranj.yml"
    kranj.write_text(kranj.read_text().replace("within 8 days", "within 3 days"))
    (folder / "bolzano.yml").unlink()
    report = sync(engine, [folder])
    assert report.changed == ["kranj"] and report.removed == ["bolzano"]
    assert sorted(report.unchanged) == [i for i in SAMPLE_IDS if i not in ("kranj", "bolzano")]
    faqs = KnowledgeRepository(engine).faqs("kranj", "registration")
    assert "within 3 days" in faqs[0].answer["en"]


def test_broken_file_changes_nothing(tmp_path: Path, database_url: str) -> None:
    engine = make_engine(database_url)
    folder = _copy_samples(tmp_path)
    sync(engine, [folder])
    before = _snapshot(engine)
    kranj = folder / "kranj.yml"
    kranj.write_text(kranj.read_text().replace("within 8 days", "within 3 days"))
    bolzano = folder / "bolzano.yml"
    bolzano.write_text(bolzano.read_text().replace("topic: housing", "topic: nope", 1))
    (folder / "testville.yml").write_text("id: testville\n", encoding="utf-8")
    report = sync(engine, [folder])
    assert not report.ok
    assert report.added == report.changed == report.removed == []
    assert {p.file.name for p in report.load.errors} == {"bolzano.yml", "testville.yml"}
    assert _snapshot(engine) == before, "a failed sync must leave the database as it was"
