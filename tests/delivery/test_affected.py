"""``aifactory affected``: which stacks a change touches, pure rules first, then through real git."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aifactory.cli.app import app
from aifactory.delivery import EnvironmentStacks, FileChange, ProjectFacts, affected_stacks
from tests.support import REPO

SINGLE = (
    EnvironmentStacks("prod", "prod", "single", (1, 3)),
    EnvironmentStacks("dev", "dev", "single", (1, 2, 3, 4)),
    EnvironmentStacks("stage", "stage", "single", (1, 2)),
)
SHARDED = (
    EnvironmentStacks("dev", "dev", "sharded", (1, 2, 3, 4)),
    EnvironmentStacks("stage", "stage", "single", (1, 2)),
    EnvironmentStacks("prod", "prod", "sharded", (1, 3)),
)


def _stacks(
    changes: list[FileChange],
    environments: tuple[EnvironmentStacks, ...] = SINGLE,
    before: dict[str, ProjectFacts] | None = None,
    after: dict[str, ProjectFacts] | None = None,
) -> tuple[str, ...]:
    return affected_stacks(changes, environments, before or {}, after or {}).stacks


def test_docs_and_templates_touch_nothing() -> None:
    assert _stacks([FileChange("README.md"), FileChange("docs/network.md"), FileChange("templates/x.yml")]) == ()


def test_the_program_touches_every_stack_in_promotion_order() -> None:
    assert _stacks([FileChange("aifactory/plan/nsg.py")]) == ("dev", "stage", "prod")
    assert _stacks([FileChange("__main__.py")], SHARDED) == (
        "dev",
        "dev-p001",
        "dev-p002",
        "dev-p003",
        "dev-p004",
        "stage",
        "prod",
        "prod-p001",
        "prod-p003",
    )


def test_a_stack_file_touches_its_stack_and_in_sharded_layout_its_project_stacks() -> None:
    assert _stacks([FileChange("Pulumi.stage.yaml")]) == ("stage",)
    assert _stacks([FileChange("Pulumi.prod.yaml")], SHARDED) == ("prod", "prod-p001", "prod-p003")
    assert _stacks([FileChange("Pulumi.prod-p003.yaml")], SHARDED) == ("prod-p003",)


def test_a_project_file_touches_the_environments_it_lists_before_and_after() -> None:
    path = "projects/002-demand-forecast.yaml"
    before = {path: ProjectFacts(2, frozenset({"dev"}))}
    after = {path: ProjectFacts(2, frozenset({"dev", "prod"}))}
    assert _stacks([FileChange(path)], SINGLE, before, after) == ("dev", "prod")
    # sharded: the environment stack (it holds the project's subnets) and only that project's stack
    assert _stacks([FileChange(path)], SHARDED, before, after) == ("dev", "dev-p002", "prod", "prod-p002")


def test_a_renamed_project_counts_for_both_ids() -> None:
    old, new = "projects/002-demand.yaml", "projects/005-demand.yaml"
    before = {old: ProjectFacts(2, frozenset({"dev"}))}
    after = {new: ProjectFacts(5, frozenset({"dev"}))}
    assert _stacks([FileChange(new, old_path=old)], SHARDED, before, after) == ("dev", "dev-p002", "dev-p005")


def test_a_removed_project_still_touches_its_old_project_stack() -> None:
    path = "projects/003-support-copilot.yaml"
    before = {path: ProjectFacts(3, frozenset({"dev", "prod"}))}
    environments = (EnvironmentStacks("dev", "dev", "sharded", (1, 2, 4)), SHARDED[2])
    assert _stacks([FileChange(path)], environments, before, {}) == ("dev", "dev-p003", "prod", "prod-p003")


def test_an_unreadable_project_file_touches_every_environment_stack() -> None:
    path = "projects/009-broken.yaml"
    result = affected_stacks([FileChange(path)], SHARDED, {}, {path: ProjectFacts(None)})
    assert result.stacks == ("dev", "stage", "prod")
    assert "cannot be read" in result.reasons["dev"][0]


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A factory in a sub-folder of a git repository, with the shipped stacks and projects."""
    root = tmp_path_factory.mktemp("repo")
    factory = root / "infra"
    factory.mkdir()
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.stage.yaml", "Pulumi.prod.yaml"):
        shutil.copy(REPO / name, factory / name)
    shutil.copytree(REPO / "projects", factory / "projects")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
    _git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "base")
    return factory


runner = CliRunner()


def test_cli_lists_the_stacks_of_a_working_tree_change(repo: Path) -> None:
    project = repo / "projects" / "002-demand-forecast.yaml"
    original = project.read_text()
    try:
        project.write_text(original.replace("environments: [dev, stage]", "environments: [dev, stage, prod]"))
        assert "environments: [dev, stage, prod]" in project.read_text()
        result = runner.invoke(app, ["affected", "--against", "HEAD", "-C", str(repo)])
        assert result.exit_code == 0, result.output
        # prod is sharded: the project's own stack joins the environment stack that holds its subnets
        assert result.output.split() == ["dev", "stage", "prod", "prod-p002"]
        (repo / "projects" / "010-new-team.yaml").write_text("id: 10\nname: new-team\nenvironments: [dev]\n")
        (repo / "README.md").write_text("not a factory file\n")
        result = runner.invoke(app, ["affected", "--against", "HEAD", "--json", "-C", str(repo)])
        document = json.loads(result.output)
        assert document["stacks"] == ["dev", "stage", "prod", "prod-p002"]
        assert "project file projects/010-new-team.yaml changed" in document["reasons"]["dev"]
        assert all("010" not in reason for reason in document["reasons"]["prod"])
    finally:
        project.write_text(original)
        (repo / "projects" / "010-new-team.yaml").unlink(missing_ok=True)
        (repo / "README.md").unlink(missing_ok=True)
    result = runner.invoke(app, ["affected", "--against", "HEAD", "-C", str(repo)])
    assert result.exit_code == 0 and result.output == ""


def test_cli_refuses_an_unknown_revision_and_a_folder_outside_git(repo: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["affected", "--against", "no-such-branch", "-C", str(repo)])
    assert result.exit_code == 2
    assert "unknown revision 'no-such-branch'" in result.output
    result = runner.invoke(app, ["affected", "--against", "HEAD", "-C", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a git repository" in result.output
