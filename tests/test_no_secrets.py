"""No secret is committed: configuration names environment variables, never values."""

from __future__ import annotations

import re
import subprocess

import yaml

from bot import PROJECT_DIR

SECRET_PATTERNS = {
    "Telegram bot token": re.compile(r"\b\d{8,10}:[A-Za-z0-9_-]{35}\b"),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    # the docs' placeholder `user:password@` is allowed, any other literal password is not
    "password in a URL": re.compile(
        r"(?:postgres(?:ql)?|redis)://[^\s:/@]+:(?!password@)[^\s@${}]+@"
    ),
}


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    return [name for name in listed.stdout.splitlines() if not name.endswith((".png", ".gz"))]


def test_no_tokens_keys_or_passwords_in_tracked_files() -> None:
    found = []
    for name in tracked_files():
        path = PROJECT_DIR / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        found += [f"{name}: {kind}" for kind, rx in SECRET_PATTERNS.items() if rx.search(text)]
    assert found == []


def test_production_endpoints_take_every_connection_value_from_the_environment() -> None:
    endpoints = yaml.safe_load((PROJECT_DIR / "endpoints.production.yml").read_text())
    for section in ("tracker_store", "lock_store", "action_endpoint"):
        values = {k: v for k, v in endpoints[section].items() if k not in ("type", "dialect")}
        tuning = ("key_prefix", "recent_events", "cached_conversations")  # not connections
        literal = {k: v for k, v in values.items() if k not in tuning and "${" not in str(v)}
        assert literal == {}, f"{section} has literal values: {literal}"
