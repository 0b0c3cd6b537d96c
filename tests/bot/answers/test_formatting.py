"""Dates as newcomers read them: weekday and month in full, in the language's own order."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answers.formatting import weekday_date

WEDNESDAY = date(2026, 10, 28)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Wednesday 28 October"),
        ("de", "Mittwoch, 28. Oktober"),
        ("it", "mercoledì 28 ottobre"),  # CLDR's own pattern abbreviates: "mer 28 ott"
        ("fr", "mercredi 28 octobre"),
        ("sl", "sreda, 28. oktober"),
        ("tr", "28 Ekim Çarşamba"),
        ("uk", "середа, 28 жовтня"),  # the month in the genitive, as after a day
        ("ru", "среда, 28 октября"),
        ("ar", "الأربعاء، 28 أكتوبر"),
        ("fa", "چهارشنبه ۲۸ اکتبر"),  # Persian digits
    ],
)
def test_weekday_and_month_in_full(language: str, expected: str) -> None:
    assert weekday_date(WEDNESDAY, language) == expected
