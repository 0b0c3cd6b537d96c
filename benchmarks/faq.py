"""FAQ matching accuracy on held-out paraphrased questions (target: top-1 >= 90%).

Usage: python -m benchmarks.faq
tests/data/faq/<code>.yml holds, per language, two paraphrases for every FAQ of the sample
municipalities, written apart from the FAQs' own `questions`. Each paraphrase is matched
against all FAQs of its municipality (no intent, harder) and, as the bot does, against the
FAQs of its topic (the intent gives the topic). A plain keyword-overlap baseline (most words
shared with one of the FAQ's questions) is printed beside the project's matcher.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Sequence

import yaml

from bot import PROJECT_DIR
from bot.answers.faq import best_faq
from bot.knowledge.loader import load_paths
from bot.knowledge.schema import Faq
from bot.language.registry import supported_codes
from bot.text import tokens

DATA = PROJECT_DIR / "tests" / "data" / "faq"
KNOWLEDGE = PROJECT_DIR / "knowledge" / "municipalities"


def keyword_overlap(faqs: Sequence[Faq], message: str, language: str) -> Faq:
    """Baseline: the FAQ with a question sharing the most words with the message."""
    words = set(tokens(message))

    def shared(faq: Faq) -> int:
        questions = faq.questions.get(language) or faq.questions.get("en") or []
        return max((len(words & set(tokens(q))) for q in questions), default=0)

    return max(faqs, key=shared)


def main() -> None:
    municipalities = {m.id: m for m in load_paths([KNOWLEDGE]).municipalities}
    columns = ("baseline, all", "matcher, all", "baseline, topic", "matcher, topic")
    rows: dict[str, list[float]] = {}
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    misses: list[str] = []
    for code in supported_codes():
        path = DATA / f"{code}.yml"
        if not path.exists():
            continue
        hits, count = [0, 0, 0, 0], 0
        for item in yaml.safe_load(path.read_text("utf-8"))["items"]:
            faqs = municipalities[item["municipality"]].faqs
            gold = next(f for f in faqs if f.id == item["faq"])
            same_topic = [f for f in faqs if f.topic == gold.topic]
            for question in item["questions"]:
                predictions = [
                    keyword_overlap(faqs, question, code),
                    best_faq(faqs, question, code),
                    keyword_overlap(same_topic, question, code),
                    best_faq(same_topic, question, code, corpus=faqs),
                ]
                count += 1
                for column, predicted in enumerate(predictions):
                    hits[column] += predicted is not None and predicted.id == gold.id
                if predictions[3] is None or predictions[3].id != gold.id:
                    misses.append(f"{code} {item['municipality']}/{gold.id}: {question}")
        rows[code] = [h / count for h in hits]
        for column in range(4):
            totals["ALL"][column] += hits[column]
        totals["ALL"][4] += count
    print(f"\nFAQ matching, top-1 accuracy on held-out paraphrases ({totals['ALL'][4]} questions)")
    print("language " + "".join(f"| {c:^16} " for c in columns))
    for code, values in rows.items():
        print(f"{code:8} " + "".join(f"|      {v:6.1%}      " for v in values))
    overall = [totals["ALL"][c] / max(totals["ALL"][4], 1) for c in range(4)]
    print("ALL      " + "".join(f"|      {v:6.1%}      " for v in overall))
    print(
        "target: >= 90% top-1 per language. 'topic': among the FAQs of the message's topic, "
        f"as the bot chooses (the intent gives the topic); {len(misses)} misses there"
    )
    for miss in misses[:15]:
        print("  miss:", miss)


if __name__ == "__main__":
    main()
