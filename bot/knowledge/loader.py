"""Read municipality files and report every problem as `file:line:column: field: message`.

Pure: reads files, returns checked `Municipality` objects and problems; stores nothing.
"""

from __future__ import annotations

import difflib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Sequence

from pydantic import BaseModel, ValidationError
from yaml import MarkedYAMLError

from bot.knowledge.checks import check, coverage
from bot.knowledge.problems import Problem
from bot.knowledge.schema import Municipality
from bot.knowledge.yamlfile import position, read

PARALLEL_FROM = 16  # files per extra process: below that, one process is faster

_PLAIN_WORDS = {
    "value_error.missing": "is missing; this field is required",
    "type_error.float": "must be a number",
    "type_error.integer": "must be a whole number",
    "type_error.bool": "must be true or false",
    "type_error.list": "must be a list (lines starting with '- ')",
    "type_error.dict": "must be a map of keys and values",
    "type_error.str": "must be text",
    "type_error.date": "must be a date like 2026-03-31",
    "value_error.date": "must be a date like 2026-03-31",
    "value_error.str.regex": "has the wrong form",
    "value_error.list.min_items": "needs at least one entry",
    "value_error.number.not_ge": "is too small",
    "value_error.number.not_le": "is too large",
}


@dataclass
class LoadResult:
    """Checked municipalities and every problem found on the way."""

    municipalities: list[Municipality] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def coverage(self) -> dict[str, tuple[int, int]]:
        """Supported language -> (answers written in it, all answers) over good files."""
        return coverage(self.municipalities)


def _model_at(loc: Sequence[Any]) -> type[BaseModel] | None:
    """The pydantic model that owns the last key of `loc`."""
    model: Any = Municipality
    for key in loc[:-1]:
        if isinstance(key, int):
            continue
        field_info = model.__fields__.get(key) if hasattr(model, "__fields__") else None
        if field_info is None:
            return None
        model = field_info.type_
    return model if hasattr(model, "__fields__") else None


def _message(error: dict[str, Any]) -> str:
    loc, kind = error["loc"], error["type"]
    if kind == "value_error.extra":
        model = _model_at(loc)
        known = list(model.__fields__) if model else []
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else f"; known fields: {', '.join(known)}"
        return f"unknown field '{loc[-1]}'{hint}"
    if kind in _PLAIN_WORDS:
        return _PLAIN_WORDS[kind]
    return str(error["msg"])


def _field_name(loc: Sequence[Any]) -> str:
    parts: list[str] = []
    for key in loc:
        if key == "__root__":
            continue
        parts.append(f"[{key}]" if isinstance(key, int) else ("." if parts else "") + str(key))
    return "".join(parts) or "(file)"


def load_file(path: Path, today: date | None = None) -> tuple[Municipality | None, list[Problem]]:
    """Parse and check one file; the municipality is None when the file has an error."""
    try:
        data, root = read(path.read_text(encoding="utf-8"))
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = error.problem or error.context or "not valid YAML"
        return None, [Problem(path, line, column, "(file)", f"YAML syntax: {reason}")]
    except UnicodeDecodeError:
        return None, [Problem(path, 1, 1, "(file)", "is not UTF-8 text")]
    if not isinstance(data, dict):
        return None, [Problem(path, 1, 1, "(file)", "must be a map with id, name, ... at the top")]
    try:
        municipality = Municipality.parse_obj(data)
    except ValidationError as error:
        by_field: dict[tuple[Any, ...], Problem] = {}
        for item in error.errors():
            loc = tuple(k for k in item["loc"] if k != "__root__")
            if loc in by_field:
                continue  # a field of two allowed forms reports once
            line, column = position(root, loc)
            by_field[loc] = Problem(path, line, column, _field_name(loc), _message(item))
        return None, list(by_field.values())
    if municipality.id != path.stem:
        line, column = position(root, ("id",))
        return None, [Problem(path, line, column, "id", f"must match the file name '{path.stem}'")]
    problems = check(path, root, municipality, today or date.today())
    if any(problem.severity == "error" for problem in problems):
        return None, problems
    return municipality, problems


def knowledge_files(paths: Iterable[Path]) -> list[Path]:
    """The .yml/.yaml files named, or found in the folders named, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml")))
        else:
            files.append(path)
    return files


def _load_all(files: list[Path], today: date) -> list[tuple[Municipality | None, list[Problem]]]:
    """load_file for every file, on every CPU core when there are many files."""
    workers = min(os.cpu_count() or 1, len(files) // PARALLEL_FROM)
    if workers < 2:
        return [load_file(path, today) for path in files]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunk = max(1, len(files) // (workers * 4))
        return list(pool.map(load_file, files, [today] * len(files), chunksize=chunk))


def load_paths(paths: Iterable[Path], today: date | None = None) -> LoadResult:
    """Check every file; keep the good municipalities and every problem."""
    result = LoadResult()
    seen: dict[str, Path] = {}
    files = knowledge_files(paths)
    for path, (municipality, problems) in zip(files, _load_all(files, today or date.today())):
        result.problems.extend(problems)
        if municipality is None:
            continue
        if municipality.id in seen:
            message = f"'{municipality.id}' is already used by {seen[municipality.id]}"
            result.problems.append(Problem(path, 1, 1, "id", message))
            continue
        seen[municipality.id] = path
        result.municipalities.append(municipality)
    return result
