"""Sharded plans: parallel equals sequential, project stacks on their own, broken common outputs."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pulumi
import pytest
from typer.testing import CliRunner

from aifactory.cli.app import app
from aifactory.components.interfaces import COMMON_OUTPUT
from aifactory.offline import limits
from aifactory.offline.report import plan_document
from aifactory.offline.stack_run import run_stack
from tests.stack.runs import in_layout, layout_folder
from tests.support import shipped_project_ids

runner = CliRunner()
WIDE = {"COLUMNS": "250"}


def _common_outputs() -> dict[str, Any]:
    return dict(in_layout("dev", "sharded").stacks[0].run.outputs)


def test_the_parallel_plan_gives_the_same_plan_file_as_a_sequential_one() -> None:
    parallel = in_layout("dev", "sharded")
    assert parallel.workers == 2
    sequential = run_stack(layout_folder("dev", "sharded"), "dev", jobs=1)
    assert sequential.workers == 1
    assert json.dumps(plan_document(parallel)) == json.dumps(plan_document(sequential))


def test_a_project_stack_planned_alone_registers_what_the_environment_plan_did() -> None:
    environment = in_layout("dev", "sharded")
    alone = run_stack(layout_folder("dev", "sharded"), "dev-p002", recorded_common=_common_outputs())
    [within] = [s.run for s in environment.stacks if s.run.stack == "dev-p002"]
    assert [(r.urn, r.inputs) for r in alone.run.resources] == [(r.urn, r.inputs) for r in within.resources]
    assert alone.notes == ()


def test_without_recorded_outputs_the_common_stack_is_planned_first() -> None:
    alone = run_stack(layout_folder("dev", "sharded"), "dev-p001")
    assert alone.notes and "planned first" in alone.notes[0]
    assert {r.type for r in alone.run.resources} >= {"pulumi:pulumi:StackReference", "aifactory:projects:EsmlProject"}


def test_a_missing_common_output_stops_the_project_stack_with_what_to_do() -> None:
    with pytest.raises(pulumi.RunError) as raised:
        run_stack(layout_folder("dev", "sharded"), "dev-p001", recorded_common={"vnet_ids": {}})
    message = str(raised.value)
    assert "organization/aifactory/dev has no output 'common'" in message
    assert "run `pulumi up` on organization/aifactory/dev first" in message


def test_broken_common_outputs_are_listed_together() -> None:
    outputs = copy.deepcopy(_common_outputs())
    common = outputs[COMMON_OUTPUT]
    del common["vnet_ids"]["shard-01"]
    common["key_vault_id"] = 42
    common["lake"]["account_name"] = "stother"
    with pytest.raises(pulumi.RunError) as raised:
        run_stack(layout_folder("dev", "sharded"), "dev-p001", recorded_common=outputs)
    message = str(raised.value)
    assert "common.vnet_ids has no 'shard-01'" in message
    assert "common.key_vault_id is 42.0, not an Azure id or name" in message  # numbers pass the engine as floats
    assert "common.lake.account_name is 'stother', but this stack's plan names it" in message


def test_cli_plans_a_sharded_environment_then_a_project_stack_on_its_recorded_outputs(tmp_path: Path) -> None:
    folder = layout_folder("dev", "sharded")
    plans = folder / "plans"
    dev_ids = shipped_project_ids("dev")
    result = runner.invoke(app, ["plan", "dev", "-C", str(folder), "--jobs", "2"], env=WIDE)
    assert result.exit_code == 0, result.output  # the shipped stacks pass every mandatory guardrail
    assert "sharded layout: common stack dev" in result.output and f"{len(dev_ids)} project stacks" in result.output
    assert "longest dependency chain" in result.output
    document = json.loads((plans / "dev.json").read_text())
    assert document["layout"] == "sharded" and sorted(document["stacks"]) == [
        "dev",
        *(f"dev-p{i:03d}" for i in dev_ids),
    ]
    alone = runner.invoke(app, ["plan", "dev", "-C", str(folder), "--project", "3"], env=WIDE)
    assert alone.exit_code == 0, alone.output
    assert "003 " in alone.output and "common outputs: recorded in plans/dev.json" in alone.output
    assert (plans / "dev-p003.json").exists()
    (plans / "dev.json").write_text(json.dumps({**document, "stacks": {"dev": {"outputs": {}}}}))
    broken = runner.invoke(app, ["plan", "dev-p003", "-C", str(folder)], env=WIDE)
    assert broken.exit_code == 1
    assert "dev-p003 cannot be planned" in broken.output and "aifactory plan dev" in broken.output


def test_cli_exits_3_when_an_azure_limit_is_exceeded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    tight = limits.Limit("resource groups", "subscription", 2, True, "place projects in more subscriptions")
    monkeypatch.setattr(limits, "RESOURCE_GROUPS", tight)
    result = runner.invoke(app, ["plan", "dev", "-C", str(layout_folder("dev", "single")), "-o", str(tmp_path / "p")])
    assert result.exit_code == 3, result.output
    assert "resource groups in subscription" in result.output and "exceeds the limit of 2" in result.output
