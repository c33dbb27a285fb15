"""``aifactory validate --against <ref>``: removing a project whose data is protected needs its decommission first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aifactory.cli.app import app
from tests.diff.repos import commit_all, factory_repo, git, reset

runner = CliRunner()
WIDE = {"COLUMNS": "250"}
FORECAST = "projects/002-demand-forecast.yaml"  # deployed in dev and stage


@pytest.fixture(scope="module")
def shared_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return factory_repo(
        tmp_path_factory.mktemp("factory"),
        stacks=("dev", "stage"),
        projects=("001-fraud-detection.yaml", "002-demand-forecast.yaml"),
    )


@pytest.fixture
def repo(shared_repo: Path) -> Iterator[Path]:
    yield reset(shared_repo)
    reset(shared_repo)


def _validate(repo: Path, stack: str, ref: str = "main") -> tuple[int, str]:
    result = runner.invoke(app, ["validate", stack, "--against", ref, "-C", str(repo)], env=WIDE)
    return result.exit_code, result.output


def test_removing_a_protected_project_fails_with_the_decommission_procedure(repo: Path) -> None:
    (repo / FORECAST).unlink()
    code, output = _validate(repo, "stage")
    assert code == 1, output
    assert "p002 (demand-forecast) is deployed in stage with protected" in output
    assert "lifecycle: decommission" in output and "docs/decommission.md" in output


def test_dev_protects_nothing_so_the_same_removal_passes(repo: Path) -> None:
    (repo / FORECAST).unlink()
    code, output = _validate(repo, "dev")
    assert code == 0, output


def test_a_project_decommissioned_in_the_base_revision_may_be_removed(repo: Path) -> None:
    path = repo / FORECAST
    git(repo, "checkout", "-q", "-b", "decommission-002")
    try:
        path.write_text(path.read_text() + "overrides:\n  stage: {lifecycle: decommission}\n")
        commit_all(repo, "decommission demand-forecast in stage")
        path.unlink()
        code, output = _validate(repo, "stage", "HEAD")
        assert code == 0, output
        code, output = _validate(repo, "stage", "main")  # before the decommission it is still protected
        assert code == 1, output
    finally:
        reset(repo)
        git(repo, "checkout", "-q", "main")


def test_an_unknown_revision_is_a_clear_error(repo: Path) -> None:
    code, output = _validate(repo, "stage", "no-such-branch")
    assert code == 1, output
    assert "is not a commit, branch or tag of this repository" in output
