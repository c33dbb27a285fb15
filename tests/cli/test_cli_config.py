"""The CLI's config commands: validate, ipam, schema - exit codes and what users read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from aifactory.cli.app import app
from tests.support import REPO, project, shipped_project_ids

runner = CliRunner()


def _copy_repo_config(target: Path) -> Path:
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.stage.yaml", "Pulumi.prod.yaml"):
        shutil.copy(REPO / name, target / name)
    shutil.copytree(REPO / "projects", target / "projects")
    return target


def test_validate_passes_for_the_shipped_configuration() -> None:
    result = runner.invoke(app, ["validate", "-C", str(REPO)])
    assert result.exit_code == 0, result.output
    assert f"ok dev: {len(shipped_project_ids('dev'))} projects" in result.output
    assert f"ok prod: {len(shipped_project_ids('prod'))} projects" in result.output


def test_validate_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    folder = _copy_repo_config(tmp_path)
    (folder / "projects" / "009-broken.yaml").write_text(
        yaml.safe_dump(project(9, "broken", owners=["nobody"], members=[{"principal": "x@y.com", "persona": "boss"}]))
    )
    stage = (folder / "Pulumi.stage.yaml").read_text().replace("172.24.0.0/14", "172.20.0.0/14")
    (folder / "Pulumi.stage.yaml").write_text(stage)
    result = runner.invoke(app, ["validate", "-C", str(folder)], env={"COLUMNS": "250"})
    assert result.exit_code == 1
    output = result.output
    assert "configuration problems found" in output
    assert "projects/009-broken.yaml" in output
    assert "owners[0]" in output and "members[0].persona" in output
    assert (
        "Pulumi.stage.yaml" in output
        and "overlaps aifactory:network.address_space 172.20.0.0/14 of stack dev" in output
    )
    assert "Traceback" not in output


def test_validate_reports_an_invalid_stack_and_invalid_project_files_together(tmp_path: Path) -> None:
    """Project files are read even when every stack is invalid; only the checks needing a stack are skipped."""
    folder = tmp_path
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(REPO / name, folder / name)
    dev = (REPO / "Pulumi.dev.yaml").read_text().replace("monthly_budget: 40000", "monthly_budget: [40000]")
    assert "[40000]" in dev
    (folder / "Pulumi.dev.yaml").write_text(dev)
    shutil.copytree(REPO / "projects", folder / "projects")
    (folder / "projects" / "009-latin.yaml").write_bytes("name: caf\u00e9\n".encode("latin-1"))
    result = runner.invoke(app, ["validate", "dev", "-C", str(folder), "--json"])
    assert result.exit_code == 1, result.output
    problems = json.loads(result.stdout)["problems"]
    assert {(p["file"], p["field"]) for p in problems} == {
        ("Pulumi.dev.yaml", "aifactory:cost.monthly_budget"),
        ("projects/009-latin.yaml", ""),
    }, problems
    assert "UTF-8" in next(p["message"] for p in problems if p["file"] == "projects/009-latin.yaml")
    shown = runner.invoke(app, ["validate", "dev", "-C", str(folder)], env={"COLUMNS": "250"})
    assert shown.exit_code == 1
    assert "monthly_budget" in shown.output and "projects/009-latin.yaml" in shown.output
    assert "Traceback" not in result.output + shown.output


def test_ipam_prints_slots_and_subnets() -> None:
    result = runner.invoke(app, ["ipam", "dev", "-C", str(REPO)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "448 project slots of /23" in result.output
    assert "172.20.128.0/23" in result.output
    assert "AzureBastionSubnet" in result.output


def test_ipam_json_is_machine_readable() -> None:
    result = runner.invoke(app, ["ipam", "prod", "--json", "-C", str(REPO)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["address_space"] == ["172.28.0.0/15", "172.18.0.0/15"]
    assert set(document["projects"]) == {str(i) for i in shipped_project_ids("prod")}
    assert document["vnets"][1]["subscription_id"] == "6f1d2c3b-0000-4000-8000-00000000f002"


def test_unknown_stack_is_a_config_error_not_a_crash() -> None:
    result = runner.invoke(app, ["ipam", "qa", "-C", str(REPO)])
    assert result.exit_code == 1
    assert "no such stack file" in result.output


def test_schema_writes_both_files(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert (tmp_path / "project.schema.json").read_text() == (REPO / "schemas" / "project.schema.json").read_text()
    assert (tmp_path / "stack.schema.json").exists()
