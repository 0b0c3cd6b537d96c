"""Unanswered questions are kept per municipality without a sender, grouped, and purged."""

from datetime import date, timedelta

from sqlalchemy import inspect

from bot.knowledge.db import make_engine
from bot.staff.unanswered import groups, purge, record, rows

DAY = date(2026, 12, 1)


def _engine(tmp_path):  # type: ignore[no-untyped-def]
    return make_engine(f"sqlite:///{tmp_path / 'k.db'}")


def test_records_keep_no_sender_and_no_personal_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = _engine(tmp_path)
    record(
        engine,
        "kranj",
        "de",
        "Wo kaufe ich ein Auto? Ruf mich an: 0664 1234567",
        "out_of_scope",
        ["out_of_scope", "ask_jobs"],
        DAY,
    )
    record(engine, "bolzano", "it", "dove compro una macchina", "out_of_scope", [], DAY)
    kept = rows(engine, "kranj")
    assert [(r.text, r.language, r.reason, r.intents) for r in kept] == [
        (
            "Wo kaufe ich ein Auto? Ruf mich an: [number]",
            "de",
            "out_of_scope",
            "out_of_scope,ask_jobs",
        )
    ]
    columns = {c["name"] for c in inspect(engine).get_columns("unanswered_questions")}
    assert not columns & {"sender_id", "sender", "conversation", "timestamp"}


def test_an_unknown_reason_or_empty_text_is_not_kept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = _engine(tmp_path)
    record(engine, "kranj", "de", "hallo", "because", [], DAY)
    record(engine, "kranj", "de", "123 456", "not_understood", [], DAY)  # "[number]" stays
    record(engine, "kranj", "de", "   ", "not_understood", [], DAY)
    assert [r.text for r in rows(engine, "kranj")] == ["[number]"]


def test_similar_questions_are_grouped_with_counts_and_languages(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = _engine(tmp_path)
    for text, language in [
        ("wo kann ich ein Auto kaufen", "de"),
        ("wo kann ich ein Auto kaufen?", "de"),
        ("Wo kann ich ein auto kaufen bitte", "de"),
        ("where can i buy a car", "en"),
        ("where can I buy a car?", "en"),
        ("hunde erlaubt in der wohnung", "de"),
    ]:
        record(engine, "kranj", language, text, "out_of_scope", ["out_of_scope"], DAY)
    found = groups(rows(engine, "kranj"))
    assert [(g.count, g.languages) for g in found] == [
        (3, {"de": 3}),
        (2, {"en": 2}),
        (1, {"de": 1}),
    ]
    assert found[0].reasons == {"out_of_scope": 3}
    assert found[0].last_day == DAY


def test_purge_deletes_what_is_older_than_the_retention(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = _engine(tmp_path)
    record(engine, "kranj", "de", "alt", "not_understood", [], DAY - timedelta(days=31))
    record(engine, "kranj", "de", "neu", "not_understood", [], DAY - timedelta(days=29))
    assert purge(engine, 30, today=DAY) == 1
    assert [r.text for r in rows(engine, "kranj")] == ["neu"]
