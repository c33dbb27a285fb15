"""The thin shell around the diff engine: git, a checkout of the base revision, two offline plans.

The base revision is planned with its own code and files: ``git archive`` exports the commit into
a temporary folder, and ``aifactory plan --out`` runs there in a subprocess of the same
virtualenv with that folder first on the import path (when it holds an ``aifactory`` package,
as this repository does; a project folder that uses the installed library plans both sides with
it). The subprocess checks that the package it imported is the revision's - an editable
install's import hook comes after the path finder, so it cannot shadow it, and the check proves
it. Both sides run in parallel and write plan files into the temporary folder, which is removed
afterwards, also on errors. Nothing is cached.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from aifactory.config.loader import read_stack_file, stack_values
from aifactory.diff.changes import touched_projects
from aifactory.diff.engine import diff_plans
from aifactory.diff.model import ChangedFile, FileStatus, PlanDiff
from aifactory.errors import AifactoryError, ConfigError, ConfigProblem

__all__ = ["PlanError", "PlannedSide", "SidePlan", "diff_against", "plan_sides", "revision_folder"]

SHADOWED_EXIT = 97
_GUARDRAIL_EXIT = 3
_TAIL_LINES = 25
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_STATUS: dict[str, FileStatus] = {
    "A": "added",
    "M": "modified",
    "D": "deleted",
    "R": "renamed",
    "C": "copied",
    "T": "type-changed",
}
_BOOT = """
import sys
from pathlib import Path
root = sys.argv[1]
if root:
    sys.path.insert(0, root)
import aifactory
origin = Path(aifactory.__file__).resolve()
if root and not origin.is_relative_to(Path(root).resolve()):
    sys.stderr.write(f"aifactory was imported from {origin}, not from the revision's folder {root}\\n")
    sys.exit(SHADOWED_EXIT)
from aifactory.cli.app import main
sys.argv = ["aifactory", *sys.argv[2:]]
main()
""".replace("SHADOWED_EXIT", str(SHADOWED_EXIT))


class PlanError(AifactoryError):
    """The offline plan of one side (the base revision or the working tree) failed."""


@dataclass(frozen=True)
class PlannedSide:
    """One side to plan: a project folder and the folder whose ``aifactory`` package plans it."""

    label: str
    project_dir: Path
    code_root: Path | None


@dataclass(frozen=True)
class SidePlan:
    """The plan document one side wrote, and whether its mandatory guardrails fail."""

    document: dict[str, Any]
    guardrails_failed: bool = False


@contextlib.contextmanager
def revision_folder(project_dir: Path, ref: str) -> Iterator[tuple[Path, str]]:
    """The project folder as it is at ``ref`` and its label (``main (a9c34fc271)``).

    Exported with ``git archive`` into a temporary folder that is removed when the block ends.
    """
    root, prefix = _repository(project_dir, ref)
    commit = _resolve(root, ref)
    with tempfile.TemporaryDirectory(prefix="aifactory-base-") as scratch:
        yield _project_at(root, commit, prefix, ref, Path(scratch)), f"{ref} ({commit[:10]})"


def _project_at(root: Path, commit: str, prefix: str, ref: str, scratch: Path) -> Path:
    """The project folder of ``commit``, exported under ``scratch``; a ConfigError if it has none."""
    tree = scratch / "base"
    _export(root, commit, tree)
    base_dir = tree / prefix if prefix else tree
    if not (base_dir / "Pulumi.yaml").is_file():
        raise ConfigError(
            [
                ConfigProblem(
                    "--against",
                    "",
                    ref,
                    f"has no Pulumi project at {prefix or 'the repository root'}",
                    "compare against a revision that already has this project folder",
                )
            ]
        )
    return base_dir


def diff_against(project_dir: Path, stack: str, ref: str) -> PlanDiff:
    """Plan ``stack`` in the working tree and at ``ref`` and compare the two plans."""
    config_map, _ = read_stack_file(project_dir, stack)
    projects_dir = stack_values(config_map).get("projects_dir", "projects")
    root, prefix = _repository(project_dir, ref)
    commit = _resolve(root, ref)
    files = _changed_files(root, commit, prefix, _join(prefix, str(projects_dir)))
    base_label = f"{ref} ({commit[:10]})"
    with tempfile.TemporaryDirectory(prefix="aifactory-diff-") as scratch:
        base_dir = _project_at(root, commit, prefix, ref, Path(scratch))
        sides = [_side(base_label, base_dir), _side("working tree", project_dir.resolve())]
        base, head = plan_sides(sides, stack, Path(scratch))
    return diff_plans(
        base.document,
        head.document,
        changed_files=files,
        touched_projects=touched_projects(files, _join(prefix, str(projects_dir))),
        base_label=base_label,
        head_label="working tree",
        notes=_notes(sides, (base, head)),
    )


def _notes(sides: Sequence[PlannedSide], plans: Sequence[SidePlan]) -> list[str]:
    notes = []
    installed = [side.label for side in sides if side.code_root is None]
    if installed:
        notes.append(
            f"{' and '.join(installed)}: no aifactory package in the project folder, planned with the installed one"
        )
    notes += [
        f"{side.label}: mandatory guardrails fail (see aifactory plan)"
        for side, plan in zip(sides, plans, strict=True)
        if plan.guardrails_failed
    ]
    return notes


def plan_sides(sides: Sequence[PlannedSide], stack: str, scratch: Path) -> list[SidePlan]:
    """Run ``aifactory plan <stack> --out`` for every side in parallel; their plans, in order.

    ``aifactory plan`` exits 3 when the plan is valid but a mandatory guardrail fails; its plan file
    is still complete, so the diff goes on and says so.
    """
    running: list[tuple[PlannedSide, Path, Path, subprocess.Popen[bytes]]] = []
    try:
        for number, side in enumerate(sides):
            out = scratch / f"plan-{number}.json"
            log = scratch / f"plan-{number}.log"
            with log.open("wb") as sink:
                process = subprocess.Popen(
                    [sys.executable, "-c", _BOOT, str(side.code_root or ""), "plan", stack, "--out", str(out)],
                    cwd=side.project_dir,
                    env=_environment(side),
                    stdout=sink,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                )
            running.append((side, out, log, process))
        pending = list(running)
        while pending:  # the first side to fail stops the other: no waiting for a plan that is not needed
            for entry in list(pending):
                side, out, log, process = entry
                code = process.poll()
                if code is None:
                    continue
                pending.remove(entry)
                if code not in (0, _GUARDRAIL_EXIT) or not out.is_file():
                    raise PlanError(_failure(side, code, log))
            time.sleep(0.05)
        return [_read_plan(out, process.returncode) for _, out, _, process in running]
    finally:
        for *_, process in running:
            if process.poll() is None:
                process.kill()
                process.wait()


def _read_plan(out: Path, exit_code: int) -> SidePlan:
    document = cast(dict[str, Any], json.loads(out.read_text(encoding="utf-8")))
    return SidePlan(document, guardrails_failed=exit_code == _GUARDRAIL_EXIT)


def _side(label: str, project_dir: Path) -> PlannedSide:
    has_package = (project_dir / "aifactory" / "__init__.py").is_file()
    return PlannedSide(label, project_dir, project_dir if has_package else None)


def _environment(side: PlannedSide) -> dict[str, str]:
    env = dict(os.environ)
    if side.code_root is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(side.code_root), env.get("PYTHONPATH", "")) if p)
    env.setdefault("COLUMNS", "160")
    return env


def _failure(side: PlannedSide, code: int, log: Path) -> str:
    lines = _ANSI.sub("", log.read_text(encoding="utf-8", errors="replace")).rstrip().splitlines()
    tail = "\n".join(f"    {line}" for line in lines[-_TAIL_LINES:]) or "    (no output)"
    if code == SHADOWED_EXIT:
        reason = "its own aifactory package could not be imported ahead of the installed one"
    elif code in (0, _GUARDRAIL_EXIT):
        reason = "no plan file was written"
    else:
        reason = f"`aifactory plan` exited with code {code}"
    return f"planning {side.label} failed: {reason}\n{tail}"


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise ConfigError(
            [ConfigProblem("--against", "", "git", "git is not installed", "install git, or run the diff in CI")]
        ) from None
    if done.returncode != 0:
        raise _GitError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout


class _GitError(Exception):
    pass


def _repository(project_dir: Path, ref: str) -> tuple[Path, str]:
    """The repository root and the project folder's path inside it ('' at the root)."""
    try:
        root = Path(_git(project_dir, "rev-parse", "--show-toplevel").strip())
        prefix = _git(project_dir, "rev-parse", "--show-prefix").strip().rstrip("/")
    except _GitError as exc:
        raise ConfigError(
            [
                ConfigProblem(
                    str(project_dir),
                    "",
                    ref,
                    f"is not inside a git repository ({exc})",
                    "run the diff in a clone of the repository, or pass -C <folder of the clone>",
                )
            ]
        ) from None
    return root, prefix


