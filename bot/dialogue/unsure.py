"""The "did you mean…?" reply: when the bot is unsure, the two or three likeliest topics.

Rasa's two-stage fallback asks the user to confirm the likeliest intent; here the reply
(`utter_unsure`, rendered by bot/nlg.py) keeps, of its topic buttons, those of the intents
the classifier ranked highest for the message, plus "talk to a person". A message with no
likely topic at all (keyboard mash, one letter repeated) gets every topic.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

MAX_OFFERED = 3
MIN_CONFIDENCE = 0.05  # an intent less likely than this is not offered
ALWAYS_OFFERED = "/human_handoff"


def _intent_of(payload: str) -> str:
    return payload.lstrip("/").split("{", 1)[0]


def likely_buttons(
    buttons: Sequence[Mapping[str, Any]], ranking: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The buttons of the likeliest intents in `ranking` (best first, at most MAX_OFFERED),
    then the person button; all buttons when no intent with a button is likely."""
    by_intent = {
        _intent_of(str(b.get("payload") or "")): dict(b)
        for b in buttons
        if b.get("payload") != ALWAYS_OFFERED
    }
    likely = [
        by_intent[str(entry.get("name"))]
        for entry in ranking
        if float(entry.get("confidence") or 0.0) >= MIN_CONFIDENCE
        and str(entry.get("name")) in by_intent
    ][:MAX_OFFERED]
    if not likely:
        return [dict(b) for b in buttons]
    return likely + [dict(b) for b in buttons if b.get("payload") == ALWAYS_OFFERED]
