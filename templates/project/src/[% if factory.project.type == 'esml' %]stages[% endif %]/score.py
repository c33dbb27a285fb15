"""Score: apply the model to new rows and write predictions (the lake's out/ folder)."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from stages.data import read_folder
from stages.model import LogisticModel


def run(model_dir: Path, rows_dir: Path, output: Path, threshold: float = 0.5) -> int:
    model = LogisticModel.load(model_dir)
    rows = read_folder(rows_dir, model.target) if _has_target(rows_dir, model.target) else _read_any(rows_dir)
    output.mkdir(parents=True, exist_ok=True)
    with (output / "scores.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "probability", "prediction"])
        for index, row in enumerate(rows):
            probability = model.predict_proba(row)
            writer.writerow([index, f"{probability:.6f}", int(probability >= threshold)])
    return len(rows)


def _has_target(folder: Path, target: str) -> bool:
    first = next(iter(sorted(folder.rglob("*.csv"))), None) if folder.is_dir() else folder
    if first is None:
        return False
    with first.open(encoding="utf-8") as handle:
        return target in handle.readline().strip().split(",")


def _read_any(folder: Path) -> list[dict[str, float]]:
    rows: list[dict[str, float]] = []
    for path in sorted(folder.rglob("*.csv")) if folder.is_dir() else [folder]:
        with path.open(newline="", encoding="utf-8") as handle:
            rows.extend({k: float(v) for k, v in line.items() if v} for line in csv.DictReader(handle))
    return rows


def online_init(model_dir: Path) -> LogisticModel:
    """Online endpoints: load once per process (Azure ML calls ``init`` and ``run`` in score_online.py)."""
    return LogisticModel.load(model_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--rows", type=Path, required=True, help="folder with CSV rows to score")
    parser.add_argument("--output", type=Path, required=True, help="where scores.csv goes (the lake's out/)")
    args = parser.parse_args(argv)
    print(f"scored {run(args.model, args.rows, args.output)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
