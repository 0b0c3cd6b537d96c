"""The repository serves a sync at once, and one answer reads one version with one check."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bot.knowledge.db import make_engine
from bot.knowledge.repository import KnowledgeRepository, recheck_from_environment
from bot.knowledge.sync import sync
from tests.conftest import SAMPLE_KNOWLEDGE

OLD, NEW = "within 8 days", "within 3 days"


def _synced(tmp_path: Path) -> tuple[Any, Path]:
    folder = tmp_path / "municipalities"
    shutil.copytree(SAMPLE_KNOWLEDGE, folder)
    engine = make_engine(f"sqlite:///{tmp_path / 'knowledge.db'}")
    sync(engine, [folder])
    return engine, folder


def _edit_kranj(engine: Any, folder: Path) -> None:
    kranj = folder / "kranj.yml"
    kranj.write_text(kranj.read_text().replace(OLD, NEW))
    assert sync(engine, [folder]).changed == ["kranj"]


def _registration(repository: KnowledgeRepository) -> str:
    return repository.faqs("kranj", "registration")[0].answer["en"]


def _count_statements(engine: Any) -> list[str]:
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    return statements


def test_a_sync_shows_at_the_next_call(tmp_path: Path) -> None:
    engine, folder = _synced(tmp_path)
    repository = KnowledgeRepository(engine)
    assert OLD in _registration(repository)
    _edit_kranj(engine, folder)
    assert NEW in _registration(repository)


def _read_an_answer(repository: KnowledgeRepository) -> None:
    repository.municipality("kranj")
    repository.faqs("kranj")
    repository.services("kranj")
    repository.faqs("bolzano")


def test_one_view_checks_each_municipality_once(tmp_path: Path) -> None:
    engine, _ = _synced(tmp_path)
    repository = KnowledgeRepository(engine)
    _read_an_answer(repository)  # content now in memory: only hash checks remain
    statements = _count_statements(engine)
    _read_an_answer(repository)
    assert len(statements) == 4  # outside a view: one hash check per call
    statements.clear()
    with repository.one_view():
        _read_an_answer(repository)
    assert len(statements) == 2  # one per municipality
    assert all("content_hash" in statement for statement in statements)


def test_one_view_reads_one_version_during_a_sync(tmp_path: Path) -> None:
    engine, folder = _synced(tmp_path)
    repository = KnowledgeRepository(engine)
    with repository.one_view():
        assert OLD in _registration(repository)
        _edit_kranj(engine, folder)
        assert OLD in _registration(repository)
    assert NEW in _registration(repository)


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_within_the_recheck_time_no_query_and_then_the_sync_shows(tmp_path: Path) -> None:
    engine, folder = _synced(tmp_path)
    clock = _Clock()
    repository = KnowledgeRepository(engine, recheck_seconds=1.0, clock=clock)
    assert OLD in _registration(repository)
    repository.municipalities()
    statements = _count_statements(engine)
    clock.now += 0.9
    assert OLD in _registration(repository)
    assert [m.id for m in repository.municipalities()] == ["annecy", "bolzano", "dornbirn", "kranj"]
    assert statements == [], "trusted for a second: no query"
    _edit_kranj(engine, folder)
    clock.now += 0.05
    assert OLD in _registration(repository), "still within the second"
    clock.now += 0.1
    statements.clear()
    assert NEW in _registration(repository)
    repository.municipalities()
    assert len(statements) == 4, "two hash checks; kranj's FAQs and the municipalities re-read"


def test_recheck_time_from_the_environment(monkeypatch: Any) -> None:
    monkeypatch.delenv("KNOWLEDGE_RECHECK_SECONDS", raising=False)
    assert recheck_from_environment() == 1.0
    monkeypatch.setenv("KNOWLEDGE_RECHECK_SECONDS", "0")
    assert recheck_from_environment() == 0.0
    for wrong in ("soon", "-1", "600"):
        monkeypatch.setenv("KNOWLEDGE_RECHECK_SECONDS", wrong)
        with pytest.raises(ValueError, match="KNOWLEDGE_RECHECK_SECONDS"):
            recheck_from_environment()
