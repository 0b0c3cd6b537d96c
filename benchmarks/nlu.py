"""Held-out intent accuracy and macro-F1 per language, for several NLU pipelines side by side.

Usage: python -m benchmarks.nlu [--configs NAME ...]
Trains each pipeline on data/nlu once (NLU only, fixed seeds), parses every message of
tests/data/nlu and prints one table. `chosen` is config.yml; `rasa-default` is the pipeline
`rasa init` writes; the others are candidates kept for the record.

Rasa's default pipeline (DIET, 100 epochs) trains for about an hour on two cores, so each
pipeline's figures are kept in var/bench/ under a hash of everything they depend on (config,
training data, held-out data, component code) and reused while that hash is unchanged;
`--fresh` retrains everything.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

from bot import PROJECT_DIR
from bot.language.registry import supported_codes

CONFIGS = {
    "chosen": PROJECT_DIR / "config.yml",  # LinearIntentClassifier
    "rasa-default": PROJECT_DIR / "benchmarks" / "configs" / "rasa_default.yml",
}
CANDIDATES = PROJECT_DIR / "benchmarks" / "configs"
CACHE = PROJECT_DIR / "var" / "bench"
# Pipelines too slow to retrain on every run (DIET: about 2 h on two cores): without figures
# for the current inputs they are skipped and their last figures are printed as stale,
# unless --retrain-slow.
SLOW = {
    "rasa-default": "macro-F1 0.920 overall, 0.885-0.950 per language (1 h 44 min of "
    "training), measured 2026-12-01 on the data of then: docs/architecture.md"
}
Row = dict[str, tuple[float, float]]


def held_out() -> dict[str, list[tuple[str, str]]]:
    """language -> [(text, intent)] from tests/data/nlu/<code>.yml."""
    data: dict[str, list[tuple[str, str]]] = {}
    for code in supported_codes():
        raw = yaml.safe_load((PROJECT_DIR / "tests/data/nlu" / f"{code}.yml").read_text("utf-8"))
        data[code] = [
            (line[2:].strip(), block["intent"])
            for block in raw["nlu"]
            for line in block["examples"].splitlines()
            if line.strip().startswith("- ")
        ]
    return data


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Macro-averaged F1 over the gold intents of (gold, predicted) pairs."""
    labels = {gold for gold, _ in pairs}
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def train(config: Path, out: Path) -> tuple[Path, float]:
    from rasa.model_training import train_nlu

    started = time.perf_counter()
    model = train_nlu(
        str(config), str(PROJECT_DIR / "data" / "nlu"), str(out), fixed_model_name=config.stem
    )
    return Path(str(model)), time.perf_counter() - started


async def evaluate(
    model: Path, data: dict[str, list[tuple[str, str]]]
) -> dict[str, list[tuple[str, str]]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    results: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, examples in data.items():
        for text, gold in examples:
            parsed = await agent.parse_message(text)
            results[code].append((gold, parsed["intent"]["name"]))
    return results


def fingerprint(config: Path) -> str:
    """Hash of the config, the training and held-out data and, for configs that use them,
    the custom components' code."""
    text = config.read_bytes()
    digest = hashlib.sha256(text)
    folders = ["data/nlu", "tests/data/nlu"]
    if b"bot." in text:
        folders += ["bot/nlu", "bot/language", "bot/text.py"]
    for folder in folders:
        root = PROJECT_DIR / folder
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.is_file() and path.suffix in {".yml", ".py"}:
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def measure(config: Path, data: dict[str, list[tuple[str, str]]], tmp: Path) -> tuple[Row, float]:
    """Train `config`, parse the held-out set, return per-language (accuracy, macro-F1)."""
    model, seconds = train(config, tmp)
    results = asyncio.run(evaluate(model, data))
    everything = [pair for pairs in results.values() for pair in pairs]
    row = {
        code: (sum(g == p for g, p in pairs) / len(pairs), macro_f1(pairs))
        for code, pairs in {**results, "ALL": everything}.items()
    }
    return row, seconds


def cached_measure(
    config: Path, data: dict[str, list[tuple[str, str]]], tmp: Path, fresh: bool
) -> tuple[Row, float, bool]:
    """`measure`, reusing figures stored for the same fingerprint unless `fresh`."""
    store = CACHE / f"{config.stem}-{fingerprint(config)}.json"
    if store.exists() and not fresh:
        saved = json.loads(store.read_text("utf-8"))
        return {k: (v[0], v[1]) for k, v in saved["row"].items()}, saved["seconds"], True
    row, seconds = measure(config, data, tmp)
    CACHE.mkdir(parents=True, exist_ok=True)
    store.write_text(json.dumps({"row": row, "seconds": seconds}), "utf-8")
    return row, seconds, False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--configs", nargs="*", default=list(CONFIGS))
    parser.add_argument("--fresh", action="store_true", help="ignore stored figures")
    parser.add_argument(
        "--retrain-slow", action="store_true", help=f"retrain {', '.join(SLOW)} if stale"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    data = held_out()
    table: dict[str, Row] = {}
    timings: dict[str, float] = {}
    reused: list[str] = []
    stale: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.configs:
            config = CONFIGS.get(name) or CANDIDATES / f"{name}.yml"
            stored = CACHE / f"{config.stem}-{fingerprint(config)}.json"
            if name in SLOW and not stored.exists() and not (args.retrain_slow or args.fresh):
                stale.append(name)
                continue
            table[name], timings[name], was_cached = cached_measure(
                config, data, Path(tmp), args.fresh
            )
            if was_cached:
                reused.append(name)
    n = sum(len(v) for v in data.values())
    print(f"\nHeld-out intent classification ({n} messages, {len(data)} languages)")
    header = "language " + "".join(f"| {name:^23} " for name in table)
    print(header)
    print("         " + "".join("|  accuracy  macro-F1    " for _ in table))
    for code in [*data, "ALL"]:
        cells = "".join(
            f"|   {table[name][code][0]:6.3f}    {table[name][code][1]:6.3f}    " for name in table
        )
        print(f"{code:8} {cells}")
    print("training " + "".join(f"|   {timings[name]:7.1f} s              " for name in table))
    if reused:
        print(
            f"(figures of {', '.join(reused)} reused from var/bench/: inputs unchanged;"
            " --fresh retrains)"
        )
    for name in stale:
        print(
            f"{name}: STALE, not retrained (its inputs changed; --retrain-slow retrains it, "
            f"about 2 h on two cores). Last figures: {SLOW[name]}"
        )


if __name__ == "__main__":
    main()
