"""Check one language's training data, held-out data and wording catalog.

Usage: python -m bot.language.datacheck <code>
Prints problems and exits 1 if there are any. The test suite runs the same checks
for every supported language (tests/bot/language/test_datacheck.py).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from bot import PROJECT_DIR as ROOT
from bot.language.registry import supported_codes

MIN_TRAIN = 15
MIN_TEST = 10
# Intents only a button sends (its payload, e.g. `/feedback{...}`): nobody types them, so
# they have no examples to learn from.
BUTTON_ONLY = frozenset({"feedback", "counter_card"})


def _examples(path: Path, code: str, problems: list[str]) -> dict[str, list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for block in data.get("nlu", []):
        intent = block["intent"]
        if (block.get("metadata") or {}).get("language") != code:
            problems.append(f"{path}: intent {intent}: metadata.language must be {code}")
        lines = [ln.strip() for ln in block["examples"].splitlines() if ln.strip()]
        texts = [ln[2:].strip() for ln in lines if ln.startswith("- ")]
        for text in texts:
            if re.search(r"\]\(|\]\{", text):
                problems.append(f"{path}: {intent}: no entity annotations please: {text}")
        found.setdefault(intent, []).extend(texts)
    return found


def check(code: str) -> list[str]:
    problems: list[str] = []
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = [intent for intent in domain["intents"] if intent not in BUTTON_ONLY]
    train = _examples(ROOT / "data/nlu" / f"{code}.yml", code, problems)
    test = _examples(ROOT / "tests/data/nlu" / f"{code}.yml", code, problems)
    seen: dict[str, str] = {}
    for intent in intents:
        n_train, n_test = len(train.get(intent, [])), len(test.get(intent, []))
        if n_train < MIN_TRAIN:
            problems.append(f"train {intent}: {n_train} examples, need {MIN_TRAIN}+")
        if n_test < MIN_TEST:
            problems.append(f"test {intent}: {n_test} examples, need {MIN_TEST}+")
        for text in train.get(intent, []):
            key = text.lower()
            if key in seen and seen[key] != intent:
                problems.append(f"'{text}' is in both {seen[key]} and {intent}")
            seen[key] = intent
    train_all = {t.lower() for texts in train.values() for t in texts}
    for intent, texts in test.items():
        for text in texts:
            if text.lower() in train_all:
                problems.append(f"test {intent}: '{text}' is also in the training data")
    catalog = yaml.safe_load((ROOT / "bot/locales" / f"{code}.yml").read_text(encoding="utf-8"))
    responses = catalog.get("responses", {})
    for name, variations in domain["responses"].items():
        if name not in responses:
            problems.append(f"catalog: {name} missing")
            continue
        ref, got = variations[0], responses[name][0]
        if set(re.findall(r"{(\w+)}", ref["text"])) != set(re.findall(r"{(\w+)}", got["text"])):
            problems.append(f"catalog: {name}: placeholders differ from domain.yml")
        if len(ref.get("buttons", [])) != len(got.get("buttons", [])):
            problems.append(f"catalog: {name}: need {len(ref.get('buttons', []))} button titles")
    reference = yaml.safe_load((ROOT / "bot/locales/en.yml").read_text(encoding="utf-8"))
    phrases = catalog.get("phrases", {})
    for key, template in reference.get("phrases", {}).items():
        if key not in phrases:
            problems.append(f"catalog: phrases.{key} missing")
        elif set(re.findall(r"{(\w+)}", template)) != set(re.findall(r"{(\w+)}", phrases[key])):
            problems.append(f"catalog: phrases.{key}: placeholders differ from en.yml")
    problems += _staff_wording(code)
    names = catalog.get("language_names", {})
    for other in supported_codes():
        if not names.get(other):
            problems.append(f"catalog: language_names.{other} missing")
    return problems


def _staff_wording(code: str) -> list[str]:
    """The staff page's wording (bot/locales/staff/<code>.yml): every key of en.yml, with
    the same placeholders."""
    folder = ROOT / "bot/locales/staff"
    path = folder / f"{code}.yml"
    if not path.exists():
        return [f"staff page: {path.relative_to(ROOT)} missing"]
    reference = yaml.safe_load((folder / "en.yml").read_text(encoding="utf-8"))["staff"]
    found = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("staff") or {}
    problems = []
    for key, template in reference.items():
        if key not in found:
            problems.append(f"staff page: {key} missing")
        elif set(re.findall(r"{(\w+)}", template)) != set(re.findall(r"{(\w+)}", found[key])):
            problems.append(f"staff page: {key}: placeholders differ from en.yml")
    return problems


def cross_language_conflicts() -> list[str]:
    """Examples labelled with different intents in different languages (one model learns all)."""
    labels: dict[str, set[tuple[str, str]]] = {}
    for code in supported_codes():
        for intent, texts in _examples(ROOT / "data/nlu" / f"{code}.yml", code, []).items():
            for text in texts:
                labels.setdefault(text.lower(), set()).add((intent, code))
    return [
        f"'{text}' has different intents across languages: {sorted(found)}"
        for text, found in labels.items()
        if len({intent for intent, _ in found}) > 1
    ]


if __name__ == "__main__":
    found = check(sys.argv[1])
    print("\n".join(found) or "all good")
    sys.exit(1 if found else 0)
