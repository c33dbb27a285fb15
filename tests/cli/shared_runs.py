"""Offline runs shared between CLI tests: one run per distinct set of inputs, whatever folder they sit in.

The offline plan is deterministic (``tests/stack`` proves it), so commands whose inputs are
byte-identical may share one run; everything else a command does (validation, ``--project``,
output paths, rendering, the plan file) still runs for every command.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from aifactory.config.layout import stack_target
from aifactory.offline.stack_run import StackPlan, run_stack

__all__ = ["shared_run_stack"]

_RUNS: dict[str, StackPlan] = {}


def _fingerprint(folder: Path, stack: str, recorded_common: object) -> str:
    """The inputs of a stack's offline run: the program, Pulumi.yaml, the stack files, the projects and, for a
    project stack, the recorded common outputs it reads."""
    digest = hashlib.sha256(stack.encode())
    digest.update(json.dumps(recorded_common, sort_keys=True, default=str).encode())
    environment = stack_target(stack).environment_stack
    inputs = [folder / "__main__.py", folder / "Pulumi.yaml", folder / f"Pulumi.{stack}.yaml"]
    inputs.append(folder / f"Pulumi.{environment}.yaml")
    for path in sorted([*inputs, *(folder / "projects").rglob("*")]):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def shared_run_stack(project_dir: Path, stack: str, **options: Any) -> StackPlan:
    """``run_stack``, shared by commands (and copies) whose inputs are byte-identical."""
    key = _fingerprint(project_dir, stack, options.get("recorded_common"))
    if key not in _RUNS:
        _RUNS[key] = run_stack(project_dir, stack, **options)
    return _RUNS[key]
