"""Which kind of service a message asks for ("nearest pharmacy", "найближча аптека"), from
the per-language word lists in bot/locales/categories/<code>.yml. Content staff never touch
these; adding a language adds one file."""

from __future__ import annotations

from bot.answers.wordlists import WordLists
from bot.knowledge.schema import CATEGORIES, TOPICS
from bot.locales.catalog import CATALOG_DIR

WORDS_DIR = CATALOG_DIR / "categories"


# The topic each finer category belongs to; the others (counselling, library, ...) have none.
PARENT_TOPIC = {
    "language_cafe": "language_courses",
    "language_school": "language_courses",
    "adult_education": "language_courses",
    "job_centre": "jobs",
    "apprenticeship": "jobs",
    "kindergarten": "schooling",
    "school": "schooling",
    "after_school_care": "schooling",
    "doctor": "healthcare",
    "hospital": "healthcare",
    "pharmacy": "healthcare",
    "emergency": "healthcare",
    "registry_office": "registration",
    "housing_office": "housing",
    "shelter": "housing",
}


def topic_of(category: str | None) -> str | None:
    """The topic a category is or belongs to; None for none."""
    if category in TOPICS:
        return category
    return PARENT_TOPIC.get(category or "")


CATEGORY_WORDS = WordLists("categories", "categories", CATEGORIES)


def category_in_text(text: str, language: str, fallback: str = "en") -> str | None:
    """The most specific category named in `text` (finer categories before the six topics,
    longer phrases before shorter ones), looking at the user's language, then `fallback`;
    only when no word is spelled right, words with one typo."""
    found = CATEGORY_WORDS.found(text, language, fallback)
    if not found:
        return None
    best = max(found, key=lambda e: (e.key not in TOPICS, len(e.words), not e.stem))
    return best.key
