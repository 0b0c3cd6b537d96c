"""Read municipality files and report every problem as `file:line:column: field: message`.

Pure: reads files (and, with `fetch`, the calendar feeds they name), returns checked
`Municipality` objects and problems; stores nothing.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable

from pydantic import ValidationError
from yaml import MarkedYAMLError
from yaml.nodes import MappingNode

from bot.knowledge.calendars import with_calendars
from bot.knowledge.checks import check, coverage
from bot.knowledge.limits import MAX_FILE_BYTES, file_too_large
from bot.knowledge.messages import schema_problems
from bot.knowledge.precheck import precheck
from bot.knowledge.problems import Problem
from bot.knowledge.schema import Municipality
from bot.knowledge.syntax import not_utf8, syntax_problem
from bot.knowledge.yamlfile import compose, construct, position

PARALLEL_FROM = 16  # files per extra process: below that, one process is faster
SUFFIXES = (".yml", ".yaml")


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


def _read_text(path: Path) -> str | Problem:
    """The file's text (newlines as \\n, no byte-order mark), or why it cannot be read. A file
    over the size limit is refused before it is read further than the limit."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
            size = max(os.fstat(stream.fileno()).st_size, len(raw))
    except FileNotFoundError:
        return Problem(path, 1, 1, "(file)", "no such file")
    except OSError as error:
        return Problem(path, 1, 1, "(file)", f"cannot be read: {error.strerror or error}")
    too_large = file_too_large(path, size)
    if too_large is not None:
        return too_large
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return not_utf8(path, raw, error)
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def load_file(
    path: Path, today: date | None = None, fetch: bool = False
) -> tuple[Municipality | None, list[Problem]]:
    """Parse and check one file and read its calendars (their feeds too with `fetch`); the
    municipality is None when the file has an error."""
    text = _read_text(path)
    if isinstance(text, Problem):
        return None, [text]
    try:
        root = compose(text)
        if not isinstance(root, MappingNode):
            message = "must be a map with id, name, ... at the top"
            return None, [Problem(path, 1, 1, "(file)", message)]
        found, too_large = precheck(path, text, root)  # before the slow part
        if too_large:
            return None, [problem for _, problem in found]
        data = construct(root)
    except MarkedYAMLError as error:
        return None, [syntax_problem(path, text, error)]
    problems = [problem for _, problem in found]
    try:
        municipality = Municipality.parse_obj(data)
    except ValidationError as error:
        return None, problems + schema_problems(path, root, error, {loc for loc, _ in found})
    if municipality.id != path.stem:
        line, column = position(root, ("id",))
        message = f"must match the file name '{path.stem}'"
        return None, [*problems, Problem(path, line, column, "id", message)]
    day = today or date.today()
    problems += check(path, root, municipality, day)
    if not any(problem.severity == "error" for problem in problems) and municipality.calendars:
        municipality, from_calendars = with_calendars(path, root, municipality, day, fetch)
        problems += from_calendars
    if any(problem.severity == "error" for problem in problems):
        return None, problems
    return municipality, problems


def knowledge_files(paths: Iterable[Path]) -> list[Path]:
    """The .yml/.yaml files named, or found in the folders named, sorted (a calendar, .ics,
    in a subfolder such as events/ is read only through the file that names it)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES))
        else:
            files.append(path)
    return files


def _load_all(
    files: list[Path], today: date, fetch: bool
) -> list[tuple[Municipality | None, list[Problem]]]:
    """load_file for every file, on every CPU core when there are many files."""
    workers = min(os.cpu_count() or 1, len(files) // PARALLEL_FROM)
    if workers < 2:
        return [load_file(path, today, fetch) for path in files]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunk = max(1, len(files) // (workers * 4))
        days, fetches = [today] * len(files), [fetch] * len(files)
        return list(pool.map(load_file, files, days, fetches, chunksize=chunk))


def load_paths(
    paths: Iterable[Path], today: date | None = None, fetch: bool = False
) -> LoadResult:
    """Check every file; keep the good municipalities and every problem. Calendar feeds
    (`url`) are fetched only with `fetch` (by sync)."""
    result = LoadResult()
    seen: dict[str, Path] = {}
    paths = list(paths)
    for folder in paths:
        if folder.is_dir() and not knowledge_files([folder]):
            result.problems.append(Problem(folder, 1, 1, "(folder)", "has no .yml files"))
    files = knowledge_files(paths)
    loaded = _load_all(files, today or date.today(), fetch)
    for path, (municipality, problems) in zip(files, loaded):
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
