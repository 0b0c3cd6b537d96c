"""Checks on the YAML node tree before the schema: list sizes and the number of values (so
absurd input is refused before the slow part), and text cut short by a `#` comment.

The tree is walked along the schema's types, so it knows which values are free text
(`schema.Text`), where a ` #` after an unquoted value starts a comment that cuts it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Optional, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.knowledge.limits import MAX_LIST, MAX_VALUES
from bot.knowledge.problems import Problem, field_name
from bot.knowledge.schema import Municipality, Text
from bot.knowledge.yamlfile import is_plain, position

Loc = tuple[Any, ...]
_COMMENT_AFTER = re.compile(r"[ \t]+(#[^\r\n]*)")
_LIMITS = "see docs/knowledge.md, 'Limits'"


class _LimitError(Exception):
    """A limit is exceeded: the rest of the file is not looked at."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


@cache
def _fields(model: type[BaseModel]) -> dict[str, tuple[Any, Optional[int]]]:
    """Field name -> (its type as written in the schema, its max_items or None)."""
    hints = get_type_hints(model)
    return {
        name: (hints[name], getattr(field.field_info, "max_items", None))
        for name, field in model.__fields__.items()
    }


@cache
def _shape(annotation: Any) -> tuple[str, Any]:
    """How to walk a value of this type: ("union", members), ("list", item type),
    ("dict", value type), ("model", fields), ("text", None) or ("other", None)."""
    origin = get_origin(annotation)
    if origin is Union:
        return "union", get_args(annotation)
    if origin is list:
        return "list", get_args(annotation)[0]
    if origin is dict:
        return "dict", get_args(annotation)[1]
    if _is_model(annotation):
        return "model", _fields(annotation)
    if isinstance(annotation, type) and issubclass(annotation, Text):
        return "text", None
    return "other", None


_FITS = {
    "MappingNode": ("dict", "model"),
    "SequenceNode": ("list",),
    "ScalarNode": ("text", "other"),
}


@cache
def _arm(annotation: Any, kind: str) -> Any:
    """The member of a Union that a node of this kind (class name) can be, or None."""
    members = [arm for arm in get_args(annotation) if arm is not type(None)]
    return next((arm for arm in members if _shape(arm)[0] in _FITS[kind]), None)


class _Walk:
    """One walk over one file's node tree."""

    def __init__(self, path: Path, text: str, root: Node) -> None:
        self.path, self.text, self.root = path, text, root
        self.values = 0
        self.found: list[tuple[Loc, Problem]] = []

    def walk(self, node: Node, annotation: Any, loc: Loc, max_items: Optional[int]) -> None:
        shape, detail = _shape(annotation)
        if shape == "union":
            arm = _arm(annotation, type(node).__name__)
            if arm is not None:
                self.walk(node, arm, loc, max_items)
            return
        self._count(1)
        if shape == "list" and isinstance(node, SequenceNode):
            self._list(node, detail, loc, max_items or MAX_LIST)
        elif shape == "dict" and isinstance(node, MappingNode):
            for key, value in node.value:
                self.walk(value, detail, (*loc, key.value), None)
        elif shape == "model" and isinstance(node, MappingNode):
            for key, value in node.value:
                field = detail.get(key.value) if type(key) is ScalarNode else None
                if field is not None:
                    self.walk(value, field[0], (*loc, key.value), field[1])
        elif shape == "text":
            self._text(node, loc)

    def _count(self, values: int) -> None:
        self.values += values
        if self.values > MAX_VALUES:
            message = (
                f"has more than {MAX_VALUES:,} values (each use of an alias *name counts every "
                f"value it repeats); {_LIMITS}"
            )
            raise _LimitError(Problem(self.path, 1, 1, "(file)", message))

    def _list(self, node: SequenceNode, item: Any, loc: Loc, limit: int) -> None:
        if len(node.value) > limit:
            line, column = position(self.root, loc)
            message = f"has {len(node.value):,} entries; the limit is {limit:,} ({_LIMITS})"
            raise _LimitError(Problem(self.path, line, column, field_name(loc), message))
        if _shape(item)[0] == "other":  # codes, dates: nothing to look at inside
            self._count(len(node.value))
            return
        for index, value in enumerate(node.value):
            self.walk(value, item, (*loc, index), None)

    def _text(self, node: Node, loc: Loc) -> None:
        """An unquoted text followed by ` #` on its line: YAML read the rest as a comment."""
        if not is_plain(node) or not node.value:
            return
        comment = _COMMENT_AFTER.match(self.text, node.end_mark.index)
        if comment is None:
            return
        cut = comment.group(1)
        cut = cut if len(cut) <= 30 else cut[:29] + "…"
        message = (
            f"text after # was read as a comment ('{cut}' is not part of the text); put the "
            "whole text in quotes, or move the comment to its own line"
        )
        mark = node.start_mark
        self.found.append(
            (loc, Problem(self.path, mark.line + 1, mark.column + 1, field_name(loc), message))
        )


def precheck(path: Path, text: str, root: Node) -> tuple[list[tuple[Loc, Problem]], bool]:
    """Problems found on the node tree, each with its location in the data, and whether a
    limit was exceeded (then the file is not checked further). `text` is what was parsed."""
    walk = _Walk(path, text, root)
    try:
        walk.walk(root, Municipality, (), None)
    except _LimitError as too_large:
        return [((), too_large.problem)], True
    return walk.found, False
