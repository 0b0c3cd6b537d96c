"""The plain-language check: short sentences and short answers, for readers with little
schooling or reading a language they are still learning.

The limits (docs/knowledge.md explains them to staff):
- a sentence of more than 25 words. Plain-language guidance for public services puts the
  bar there (GOV.UK: "25 words or fewer"; the Plain English Campaign: 15-20 on average), and
  the outside review of our wording (shared/reviews/translations-2026-12-07.md) flagged
  exactly the sentences of 25 words and more as hard to read;
- an FAQ answer of more than 120 words: about one screen of a 360-px phone at the widget's
  16-px type, so the newcomer sees the whole answer without scrolling away from the question;
- a reply of the bot's own wording (bot/locales) of more than 60 words in one bubble: these
  come between other messages, and the review found the 87-word privacy notice too long.

A list line ("- Bring your passport") counts as a sentence of its own. Words are runs of
letters or digits, so the counts agree across the ten languages and three scripts.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.knowledge.problems import Problem

MAX_SENTENCE_WORDS = 25
MAX_ANSWER_WORDS = 120
MAX_BUBBLE_WORDS = 60

_SENTENCE_END = re.compile(r"(?<=[.!?؟…])\s+|\n+")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_TEXT_LINE = re.compile(r"^\s*-?\s*text:\s*(.+)$")


def words(text: str) -> int:
    """How many words the text has."""
    return len(_WORD.findall(text))


def sentences(text: str) -> list[str]:
    """The text's sentences and list lines, without empty ones."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def long_sentences(text: str, limit: int = MAX_SENTENCE_WORDS) -> list[tuple[str, int]]:
    """(sentence, words) for each sentence over the limit."""
    counted = [(sentence, words(sentence)) for sentence in sentences(text)]
    return [(sentence, count) for sentence, count in counted if count > limit]


def _start(sentence: str) -> str:
    shown = " ".join(sentence.split()[:6])
    return f"'{shown} …'"


ANSWER_ADVICE = "leave out what the office will explain, or link to the details"
BUBBLE_ADVICE = "split it into two messages"


def messages(text: str, max_words: int, advice: str = ANSWER_ADVICE) -> list[str]:
    """Plain-language warnings for one text, in words a staff member can act on."""
    found = [
        f"a sentence of {count} words ({_start(sentence)}); keep sentences to "
        f"{MAX_SENTENCE_WORDS} words or fewer: split it in two or make a list"
        for sentence, count in long_sentences(text)
    ]
    total = words(text)
    if total > max_words:
        found.append(
            f"{total} words; keep it to {max_words} or fewer so it fits one phone screen: "
            + advice
        )
    return found


def _line_text(line: str) -> str | None:
    """The text of a catalog line `- text: "..."`, or None."""
    match = _TEXT_LINE.match(line)
    if match is None:
        return None
    try:
        value = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return None
    return value if isinstance(value, str) else None


def catalog_problems(paths: list[Path]) -> list[Problem]:
    """Plain-language warnings for wording catalogs (domain.yml, bot/locales/<code>.yml), at
    the line of each text."""
    problems = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            text = _line_text(line)
            for message in messages(text, MAX_BUBBLE_WORDS, BUBBLE_ADVICE) if text else []:
                problems.append(Problem(path, number, 1, "(catalog)", message, "warning"))
    return problems
