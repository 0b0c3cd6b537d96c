"""rasa_sdk action server: thin actions over `bot` (one module per concern)."""

from __future__ import annotations

import functools
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa_sdk.executor import ActionExecutor

from bot.logging_privacy import install, private_values

Run = Callable[[ActionExecutor, Dict[str, Any]], Awaitable[Optional[Dict[str, Any]]]]


def _with_private_values(run: Run) -> Run:
    """`ActionExecutor.run` with the latest message's text and location redacted from every
    log line of the action, and from the traceback rasa_sdk logs when it fails."""

    @functools.wraps(run)
    async def private_run(
        self: ActionExecutor, action_call: Dict[str, Any]
    ) -> Optional[Dict[str, Any]]:
        try:
            latest = action_call["tracker"]["latest_message"]
            text, metadata = latest.get("text"), latest.get("metadata")
        except Exception:
            text, metadata = None, None
        with private_values(text, metadata):
            return await run(self, action_call)

    private_run.redacts_private_values = True  # type: ignore[attr-defined]
    return private_run


install()
if not getattr(ActionExecutor.run, "redacts_private_values", False):
    ActionExecutor.run = _with_private_values(ActionExecutor.run)
