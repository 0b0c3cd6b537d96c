"""Broken knowledge files are rejected with the file, the line and the field."""

from pathlib import Path

import pytest

from bot.knowledge.loader import load_file, load_paths
from tests.conftest import SAMPLE_KNOWLEDGE

VALID = (SAMPLE_KNOWLEDGE / "kranj.yml").read_text(encoding="utf-8")


def test_sample_files_are_valid() -> None:
    result = load_paths([SAMPLE_KNOWLEDGE])
    assert result.ok, [str(p) for p in result.problems]
    assert {m.id for m in result.municipalities} >= {"kranj", "bolzano"}


BROKEN = [
    ("yaml syntax", lambda s: s.replace("country: SI", "country: [SI"), "(file)", "YAML syntax"),
    (
        "misspelt key",
        lambda s: s.replace("timezone:", "timezon:"),
        "timezon",
        "did you mean 'timezone'",
    ),
    (
        "missing field",
        lambda s: s.replace("timezone: Europe/Ljubljana\n", ""),
        "timezone",
        "missing",
    ),
    (
        "bad time zone",
        lambda s: s.replace("Europe/Ljubljana", "Europe/Kranj"),
        "timezone",
        "time zone",
    ),
    (
        "bad topic",
        lambda s: s.replace("topic: housing", "topic: houses", 1),
        "faqs[0].topic",
        "unknown topic",
    ),
    (
        "bad email",
        lambda s: s.replace("integracija@kranj.example.org", "integracija-at-kranj"),
        "contact.email",
        "e-mail",
    ),
    ("bad phone", lambda s: s.replace('"+386 4 237 31 00"', "call us"), "contact.phone", "phone"),
    (
        "latitude",
        lambda s: s.replace("lat: 46.2389\nlon", "lat: 146.2389\nlon", 1),
        "lat",
        "too large",
    ),
    (
        "language code",
        lambda s: s.replace('    en: "Flats', '    xx: "Flats', 1),
        "faqs[0].answer",
        "unknown language code",
    ),
    ("id vs file", lambda s: s.replace("id: kranj", "id: krainburg"), "id", "file name"),
]


@pytest.mark.parametrize(("name", "breaker", "field", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_is_reported_with_place(
    tmp_path: Path, name: str, breaker, field: str, words: str
) -> None:
    path = tmp_path / "kranj.yml"
    broken = breaker(VALID)
    assert broken != VALID, "the breaker must change the file"
    path.write_text(broken, encoding="utf-8")
    municipality, problems = load_file(path)
    assert municipality is None
    assert problems, "a broken file must give at least one problem"
    problem = next((p for p in problems if p.field == field), problems[0])
    assert problem.field == field
    assert words in problem.message
    assert problem.line > 1 or field == "(file)"
    assert str(problem).startswith(f"{path}:{problem.line}:{problem.column}: {field}: ")
