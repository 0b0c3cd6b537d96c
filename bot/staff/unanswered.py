"""Questions the bot could not answer well, per municipality, for its staff.

Recorded by the actions when the bot did not understand (`not_understood`), the question was
out of scope (`out_of_scope`), the municipality has nothing on it (`nothing_found`), or the
best FAQ matched it only weakly (`weak_match`, bot/answers/faq.py; answered all the same):
the scrubbed text (bot/staff/scrub.py), its language, the likely intents and the day. No
sender id and no time of day, so records cannot be linked to a conversation or to each
other. They are deleted with the conversations after the privacy retention
(`python -m bot privacy purge`).

`groups` puts similar questions together (character n-gram similarity), with counts and
languages, the most frequent first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Sequence

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.knowledge.models import UnansweredRow
from bot.staff import records
from bot.staff.scrub import scrub
from bot.text import normalise

REASONS = ("not_understood", "out_of_scope", "nothing_found", "weak_match")
SIMILAR = 0.5  # cosine of character 2-4-grams for two questions to share a group
_NGRAMS = HashingVectorizer(
    analyzer="char_wb", ngram_range=(2, 4), n_features=2**18, alternate_sign=False
)


@dataclass
class Group:
    """Similar questions: how many, in which languages, why unanswered, one example."""

    example: str
    count: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)
    intents: dict[str, int] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    last_day: date | None = None


def record(
    engine: Engine,
    municipality_id: str,
    language: str,
    text: str,
    reason: str,
    intents: Sequence[str] = (),
    day: date | None = None,
) -> None:
    """Keep one unanswered question; a failure is logged, never raised (the newcomer's
    answer matters more than the record)."""
    kept = scrub(text)
    if not kept or reason not in REASONS:
        return
    row = UnansweredRow(
        municipality_id=municipality_id,
        day=day or date.today(),
        language=language,
        reason=reason,
        intents=",".join(intents)[:255],
        text=kept,
    )
    records.keep(engine, row, "An unanswered question")


def rows(engine: Engine, municipality_id: str, since: date | None = None) -> list[UnansweredRow]:
    """The municipality's records, newest first."""
    query = select(UnansweredRow).where(UnansweredRow.municipality_id == municipality_id)
    if since is not None:
        query = query.where(UnansweredRow.day >= since)
    with Session(engine) as session:
        return list(session.scalars(query.order_by(UnansweredRow.day.desc())))


def groups(records: Iterable[UnansweredRow], similar: float = SIMILAR) -> list[Group]:
    """Similar questions together (each joins the group whose first question is most
    similar, if similar enough), the largest groups first. One similarity matrix of all
    the questions, so a thousand take some 50 ms."""
    records = list(records)
    if not records:
        return []
    texts = [normalise(r.text) or r.text for r in records]
    # hashed n-gram counts, no vocabulary to build: the same groups as TF-IDF on the
    # tests' questions at a third of the cost (the page's main view, `make bench`)
    vectors = _NGRAMS.transform(texts)
    similarity = (vectors @ vectors.T).toarray()  # rows are L2-normalised: cosines
    leaders: list[int] = []
    found: list[Group] = []
    for index, row in enumerate(records):
        best = None
        if leaders:
            scores = similarity[index, leaders]
            best = int(np.argmax(scores))
        if best is None or scores[best] < similar:
            leaders.append(index)
            found.append(Group(example=row.text))
            best = len(found) - 1
        group = found[best]
        group.count += 1
        group.languages[row.language] = group.languages.get(row.language, 0) + 1
        group.reasons[row.reason] = group.reasons.get(row.reason, 0) + 1
        for intent in filter(None, row.intents.split(",")[:1]):
            group.intents[intent] = group.intents.get(intent, 0) + 1
        group.texts.append(row.text)
        group.last_day = max(filter(None, [group.last_day, row.day]))
    return sorted(found, key=lambda g: (-g.count, g.example))


def purge(engine: Engine, older_than_days: int, today: date | None = None) -> int:
    """Delete the records older than the retention; how many went."""
    return records.purge(engine, UnansweredRow, older_than_days, today)
