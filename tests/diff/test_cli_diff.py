"""``aifactory diff`` end to end: real git repositories, both sides planned offline.

One factory repository (the dev stack and project 001 of this repository, committed on main) is
shared by the module; each test changes its working tree and resets it afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from aifactory.cli.app import app
from tests.diff.repos import factory_repo, git, reset
from tests.support import project

runner = CliRunner()
WIDE = {"COLUMNS": "250"}
PROJECT_FILE = "projects/001-fraud-detection.yaml"


@pytest.fixture(scope="module")
def shared_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return factory_repo(tmp_path_factory.mktemp("factory"), projects=("001-fraud-detection.yaml",))


@pytest.fixture
def repo(shared_repo: Path) -> Iterator[Path]:
    yield reset(shared_repo)
    reset(shared_repo)


def _diff(repo: Path, *options: str) -> tuple[int, str]:
    result = runner.invoke(app, ["diff", "dev", "--against", "main", "-C", str(repo), *options], env=WIDE)
    return result.exit_code, result.output


def test_a_stack_change_that_leaks_into_an_untouched_project_is_flagged(repo: Path) -> None:
    stack = repo / "Pulumi.dev.yaml"
    stack.write_text(
        stack.read_text().replace(
            "address_space: 172.20.0.0/14\n", "address_space: 172.20.0.0/14\n    trusted_ranges: [10.0.0.0/12]\n"
        )
    )
    code, comment = _diff(repo, "--format", "markdown")
    assert code == 1, comment
    assert "changed files: M `Pulumi.dev.yaml`" in comment
    assert "| p001 | not changed | 0 | 1 | 0 | **1** |" in comment
    assert "- p001: 1 resource changes, but the change does not touch its project file" in comment
    assert '`securityRules[name=AllowTrustedInbound]`: `(absent)` -> `{"access":"Allow"' in comment
    assert '"sourceAddressPrefix":"10.0.0.0/12"' in comment
    assert comment.index("<b>Flags (1)</b>") < comment.index("<summary>p001 (project file not changed)")


def test_renaming_a_project_is_flagged_as_replacement_of_its_resources(repo: Path) -> None:
    git(repo, "mv", PROJECT_FILE, "projects/001-fraud-scoring.yaml")
    renamed = repo / "projects" / "001-fraud-scoring.yaml"
    renamed.write_text(renamed.read_text().replace("name: fraud-detection", "name: fraud-scoring"))
    code, output = _diff(repo)
    assert code == 1, output
    assert "R projects/001-fraud-scoring.yaml (from projects/001-fraud-detection.yaml)" in output
    assert "p001: p001-storage: resourceGroupName is part of its resource id: Pulumi replaces it" in output
    assert "p001: p001-mlw: keyVault, storageAccount cannot change in place and Azure refuses the update" in output
    assert "does not touch its project file" not in output  # a rename touches the project


def test_adding_a_project_flags_nothing_and_exits_0(repo: Path) -> None:
    new = project(2, "churn-model", environments=["dev"])
    (repo / "projects" / "002-churn-model.yaml").write_text(yaml.safe_dump(new, sort_keys=False))
    code, output = _diff(repo, "--format", "json")
    assert code == 0, output
    document = json.loads(output)
    assert document["flagged"] is False and document["flags"] == []
    assert document["touched_projects"] == ["p002"]
    assert document["changed_files"] == [
        {"status": "untracked", "path": "projects/002-churn-model.yaml", "old_path": None}
    ]
    p002 = next(w for w in document["workloads"] if w["workload"] == "p002")
    assert p002["changes"] and {c["kind"] for c in p002["changes"]} == {"added"}
    assert all(w["workload"] in ("common", "p002") for w in document["workloads"])


def test_errors_exit_2_and_name_the_problem(repo: Path, tmp_path: Path) -> None:
    code, output = _diff(repo, "--against", "no-such-branch")
    assert code == 2 and "is not a commit, branch or tag of this repository" in output
    code, output = _diff(tmp_path)
    assert code == 2 and "no such stack file" in output
    broken = project(2, "broken", members=[{"principal": "x@contoso.com", "persona": "wizard"}])
    (repo / "projects" / "002-broken.yaml").write_text(yaml.safe_dump(broken))
    code, output = _diff(repo)
    assert code == 2, output
    assert "planning working tree failed: `aifactory plan` exited with code 1" in output
    assert "members[0].persona" in output
    assert "Traceback" not in output
