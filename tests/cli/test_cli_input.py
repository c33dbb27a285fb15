"""The CLI on bad command lines and bad folders: exit codes, located errors, JSON, completion - never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import aifactory.cli.app as cli_app
from aifactory.cli.app import app
from aifactory.cli.exits import ExitCode
from tests.cli.shared_runs import shared_run_stack
from tests.support import REPO, shipped_project_ids

runner = CliRunner()
WIDE = {"COLUMNS": "200"}
PLANNED = {ExitCode.OK}  # a valid plan: the shipped stacks pass every mandatory guardrail


def _run(*args: str, env: dict[str, str] | None = None) -> Result:
    result = runner.invoke(app, list(args), env=env or WIDE)
    assert "Traceback" not in result.output or result.exit_code == ExitCode.INTERNAL_ERROR, result.output
    return result


def _factory(target: Path) -> Path:
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.stage.yaml", "Pulumi.prod.yaml", "__main__.py"):
        shutil.copy(REPO / name, target / name)
    shutil.copytree(REPO / "projects", target / "projects")
    return target


def test_exit_codes_follow_the_convention(tmp_path: Path) -> None:
    assert _run("validate", "-C", str(REPO)).exit_code == ExitCode.OK
    assert _run("validate", "--no-such-option").exit_code == ExitCode.USAGE
    assert _run("ipam").exit_code == ExitCode.USAGE  # missing argument
    folder = _factory(tmp_path)
    (folder / "projects" / "001-fraud-detection.yaml").write_text("id: true\n")
    assert _run("validate", "-C", str(folder)).exit_code == ExitCode.INVALID_INPUT


def test_a_bug_exits_70_with_its_traceback_and_a_request_to_report_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        msg = "a bug"
        raise RuntimeError(msg)

    monkeypatch.setattr(cli_app, "load_plan", broken)
    result = _run("ipam", "dev", "-C", str(REPO))
    assert result.exit_code == ExitCode.INTERNAL_ERROR
    assert "Traceback" in result.stderr and "RuntimeError: a bug" in result.stderr
    assert "internal error" in result.stderr and "Please report it" in result.stderr


def test_a_missing_or_non_folder_project_dir_is_a_usage_error(tmp_path: Path) -> None:
    for command in (["validate"], ["ipam", "dev"], ["plan", "dev"], ["schema"], ["project", "add-member", "1", "x"]):
        missing = _run(*command, "-C", str(tmp_path / "nowhere"))
        assert missing.exit_code == ExitCode.USAGE, (command, missing.output)
        assert "does not exist" in missing.output
    (tmp_path / "file").write_text("x")
    assert _run("validate", "-C", str(tmp_path / "file")).exit_code == ExitCode.USAGE


def test_validate_without_stack_files_or_program_fails_instead_of_passing(tmp_path: Path) -> None:
    shutil.copy(REPO / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    result = _run("validate", "-C", str(tmp_path))
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "no stack file found, so nothing would be validated" in result.stderr
    assert "__main__.py" in result.stderr and "is missing" in result.stderr


def test_stack_names_are_checked_before_any_path_is_built(tmp_path: Path) -> None:
    for bad in ("x" * 300, "../../etc/passwd", "org/project/dev", "[red]dev[/]"):
        result = _run("ipam", bad, "-C", str(REPO))
        assert result.exit_code == ExitCode.INVALID_INPUT, (bad, result.output)
        assert "stack names are 1-100 letters" in result.stderr
    assert "[red]dev[/]" in _run("ipam", "[red]dev[/]", "-C", str(REPO)).stderr  # printed, not interpreted


def test_plan_project_must_be_in_the_stack_and_is_refused_before_the_run(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = _run("plan", "prod", "--project", "2", "-C", str(REPO), "--out", str(out))
    assert result.exit_code == ExitCode.USAGE
    assert "'2' is not a project deployed in stack prod (prod); its projects: 1 (fraud-detection), 3" in result.output
    assert not out.exists()


def test_unusable_out_paths_are_refused_before_the_run(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    for target, message in ((tmp_path, "is a folder"), (tmp_path / "a-file" / "plan.json", "is a file")):
        result = _run("plan", "dev", "-C", str(REPO), "--out", str(target))
        assert result.exit_code == ExitCode.USAGE
        assert message in result.output


def test_validate_json_for_ci(tmp_path: Path) -> None:
    good = _run("validate", "--json", "-C", str(REPO))
    document = json.loads(good.stdout)
    prod = document["stacks"]["prod"]["projects"]
    assert document["ok"] is True and {1, 3} <= set(prod) and prod == sorted(prod) and 2 not in prod
    folder = _factory(tmp_path)
    (folder / "projects" / "001-fraud-detection.yaml").write_text("id: 010\n")
    bad = _run("validate", "--json", "-C", str(folder))
    assert bad.exit_code == ExitCode.INVALID_INPUT
    problems = json.loads(bad.stdout)["problems"]
    assert {p["file"] for p in problems} == {"projects/001-fraud-detection.yaml"}
    assert problems[0]["field"] == "id" and "leading zero" in problems[0]["message"]
    assert set(problems[0]) == {"file", "field", "value", "message", "fix"}


def test_plan_json_views(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(cli_app, "run_stack", shared_run_stack)
    out = str(tmp_path / "dev.json")
    summary = json.loads(_run("plan", "dev", "--json", "-C", str(REPO), "--out", out).stdout)
    assert summary["ok"] and summary["environment"] == "dev" and summary["plan_file"] == out
    assert [p["id"] for p in summary["projects"]] == shipped_project_ids("dev")
    assert summary["resources"]["total"] == sum(summary["resources"]["by_workload"].values())
    project = json.loads(_run("plan", "dev", "--json", "-p", "support-copilot", "-C", str(REPO), "-o", out).stdout)
    assert project["project"]["id"] == 3 and project["subnets"] and project["role_assignments"]
    access = json.loads(_run("plan", "dev", "--access", "--json", "-C", str(REPO), "-o", out).stdout)
    assert set(access["projects"]) == {f"p{i:03d}" for i in shipped_project_ids("dev")} and access["common"]
    assert access["role_assignments"] == sum(s["total"] for s in access["subscriptions"])
    delegation = access["projects"]["p001"]["delegation"]
    assert delegation["roles"] and "Owner" not in {r["name"] for r in delegation["roles"]}
    assert "Contributor" not in {r["name"] for r in delegation["roles"]}
    one = json.loads(_run("plan", "dev", "--access", "--json", "-p", "3", "-C", str(REPO), "-o", out).stdout)
    assert set(one["projects"]) == {"p003"} and "common" not in one


@pytest.mark.parametrize("wanted", ["1", "001", "p001", "fraud-detection", "Fraud-Detection"])
def test_project_accepts_id_or_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, wanted: str) -> None:
    monkeypatch.setattr(cli_app, "run_stack", shared_run_stack)
    result = _run("plan", "dev", "--project", wanted, "-C", str(REPO), "--out", str(tmp_path / "p.json"))
    assert result.exit_code in PLANNED, result.output
    assert "001 fraud-detection (esml) in dev" in result.output


def test_tables_keep_ranges_ids_and_principals_whole_at_80_columns(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cli_app, "run_stack", shared_run_stack)
    narrow = {"COLUMNS": "80"}
    out = str(tmp_path / "p.json")
    outputs = [
        _run("ipam", "prod", "-C", str(REPO), env=narrow).output,
        _run("plan", "dev", "-p", "1", "--access", "-C", str(REPO), "-o", out, env=narrow).output,
    ]
    text = "\n".join(outputs)
    assert max(len(line) for line in text.splitlines()) <= 80
    must_be_whole = [
        "172.28.0.0/17",
        "172.28.128.0/17",
        "172.28.128.128/26",
        "6f1d2c3b-0000-4000-8000-00000000f002",
        "6f1d2c3b-0000-4000-8000-00000000d001",
        "11111111-0000-4000-8000-000000000001",
        "grp-acme-p001-fraud-detection-data-engineer-dev-sdc",
        "id-acme-p001-fraud-detection-dev-sdc",
        "privatelink.api.azureml.ms",
    ]
    for value in must_be_whole:
        assert value in text, value
    assert "…" not in text


def test_shell_completion_completes_commands_stacks_and_projects() -> None:
    script = _run("--show-completion", "bash")
    assert script.exit_code == 0 and "_AIFACTORY_COMPLETE" in script.output

    def complete(words: str) -> list[str]:
        env = {
            "_AIFACTORY_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split(" ")) - 1),
        }
        return runner.invoke(app, [], env=env, prog_name="aifactory").output.split()

    assert "plan" in complete("aifactory pl")
    assert complete(f"aifactory ipam -C {REPO} ") == ["dev", "prod", "stage"]
    assert complete(f"aifactory plan dev -C {REPO} --project fr") == ["fraud-detection"]


def test_schema_takes_the_project_folder(tmp_path: Path) -> None:
    shutil.copy(REPO / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    result = _run("schema", "-C", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "schemas" / "project.schema.json").read_text() == (
        REPO / "schemas" / "project.schema.json"
    ).read_text()
