"""Suggested YAML lines: the right file, line and place, and lines that parse."""

from datetime import date
from pathlib import Path

import yaml

from bot import PROJECT_DIR
from bot.knowledge.loader import load_file
from bot.staff.suggest import knowledge_file, suggestions
from bot.staff.unanswered import Group

SAMPLES = PROJECT_DIR / "knowledge" / "municipalities"


def _kranj():  # type: ignore[no-untyped-def]
    municipality, _ = load_file(SAMPLES / "kranj.yml")
    assert municipality is not None
    return municipality


def test_a_question_for_a_faq_becomes_its_questions_line() -> None:
    kranj = _kranj()
    group = Group(example="Gibt es Wohnungen mit Garten?", count=3, languages={"de": 3})
    group.intents = {"ask_housing": 3}
    [found] = suggestions([group], kranj.faqs, kranj, SAMPLES, date(2026, 12, 7))
    assert found.kind == "question" and found.replace
    assert found.file == "knowledge/municipalities/kranj.yml"
    faq = next(f for f in kranj.faqs if f.id == found.faq_id)
    assert faq.topic == "housing"
    assert found.place == f"faqs → {faq.id} → questions → de"
    line = SAMPLES.joinpath("kranj.yml").read_text(encoding="utf-8").splitlines()[found.line - 1]
    assert line.lstrip().startswith("de: [")
    [new] = found.lines
    assert new[: len(line) - len(line.lstrip())] == line[: len(line) - len(line.lstrip())]
    parsed = yaml.safe_load(new.strip())
    assert parsed["de"] == [*faq.questions["de"], "Gibt es Wohnungen mit Garten?"]


def test_without_a_topic_a_new_faq_to_add_after_the_last(tmp_path: Path) -> None:
    kranj = _kranj()
    group = Group(example='Wie wird das "Wetter"?', count=2, languages={"de": 2})
    group.intents = {"out_of_scope": 2}
    [found] = suggestions([group], kranj.faqs, kranj, SAMPLES, date(2026, 12, 7))
    assert found.kind == "new_faq" and not found.replace
    text = SAMPLES.joinpath("kranj.yml").read_text(encoding="utf-8").splitlines()
    assert text[found.line].startswith("services:") or not text[found.line].startswith(" ")
    block = yaml.safe_load("\n".join(found.lines))
    assert block[0]["questions"] == {"de": ['Wie wird das "Wetter"?']}
    assert block[0]["topic"] is None  # to choose; the comment lists the topics
    assert "one of: housing, jobs" in found.lines[1]
    # an unreadable or unknown file still names the file, without a line
    assert knowledge_file("kranj", tmp_path) is None
    [elsewhere] = suggestions([group], kranj.faqs, kranj, tmp_path)
    assert (elsewhere.file, elsewhere.line) == ("kranj.yml", None)


def test_the_file_is_found_by_its_id(tmp_path: Path) -> None:
    (tmp_path / "stadt.yml").write_text("id: sankt-johann\nname: x\n", encoding="utf-8")
    assert knowledge_file("sankt-johann", tmp_path) == tmp_path / "stadt.yml"
