"""Every list and every text of the schema has a bound; the JSON Schema shows them to editors."""

from __future__ import annotations

from typing import Any, get_args, get_origin, get_type_hints

import pytest
from pydantic import BaseModel

from bot.knowledge.events import Calendar, Event
from bot.knowledge.fields import LongText
from bot.knowledge.limits import MAX_CODE, MAX_LONG_TEXT, MAX_SERVICES, MAX_TEXT
from bot.knowledge.schema import (
    Code,
    Contact,
    Faq,
    Link,
    Municipality,
    Place,
    Service,
    Text,
    json_schema,
)

MODELS = [Municipality, Contact, Place, Faq, Service, Event, Calendar]


def _leaves(annotation: Any) -> list[Any]:
    """The types of the values a field holds, e.g. Text for Dict[str, List[Text]]."""
    args = get_args(annotation)
    if get_origin(annotation) is dict:
        return _leaves(args[1])
    if not args:
        return [annotation]
    return [leaf for arg in args for leaf in _leaves(arg)]


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_every_list_field_has_a_limit(model: type[BaseModel]) -> None:
    hints = get_type_hints(model)
    for name, field in model.__fields__.items():
        if get_origin(hints[name]) is list:
            assert field.field_info.max_items is not None, f"{model.__name__}.{name}"


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_every_text_is_strict_and_bounded(model: type[BaseModel]) -> None:
    """No plain `str`: it would turn a number into text and have no length limit."""
    for name, annotation in get_type_hints(model).items():
        for leaf in _leaves(annotation):
            if isinstance(leaf, type) and issubclass(leaf, str):
                assert leaf is not str, f"{model.__name__}.{name} is plain str"
                assert leaf.strict and leaf.max_length, f"{model.__name__}.{name}"


def test_limits_in_the_json_schema() -> None:
    schema = json_schema()
    assert schema["properties"]["services"]["maxItems"] == MAX_SERVICES
    faq = schema["definitions"]["Faq"]["properties"]
    assert faq["answer"]["additionalProperties"]["maxLength"] == MAX_LONG_TEXT
    assert faq["id"]["maxLength"] == MAX_CODE
    assert schema["definitions"]["Contact"]["properties"]["phone"]["maxLength"] == MAX_TEXT
    assert issubclass(LongText, Text) and not issubclass(Code, Text)
    assert not issubclass(Link, Text), "a comment after an e-mail or web address cuts nothing"
