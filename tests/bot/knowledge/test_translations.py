"""Translation freshness: which version of the source answer a translation was made from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot import PROJECT_DIR
from bot.knowledge.loader import load_file
from tests.bot.knowledge.testville import TODAY, VALID, write

OLD_DE = '    de: "Wohnungen finden Sie online und bei der Wohnungsberatung."'
NEW_DE = '    de: "Wohnungen finden Sie online, bei der Beratung und in der Zeitung."'


def _mark(path: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "knowledge", "translated", str(path), *args],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _stale(path: Path) -> list[str]:
    municipality, problems = load_file(path, TODAY)
    assert municipality is not None, problems
    return [p.field for p in problems if "translated on" in p.message]


def test_a_changed_source_answer_warns_until_the_translation_is_marked(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    assert "uk, ru marked as translated from the current de" in _mark(
        path, "housing-flat", "uk", "ru"
    )
    assert _stale(path) == []
    path.write_text(path.read_text(encoding="utf-8").replace(OLD_DE, NEW_DE), encoding="utf-8")
    assert sorted(_stale(path)) == ["faqs[0].translated.ru", "faqs[0].translated.uk"]
    municipality, problems = load_file(path, TODAY)
    message = next(p.message for p in problems if p.field == "faqs[0].translated.uk")
    assert "uk was translated on" in message and "from an earlier de answer" in message
    assert "python -m bot knowledge translated testville housing-flat uk" in message
    assert municipality is not None  # a warning: the bot keeps answering
    _mark(path, "housing-flat", "uk")
    assert _stale(path) == ["faqs[0].translated.ru"]


def test_marking_changes_only_the_translated_line(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    _mark(path)  # every FAQ, every translation
    written = path.read_text(encoding="utf-8").split("\n")
    added = [line for line in written if line.strip().startswith("translated:")]
    assert len(added) == 2  # one per FAQ
    assert [line for line in written if not line.strip().startswith("translated:")] == (
        VALID.split("\n")
    )
    _mark(path, "jobs-ams", "uk")  # again: the line is replaced, not added
    assert sum(line.strip().startswith("translated:") for line in path.read_text().split("\n")) == 2


def test_a_hand_written_record_must_have_the_form(tmp_path: Path) -> None:
    broken = VALID.replace(
        "  last_reviewed: 2026-10-01\n- id: jobs-ams",
        "  last_reviewed: 2026-10-01\n  translated: {uk: from english}\n- id: jobs-ams",
    )
    municipality, problems = load_file(write(tmp_path, broken), TODAY)
    assert municipality is None
    assert "let the command `python -m bot knowledge translated` write it" in problems[0].message
