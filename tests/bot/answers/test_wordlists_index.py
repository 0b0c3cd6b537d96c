"""The word-list index narrows where to look and nothing else: for every list, language and
message (real ones from the test sets, and the same with typos), it finds exactly what a
scan of every entry at every word finds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from bot import PROJECT_DIR
from bot.answers.wordlists import _index, _matches, entries, latin_entries, words_of
from bot.language.registry import supported_codes
from bot.locales import catalog


def _messages(code: str) -> list[str]:
    found: list[str] = []
    for folder in ("nlu", "realistic"):
        path = PROJECT_DIR / "tests" / "data" / folder / f"{code}.yml"
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in raw.get("nlu", []):
            found += [line[2:] for line in block["examples"].splitlines() if line.startswith("- ")]
        found += [item["text"] for item in raw.get("items", [])]
    return found


def _with_typos(text: str, seed: int) -> str:
    chance = random.Random(seed)
    letters = list(text)
    for _ in range(2):
        if len(letters) > 3:
            where = chance.randrange(len(letters) - 1)
            letters[where], letters[where + 1] = letters[where + 1], letters[where]
    return "".join(letters)


def _lists(code: str) -> list[tuple[Path, str, tuple[str, ...]]]:
    found = []
    for folder in ("categories", "filters"):
        for path in [
            catalog.CATALOG_DIR / folder / f"{c}.yml" for c in dict.fromkeys((code, "en"))
        ]:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for top, keys in raw.items():
                if isinstance(keys, dict):
                    found.append((path, top, tuple(keys)))
    return found


@pytest.mark.parametrize("code", supported_codes())
def test_the_index_finds_what_a_full_scan_finds(code: str) -> None:
    messages = random.Random(code).sample(_messages(code), 40)
    messages += [_with_typos(m, n) for n, m in enumerate(messages)]
    checked = 0
    for path, top, keys in _lists(code):
        for latin in (False, True):
            every = latin_entries(path, top, keys) if latin else entries(path, top, keys)
            index = _index(path, top, keys, latin)
            for message in messages:
                words = words_of(message)
                for typos in (False, True):
                    expected = [e for e in every if _matches(e, words, typos)]
                    assert index.found(words, typos) == expected, (path.name, message, typos)
                    checked += 1
    assert checked > 300
