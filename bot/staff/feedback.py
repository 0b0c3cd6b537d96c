"""Answers to "Did this help? 👍 👎", counted per FAQ or service and per language.

The buttons carry a short token of what was answered (`token`): Telegram allows 64 bytes of
button data, and a FAQ or service id may be 64 characters long. The action finds the FAQ or
service again among the municipality's (`kind_of`, `subject_of`). A record holds the
municipality, the kind and id of the answer, the language, yes or no, and the day: no
sender id and no time of day. Records are purged with the unanswered questions after the
privacy retention.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.knowledge.models import FeedbackRow
from bot.staff import records

KINDS = {"f": "faq", "s": "service"}


def token(kind: str, subject: str) -> str:
    """'f3fa9c1d2e0' for a FAQ, 's…' for a service: the kind's letter and 10 hex digits."""
    letter = next(k for k, v in KINDS.items() if v == kind)
    return letter + hashlib.sha1(subject.encode("utf-8")).hexdigest()[:10]


def kind_of(answer_token: str) -> str | None:
    """'faq' or 'service' for a token, None for anything else."""
    return KINDS.get(answer_token[:1])


def subject_of(answer_token: str, kind: str, ids: Iterable[str]) -> str | None:
    """The id among `ids` (the municipality's FAQs or services) the token stands for."""
    return next((i for i in ids if token(kind, i) == answer_token), None)


def record(
    engine: Engine,
    municipality_id: str,
    kind: str,
    subject: str,
    language: str,
    helpful: bool,
    day: date | None = None,
) -> None:
    """Count one answer; a failure is logged, never raised."""
    row = FeedbackRow(
        municipality_id=municipality_id,
        day=day or date.today(),
        language=language,
        kind=kind,
        subject=subject,
        helpful=helpful,
    )
    records.keep(engine, row, "Feedback")


@dataclass
class Tally:
    """How one FAQ or service was rated: yes and no, in all and per language."""

    kind: str
    subject: str
    yes: int = 0
    no: int = 0
    languages: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.yes + self.no


def tallies(engine: Engine, municipality_id: str) -> list[Tally]:
    """The municipality's ratings per answer, the most rated first (counted in the
    database, so it stays fast with many records)."""
    query = (
        select(
            FeedbackRow.kind,
            FeedbackRow.subject,
            FeedbackRow.language,
            FeedbackRow.helpful,
            func.count(),
        )
        .where(FeedbackRow.municipality_id == municipality_id)
        .group_by(FeedbackRow.kind, FeedbackRow.subject, FeedbackRow.language, FeedbackRow.helpful)
    )
    found: dict[tuple[str, str], Tally] = {}
    with Session(engine) as session:
        for kind, subject, language, helpful, count in session.execute(query):
            tally = found.setdefault((kind, subject), Tally(kind, subject))
            yes, no = tally.languages.get(language, (0, 0))
            if helpful:
                tally.yes += count
                tally.languages[language] = (yes + count, no)
            else:
                tally.no += count
                tally.languages[language] = (yes, no + count)
    return sorted(found.values(), key=lambda t: (-t.total, t.kind, t.subject))


def purge(engine: Engine, older_than_days: int, today: date | None = None) -> int:
    """Delete the records older than the retention; how many went."""
    return records.purge(engine, FeedbackRow, older_than_days, today)
