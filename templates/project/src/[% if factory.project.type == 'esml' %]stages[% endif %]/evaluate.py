"""Evaluate: score the test rows, compute metrics and decide whether the model may be registered."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from stages.data import Row, read_folder
from stages.model import LogisticModel

REPORT = "evaluation.json"


def metrics(model: LogisticModel, rows: list[Row], threshold: float = 0.5) -> dict[str, float]:
    tp = fp = tn = fn = 0
    for row in rows:
        predicted = model.predict_proba(row) >= threshold
        actual = row[model.target] >= 0.5
        tp += predicted and actual
        fp += predicted and not actual
        tn += not predicted and not actual
        fn += not predicted and actual
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "accuracy": (tp + tn) / len(rows),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
    }


def run(prepared: Path, model_dir: Path, output: Path, min_accuracy: float) -> dict[str, object]:
    model = LogisticModel.load(model_dir)
    scores = metrics(model, read_folder(prepared / "test.csv", model.target))
    report: dict[str, object] = {
        "metrics": scores,
        "min_accuracy": min_accuracy,
        "passed": scores["accuracy"] >= min_accuracy,
    }
    output.mkdir(parents=True, exist_ok=True)
    (output / REPORT).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prepared", type=Path, required=True)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--min-accuracy", type=float, default=0.7)
    args = parser.parse_args(argv)
    report = run(args.prepared, args.model, args.output, args.min_accuracy)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
