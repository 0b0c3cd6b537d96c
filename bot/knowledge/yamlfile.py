"""Read a YAML file fast (libyaml) and keep where every value is, for error messages.

Values follow YAML 1.2 core rules, as editors show them: only true/false are booleans
(so the language code `no` or the word `off` stay text) and `08:30` stays text instead of
becoming a base-60 number. A key written twice in one map is an error.
"""

from __future__ import annotations

import re
from typing import Any, Sequence, TypeGuard

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


def compose(text: str) -> Node | None:
    """The node tree of the document (types resolved, values not yet built), or None for an
    empty document; raises yaml.MarkedYAMLError."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def construct(node: Node) -> Any:
    """Plain Python data from a node tree; raises yaml.MarkedYAMLError (a key used twice)."""
    return _Constructor().construct_document(node)


def _step(node: Node, key: Any) -> tuple[Node, Node] | None:
    """(the node naming the child: its key in a map, the item in a list; the child) or None."""
    if isinstance(node, MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == str(key):
                return key_node, value
    elif isinstance(node, SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return node.value[key], node.value[key]
    return None


def position(root: Node | None, loc: Sequence[Any]) -> tuple[int, int]:
    """1-based line and column of the value at `loc` (its key for map entries), or of its
    closest existing parent."""
    if root is None:
        return 1, 1
    node: Node = root
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    for key in loc:
        step = _step(node, key)
        if step is None:
            break
        line, column = step[0].start_mark.line + 1, step[0].start_mark.column + 1
        node = step[1]
    return line, column


def value_node(root: Node | None, loc: Sequence[Any]) -> Node | None:
    """The node of the value at `loc`, or None when there is none."""
    node = root
    for key in loc:
        step = _step(node, key) if node is not None else None
        if step is None:
            return None
        node = step[1]
    return node


def is_plain(node: Node | None) -> TypeGuard[ScalarNode]:
    """An unquoted, one-line-style scalar (libyaml's style for it is '', PyYAML's None)."""
    return isinstance(node, ScalarNode) and not node.style
