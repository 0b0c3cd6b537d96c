"""Long texts in pieces: within the limit, nothing lost, no word or line cut."""

from __future__ import annotations

import random

import pytest

from bot.channels.splitting import split_text, utf16_length

ADDRESS = "Integrationsbüro, Rathausplatz 2, 6850 Dornbirn"


def words(text: str) -> list[str]:
    return text.split()


def test_a_short_text_is_one_piece() -> None:
    assert split_text("  Hallo  ", 4096) == ["Hallo"]
    assert split_text("", 4096) == []


def test_a_five_thousand_character_answer_keeps_every_word_and_line() -> None:
    lines = [f"{n}. {ADDRESS}, Mo–Fr 8:00–12:00 · https://www.dornbirn.at/s/{n}" for n in range(80)]
    text = "Wo Sie Hilfe finden:\n" + "\n".join(lines)
    assert len(text) > 5000
    pieces = split_text(text, 4096)
    assert len(pieces) == 2
    assert all(utf16_length(piece) <= 4096 for piece in pieces)
    assert "\n".join(pieces) == text, "cut only at a line break, nothing lost"


def test_a_paragraph_without_line_breaks_is_cut_after_a_sentence() -> None:
    sentence = "Die Integrationsstelle hilft Ihnen beim Lesen eines Mietvertrags. "
    text = (sentence * 80).strip()
    pieces = split_text(text, 1000)
    assert all(len(piece) <= 1000 for piece in pieces)
    assert all(piece.endswith(".") for piece in pieces)
    assert words(" ".join(pieces)) == words(text)


def test_a_paragraph_break_is_preferred_in_the_second_half() -> None:
    first, second = "a " * 300, "b " * 300
    pieces = split_text(f"{first.strip()}\n\n{second.strip()}", 1000)
    assert pieces == [first.strip(), second.strip()]


def test_a_boundary_right_at_the_limit_is_used() -> None:
    assert split_text("abcd efgh", 4) == ["abcd", "efgh"]


def test_emoji_count_twice_as_the_messengers_count() -> None:
    text = "👍" * 10
    pieces = split_text(text, 8)
    assert [utf16_length(piece) for piece in pieces] == [8, 8, 4]
    assert "".join(pieces) == text


def test_only_a_word_longer_than_the_limit_is_cut() -> None:
    link = "https://example.org/" + "x" * 50
    pieces = split_text(f"see {link} now", 30)
    assert all(len(piece) <= 30 for piece in pieces)
    assert "".join(pieces).replace(" ", "") == f"see{link}now"


@pytest.mark.parametrize("seed", range(20))
def test_random_texts_in_many_languages_lose_nothing(seed: int) -> None:
    rng = random.Random(seed)
    vocabulary = ["Wohnung", "житло", "مسكن", "اجاره‌ای", "konut", "stanovanje", "👍", "9:00–12:00"]
    separators = [" ", " ", " ", "\n", "\n\n", ". "]
    text = "".join(rng.choice(vocabulary) + rng.choice(separators) for _ in range(700))
    limit = rng.choice([50, 300, 1024, 4096])
    pieces = split_text(text, limit)
    assert all(0 < utf16_length(piece) <= limit for piece in pieces)
    assert words(" ".join(pieces)) == words(text)
