"""'Did this help?' answers: short tokens, counted per answer and language, no sender."""

from datetime import date, timedelta

from sqlalchemy import inspect

from bot.knowledge.db import make_engine
from bot.knowledge.repository import KnowledgeRepository
from bot.staff.feedback import kind_of, purge, record, subject_of, tallies, token

DAY = date(2026, 12, 1)


def test_tokens_fit_telegram_and_find_the_answer_again(kb: KnowledgeRepository) -> None:
    for kind, items in (("faq", kb.faqs("kranj")), ("service", kb.services("kranj"))):
        ids = [item.id for item in items]
        for item in items:
            answer = token(kind, item.id)
            assert len(answer) == 11
            assert kind_of(answer) == kind
            assert subject_of(answer, kind, ids) == item.id
    assert subject_of(token("faq", "no-such-faq"), "faq", ["housing"]) is None
    assert kind_of("x123") is None
    assert kind_of("") is None


def test_counted_per_answer_and_language_without_sender(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'k.db'}")
    for language, helpful in (("de", True), ("de", False), ("ar", True), ("ar", True)):
        record(engine, "kranj", "faq", "housing-rent", language, helpful, DAY)
    record(engine, "kranj", "service", "zd-kranj", "uk", False, DAY)
    record(engine, "bolzano", "faq", "housing-rent", "it", True, DAY)
    found = tallies(engine, "kranj")
    assert [(t.kind, t.subject, t.yes, t.no) for t in found] == [
        ("faq", "housing-rent", 3, 1),
        ("service", "zd-kranj", 0, 1),
    ]
    assert found[0].languages == {"de": (1, 1), "ar": (2, 0)}
    columns = {c["name"] for c in inspect(engine).get_columns("answer_feedback")}
    assert not columns & {"sender_id", "sender", "conversation", "timestamp"}


def test_purged_after_the_retention(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'k.db'}")
    record(engine, "kranj", "faq", "old", "de", True, DAY - timedelta(days=40))
    record(engine, "kranj", "faq", "new", "de", True, DAY - timedelta(days=5))
    assert purge(engine, 30, today=DAY) == 1
    assert [t.subject for t in tallies(engine, "kranj")] == ["new"]
