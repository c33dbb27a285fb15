"""The thin git layer of ``aifactory affected``: changed files since a revision, and old file contents."""

from __future__ import annotations

import subprocess
from pathlib import Path

from aifactory.delivery.affected import FileChange

__all__ = ["GitError", "changed_files", "file_at"]


class GitError(Exception):
    """git refused (not a repository, unknown revision); the message is git's own, one line."""


def _git(project_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", "-C", str(project_dir), *args], capture_output=True, text=True, check=False, timeout=60
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None


def _checked(project_dir: Path, *args: str) -> str:
    result = _git(project_dir, *args)
    if result.returncode != 0:
        message = (result.stderr.strip().splitlines() or [f"git {' '.join(args)} failed"])[-1]
        raise GitError(message)
    return result.stdout


def changed_files(project_dir: Path, against: str) -> list[FileChange]:
    """Files that differ between ``against`` and the working tree (untracked ones included).

    Paths are relative to ``project_dir`` (the factory may live in a sub-folder of the repository);
    renames keep their old path so both old and new ids count.
    """
    known = _git(project_dir, "rev-parse", "--verify", "--quiet", f"{against}^{{commit}}")
    if known.returncode != 0:
        raise GitError(
            known.stderr.strip().splitlines()[-1] if known.stderr.strip() else f"unknown revision {against!r}"
        )
    changes: list[FileChange] = []
    diff = _checked(project_dir, "diff", "--name-status", "-M", "--relative", against, "--")
    for line in diff.splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            changes.append(FileChange(parts[2], old_path=parts[1]))
        elif len(parts) == 2:
            changes.append(FileChange(parts[1]))
    untracked = _checked(project_dir, "ls-files", "--others", "--exclude-standard")
    changes.extend(FileChange(path) for path in untracked.splitlines() if path)
    return changes


def file_at(project_dir: Path, revision: str, path: str) -> str | None:
    """The text of ``path`` (relative to ``project_dir``) at ``revision``; None if it did not exist."""
    result = _git(project_dir, "show", f"{revision}:./{path}")
    return result.stdout if result.returncode == 0 else None
