"""Tabular data as plain CSV files: read a folder, split deterministically, write a folder."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

Row = dict[str, float]


def read_folder(folder: Path, target: str) -> list[Row]:
    """Every ``*.csv`` below ``folder`` as numeric rows; the ``target`` column must be present."""
    files = sorted(folder.rglob("*.csv")) if folder.is_dir() else [folder]
    rows: list[Row] = []
    for path in files:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or target not in reader.fieldnames:
                msg = f"{path}: no {target!r} column (columns: {reader.fieldnames})"
                raise ValueError(msg)
            for line in reader:
                rows.append({key: float(value) for key, value in line.items() if value not in ("", None)})
    if not rows:
        msg = f"no rows in {folder} (expected CSV files with a {target!r} column)"
        raise ValueError(msg)
    return rows


def write_rows(path: Path, rows: list[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = sorted({key for row in rows for key in row})
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def split(rows: list[Row], test_share: float) -> tuple[list[Row], list[Row]]:
    """Train and test rows; a row's side depends only on its content, so re-runs agree."""
    train: list[Row] = []
    test: list[Row] = []
    for row in rows:
        digest = hashlib.sha256(repr(sorted(row.items())).encode()).digest()
        (test if digest[0] / 256 < test_share else train).append(row)
    return train, test
