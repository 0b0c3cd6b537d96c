"""The editor's JSON Schema agrees with `validate`: the sample files pass both, and what
`validate` refuses in code (topics, categories, language codes, time zones, holiday
regions, ids, phones) the schema refuses too; every field has a description."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.knowledge.editor_schema import editor_schema
from bot.knowledge.loader import load_file
from tests.bot.knowledge.testville import TODAY, VALID, write
from tests.conftest import SAMPLE_KNOWLEDGE

SCHEMA = editor_schema()


def _data(text: str) -> Any:
    """The file as an editor's YAML plugin hands it to the schema: dates as text."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    return plain(yaml.safe_load(text))


def _schema_errors(text: str) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA)
    return [error.message for error in validator.iter_errors(_data(text))]


@pytest.mark.parametrize("path", sorted(SAMPLE_KNOWLEDGE.glob("*.yml")), ids=lambda p: p.stem)
def test_sample_files_pass_the_schema(path: Path) -> None:
    assert _schema_errors(path.read_text(encoding="utf-8")) == []


def test_the_valid_fixture_passes_both() -> None:
    assert _schema_errors(VALID) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  topic: jobs", "  topic: work"),
        ("categories: [jobs, job_centre]", "categories: [jobs, jobcentre]"),
        ('    tr: "AMS\'ye kaydolun."', '    xx: "AMS\'ye kaydolun."'),
        ('holiday_subdivision: "8"', 'holiday_subdivision: "Kärnten"'),
        ("timezone: Europe/Vienna", "timezone: Europe/Vienn"),
        ("id: markt", "id: Markt"),
        ('  phone: "+43 5572 306 100"', '  phone: "call us"'),
        ("languages: [de, en, uk]", "languages: [de, english]"),
        ("kind: language_cafe", "kind: language_caffe"),
        ("repeat: FREQ=WEEKLY;BYDAY=WE", "repeat: FREQ=WEEKLI;BYDAY=WE"),
        ('start: "2026-12-14 18:30"', 'start: "14.12.2026 18:30"'),
        ('  end: "19:00"', '  end: "7pm"'),
        ('  end: "19:00"', '  end: "19:00"\n  duration_minutes: 90'),
        ("  place: markt\n  address: Rathausplatz 2, 6850 Testdorf\n", ""),
    ],
)
def test_what_validate_refuses_the_schema_refuses(tmp_path: Path, old: str, new: str) -> None:
    assert old in VALID
    broken = VALID.replace(old, new, 1)
    municipality, problems = load_file(write(tmp_path, broken), TODAY)
    assert municipality is None and problems
    assert _schema_errors(broken), f"the schema accepts what validate refuses: {new}"


def test_every_field_is_described() -> None:
    models = {"Municipality": SCHEMA, **SCHEMA["definitions"]}
    for name, model in models.items():
        for field, spec in model["properties"].items():
            assert spec.get("description"), f"{name}.{field} has no description"
