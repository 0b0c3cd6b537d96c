"""The staff page's wording, from bot/locales/staff/<code>.yml; a key missing in a language
falls back to English (the datacheck reports it)."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from bot.locales.catalog import CATALOG_DIR

STAFF_DIR = CATALOG_DIR / "staff"
DEFAULT = "en"


@cache
def _load(code: str) -> dict[str, str]:
    path = STAFF_DIR / f"{code}.yml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in (data.get("staff") or {}).items()}


def texts(code: str) -> dict[str, str]:
    """Every key of the page in `code`, English where the language lacks one."""
    return {**_load(DEFAULT), **_load(code)}


def text(code: str, key: str, **values: Any) -> str:
    return texts(code)[key].format(**values)
