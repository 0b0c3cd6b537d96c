"""One word for one thing (the glossary), and names newcomers see in their language."""

from __future__ import annotations

from pathlib import Path

from bot.answers.localise import localise_name
from bot.knowledge.glossary import catalog_problems
from bot.knowledge.loader import load_file, load_paths
from tests.bot.knowledge.testville import TODAY, VALID, write
from tests.conftest import SAMPLE_KNOWLEDGE


def _warnings(tmp_path: Path, text: str) -> dict[str, str]:
    municipality, problems = load_file(write(tmp_path, text), TODAY)
    assert municipality is not None
    return {p.field: p.message for p in problems if p.severity == "warning"}


def test_an_answer_using_an_avoided_word_is_flagged_with_the_word_to_use(tmp_path: Path) -> None:
    broken = VALID.replace(
        '    de: "Melden Sie sich beim AMS."',
        '    de: "Melden Sie sich beim AMS oder beim Integrationsbüro."',
    )
    warnings = _warnings(tmp_path, broken)
    assert "says 'Integrationsstelle'" in warnings["faqs[1].answer.de"]
    assert "uses 'Integrationsbüro'" in warnings["faqs[1].answer.de"]


def test_names_missing_in_a_language_are_flagged(tmp_path: Path) -> None:
    assert _warnings(tmp_path, VALID) == {}
    fewer = VALID.replace(", it: Testville, sl: Testville, fr: Testville", "", 1).replace(
        ", tr: Testville uyum ofisi}", "}", 1
    )
    warnings = _warnings(tmp_path, fewer)
    assert "has no name in it, sl, fr;" in warnings["name"]
    assert "has no name in tr;" in warnings["contact.name"]
    broken = VALID.replace(
        "  name: {de: Sprachcafé, en: Language café}", "  name: {en: Language café}"
    )
    assert (
        "has no name in de, the official language"
        in _warnings(tmp_path, broken)["services[0].name"]
    )


def test_catalogs_are_checked_at_their_line(tmp_path: Path) -> None:
    catalog = tmp_path / "de.yml"
    catalog.write_text(
        'language: de\nresponses:\n  x:\n    - text: "Das Integrationsbüro hilft."\n'
    )
    (problem,) = catalog_problems(tmp_path)
    assert (problem.file, problem.line, problem.severity) == (catalog, 4, "warning")


def test_the_shipped_wording_and_samples_follow_the_glossary() -> None:
    assert catalog_problems() == []
    result = load_paths([SAMPLE_KNOWLEDGE])
    assert [p for p in result.problems if "glossary" in p.message or "no name" in p.message] == []


def test_a_name_falls_back_to_the_official_language_not_english() -> None:
    name = {"sl": "Zdravstveni dom Kranj", "en": "Health Centre Kranj"}
    assert localise_name(name, "uk", ["sl"]) == "Zdravstveni dom Kranj"
    assert localise_name(name, "en", ["sl"]) == "Health Centre Kranj"
    assert localise_name("AMS Dornbirn", "ar", ["de"]) == "AMS Dornbirn"
