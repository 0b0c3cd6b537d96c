"""Two things the Rasa server process does once at start, for a flat cost per message
(docs/operations.md "Cost per message").

- Rasa checks every action server response with `jsonschema.validate`, which first checks
  the schema itself against the JSON Schema meta-schema: 5 ms per custom action, more than
  the action's own work. Here the same schema is compiled once and each response is checked
  against it, with the same errors and message. Nothing else of Rasa changes.
- Once the model is loaded, `gc.freeze()` moves everything that lives as long as the
  process (the model, the knowledge indexes, Rasa's domain) out of the garbage collector's
  way, so a collection only walks what a message created.
"""

from __future__ import annotations

import gc
import logging
from functools import lru_cache
from typing import Any, Dict

from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)  # once, not per response
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result` against the schema compiled once."""
    error = best_match(_response_validator().iter_errors(result))  # as jsonschema.validate
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def check_action_responses_once_compiled() -> None:
    """Install the compiled check (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result


def freeze_loaded_objects() -> None:
    """Keep the objects alive now out of every later garbage collection."""
    gc.collect()
    gc.freeze()
    logger.info("%d objects frozen after start", gc.get_freeze_count())
