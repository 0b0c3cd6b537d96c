"""Choose the FAQ that best matches the user's words, without retraining anything."""

from __future__ import annotations

from typing import Sequence

from rapidfuzz import fuzz

from bot.knowledge.schema import Faq
from bot.text import normalise

INTENT_TOPICS = {
    "ask_housing": "housing",
    "ask_jobs": "jobs",
    "ask_schooling": "schooling",
    "ask_language_courses": "language_courses",
    "ask_healthcare": "healthcare",
    "ask_registration": "registration",
}


def _score(text: str, faq: Faq, language: str) -> float:
    questions = faq.questions.get(language) or faq.questions.get("en") or []
    if not questions or not text:
        return 0.0
    return max(fuzz.token_set_ratio(text, normalise(q)) for q in questions)


def best_faq(faqs: Sequence[Faq], message: str, language: str) -> Faq | None:
    """The FAQ whose questions match the message best; the first one when none matches."""
    if not faqs:
        return None
    text = normalise(message)
    ranked = sorted(faqs, key=lambda faq: -_score(text, faq, language))
    return ranked[0]
