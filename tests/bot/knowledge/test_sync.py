"""Sync is all-or-nothing and idempotent, and reports what it did."""

import shutil
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.knowledge.db import make_engine
from bot.knowledge.models import FaqRow
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.sync import sync
from tests.conftest import SAMPLE_KNOWLEDGE


def _copy_samples(tmp_path: Path) -> Path:
    folder = tmp_path / "municipalities"
    shutil.copytree(SAMPLE_KNOWLEDGE, folder)
    return folder


def test_sync_adds_then_is_idempotent(tmp_path: Path, database_url: str) -> None:
    engine = make_engine(database_url)
    folder = _copy_samples(tmp_path)
    first = sync(engine, [folder])
    assert sorted(first.added) == ["bolzano", "kranj"]
    second = sync(engine, [folder])
    assert second.added == second.changed == second.removed == []
    assert sorted(second.unchanged) == ["bolzano", "kranj"]


def test_sync_reports_changes_and_removals(tmp_path: Path, database_url: str) -> None:
    engine = make_engine(database_url)
    folder = _copy_samples(tmp_path)
    sync(engine, [folder])
    kranj = folder / "kranj.yml"
    kranj.write_text(kranj.read_text().replace("within 8 days", "within 3 days"))
    (folder / "bolzano.yml").unlink()
    report = sync(engine, [folder])
    assert report.changed == ["kranj"] and report.removed == ["bolzano"]
    faqs = KnowledgeRepository(engine).faqs("kranj", "registration")
    assert "within 3 days" in faqs[0].answer["en"]


def test_broken_file_changes_nothing(tmp_path: Path, database_url: str) -> None:
    engine = make_engine(database_url)
    folder = _copy_samples(tmp_path)
    sync(engine, [folder])
    with Session(engine) as session:
        before = session.scalar(select(func.count()).select_from(FaqRow))
    kranj = folder / "kranj.yml"
    kranj.write_text(kranj.read_text().replace("topic: housing", "topic: nope"))
    (folder / "bolzano.yml").unlink()
    report = sync(engine, [folder])
    assert not report.ok
    assert report.removed == []
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(FaqRow)) == before
    assert KnowledgeRepository(engine).municipality("bolzano") is not None
