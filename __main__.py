"""Pulumi entry point: the whole environment of this stack (see README)."""

from pathlib import Path

from aifactory.program import run

run(Path(__file__).resolve().parent)
