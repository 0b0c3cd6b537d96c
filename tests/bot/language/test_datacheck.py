"""Every supported language has its training data, held-out data and full wording."""

import pytest

from bot.language.datacheck import check
from bot.language.registry import supported_codes


@pytest.mark.parametrize("code", supported_codes())
def test_language_data_is_complete(code: str) -> None:
    assert check(code) == []


def test_no_example_has_different_intents_in_different_languages() -> None:
    from bot.language.datacheck import cross_language_conflicts

    assert cross_language_conflicts() == []
