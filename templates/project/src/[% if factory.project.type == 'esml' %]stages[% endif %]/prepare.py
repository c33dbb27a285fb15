"""Prepare: read the project's published data (the lake's in/ folder), split it into train and test."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from stages.data import read_folder, split, write_rows


def run(raw: Path, output: Path, target: str, test_share: float = 0.25) -> dict[str, int]:
    rows = read_folder(raw, target)
    train, test = split(rows, test_share)
    if not train or not test:
        msg = f"{len(rows)} rows are too few to split into train and test"
        raise ValueError(msg)
    write_rows(output / "train.csv", train)
    write_rows(output / "test.csv", test)
    summary = {"rows": len(rows), "train": len(train), "test": len(test)}
    (output / "prepare.json").write_text(json.dumps(summary), encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, required=True, help="folder with CSV files (the lake's in/)")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--target", default="label")
    parser.add_argument("--test-share", type=float, default=0.25)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.raw, args.output, args.target, args.test_share)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
