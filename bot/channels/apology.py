"""When a message got no reply at all, say sorry in the user's language.

Every intent of this assistant has an answer, so silence means a part failed: most often the
action server is down (Rasa logs the error and carries on without the action's messages).
The channels call `apology` after handling a message that produced nothing; the language is
the conversation's (the `language` slot), else what the detector said about this message,
else (when the tracker store itself is down) a detection of the message text here, else the
channel's hint, else the default.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, Mapping, Optional

from bot.language.detector import LanguageDetector
from bot.language.registry import settings, supported_codes
from bot.locales.catalog import load_catalog

logger = logging.getLogger(__name__)
RESPONSE = "utter_technical_problem"


_detector: Optional[LanguageDetector] = None


def _detected(text: str) -> Optional[str]:
    """The language of `text` when one message is enough to tell (lingua only: the trained
    n-gram model lives in the NLU pipeline, which may be what failed)."""
    global _detector
    if not text or text.startswith("/"):
        return None
    if _detector is None:
        _detector = LanguageDetector(weights={"lingua": 1.0})
    detection = _detector.detect(text)
    return detection.language if detection.reliable else None


async def conversation_language(
    agent: Any, sender_id: str, metadata: Optional[Mapping[str, Any]], text: str = ""
) -> str:
    """The best guess of the language to apologise in."""
    codes = set(supported_codes())
    tracker = None
    store = getattr(agent, "tracker_store", None)
    if store is not None:
        try:
            tracker = await store.retrieve(sender_id)
        except Exception:  # the store itself may be what failed
            logger.debug("No tracker for %s while apologising", sender_id, exc_info=True)
    candidates = []
    if tracker is not None:
        candidates.append(tracker.get_slot("language"))
        detection = (tracker.latest_message.parse_data or {}).get("language_detection") or {}
        candidates.append(detection.get("language"))
    if not any(c in codes for c in candidates):
        candidates.append(_detected(text))
    candidates.append((metadata or {}).get("language"))
    return next((c for c in candidates if c in codes), settings().default)


def apology(language: str) -> Dict[str, Any]:
    """The technical-problem reply in `language`, with its text direction."""
    entry = (
        load_catalog(language).get("responses", {}).get(RESPONSE)
        or load_catalog(settings().default)["responses"][RESPONSE]
    )
    direction = next(
        (lang.direction for lang in settings().languages if lang.code == language), "ltr"
    )
    return {"text": entry[0]["text"], "language": language, "direction": direction}
