"""lifecycle: decommission and the removal check, as pure decisions over plans."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aifactory.errors import ConfigError
from aifactory.plan.decommission import DeployedProject, deployed_projects, parse_deployed, removal_problems
from aifactory.plan.factory import FactoryPlan
from tests.support import factory_plan, project

FRAUD = project(1, "fraud-detection")
FORECAST = project(2, "demand-forecast")


def _plan(folder: Path, projects: list[dict[str, Any]], environment: str) -> FactoryPlan:
    return factory_plan(folder / environment / str(len(list(folder.iterdir()))), projects, environment=environment)


def _record(plan: FactoryPlan) -> dict[str, DeployedProject]:
    """What a deployment of ``plan`` leaves in the stack's outputs, read back as the program reads it."""
    return parse_deployed(deployed_projects(plan.projects))


def test_decommission_lifts_protection_and_locks_of_that_project_only(tmp_path: Path) -> None:
    plan = _plan(tmp_path, [{**FRAUD, "lifecycle": "decommission"}, FORECAST], "stage")
    fraud, forecast = plan.project(1), plan.project(2)
    assert not fraud.protected
    assert not any(s.protect or s.lock_protected for s in fraud.services)
    assert forecast.protected
    assert all(s.protect for s in forecast.services if s.lifecycle != "none")


def test_decommission_changes_nothing_but_the_lifecycle(tmp_path: Path) -> None:
    active = _plan(tmp_path, [FRAUD], "stage").project(1)
    leaving = _plan(tmp_path, [{**FRAUD, "lifecycle": "decommission"}], "stage").project(1)
    strip = [(s.logical_name, s.azure_name, s.endpoints, s.scope_keys) for s in active.services]
    assert strip == [(s.logical_name, s.azure_name, s.endpoints, s.scope_keys) for s in leaving.services]
    assert active.network == leaving.network and active.tags == leaving.tags


def test_an_override_decommissions_one_environment(tmp_path: Path) -> None:
    spec = {**FRAUD, "overrides": {"prod": {"lifecycle": "decommission"}}}
    assert _plan(tmp_path, [spec], "stage").project(1).protected
    assert not _plan(tmp_path, [spec], "prod").project(1).protected


def test_an_unknown_lifecycle_is_rejected_with_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        _plan(tmp_path, [{**FRAUD, "lifecycle": "retired"}], "stage")
    (problem,) = caught.value.problems
    assert problem.field == "lifecycle"
    assert "decommission" in f"{problem.message} {problem.fix}"


def test_removing_a_protected_project_fails_with_the_procedure(tmp_path: Path) -> None:
    deployed = _record(_plan(tmp_path, [FRAUD, FORECAST], "stage"))
    problems = removal_problems(deployed, _plan(tmp_path, [FORECAST], "stage"))
    (problem,) = problems
    assert problem.file == "projects/001-fraud-detection.yaml"
    assert "p001 (fraud-detection) is deployed in stage with protected" in problem.message
    assert "lifecycle: decommission" in problem.fix
    assert "overrides.stage.lifecycle: decommission" in problem.fix
    assert "pulumi up" in problem.fix
    assert "docs/decommission.md" in problem.fix


def test_dropping_the_environment_from_the_file_is_a_removal_too(tmp_path: Path) -> None:
    deployed = _record(_plan(tmp_path, [FRAUD], "stage"))
    leaves_stage = {**FRAUD, "environments": ["dev", "prod"]}
    assert [p.value for p in removal_problems(deployed, _plan(tmp_path, [leaves_stage], "stage"))] == [
        "001 (fraud-detection)"
    ]


def test_a_decommissioned_project_may_be_removed(tmp_path: Path) -> None:
    decommissioned = _record(_plan(tmp_path, [{**FRAUD, "lifecycle": "decommission"}, FORECAST], "stage"))
    assert not decommissioned["p001"].protected
    assert removal_problems(decommissioned, _plan(tmp_path, [FORECAST], "stage")) == []


def test_dev_protects_nothing_so_projects_leave_freely(tmp_path: Path) -> None:
    deployed = _record(_plan(tmp_path, [FRAUD, FORECAST], "dev"))
    assert not any(p.protected for p in deployed.values())
    assert removal_problems(deployed, _plan(tmp_path, [FORECAST], "dev")) == []


def test_projects_still_planned_are_not_removals(tmp_path: Path) -> None:
    plan = _plan(tmp_path, [FRAUD, FORECAST], "stage")
    assert removal_problems(_record(plan), plan) == []


def test_the_record_reads_back_and_ignores_what_it_cannot_read(tmp_path: Path) -> None:
    plan = _plan(tmp_path, [FRAUD], "prod")
    record = deployed_projects(plan.projects)
    assert record == {
        "p001": {"id": 1, "name": "fraud-detection", "file": "projects/001-fraud-detection.yaml", "protected": True}
    }
    assert parse_deployed(record) == {"p001": DeployedProject.of(plan.project(1))}
    assert parse_deployed(None) == {} and parse_deployed("x") == {}
    assert parse_deployed({"p001": "x", "p002": {"id": "2", "name": "a"}}) == {}
    assert parse_deployed({"p003": {"id": 3, "name": "c", "protected": True}})["p003"].file == "projects/003-c.yaml"
    # Stack outputs come back from the engine with numbers as floats.
    assert parse_deployed({"p004": {"id": 4.0, "name": "d", "protected": True}})["p004"].id == 4
    assert parse_deployed({"p005": {"id": 5.5, "name": "e"}, "p006": {"id": True, "name": "f"}}) == {}
