"""Per-language wording catalogs, merged with the reference responses of domain.yml.

A catalog gives, for every response name, the texts and button titles in its language.
Button payloads always come from domain.yml, so a translator cannot break a button.
"""

from __future__ import annotations

import copy
import logging
from functools import cache, lru_cache
from typing import Any

import yaml

from bot import PACKAGE_DIR
from bot.language.registry import settings
from bot.text import normalise

logger = logging.getLogger(__name__)

CATALOG_DIR = PACKAGE_DIR / "locales"

Responses = dict[str, list[dict[str, Any]]]


@cache
def load_catalog(code: str) -> dict[str, Any]:
    """Read bot/locales/<code>.yml (cached per process)."""
    path = CATALOG_DIR / f"{code}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if data.get("language") != code:
        raise ValueError(f"{path}: 'language' must be {code!r}")
    return data


def _localise_variation(reference: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    variation = copy.deepcopy(reference)
    variation["text"] = entry["text"]
    titles = entry.get("buttons") or []
    for button, title in zip(variation.get("buttons", []), titles, strict=False):
        button["title"] = title
    return variation


def localised_responses(reference: Responses, code: str) -> Responses:
    """Return the reference responses with texts and button titles in language `code`."""
    catalog = load_catalog(code).get("responses", {})
    result: Responses = {}
    for name, variations in reference.items():
        entries = catalog.get(name)
        if not entries:
            logger.warning("Response %s has no %s wording; using domain.yml.", name, code)
            result[name] = copy.deepcopy(variations)
            continue
        result[name] = [_localise_variation(variations[0], entry) for entry in entries]
    return result


def phrase(code: str, key: str, **values: Any) -> str:
    """A piece of wording from the catalog's `phrases`, filled in; English if missing."""
    template = load_catalog(code).get("phrases", {}).get(key)
    if template is None:
        logger.warning("Phrase %s has no %s wording; using the default language.", key, code)
        template = load_catalog(settings().default).get("phrases", {})[key]
    return str(template).format(**values)


@lru_cache(maxsize=1)
def language_name_index() -> dict[str, str]:
    """Map every way of naming a supported language (in any catalog) to its code."""
    index: dict[str, str] = {}
    for language in settings().languages:
        # Names only, never bare codes: "en" is a French word, "it" an English one.
        index[normalise(language.name)] = language.code
        names = load_catalog(language.code).get("language_names", {})
        for target, spellings in names.items():
            for spelling in spellings or []:
                index[normalise(str(spelling))] = target
    return index
