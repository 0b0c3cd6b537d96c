"""YAML syntax errors in plain words, at the line that is wrong, with the fix.

The YAML parser speaks its own language ("found character that cannot start any token",
"mapping values are not allowed in this context") and, for an unclosed quote, points at a
later line. Staff get what to change and where.
"""

from __future__ import annotations

import re
from pathlib import Path

from yaml import MarkedYAMLError

from bot.knowledge.problems import Problem

_KEY_VALUE = re.compile(r"^(\s*(?:- )?[\w-]+:\s+)(.+?)\s*$")
_QUOTE_ERRORS = (
    "did not find expected key",
    "found unexpected end of stream",
    "could not find expected ':'",
    "expected <block end>",
    "while scanning a quoted scalar",
    "while parsing a block mapping",
)


def _unclosed_quote(lines: list[str], last: int) -> tuple[int, str] | None:
    """The first line up to `last` whose value opens a quote that the line does not close,
    and that quote character."""
    for number, line in enumerate(lines[: last + 1]):
        match = _KEY_VALUE.match(line) or re.match(r"^(\s*- )(.+?)\s*$", line)
        if not match:
            continue
        value = match.group(2)
        quote = value[0]
        if quote not in "\"'":
            continue
        rest = value[1:].replace("\\\\", "").replace('\\"', "") if quote == '"' else value[1:]
        rest = rest.replace("''", "") if quote == "'" else rest
        if quote not in rest:
            return number, quote
    return None


def _quoted(line: str) -> str | None:
    """The line with its value in double quotes, if it is a `key: value` line."""
    match = _KEY_VALUE.match(line)
    if not match or match.group(2)[0] in "\"'":
        return None
    value = match.group(2).replace("\\", "\\\\").replace('"', '\\"')
    return f'{match.group(1).strip()} "{value}"'


def syntax_problem(path: Path, text: str, error: MarkedYAMLError) -> Problem:
    """The problem to report for a YAML syntax error in `text`."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    reason = str(error.problem or error.context or "not valid YAML")
    lines = text.split("\n")
    if "tab" in reason or "'\\t'" in reason:
        message = "a tab character: indent with spaces only (replace the tab with two spaces)"
        return Problem(path, line, column, "(file)", message)
    if "mapping values are not allowed" in reason and 0 < line <= len(lines):
        quoted = _quoted(lines[line - 1])
        fix = f"; write: {quoted}" if quoted else ""
        message = f"text with a colon and a space (': ') must be in quotes{fix}"
        return Problem(path, line, 1, "(file)", message)
    if any(part in f"{error.problem} {error.context}" for part in _QUOTE_ERRORS):
        opened = _unclosed_quote(lines, line - 1)
        if opened is not None:
            number, quote = opened
            message = (
                f"the text in quotes that starts on this line is not closed; end it with "
                f"{quote} on the same line"
            )
            return Problem(path, number + 1, 1, "(file)", message)
    return Problem(
        path,
        line,
        column,
        "(file)",
        f"YAML syntax: {reason}; check the indentation and the quotes on this line and the "
        "one above (docs/knowledge.md, 'Common mistakes')",
    )


def not_utf8(path: Path, raw: bytes, error: UnicodeDecodeError) -> Problem:
    """Where a file stops being UTF-8, and how to fix it."""
    before = raw[: error.start].decode("utf-8", errors="replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    byte = raw[error.start]
    message = (
        f"is not UTF-8 text: the character here (byte 0x{byte:02X}) cannot be read; save the "
        "file as UTF-8 in your editor (e.g. 'Save with encoding' > 'UTF-8')"
    )
    return Problem(path, line, column, "(file)", message)
