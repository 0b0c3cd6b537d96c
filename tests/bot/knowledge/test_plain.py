"""The plain-language check: long sentences and long answers are named with their place."""

from pathlib import Path

from bot.knowledge.plain import (
    MAX_ANSWER_WORDS,
    catalog_problems,
    long_sentences,
    messages,
    sentences,
    words,
)

LONG = " ".join(["word"] * 26) + "."


def test_words_and_sentences_in_three_scripts() -> None:
    assert words("Bring your passport, the rental contract and 2 photos.") == 9
    assert words("Принесіть паспорт і договір оренди.") == 5
    assert words("جواز السفر وعقد الإيجار.") == 4
    assert sentences("One. Two?\n- three\n\n- four") == ["One.", "Two?", "- three", "- four"]


def test_a_sentence_over_25_words_is_named_with_its_start() -> None:
    assert long_sentences(f"Short one. {LONG}") == [(LONG, 26)]
    [message] = messages(f"Short one. {LONG}", MAX_ANSWER_WORDS)
    assert "26 words" in message and "'word word word" in message and "split it" in message
    assert messages(" ".join(["word"] * 25) + ".", MAX_ANSWER_WORDS) == []


def test_an_answer_over_the_word_count_is_named() -> None:
    answer = " ".join(["Short sentence of five words."] * 25)  # 125 words
    [message] = messages(answer, MAX_ANSWER_WORDS)
    assert message.startswith("125 words; keep it to 120 or fewer")


def test_catalog_lines_are_located(tmp_path: Path) -> None:
    catalog = tmp_path / "xx.yml"
    catalog.write_text(
        f'responses:\n  utter_a:\n    - text: "Fine."\n  utter_b:\n    - text: "{LONG}"\n',
        encoding="utf-8",
    )
    [problem] = catalog_problems([catalog])
    assert (problem.line, problem.severity) == (5, "warning")
    assert "26 words" in problem.message


def test_validate_warns_on_a_long_answer_in_a_broken_copy(tmp_path: Path) -> None:
    import yaml

    from bot import PROJECT_DIR
    from bot.knowledge.loader import load_paths

    sample = PROJECT_DIR / "knowledge" / "municipalities" / "kranj.yml"
    data = yaml.safe_load(sample.read_text(encoding="utf-8"))
    data["faqs"][0]["answer"]["en"] = LONG
    broken = tmp_path / "kranj.yml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    found = [p for p in load_paths([broken]).problems if p.field == "faqs[0].answer.en"]
    found = [p for p in found if "a sentence of 26 words" in p.message]
    assert [p.severity for p in found] == ["warning"]
    assert found[0].line > 1
