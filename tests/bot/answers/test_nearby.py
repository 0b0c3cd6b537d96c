"""Messages that ask where the nearest place is (bot/answers/nearby.py), in ten languages, and
messages that only look alike."""

from __future__ import annotations

import pytest

from bot.answers.nearby import asks_for_nearest, asks_the_way


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Where is the nearest German course?", "en"),
        ("a doctor near the market", "en"),
        ("Wo ist der nächste Deutschkurs?", "de"),
        ("Gibt es einen Kurs in meiner Nähe?", "de"),
        ("Dov'è il corso di tedesco più vicino?", "it"),
        ("Où est le cours d'allemand le plus proche ?", "fr"),
        ("un médecin près de chez moi", "fr"),
        ("Kje je najbližji tečaj nemščine?", "sl"),
        ("Где ближайшие курсы немецкого?", "ru"),
        ("Де найближчі курси німецької?", "uk"),
        ("أين أقرب دورة لغة ألمانية؟", "ar"),
        ("نزدیک‌ترین کلاس آلمانی کجاست؟", "fa"),
        ("En yakın Almanca kursu nerede?", "tr"),
    ],
)
def test_asking_for_the_nearest_place(text: str, language: str) -> None:
    assert asks_for_nearest(text, language, {})


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("How do I register my address?", "en"),
        ("Was muss ich nächste Woche mitbringen?", "de"),  # next week, not the nearest
        ("Il mio vicino dice che devo registrarmi", "it"),  # a neighbour, not nearness
        ("Yakın zamanda taşındım, nasıl kayıt olurum?", "tr"),  # recently
        ("Сколько стоит курс?", "ru"),
    ],
)
def test_questions_that_only_look_alike(text: str, language: str) -> None:
    assert not asks_for_nearest(text, language, {})


def test_a_shared_location_asks_for_the_nearest() -> None:
    shared = {"location": {"lat": 47.41, "lon": 9.74}}
    assert asks_for_nearest("German course", "en", shared)
    assert not asks_for_nearest("German course", "en", {})


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("how do I get there?", "en"),
        ("Wie komme ich dahin?", "de"),
        ("come ci arrivo?", "it"),
        ("Comment y aller ?", "fr"),
        ("Kako pridem tja?", "sl"),
        ("Как туда добраться?", "ru"),
        ("Як туди дістатися?", "uk"),
        ("كيف أصل إلى هناك؟", "ar"),
        ("چطور برم اونجا؟", "fa"),
        ("Oraya nasıl giderim?", "tr"),
    ],
)
def test_asking_the_way(text: str, language: str) -> None:
    assert asks_the_way(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [("how do I get a flat?", "en"), ("Wie komme ich zu einer Wohnung?", "de")],
)
def test_questions_that_are_not_the_way(text: str, language: str) -> None:
    assert not asks_the_way(text, language)