def _resolve(root: Path, ref: str) -> str:
    try:
        return _git(root, "rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}").strip()
    except _GitError:
        raise ConfigError(
            [
                ConfigProblem(
                    "--against",
                    "",
                    ref,
                    "is not a commit, branch or tag of this repository",
                    "use a branch (main), a tag or a commit id; in CI fetch it first (git fetch origin main)",
                )
            ]
        ) from None


def _changed_files(root: Path, commit: str, prefix: str, projects_dir: str) -> tuple[ChangedFile, ...]:
    """Tracked files that differ between ``commit`` and the working tree, plus new project files."""
    scope = [prefix] if prefix else []
    fields = _git(root, "diff", "--name-status", "-M", "-z", commit, "--", *scope).split("\0")
    files: list[ChangedFile] = []
    index = 0
    while index < len(fields) - 1:
        status = fields[index][:1]
        if status in ("R", "C"):
            files.append(ChangedFile(_STATUS[status], fields[index + 2], fields[index + 1]))
            index += 3
        else:
            files.append(ChangedFile(_STATUS.get(status, "modified"), fields[index + 1]))
            index += 2
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", projects_dir)
    files.extend(ChangedFile("untracked", path) for path in untracked.split("\0") if path)
    return tuple(sorted(files, key=lambda f: f.path))


def _export(root: Path, commit: str, target: Path) -> None:
    """Write the tree of ``commit`` into ``target`` (``git archive``; no worktree, no index change)."""
    target.mkdir(parents=True)
    archive = subprocess.Popen(["git", "-C", str(root), "archive", "--format=tar", commit], stdout=subprocess.PIPE)
    try:
        assert archive.stdout is not None
        with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: refuse links and paths out of target
                tar.extractall(target, filter="data")
            else:  # pragma: no cover - older 3.11 patch releases; git archive writes no such members
                tar.extractall(target)
    finally:
        if archive.stdout is not None:
            archive.stdout.close()
        if archive.wait() != 0:
            raise PlanError(f"git archive {commit} failed: the base revision could not be exported")


def _join(prefix: str, folder: str) -> str:
    return f"{prefix}/{folder}" if prefix else folder
