"""Read a YAML file fast (libyaml) and keep where every value is, for error messages.

Values follow YAML 1.2 core rules, as editors show them: only true/false are booleans
(so the language code `no` or the word `off` stay text) and `08:30` stays text instead of
becoming a base-60 number. A key written twice in one map is an error.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.cyaml import CParser  # type: ignore[attr-defined]
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver


class _Core12Resolver(BaseResolver):
    """Implicit types of YAML 1.2's core schema (plus dates, as staff write them)."""


for _tag, _pattern, _first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("timestamp", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "0123456789"),
]:
    _Core12Resolver.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first)
    )


class _Constructor(SafeConstructor):
    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key is None:
                continue
            if key in seen:
                raise ConstructorError(
                    "while reading a map",
                    node.start_mark,
                    f"found the key '{key}' twice",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _Loader(CParser, _Constructor, _Core12Resolver):
    """libyaml's parser with the constructor and resolver above."""

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        _Constructor.__init__(self)
        _Core12Resolver.__init__(self)


def read(text: str) -> tuple[Any, Node | None]:
    """Plain Python data and the node tree it came from; raises yaml.MarkedYAMLError."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, node


def position(root: Node | None, loc: Sequence[Any]) -> tuple[int, int]:
    """1-based line and column of the value at `loc` (its key for map entries), or of its
    closest existing parent."""
    if root is None:
        return 1, 1
    node: Node = root
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    for key in loc:
        if isinstance(node, MappingNode):
            match = next(
                (
                    (k, v)
                    for k, v in node.value
                    if isinstance(k, ScalarNode) and k.value == str(key)
                ),
                None,
            )
            if match is None:
                break
            line, column = match[0].start_mark.line + 1, match[0].start_mark.column + 1
            node = match[1]
        elif isinstance(node, SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
        else:
            break
    return line, column
