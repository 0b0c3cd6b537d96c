"""Posting a reply to a messenger's HTTP API: one place for the timeout and the logging."""

from __future__ import annotations

import logging
from typing import Any, Dict, Optional

import aiohttp

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 15


async def post_json(
    url: str, payload: Dict[str, Any], what: str, headers: Optional[Dict[str, str]] = None
) -> bool:
    """POST `payload` as JSON; False (and a log line naming `what`, never the payload or
    the URL, which may hold a token) if the API did not accept it."""
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(url, json=payload, headers=headers) as reply,
        ):
            if reply.status != 200:
                logger.error("%s failed: HTTP %s", what, reply.status)
                return False
            return True
    except (aiohttp.ClientError, TimeoutError) as error:
        logger.error("%s failed: %s", what, type(error).__name__)
        return False
