"""A file over the size limit is refused before it is parsed; one at the limit is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import loader
from bot.knowledge.limits import MAX_FILE_BYTES, MB
from bot.knowledge.loader import load_file, load_paths
from tests.bot.knowledge.testville import FIXTURE, TODAY


def test_a_file_over_the_limit_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_parse(text: str) -> None:
        raise AssertionError("a file over the limit was parsed")

    monkeypatch.setattr(loader, "compose", must_not_parse)
    path = tmp_path / "testville.yml"
    with path.open("wb") as stream:  # 69.2 MB, as in the issue (sparse: takes no disk space)
        stream.write(FIXTURE.read_bytes())
        stream.truncate(69_200_000)
    municipality, problems = load_file(path, TODAY)
    assert municipality is None
    assert [str(p) for p in problems] == [
        f"{path}:1:1: (file): is 69.2 MB; the limit is {MAX_FILE_BYTES // MB} MB per "
        "municipality (see docs/knowledge.md, 'Limits'); was a wrong file saved here?"
    ]


def test_one_byte_over_is_refused_and_a_file_at_the_limit_is_read(tmp_path: Path) -> None:
    valid = FIXTURE.read_bytes()
    comment = b"# " + b"x" * 97 + b"\n"
    room = MAX_FILE_BYTES - len(valid)
    padding = comment * (room // len(comment)) + b"#" * (room % len(comment) - 1) + b"\n"
    path = tmp_path / "testville.yml"
    path.write_bytes(valid + padding)
    assert path.stat().st_size == MAX_FILE_BYTES
    municipality, problems = load_file(path, TODAY)
    assert municipality is not None, [str(p) for p in problems]
    path.write_bytes(valid + padding + b"\n")
    municipality, problems = load_file(path, TODAY)
    assert municipality is None
    assert "the limit is" in problems[0].message and problems[0].line == 1


def test_the_size_limit_applies_to_files_found_in_folders(tmp_path: Path) -> None:
    (tmp_path / "testville.yml").write_bytes(FIXTURE.read_bytes())
    with (tmp_path / "big.yml").open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)
    result = load_paths([tmp_path], today=TODAY)
    assert [m.id for m in result.municipalities] == ["testville"]
    assert [(p.file.name, p.field) for p in result.errors] == [("big.yml", "(file)")]
