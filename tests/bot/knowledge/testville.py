"""The valid test municipality (tests/data/knowledge/testville.yml) that loader tests edit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

FIXTURE = Path(__file__).parents[2] / "data" / "knowledge" / "testville.yml"
VALID = FIXTURE.read_text(encoding="utf-8")
TODAY = date(2026, 12, 1)


def write(tmp_path: Path, text: str) -> Path:
    """`text` saved as testville.yml in `tmp_path` (its id must match the file name)."""
    path = tmp_path / "testville.yml"
    path.write_text(text, encoding="utf-8")
    return path
