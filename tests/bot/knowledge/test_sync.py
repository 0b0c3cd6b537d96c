"""Sync is all-or-nothing and idempotent, changes only the municipalities of the files given,
removes only with prune, and reports what it did, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.cli import main
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


def _synced_samples(tmp_path: Path, database_url: str) -> tuple[Engine, Path]:
    """A database holding the sample municipalities, and a copy of their files to edit."""
    engine = make_engine(database_url)
    folder = _copy_samples(tmp_path)
    assert sync(engine, [folder]).ok
    return engine, folder


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


def test_sync_reports_changes_and_prune_removes(tmp_path: Path, database_url: str) -> None:
    engine, folder = _synced_samples(tmp_path, database_url)
    kranj = folder / "kranj.yml"
    kranj.write_text(kranj.read_text().replace("within 8 days", "within 3 days"))
    (folder / "bolzano.yml").unlink()
    report = sync(engine, [folder], prune=True)
    assert report.changed == ["kranj"] and report.removed == ["bolzano"]
    assert sorted(report.unchanged) == [i for i in SAMPLE_IDS if i not in ("kranj", "bolzano")]
    faqs = KnowledgeRepository(engine).faqs("kranj", "registration")
    assert "within 3 days" in faqs[0].answer["en"]
    again = sync(engine, [folder], prune=True)
    assert again.ok and again.removed == again.changed == []


def test_without_prune_a_folder_sync_keeps_and_lists_what_has_no_file(
    tmp_path: Path, database_url: str
) -> None:
    engine, folder = _synced_samples(tmp_path, database_url)
    before = _snapshot(engine)
    (folder / "bolzano.yml").unlink()
    report = sync(engine, [folder])
    assert report.ok and report.removed == []
    assert report.not_in_files == ["bolzano"]
    assert _snapshot(engine) == before
    assert KnowledgeRepository(engine).municipality("bolzano") is not None


def test_syncing_one_file_changes_only_that_municipality(tmp_path: Path, database_url: str) -> None:
    engine, folder = _synced_samples(tmp_path, database_url)
    before = _snapshot(engine)
    kranj = folder / "kranj.yml"
    kranj.write_text(kranj.read_text().replace("within 8 days", "within 3 days"))
    for prune in (False, True):
        report = sync(engine, [kranj], prune=prune)
        assert report.ok and report.removed == [] and report.not_in_files == []
        assert report.others == [i for i in SAMPLE_IDS if i != "kranj"]
    after = _snapshot(engine)
    for table in ("municipalities", "faqs", "services"):
        assert [r for r in after[table] if r[0] != "kranj"] == [
            r for r in before[table] if r[0] != "kranj"
        ], f"{table}: other municipalities must stay as they were"
    assert (
        "within 3 days" in KnowledgeRepository(engine).faqs("kranj", "registration")[0].answer["en"]
    )


def test_prune_with_a_named_file_that_is_gone_removes_only_that_one(
    tmp_path: Path, database_url: str
) -> None:
    engine, folder = _synced_samples(tmp_path, database_url)
    for name in ("bolzano.yml", "kranj.yml"):
        (folder / name).unlink()
    report = sync(engine, [folder / "bolzano.yml"], prune=True)
    assert report.ok and report.removed == ["bolzano"]
    assert KnowledgeRepository(engine).municipality_ids() == [
        i for i in SAMPLE_IDS if i != "bolzano"
    ], "kranj has no file either, but it was not named"
    again = sync(engine, [folder / "bolzano.yml"], prune=True)
    assert again.ok and again.removed == [], "running it twice is fine"
    assert "nothing to remove" in again.load.problems[0].message
    assert again.load.problems[0].severity == "warning"


def test_a_named_file_that_is_gone_without_prune_is_an_error(
    tmp_path: Path, database_url: str
) -> None:
    engine, folder = _synced_samples(tmp_path, database_url)
    before = _snapshot(engine)
    (folder / "bolzano.yml").unlink()
    report = sync(engine, [folder / "bolzano.yml", folder / "kranj.yml"])
    assert not report.ok and report.removed == []
    assert str(report.load.errors[0]).startswith(f"{folder / 'bolzano.yml'}:1:1: (file): ")
    assert "--prune" in report.load.errors[0].message
    assert _snapshot(engine) == before


def test_prune_with_an_empty_folder_removes_nothing(tmp_path: Path, database_url: str) -> None:
    engine = make_engine(database_url)
    sync(engine, [_copy_samples(tmp_path)])
    before = _snapshot(engine)
    empty = tmp_path / "empty"
    empty.mkdir()
    report = sync(engine, [empty], prune=True)
    assert not report.ok and report.removed == []
    assert "has no .yml files" in report.load.errors[0].message
    assert _snapshot(engine) == before


def test_prune_is_all_or_nothing(tmp_path: Path, database_url: str) -> None:
    engine, folder = _synced_samples(tmp_path, database_url)
    before = _snapshot(engine)
    (folder / "bolzano.yml").unlink()
    kranj = folder / "kranj.yml"
    kranj.write_text(kranj.read_text().replace("topic: housing", "topic: nope", 1))
    report = sync(engine, [folder], prune=True)
    assert not report.ok and report.removed == []
    assert _snapshot(engine) == before


def test_broken_file_changes_nothing(tmp_path: Path, database_url: str) -> None:
    engine, folder = _synced_samples(tmp_path, database_url)
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


def test_sync_command_says_what_it_keeps_and_removes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy_samples(tmp_path)
    database = ["--database-url", f"sqlite:///{tmp_path / 'knowledge.db'}"]
    assert main(["knowledge", "sync", str(folder), *database]) == 0
    (folder / "bolzano.yml").unlink()
    capsys.readouterr()
    assert main(["knowledge", "sync", str(folder), *database]) == 0
    kept = capsys.readouterr().out
    assert "In the database but not in these files: bolzano" in kept and "--prune" in kept
    assert main(["knowledge", "sync", str(folder / "kranj.yml"), *database]) == 0
    assert "3 other municipalities" in capsys.readouterr().out
    assert main(["knowledge", "sync", "--prune", str(folder), *database]) == 0
    removed = capsys.readouterr().out
    assert "Removed (--prune): bolzano" in removed
    assert "not in these files" not in removed
