"""Which pages may open the widget's socket, per profile."""

from __future__ import annotations

import pytest

from bot.channels.origins import OriginPolicy, OriginsNotConfiguredError

OWN = {"HTTP_HOST": "bot.example.org"}


def test_embedded_default_allows_only_this_machine() -> None:
    policy = OriginPolicy.from_environment({})
    assert policy.allows("http://localhost:5005")
    assert policy.allows("http://127.0.0.1:8080")
    assert policy.allows("http://[::1]:5005")
    assert not policy.allows("https://evil.example.com")
    assert not policy.allows("http://localhost.evil.example.com")
    assert not policy.allows("file://localhost")


def test_configured_origins_and_the_bots_own_pages() -> None:
    policy = OriginPolicy.from_environment(
        {"WIDGET_ALLOWED_ORIGINS": "https://www.kranj.si/, https://kranj.si"}
    )
    assert policy.allows("https://www.kranj.si")
    assert policy.allows("https://kranj.si")
    assert policy.allows("https://bot.example.org", OWN), "the demo page the bot serves"
    assert not policy.allows("http://localhost:5005"), "no localhost once origins are named"
    assert not policy.allows("https://www.kranj.si.evil.example.com")


@pytest.mark.parametrize("configured", ["", "https://www.kranj.si", "*", "null"])
def test_null_origin_is_never_allowed(configured: str) -> None:
    policy = OriginPolicy.from_environment({"WIDGET_ALLOWED_ORIGINS": configured})
    assert not policy.allows("null")
    assert not policy.allows("null", {"HTTP_HOST": "null"})
    assert not policy.allows(None)


@pytest.mark.parametrize("value", [None, "", " , ", "null"])
def test_production_refuses_to_start_without_origins(value: str | None) -> None:
    environ = {"WELCOME_PROFILE": "production"}
    if value is not None:
        environ["WIDGET_ALLOWED_ORIGINS"] = value
    with pytest.raises(OriginsNotConfiguredError, match="WIDGET_ALLOWED_ORIGINS=https://"):
        OriginPolicy.from_environment(environ)


def test_production_with_origins_starts() -> None:
    environ = {"WELCOME_PROFILE": "production", "WIDGET_ALLOWED_ORIGINS": "https://kranj.si"}
    assert OriginPolicy.from_environment(environ).allows("https://kranj.si")
