"""YAML lines staff can paste to answer what newcomers asked (the YAML stays the single
source of truth: the page shows the change, it never writes a file).

For a group of unanswered questions whose likely topic has a FAQ, the suggestion adds the
question to that FAQ's `questions` in its language, so the bot recognises it next time.
Without a FAQ for the topic (or without a topic), it is a new FAQ to write at the end of
`faqs:`. Each suggestion names the file, the line and the place (faqs → id → questions →
language), and gives the line(s) as they should read.
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from bot import PROJECT_DIR
from bot.answers.faq import INTENT_TOPICS, best_faq_scored
from bot.knowledge.schema import TOPICS, Faq, Municipality
from bot.knowledge.yamlfile import compose, value_node
from bot.staff.unanswered import Group

logger = logging.getLogger(__name__)

MAX_SUGGESTIONS = 10
DEFAULT_KNOWLEDGE = PROJECT_DIR / "knowledge" / "municipalities"


@dataclass(frozen=True)
class Suggestion:
    """A change to paste: where, and the lines as they should read there."""

    kind: str  # "question" (add to a FAQ) or "new_faq"
    question: str
    language: str
    file: str
    line: Optional[int]  # the line to change or to add after; None if the file is unreadable
    place: str  # "faqs → housing-rent → questions → de"
    replace: bool  # True: the line becomes `lines`; False: add `lines` after the line
    lines: tuple[str, ...]
    faq_id: Optional[str] = None


@lru_cache(maxsize=32)
def _tree(path: str, modified: float) -> Optional[Node]:
    try:
        return compose(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def file_tree(path: Optional[str]) -> Optional[Node]:
    """The file's node tree (cached while the file is unchanged), or None."""
    if not path:
        return None
    try:
        modified = Path(path).stat().st_mtime
    except OSError:
        return None
    return _tree(path, modified)


def knowledge_file(municipality_id: str, directory: Optional[Path] = None) -> Optional[Path]:
    """The municipality's YAML file: `<id>.yml` in STAFF_KNOWLEDGE_DIR (default
    knowledge/municipalities), else the file there whose top-level `id:` is the id."""
    folder = directory or Path(os.environ.get("STAFF_KNOWLEDGE_DIR") or DEFAULT_KNOWLEDGE)
    named = folder / f"{municipality_id}.yml"
    if named.is_file():
        return named
    for path in sorted(folder.glob("*.y*ml")):
        try:
            with path.open(encoding="utf-8") as stream:
                if any(line.strip() == f"id: {municipality_id}" for line in stream):
                    return path
        except (OSError, UnicodeDecodeError):
            continue
    return None


def _shown(path: Path) -> str:
    """The path as staff would type it: relative to the project folder when inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _add_question(
    tree: Optional[Node], index: int, faq: Faq, language: str, question: str
) -> tuple[Optional[int], bool, tuple[str, ...]]:
    questions = value_node(tree, ("faqs", index, "questions"))
    listed = value_node(tree, ("faqs", index, "questions", language))
    if isinstance(listed, SequenceNode) and listed.flow_style:
        key_column = _key_column(questions)
        items = [*faq.questions.get(language, []), question]
        line = f"{' ' * key_column}{language}: [{', '.join(_quoted(q) for q in items)}]"
        return listed.start_mark.line + 1, True, (line,)
    if isinstance(listed, SequenceNode) and listed.value:
        last = listed.value[-1]
        dash = max(0, last.start_mark.column - 2)
        return last.end_mark.line + 1, False, (f"{' ' * dash}- {_quoted(question)}",)
    if isinstance(questions, MappingNode) and questions.value:
        first_key = questions.value[0][0]
        line = f"{' ' * first_key.start_mark.column}{language}: [{_quoted(question)}]"
        return first_key.start_mark.line, False, (line,)
    return None, False, (f"{language}: [{_quoted(question)}]",)


def _key_column(mapping: Optional[Node]) -> int:
    if isinstance(mapping, MappingNode) and mapping.value:
        return int(mapping.value[0][0].start_mark.column)
    return 4


def _new_faq(
    tree: Optional[Node], topic: Optional[str], language: str, question: str, today: str
) -> tuple[Optional[int], bool, tuple[str, ...]]:
    """A new FAQ after the last one; without a likely topic, the topic line lists the
    choices (validate refuses it until one is chosen)."""
    faqs = value_node(tree, ("faqs",))
    dash, line = 0, None
    if isinstance(faqs, SequenceNode) and faqs.value:
        last = faqs.value[-1]
        dash = max(0, last.start_mark.column - 2)
        line = last.end_mark.line  # the last line of the last FAQ (end_mark is 0-based, exclusive)
    pad = " " * (dash + 2)
    return (
        line,
        False,
        (
            f"{' ' * dash}- id: {(topic or 'new').replace('_', '-')}-new",
            f"{pad}topic: {topic}" if topic else f"{pad}topic:   # one of: {', '.join(TOPICS)}",
            f"{pad}questions:",
            f"{pad}  {language}: [{_quoted(question)}]",
            f"{pad}answer:",
            f'{pad}  {language}: "…"',
            f"{pad}last_reviewed: {today}",
        ),
    )


def _topic(group: Group) -> Optional[str]:
    for intent, _ in Counter(group.intents).most_common():
        if intent in INTENT_TOPICS:
            return INTENT_TOPICS[intent]
    return None


def suggestions(
    grouped: Sequence[Group],
    faqs: Sequence[Faq],
    municipality: Municipality,
    directory: Optional[Path] = None,
    today: Optional[date] = None,
) -> list[Suggestion]:
    """One suggestion per group, for the largest MAX_SUGGESTIONS groups."""
    path = knowledge_file(municipality.id, directory)
    source_file = _shown(path) if path else f"{municipality.id}.yml"
    tree = file_tree(str(path) if path else None)
    found = []
    for group in grouped[:MAX_SUGGESTIONS]:
        language = Counter(group.languages).most_common(1)[0][0]
        topic = _topic(group)
        candidates = [faq for faq in faqs if faq.topic == topic]
        faq, _ = best_faq_scored(candidates, group.example, language, corpus=faqs)
        if faq is not None:
            index = next(i for i, f in enumerate(faqs) if f.id == faq.id)
            line, replace, lines = _add_question(tree, index, faq, language, group.example)
            kind, place = "question", f"faqs → {faq.id} → questions → {language}"
        else:
            line, replace, lines = _new_faq(
                tree, topic, language, group.example, str(today or date.today())
            )
            kind, place = "new_faq", "faqs"
        found.append(
            Suggestion(
                kind=kind,
                question=group.example,
                language=language,
                file=source_file,
                line=line,
                place=place,
                replace=replace,
                lines=lines,
                faq_id=faq.id if faq else None,
            )
        )
    return found
