"""A small fixed knowledge base (tests/data/knowledge: Testville and its neighbour)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.db import make_engine
from bot.knowledge.repository import KnowledgeRepository
from bot.knowledge.sync import sync

FIXTURES = Path(__file__).parents[1] / "data" / "knowledge"


@pytest.fixture
def town_kb(tmp_path: Path) -> KnowledgeRepository:
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    assert sync(engine, [FIXTURES]).ok
    return KnowledgeRepository(engine)
