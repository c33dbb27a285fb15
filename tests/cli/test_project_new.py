"""``aifactory project new``: the file it writes passes ``validate``, its hint works, and it never writes a bad file."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import get_args

import pytest
from typer.testing import CliRunner, Result

from aifactory.cli.app import app
from aifactory.cli.exits import ExitCode
from aifactory.scaffold import Profile
from tests.support import REPO, shipped_project_ids

runner = CliRunner()


def _factory(target: Path, *, examples: bool = True) -> Path:
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.stage.yaml", "Pulumi.prod.yaml", "__main__.py"):
        shutil.copy(REPO / name, target / name)
    if examples:
        shutil.copytree(REPO / "projects", target / "projects")
    return target


def _new(folder: Path, *args: str) -> Result:
    base = ["project", "new", "--owner", "lead@contoso.com", "--cost-center", "CC-9", "-C", str(folder)]
    result = runner.invoke(app, [*base, *args], env={"COLUMNS": "200"})
    assert "Traceback" not in result.output, result.output
    return result


@pytest.mark.parametrize("profile", get_args(Profile))
def test_every_profile_writes_a_file_that_validate_accepts(tmp_path: Path, profile: str) -> None:
    folder = _factory(tmp_path)
    result = _new(folder, "churn-model", "--profile", profile)
    assert result.exit_code == 0, result.output
    dev = shipped_project_ids("dev")
    next_id = max(dev + shipped_project_ids("stage") + shipped_project_ids("prod")) + 1
    assert (folder / "projects" / f"{next_id:03d}-churn-model.yaml").exists()
    checked = runner.invoke(app, ["validate", "-C", str(folder)])
    assert checked.exit_code == 0, checked.output
    assert f"ok dev: {len(dev) + 1} projects" in checked.output


def test_the_hint_names_a_command_that_works(tmp_path: Path) -> None:
    folder = _factory(tmp_path, examples=False)  # the first project of a new factory: a short offline run
    result = _new(folder, "churn-model", "--env", "stage", "--env", "prod")
    hint = result.output.split("review it with `", 1)[1].split("`", 1)[0]
    assert hint == f"aifactory plan stage --project 1 -C {folder}"
    out = tmp_path / "plan.json"
    shown = runner.invoke(app, ["ipam", *hint.split()[2:3], "-C", str(folder)])  # the stack of the hint exists
    assert shown.exit_code == 0, shown.output
    planned = runner.invoke(app, [*hint.split()[1:], "--out", str(out)], env={"COLUMNS": "200"})
    assert planned.exit_code in (ExitCode.OK, ExitCode.GUARDRAIL_FAILED), planned.output
    assert "001 churn-model (esml) in stage" in planned.output


def test_id_zero_is_refused_not_replaced(tmp_path: Path) -> None:
    folder = _factory(tmp_path)
    result = _new(folder, "churn-model", "--id", "0")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "projects/000-churn-model.yaml" in result.stderr and "at least 1" in result.stderr
    assert sorted(p.name for p in (folder / "projects").iterdir()) == sorted(
        p.name for p in (REPO / "projects").iterdir()
    )


def test_ids_claimed_by_files_and_used_names_are_refused(tmp_path: Path) -> None:
    folder = _factory(tmp_path)
    (folder / "projects" / "009-broken.yaml").write_text("id: 9\n")  # invalid, but it claims id 9
    taken = _new(folder, "new-one", "--id", "9")
    assert taken.exit_code == ExitCode.INVALID_INPUT and "is already used" in taken.stderr
    assert _new(folder, "new-one").output.count("010-new-one.yaml") == 1  # next id above every claimed one
    again = _new(folder, "fraud-detection")
    assert again.exit_code == ExitCode.INVALID_INPUT and "name" in again.stderr


def test_invalid_values_are_reported_and_nothing_is_written(tmp_path: Path) -> None:
    folder = _factory(tmp_path)
    result = _new(folder, "Bad_Name", "--budget", "0", "--env", "qa")
    assert result.exit_code == ExitCode.INVALID_INPUT
    for field in ("name", "budget.monthly_amount", "environments[0]"):
        assert field in result.stderr, field
    assert not list((folder / "projects").glob("*Bad_Name*"))


def test_an_unknown_profile_is_a_usage_error(tmp_path: Path) -> None:
    result = _new(_factory(tmp_path), "churn-model", "--profile", "genai-max")
    assert result.exit_code == ExitCode.USAGE
    assert "not a profile" in result.output
