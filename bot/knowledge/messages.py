"""The schema's validation errors in plain words, at their line in the file."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Sequence

from pydantic import BaseModel, ValidationError
from yaml.nodes import Node, ScalarNode

from bot.knowledge.problems import Problem, field_name
from bot.knowledge.schema import Municipality
from bot.knowledge.yamlfile import is_plain, position, value_node

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
    "value_error.any_str.min_length": (
        "is empty; write the text, or remove the line (a language left out gets the answer "
        "in another language with a note)"
    ),
    "value_error.number.not_ge": "is too small",
    "value_error.number.not_le": "is too large",
}
_READ_AS = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:timestamp": "a date",
}


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


def _read_as_other(node: Node | None) -> str | None:
    """For an unquoted value YAML read as a number, date or true/false: what to write."""
    if not is_plain(node) or node.tag not in _READ_AS:
        return None
    return f'{node.value} was read as {_READ_AS[node.tag]}; put it in quotes: "{node.value}"'


def _message(error: dict[str, Any], node: Node | None) -> str:
    loc, kind = error["loc"], error["type"]
    if kind == "value_error.extra":
        model = _model_at(loc)
        known = list(model.__fields__) if model else []
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else f"; known fields: {', '.join(known)}"
        return f"unknown field '{loc[-1]}'{hint}"
    if kind == "value_error.any_str.max_length":
        length = f" ({len(node.value.strip()):,})" if isinstance(node, ScalarNode) else ""
        limit = error["ctx"]["limit_value"]
        return (
            f"is longer than {limit:,} characters{length}; shorten it "
            "(see docs/knowledge.md, 'Limits')"
        )
    if kind in _PLAIN_WORDS:
        return _PLAIN_WORDS[kind]
    return str(error["msg"])


def schema_problems(
    path: Path, root: Node | None, error: ValidationError, known: set[tuple[Any, ...]]
) -> list[Problem]:
    """One problem per field (a field of two allowed forms reports once), skipping the
    fields in `known` (reported already)."""
    by_field: dict[tuple[Any, ...], Problem] = {}
    for item in error.errors():
        loc = tuple(k for k in item["loc"] if k != "__root__")
        if loc in by_field or loc in known:
            continue
        node = value_node(root, loc)
        quote = _read_as_other(node) if item["type"] == "type_error.str" else None
        if quote is not None and node is not None:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
            by_field[loc] = Problem(path, line, column, field_name(loc), quote)
            continue
        line, column = position(root, loc)
        by_field[loc] = Problem(path, line, column, field_name(loc), _message(item, node))
    return list(by_field.values())
