"""Under pulumi up the program reads its own stack's last outputs and refuses to remove a protected project."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest

from aifactory.config.layout import stack_target
from aifactory.offline.runner import run_offline
from aifactory.plan.decommission import DEPLOYED_OUTPUT, deployed_projects
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.stacks import stack_contents
from aifactory.program import DEPLOYED_REFERENCE, guard_removals
from tests.support import SUBSCRIPTION, TENANT, factory_plan, project

FRAUD = project(1, "fraud-detection")
FORECAST = project(2, "demand-forecast")
OWN_STACK = "organization/aifactory/stage"


def _guarded(plan: FactoryPlan, last_outputs: dict[str, Any] | None) -> Any:
    """Run only the guard of ``plan``'s stage stack, its own stack's last outputs being ``last_outputs``."""
    recorded = {OWN_STACK: last_outputs} if last_outputs is not None else {}

    def program() -> None:
        checked = guard_removals(plan, stack_contents(plan, stack_target(plan.environment)))
        pulumi.export("removal_check", checked)

    return run_offline(
        program,
        project="aifactory",
        stack=plan.environment,
        config={},
        subscription_id=SUBSCRIPTION,
        tenant_id=TENANT,
        stack_outputs=recorded,
    )


def test_removing_a_protected_project_fails_the_run_before_anything_is_deleted(tmp_path: Path) -> None:
    before = factory_plan(tmp_path / "before", [FRAUD, FORECAST], environment="stage")
    after = factory_plan(tmp_path / "after", [FORECAST], environment="stage")
    with pytest.raises(pulumi.RunError, match=r"p001 \(fraud-detection\) is deployed in stage") as caught:
        _guarded(after, {DEPLOYED_OUTPUT: deployed_projects(before.projects)})
    assert "lifecycle: decommission" in str(caught.value)


def test_the_run_passes_after_the_project_was_decommissioned(tmp_path: Path) -> None:
    leaving = factory_plan(tmp_path / "before", [{**FRAUD, "lifecycle": "decommission"}, FORECAST], environment="stage")
    after = factory_plan(tmp_path / "after", [FORECAST], environment="stage")
    run = _guarded(after, {DEPLOYED_OUTPUT: deployed_projects(leaving.projects)})
    assert run.outputs["removal_check"] == 2  # both deployed projects were read and compared
    (reference,) = [r for r in run.resources if r.type == "pulumi:pulumi:StackReference"]
    assert reference.name == DEPLOYED_REFERENCE and reference.inputs["name"] == OWN_STACK


def test_a_first_deployment_has_no_record_and_passes(tmp_path: Path) -> None:
    plan = factory_plan(tmp_path, [FORECAST], environment="stage")
    assert _guarded(plan, None).outputs["removal_check"] == 0


def test_environments_that_protect_nothing_read_no_outputs(tmp_path: Path) -> None:
    plan = factory_plan(tmp_path, [FORECAST], environment="dev")
    run = _guarded(plan, None)
    assert run.resources == [] or all(r.type != "pulumi:pulumi:StackReference" for r in run.resources)
    assert run.outputs.get("removal_check") is None
