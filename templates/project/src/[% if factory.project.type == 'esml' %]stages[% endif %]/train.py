"""Train: fit the model on the prepared training rows and save it."""

from __future__ import annotations

import argparse
from pathlib import Path

from stages.data import read_folder
from stages.model import LogisticModel


def run(prepared: Path, model_dir: Path, target: str) -> LogisticModel:
    rows = read_folder(prepared / "train.csv", target)
    features = sorted({key for row in rows for key in row} - {target})
    model = LogisticModel(features=features, target=target).fit(rows)
    model.save(model_dir)
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prepared", type=Path, required=True)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--target", default="label")
    args = parser.parse_args(argv)
    run(args.prepared, args.model, args.target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
