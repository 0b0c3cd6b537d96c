from bot.language.registry import settings, supported_codes


def test_ten_languages_listed_once() -> None:
    codes = supported_codes()
    assert set(codes) >= {"de", "it", "sl", "fr", "en", "uk", "ru", "ar", "fa", "tr"}
    assert len(codes) == len(set(codes))


def test_right_to_left_languages() -> None:
    rtl = {lang.code for lang in settings().languages if lang.direction == "rtl"}
    assert rtl == {"ar", "fa"}
