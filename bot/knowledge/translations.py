"""Which version of the source answer each translation was made from.

A FAQ may carry, per translated language, the source language, a short fingerprint of the
source answer at the time, and the day:

    translated: {uk: en 3f2a9c1d 2026-11-02, ar: en 3f2a9c1d 2026-11-02}

Staff do not write it by hand: `python -m bot knowledge translated kranj housing-rent uk`
records that the uk answer now matches the current en answer. When the en answer changes
later, `validate` warns "uk was translated on 2026-11-02 from an earlier en answer", and the
bot keeps answering with the uk text until someone updates it and runs the command again.
The command edits only that one line of the file; everything else stays as written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

from yaml.nodes import MappingNode, Node, SequenceNode

from bot.knowledge.schema import Faq, Municipality
from bot.knowledge.yamlfile import compose, value_node

FIELD = "translated"


@dataclass(frozen=True)
class Record:
    source: str
    version: str
    day: date

    def __str__(self) -> str:
        return f"{self.source} {self.version} {self.day.isoformat()}"


def version(answer: str) -> str:
    """A short fingerprint of an answer text."""
    return hashlib.sha256(answer.strip().encode("utf-8")).hexdigest()[:8]


def parse_record(value: str) -> Record:
    """A record the schema has checked (`en 3f2a9c1d 2026-11-02`)."""
    source, fingerprint, day = value.split()
    return Record(source, fingerprint, date.fromisoformat(day))


def outdated(faq: Faq) -> list[tuple[str, Record]]:
    """(language, record) of the translations made from a source answer that has changed
    or gone since."""
    stale = []
    for language, raw in faq.translated.items():
        record = parse_record(raw)
        source = faq.answer.get(record.source)
        if source is None or version(source) != record.version:
            stale.append((language, record))
    return stale


def source_language(municipality: Municipality, faq: Faq) -> str:
    """The language translations are made from: the first official language with an
    answer, else English."""
    return next((code for code in municipality.languages if code in faq.answer), "en")


def records(
    municipality: Municipality, faq: Faq, languages: Iterable[str], day: date, source: str
) -> dict[str, str]:
    """The FAQ's translation records with `languages` marked as made from the current
    `source` answer today."""
    updated = dict(faq.translated)
    current = version(faq.answer[source])
    for language in languages:
        if language != source and language in faq.answer:
            updated[language] = str(Record(source, current, day))
    return dict(sorted(updated.items()))


def _faq_node(root: Node | None, faq_id: str) -> MappingNode | None:
    faqs = value_node(root, ("faqs",))
    for item in faqs.value if isinstance(faqs, SequenceNode) else []:
        found = value_node(item, ("id",))
        if isinstance(item, MappingNode) and getattr(found, "value", None) == faq_id:
            return item
    return None


def write_records(path: Path, faq_id: str, values: dict[str, str]) -> None:
    """Set the FAQ's `translated:` line in the file, leaving every other line as it is."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    item = _faq_node(compose(text), faq_id)
    if item is None:
        raise KeyError(faq_id)
    indent = " " * item.value[0][0].start_mark.column
    new_line = f"{indent}{FIELD}: {{{', '.join(f'{k}: {v}' for k, v in values.items())}}}"
    existing = next(((k, v) for k, v in item.value if k.value == FIELD), None)
    if existing is not None:
        first = existing[0].start_mark.line
        end = existing[1].end_mark
        last = end.line - 1 if end.column == 0 else end.line
        lines[first : last + 1] = [new_line]
    else:
        end = item.value[-1][1].end_mark
        at = end.line if end.column == 0 else end.line + 1
        lines.insert(at, new_line)
    path.write_text("\n".join(lines), encoding="utf-8")
