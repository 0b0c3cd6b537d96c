"""Staff tokens: one per municipality and an admin token, from the environment only."""

import logging

from bot.staff.access import Access, Tokens, variable_for

KRANJ = "k" * 20
ADMIN = "a" * 24


def test_tokens_open_what_they_are_for() -> None:
    tokens = Tokens(
        {
            "STAFF_TOKEN_KRANJ": KRANJ,
            "STAFF_ADMIN_TOKEN": ADMIN,
            "STAFF_TOKEN_SANKT_JOHANN": "s" * 16,
        }
    )
    assert tokens.access(KRANJ) == Access(admin=False, municipality="kranj")
    assert tokens.access(KRANJ).may_see("kranj") and not tokens.access(KRANJ).may_see("bolzano")  # type: ignore[union-attr]
    assert tokens.access(ADMIN) == Access(admin=True)
    assert tokens.access("s" * 16) == Access(admin=False, municipality="sankt-johann")
    for wrong in ("", None, KRANJ[:-1], KRANJ + "x", "ä" * 20):
        assert tokens.access(wrong) is None
    assert variable_for("sankt-johann") == "STAFF_TOKEN_SANKT_JOHANN"


def test_short_tokens_are_ignored_with_an_error(caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.ERROR):
        tokens = Tokens({"STAFF_TOKEN_KRANJ": "kranj"})
    assert tokens.access("kranj") is None and not tokens.configured
    assert "STAFF_TOKEN_KRANJ is shorter than 16" in caplog.text
