"""Real git repositories in a temporary folder for the diff's git layer and end-to-end tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.support import REPO

_IDENTITY = {
    "GIT_AUTHOR_NAME": "aifactory tests",
    "GIT_AUTHOR_EMAIL": "tests@example.com",
    "GIT_COMMITTER_NAME": "aifactory tests",
    "GIT_COMMITTER_EMAIL": "tests@example.com",
}


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity and no user or system config."""
    env = {**os.environ, **_IDENTITY, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout


def init_repo(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    return repo


def commit_all(repo: Path, message: str = "change") -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def factory_repo(repo: Path, stacks: tuple[str, ...] = ("dev",), projects: tuple[str, ...] = ()) -> Path:
    """A factory repository like a user's: ``Pulumi.yaml``, stack files, ``__main__.py`` and project
    files copied from this repository (the installed aifactory plans it), committed on ``main``."""
    init_repo(repo)
    for name in ("Pulumi.yaml", "__main__.py", *(f"Pulumi.{stack}.yaml" for stack in stacks)):
        shutil.copy(REPO / name, repo / name)
    (repo / "projects").mkdir()
    for name in projects:
        shutil.copy(REPO / "projects" / name, repo / "projects" / name)
    commit_all(repo, "factory")
    return repo


def reset(repo: Path) -> Path:
    """Back to the committed state of ``main``: tracked edits undone, untracked files removed."""
    git(repo, "reset", "-q", "--hard", "main")
    git(repo, "clean", "-q", "-fdx")
    return repo
