"""The glossary check: one word for one thing per language (bot/locales/glossary.yml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.knowledge.problems import Problem
from bot.locales.catalog import CATALOG_DIR
from bot.text import normalise

GLOSSARY_FILE = CATALOG_DIR / "glossary.yml"


@dataclass(frozen=True)
class Term:
    use: str
    avoid: tuple[str, ...]


@cache
def terms(path: Path = GLOSSARY_FILE) -> dict[str, tuple[Term, ...]]:
    """language -> its terms."""
    if not path.exists():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        code: tuple(Term(str(t["use"]), tuple(str(a) for a in t.get("not") or ())) for t in items)
        for code, items in raw.items()
    }


def conflicts(text: str, language: str) -> list[tuple[Term, str]]:
    """(term, the avoided word found) for each term whose avoided words the text uses."""
    found = []
    normalised = f" {normalise(text)} "
    for term in terms().get(language, ()):
        for word in term.avoid:
            if re.search(rf"(?<!\w){re.escape(normalise(word))}", normalised):
                found.append((term, word))
                break
    return found


def message(term: Term, word: str) -> str:
    return (
        f"uses '{word}'; the glossary (bot/locales/glossary.yml) says '{term.use}': one word "
        "for one thing"
    )


def catalog_problems(directory: Path = CATALOG_DIR) -> list[Problem]:
    """Glossary warnings for the wording catalogs, at their line."""
    problems = []
    for code, code_terms in terms().items():
        path = directory / f"{code}.yml"
        if not path.exists() or not code_terms:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            for term, word in conflicts(line, code):
                found = Problem(path, number, 1, "(catalog)", message(term, word), "warning")
                problems.append(found)
    return problems
