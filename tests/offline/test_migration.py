"""Moving a project between the layouts: the state move the commands perform leaves nothing to create,
replace or delete but the project stack's root component and its StackReference.

The move is simulated the way ``pulumi state move`` rewrites state: the named resource and all its
children move, only the stack part of their URNs changes, and the providers they use are copied.
"""

from __future__ import annotations

import re
import shlex
from typing import Literal

import pytest
from typer.testing import CliRunner

from aifactory.cli.app import app
from aifactory.offline.migration import ProjectMove, move_commands, plan_moves
from aifactory.offline.mocks import RecordedResource
from aifactory.offline.runner import OfflineRun
from tests.stack.runs import in_layout, layout_folder, without_stack

runner = CliRunner()


def _moved(source: OfflineRun, urn: str) -> dict[str, RecordedResource]:
    """What ``pulumi state move <urn>`` takes out of ``source``: the resource and all its children."""
    taken = {urn}
    grew = True
    while grew:
        grew = False
        for record in source.resources:
            if record.parent in taken and record.urn not in taken:
                taken.add(record.urn)
                grew = True
    return {without_stack(r.urn, source.stack): r for r in source.resources if r.urn in taken}


def _state_move_urns(lines: list[str]) -> list[tuple[str, str, str]]:
    found = []
    for line in lines:
        if line.startswith("pulumi state move"):
            words = shlex.split(line)
            found.append((words[words.index("--source") + 1], words[words.index("--dest") + 1], words[-1]))
    return found


@pytest.fixture(scope="module")
def moves() -> list[ProjectMove]:
    return plan_moves(layout_folder("dev", "single"), "dev")


@pytest.mark.parametrize("to", ["sharded", "single"])
def test_the_moved_state_is_exactly_what_the_destination_program_registers(
    moves: list[ProjectMove], to: Literal["sharded", "single"]
) -> None:
    single, sharded = in_layout("dev", "single"), in_layout("dev", "sharded")
    project_runs = {part.run.stack: part.run for part in sharded.stacks[1:]}
    lines = move_commands(moves, "dev", to, project="aifactory", stack_file="Pulumi.dev.yaml")
    commands = _state_move_urns(lines)
    assert len(commands) == len(sharded.plan.projects) == len(moves)
    for (source, dest, urn), move in zip(commands, moves, strict=True):
        project_run = project_runs[move.project_stack]
        source_run, dest_run = (single.run, project_run) if to == "sharded" else (project_run, single.run)
        assert source == f"organization/aifactory/{source_run.stack}"
        assert dest == f"organization/aifactory/{dest_run.stack}"
        moved = _moved(source_run, urn)
        assert len(moved) == move.resources
        registered = {without_stack(r.urn, dest_run.stack): r for r in dest_run.resources}
        for key, state in moved.items():
            assert key in registered, f"{key} would be deleted"
            goal = registered[key]
            assert (goal.type, goal.inputs, goal.protect) == (state.type, state.inputs, state.protect), key
            if state.provider:
                assert goal.provider, key
                provider = without_stack(state.provider.rsplit("::", 1)[0], source_run.stack)
                assert without_stack(goal.provider.rsplit("::", 1)[0], dest_run.stack) == provider, key
        if to == "sharded":
            created = {
                r.type
                for key, r in registered.items()
                if key not in moved and not r.type.startswith("pulumi:providers:")
            }
            assert created == {"aifactory:index:AIFactory", "pulumi:pulumi:StackReference"}


def test_move_commands_for_one_project_on_the_command_line() -> None:
    result = runner.invoke(
        app, ["layout", "move-commands", "dev", "--project", "3", "-C", str(layout_folder("dev", "single"))]
    )
    assert result.exit_code == 0, result.output
    assert "pulumi stack init organization/aifactory/dev-p003" in result.output
    assert re.search(
        r"pulumi state move --source organization/aifactory/dev --dest organization/aifactory/dev-p003 --yes "
        r"'urn:pulumi:dev::aifactory::aifactory:index:AIFactory\$aifactory:projects:GenAIProject::p003'",
        result.output,
    )
    back = runner.invoke(
        app, ["layout", "move-commands", "dev", "-p", "3", "--to", "single", "--organization", "acme", "-C",
              str(layout_folder("dev", "single"))],
    )  # fmt: skip
    assert back.exit_code == 0, back.output
    assert "--source acme/aifactory/dev-p003 --dest acme/aifactory/dev" in back.output
    assert "pulumi stack rm acme/aifactory/dev-p003" in back.output


def test_move_commands_refuse_a_project_that_is_not_deployed() -> None:
    result = runner.invoke(
        app, ["layout", "move-commands", "dev", "-p", "42", "-C", str(layout_folder("dev", "single"))]
    )
    assert result.exit_code == 1
    assert "no such project is deployed in dev" in result.output
