"""Which projects a change touches, from the files it changes (pure; the git layer lists the files)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from aifactory.diff.model import ChangedFile

__all__ = ["project_key_of", "touched_projects"]

_PROJECT_FILE = re.compile(r"^(\d+)-.+\.ya?ml$")


def project_key_of(path: str, projects_dir: str) -> str | None:
    """``projects/007-fraud.yaml`` -> ``p007``: the workload key of a project file, else ``None``.

    Project files are named ``<id>-<name>.yaml`` (validation enforces it), so the name is enough;
    ``projects_dir`` is the folder relative to the repository root.
    """
    file = PurePosixPath(path)
    if file.parent != PurePosixPath(projects_dir):
        return None
    match = _PROJECT_FILE.match(file.name)
    return f"p{int(match.group(1)):03d}" if match else None


def touched_projects(files: Iterable[ChangedFile], projects_dir: str) -> frozenset[str]:
    """Workload keys of every project file the change adds, edits, deletes or renames (both names)."""
    keys = set()
    for changed in files:
        for path in (changed.path, changed.old_path):
            if path is not None and (key := project_key_of(path, projects_dir)):
                keys.add(key)
    return frozenset(keys)
