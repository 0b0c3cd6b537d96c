"""Language detection, side by side: plain langdetect, the project's detector, the conversation.

Usage: python -m benchmarks.language --model models/model-<hash>.tar.gz
- tests/data/langid/<code>.yml: chat-style messages per language (short: 1-3 words).
- tests/data/langid/conversations.yml: conversations with the expected reply language per turn.
- ../shared/langid-testdata (when present): public short-text data (Leipzig corpora), a sample.
The project's detector is the trained model's LanguageTagger, reached through Rasa's parser
exactly as in production; the conversation logic is bot.language.conversation.next_language
applied turn by turn, as bot.dialogue.context_policy does.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from bot import PROJECT_DIR
from bot.language.conversation import next_language
from bot.language.registry import supported_codes

DATA = PROJECT_DIR / "tests" / "data" / "langid"
SHARED = PROJECT_DIR.parent / "shared" / "langid-testdata"
SHARED_SAMPLE = 300


def langdetect_plain(text: str) -> str | None:
    """What seeded langdetect alone says (any of its 55 languages)."""
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        return str(detect(text))
    except LangDetectException:
        return None


class Project:
    """The trained model, parsing like the running bot."""

    def __init__(self, model: Path) -> None:
        from rasa.core.agent import Agent

        self.agent = Agent.load(str(model))

    async def parse(self, text: str) -> dict[str, Any]:
        return dict(await self.agent.parse_message(text))

    async def language(self, text: str) -> str | None:
        return ((await self.parse(text)).get("language_detection") or {}).get("language")


def _rate(hits: list[bool]) -> str:
    return f"{100 * sum(hits) / len(hits):6.1f}" if hits else "     -"


async def chat_messages(project: Project) -> None:
    print("\nChat-style messages (tests/data/langid): accuracy %")
    header = f"{'langdetect':>10} {'project':>8}"
    print(f"{'lang':5}|{'n':>4} | {header} | 1-3 words: {header}")
    totals: dict[str, list[bool]] = defaultdict(list)
    for code in supported_codes():
        data = yaml.safe_load((DATA / f"{code}.yml").read_text("utf-8"))
        rows: dict[str, list[bool]] = defaultdict(list)
        for group in ("short", "long"):
            for text in data[group]:
                plain = langdetect_plain(text) == code
                ours = await project.language(text) == code
                rows["plain"].append(plain)
                rows["ours"].append(ours)
                if group == "short":
                    rows["plain_short"].append(plain)
                    rows["ours_short"].append(ours)
        for key, hits in rows.items():
            totals[key].extend(hits)
        _row(code, rows)
    _row("ALL", totals)


def _row(name: str, rows: dict[str, list[bool]]) -> None:
    print(
        f"{name:5}|{len(rows['ours']):4} | {_rate(rows['plain']):>10} {_rate(rows['ours']):>8} |"
        f"            {_rate(rows['plain_short']):>10} {_rate(rows['ours_short']):>8}"
    )


async def conversations(project: Project) -> None:
    data = yaml.safe_load((DATA / "conversations.yml").read_text("utf-8"))["conversations"]
    hits: list[bool] = []
    plain_hits: list[bool] = []
    misses = []
    for conversation in data:
        current = None
        hint = conversation.get("hint")
        for turn in conversation["turns"]:
            parsed = await project.parse(turn["text"])
            requested = next(
                (e["value"] for e in parsed.get("entities", []) if e.get("entity") == "language"),
                None,
            )
            current = next_language(current, parsed.get("language_detection"), hint, requested)
            hits.append(current == turn["expect"])
            plain_hits.append(langdetect_plain(turn["text"]) == turn["expect"])
            if current != turn["expect"]:
                expected = turn["expect"]
                misses.append(
                    f"  {conversation['name']}: {turn['text']!r} -> {current} ({expected})"
                )
    print(f"\nConversations ({len(data)} conversations, {len(hits)} turns): reply language correct")
    print(f"  langdetect per message, no memory: {_rate(plain_hits)} %")
    print(f"  project conversation logic:        {_rate(hits)} %")
    if misses:
        print("  misses:")
        print("\n".join(misses))


async def shared_data(project: Project) -> None:
    if not SHARED.is_dir():
        print(f"\n({SHARED} not found: public short-text comparison skipped)")
        return
    print(f"\nPublic short-text data (Leipzig, {SHARED_SAMPLE} random lines per file): accuracy %")
    print(f"{'kind':14}| {'langdetect':>10} {'project':>8}")
    rng = random.Random(0)
    for kind in ("single-words", "word-pairs", "sentences"):
        plain: list[bool] = []
        ours: list[bool] = []
        for code in supported_codes():
            lines = (SHARED / kind / f"{code}.txt").read_text("utf-8").splitlines()
            for text in rng.sample(lines, min(SHARED_SAMPLE, len(lines))):
                plain.append(langdetect_plain(text) == code)
                ours.append(await project.language(text) == code)
        print(f"{kind:14}| {_rate(plain):>10} {_rate(ours):>8}")


async def run(model: Path) -> None:
    project = Project(model)
    await chat_messages(project)
    await conversations(project)
    await shared_data(project)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True, type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    asyncio.run(run(args.model))


if __name__ == "__main__":
    main()
