import pytest

from bot.language.requests import requested_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("English please", "en"),
        ("auf Deutsch bitte", "de"),
        ("по-английски", "en"),
        ("italiano", "it"),
        ("العربية", "ar"),
        ("türkçe", "tr"),
    ],
)
def test_named_language_is_found(text: str, language: str) -> None:
    assert requested_language(text) == language


def test_two_languages_are_ambiguous() -> None:
    assert requested_language("english or deutsch") is None


def test_no_language_named() -> None:
    assert requested_language("where is the job centre") is None


def test_prepositions_that_equal_codes_do_not_count() -> None:
    assert requested_language("Vous pouvez m'écrire en italien, s'il vous plaît ?") == "it"
    assert requested_language("can you write it in german") == "de"
