"""The REST channel at /webhooks/rest/webhook, refusing malformed requests with a 400.

Rasa's own RestInput crashes (500) or processes `None` when `sender` or `message` is missing
or not text; this one checks the body first. Configured in credentials.yml.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Optional

from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request

MAX_MESSAGE_LENGTH = int(os.environ.get("MAX_MESSAGE_LENGTH", "2000"))


def _body(request: Request) -> Dict[str, Any]:
    try:
        body = request.json
    except Exception as error:  # sanic raises its own parse errors
        raise InvalidUsage("The request body must be JSON.") from error
    if not isinstance(body, dict):
        raise InvalidUsage("The request body must be a JSON object.")
    return body


class ValidatingRestInput(RestInput):
    """RestInput that answers 400 to bodies without a text `sender` and `message`."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, req: Request) -> Optional[str]:
        sender = _body(req).get("sender")
        if not isinstance(sender, str) or not sender.strip() or len(sender) > 128:
            raise InvalidUsage("'sender' must be a non-empty text of at most 128 characters.")
        return sender

    def _extract_message(self, req: Request) -> Optional[str]:
        message = _body(req).get("message")
        if not isinstance(message, str):
            raise InvalidUsage("'message' must be text.")
        if len(message) > MAX_MESSAGE_LENGTH:
            raise InvalidUsage(f"'message' is longer than {MAX_MESSAGE_LENGTH} characters.")
        return message

    def get_metadata(self, request: Request) -> Optional[Dict[str, Any]]:
        metadata = _body(request).get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise InvalidUsage("'metadata' must be a JSON object.")
        return metadata
