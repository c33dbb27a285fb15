"""``aifactory cost`` and ``aifactory projects``: what they print for the shipped stacks, and their errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aifactory.cli.app import app
from aifactory.config.loader import collect_projects
from aifactory.offline.stack_run import load_plan
from tests.support import REPO

runner = CliRunner()
WIDE = {"COLUMNS": "250"}


@pytest.mark.parametrize("stack", ["dev", "stage", "prod"])
def test_cost_json_lists_every_budget_with_thresholds_recipients_and_owners(stack: str) -> None:
    result = runner.invoke(app, ["cost", stack, "--json", "-C", str(REPO)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["environment"] == stack
    projects = document["projects"]
    assert projects
    for row in projects:
        assert row["owners"] and row["recipients"] and row["thresholds"]
        assert 0 < len(row["alerts"]) <= 5
    assert document["totals"]["projects_monthly_amount"] == sum(p["monthly_amount"] for p in projects)
    environment = document["environment_budget"]
    assert sum(b["monthly_amount"] for b in environment["budgets"]) == environment["monthly_amount"]
    assert document["without_alerts"] == []


def test_cost_prints_the_budgets_the_totals_and_the_dashboard() -> None:
    plan = load_plan(REPO, "prod")
    result = runner.invoke(app, ["cost", "prod", "-C", str(REPO)], env=WIDE)
    assert result.exit_code == 0, result.output
    output = result.output
    for budget in plan.cost.environment_budgets:
        assert budget.budget_name in output and budget.scope in output
    assert len(plan.cost.environment_budgets) == 2  # prod's projects live in a second subscription
    for project in plan.projects:
        assert f"{project.spec.id:03d} {project.spec.name}" in output
        assert all(owner in output for owner in project.spec.owners)
    assert "80 %, 100 % (actual); 80 %, 100 % (forecast)" in output
    total = sum(p.spec.budget.monthly_amount for p in plan.projects)
    assert f"{len(plan.projects)} projects budget {total:,.0f} per month; the environment budget is 60,000" in output
    assert "dashboard: dash-acme-common-cost-prod-sdc" in output


def test_cost_of_an_unknown_stack_exits_1_with_the_problem() -> None:
    result = runner.invoke(app, ["cost", "qa", "-C", str(REPO)])
    assert result.exit_code == 1
    assert "no such stack file" in result.output and "Traceback" not in result.output


def test_projects_lists_every_example_project_over_every_stack() -> None:
    result = runner.invoke(app, ["projects", "--json", "-C", str(REPO)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    loaded, problems = collect_projects(REPO / "projects", REPO)
    assert problems == [] and loaded
    assert [row["id"] for row in document["projects"]] == sorted(p.spec.id for p in loaded)
    assert document["stacks"] == ["dev", "stage", "prod"]
    for row, example in zip(document["projects"], sorted(loaded, key=lambda p: p.spec.id), strict=True):
        spec = example.spec
        assert (row["name"], row["type"], row["environments"]) == (spec.name, spec.type, spec.environments)
        assert sum(row["members"].values()) == len(spec.members)
        assert set(row["budget"]) == set(spec.environments)
        assert row["owners"] == spec.owners


def test_projects_of_one_stack_prints_a_table() -> None:
    loaded, _ = collect_projects(REPO / "projects", REPO)
    in_prod = [p.spec for p in loaded if "prod" in p.spec.environments]
    result = runner.invoke(app, ["projects", "prod", "-C", str(REPO)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert in_prod and all(spec.name in result.output for spec in in_prod)
    absent = [p.spec.name for p in loaded if "prod" not in p.spec.environments]
    assert absent and not any(name in result.output for name in absent)
    assert f"{len(in_prod)} projects in prod" in result.output


def test_projects_reports_an_invalid_project_with_exit_code_1(tmp_path: Path) -> None:
    for path in REPO.glob("Pulumi*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    shutil.copytree(REPO / "projects", tmp_path / "projects")
    broken = tmp_path / "projects" / "001-fraud-detection.yaml"
    broken.write_text(broken.read_text().replace("type: esml", "type: quantum"))
    result = runner.invoke(app, ["projects", "--json", "-C", str(tmp_path)])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["ok"] is False
