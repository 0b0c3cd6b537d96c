"""Choose the FAQ that best matches the user's words, without retraining anything."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any, Container, Mapping, Sequence

from sklearn.feature_extraction.text import TfidfVectorizer

from bot.answers.localise import localise
from bot.knowledge.schema import Faq
from bot.text import normalise
from bot.tfidf import tfidf

INTENT_TOPICS = {
    "ask_housing": "housing",
    "ask_jobs": "jobs",
    "ask_schooling": "schooling",
    "ask_language_courses": "language_courses",
    "ask_healthcare": "healthcare",
    "ask_registration": "registration",
}


# A question whose best FAQ is less similar than this is answered, and kept for staff as
# probably not covered (bot/staff/unanswered.py). On the held-out paraphrases
# (tests/data/faq), 5 % of the right choices score below 0.11 (median 0.23); questions
# no FAQ covers (weather, a dog, a car, a football club) score 0.05-0.21, median 0.085.
WEAK_MATCH = float(os.environ.get("STAFF_WEAK_MATCH") or 0.11)
WEAK_MATCH_MIN_WORDS = 4  # "wohnung" alone is a topic, not an uncovered question


def weakly_matched(message: str, score: float) -> bool:
    """Whether an answer chosen with this score probably does not cover the question."""
    return score < WEAK_MATCH and len(message.split()) >= WEAK_MATCH_MIN_WORDS


LIKELY = 0.2  # a topic intent this likely beside another intent counts as meant


def likeliest_of(
    parse_data: Mapping[str, Any], intents: Container[str], at_least: float = LIKELY
) -> str | None:
    """The likeliest of `intents` in a message's ranking, if it is at least that likely."""
    for entry in parse_data.get("intent_ranking") or []:
        name = str(entry.get("name"))
        if name in intents and float(entry.get("confidence") or 0.0) >= at_least:
            return name
    return None


def likely_topic(parse_data: Mapping[str, Any]) -> str | None:
    """The topic of the likeliest ask_* intent in a message's ranking, if likely enough."""
    intent = likeliest_of(parse_data, INTENT_TOPICS)
    return INTENT_TOPICS[intent] if intent else None


@lru_cache(maxsize=4096)
def _normalised(text: str) -> str:
    return normalise(text)


def _document(faq: Faq, language: str) -> str:
    """What a FAQ is about, in the user's language: its questions and its answer
    (normalised once per distinct text, not on every message)."""
    questions = faq.questions.get(language) or faq.questions.get("en") or []
    answer = localise(faq.answer, language)[0]
    return _normalised(" ".join([*questions, answer]))


@lru_cache(maxsize=256)
def _vectoriser(documents: tuple[str, ...]) -> tuple[TfidfVectorizer, Any, Any]:
    """The fitted vectoriser, its idf weights (read once: see bot/tfidf.py) and the
    documents' vectors."""
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    matrix = vectoriser.fit_transform(documents)
    return vectoriser, vectoriser.idf_, matrix


def best_faq(
    faqs: Sequence[Faq],
    message: str,
    language: str,
    corpus: Sequence[Faq] | None = None,
) -> Faq | None:
    """The FAQ whose questions and answer are closest to the message (`best_faq_scored`)."""
    return best_faq_scored(faqs, message, language, corpus)[0]


def best_faq_scored(
    faqs: Sequence[Faq],
    message: str,
    language: str,
    corpus: Sequence[Faq] | None = None,
) -> tuple[Faq | None, float]:
    """The FAQ whose questions and answer are closest to the message, and how close: cosine
    similarity of character 3-5-grams (TF-IDF over `corpus`, by default `faqs`: pass all
    FAQs of the municipality so that words common to all of them weigh little). Accent- and
    case-insensitive; n-grams tolerate typos and inflection. The first FAQ (score 0) when
    nothing matches."""
    if not faqs:
        return None, 0.0
    text = normalise(message)
    if not text:
        return faqs[0], 0.0
    pool = list(corpus) if corpus else list(faqs)
    ids = [faq.id for faq in pool]
    vectoriser, idf, matrix = _vectoriser(tuple(_document(faq, language) for faq in pool))
    scores = (matrix @ tfidf(vectoriser, idf, [text]).T).toarray().ravel()
    by_id = dict(zip(ids, scores))
    best = max(faqs, key=lambda faq: by_id.get(faq.id, 0.0))
    score = float(by_id.get(best.id, 0.0))
    return (best, score) if score > 0 else (faqs[0], 0.0)
