"""Offline runs shared between CLI tests: one run per distinct set of inputs, whatever folder they sit in.

The offline plan is deterministic (``tests/stack`` proves it), so commands whose inputs are
byte-identical may share one run; everything else a command does (validation, ``--project``,
output paths, rendering, the plan file) still runs for every command.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from aifactory.offline.stack_run import StackPlan, run_stack

__all__ = ["shared_run_stack"]

_RUNS: dict[str, StackPlan] = {}


def _fingerprint(folder: Path, stack: str) -> str:
    """The inputs of a stack's offline run: the program, Pulumi.yaml, the stack file, the projects."""
    digest = hashlib.sha256(stack.encode())
    inputs = [folder / "__main__.py", folder / "Pulumi.yaml", folder / f"Pulumi.{stack}.yaml"]
    for path in sorted([*inputs, *(folder / "projects").rglob("*")]):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def shared_run_stack(project_dir: Path, stack: str, on_register: Callable[[int], None] | None = None) -> StackPlan:
    """``run_stack``, shared by commands (and copies) whose inputs are byte-identical."""
    key = _fingerprint(project_dir, stack)
    if key not in _RUNS:
        _RUNS[key] = run_stack(project_dir, stack, on_register)
    return _RUNS[key]
