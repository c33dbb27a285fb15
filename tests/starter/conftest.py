"""Shared fixtures: a throw-away factory repository (git) and every example project's kit, rendered once."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from aifactory.starter import KitResult, render_kit
from tests.support import REPO

EXAMPLES = {1: "esml", 2: "esml", 3: "genai", 4: "genai"}
FACTORY_FILES = ("copier.yml", "Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.stage.yaml", "Pulumi.prod.yaml")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=kit-test", "-c", "user.email=kit@test.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def make_factory(root: Path) -> Path:
    """A copy of the factory's template, stacks and projects as its own git repository (one commit)."""
    root.mkdir(parents=True)
    for name in FACTORY_FILES:
        shutil.copy2(REPO / name, root / name)
    shutil.copytree(REPO / "projects", root / "projects")
    shutil.copytree(REPO / "templates" / "project", root / "templates" / "project")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "factory")
    return root


@pytest.fixture(scope="session")
def factory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_factory(tmp_path_factory.mktemp("factory") / "repo")


@pytest.fixture(scope="session")
def kits(factory: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, KitResult]]:
    root = tmp_path_factory.mktemp("kits")
    yield {pid: render_kit(factory, str(pid), root / f"p{pid:03d}") for pid in EXAMPLES}
