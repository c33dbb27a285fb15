"""Evaluation gate: answer the questions of evaluation/dataset.jsonl and compare the metrics with the thresholds.

Metrics (0..1, higher is better):
- keyword_recall: share of each question's expected facts (keywords) found in the answer, averaged;
- citation_rate: share of answers that cite at least one retrieved source;
- source_hit_rate: share of answers citing the document the question is about.
Exit code 1 when a metric is below its threshold in evaluation/thresholds.json: CI then stops the promotion.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ragapp.rag import ChatModel, Retriever, answer

ROOT = Path(__file__).resolve().parents[2] / "evaluation"


def load_dataset(path: Path = ROOT / "dataset.jsonl") -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(dataset: list[dict[str, Any]], retriever: Retriever, chat: ChatModel) -> dict[str, float]:
    recall = cited = hits = 0.0
    for case in dataset:
        result = answer(case["question"], retriever, chat)
        text = result.text.lower()
        expected = [k.lower() for k in case["expected_keywords"]]
        recall += sum(k in text for k in expected) / len(expected)
        cited += bool(result.sources)
        passages = retriever.search(case["question"], 3)
        hits += any(p.id in result.sources and case["expected_source"] in p.title for p in passages)
    count = len(dataset)
    return {"keyword_recall": recall / count, "citation_rate": cited / count, "source_hit_rate": hits / count}


def gate(metrics: dict[str, float], thresholds: dict[str, float]) -> list[str]:
    """The metrics below their threshold (empty: promotion may go on)."""
    return [
        f"{name} {metrics[name]:.2f} < {minimum:.2f}" for name, minimum in thresholds.items() if metrics[name] < minimum
    ]


def main() -> int:
    from ragapp.clients import FoundryChat, SearchRetriever
    from ragapp.settings import Settings

    settings = Settings.from_env()
    metrics = evaluate(load_dataset(), SearchRetriever(settings), FoundryChat(settings))
    thresholds = json.loads((ROOT / "thresholds.json").read_text(encoding="utf-8"))
    failures = gate(metrics, thresholds)
    print(json.dumps({"metrics": metrics, "thresholds": thresholds, "passed": not failures}, indent=2))
    if failures:
        print("evaluation gate failed: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
