from bot.language.registry import settings, supported_codes


def test_ten_languages_listed_once() -> None:
    codes = supported_codes()
    assert set(codes) >= {"de", "it", "sl", "fr", "en", "uk", "ru", "ar", "fa", "tr"}
    assert len(codes) == len(set(codes))


def test_right_to_left_languages() -> None:
    rtl = {lang.code for lang in settings().languages if lang.direction == "rtl"}
    assert rtl == {"ar", "fa"}


def test_scripts_letters_and_name_forms_are_data() -> None:
    """What bot/language/scripts.py and bot/answers/municipality.py need of a language
    comes from languages.yml, so adding one needs no code."""
    russian = settings().get("ru")
    assert russian is not None and russian.scripts == ("cyrillic", "latin")
    assert "ы" in russian.letters and "е" in russian.name_endings
    arabic = settings().get("ar")
    assert arabic is not None and "ب" in arabic.prefixes
    assert all(lang.scripts for lang in settings().languages)
