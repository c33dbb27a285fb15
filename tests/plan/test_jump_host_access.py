"""Project members reach their private workspace through the common Bastion and jump host, unless turned off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aifactory.plan.factory import FactoryPlan
from aifactory.plan.rbac.model import PlannedRoleAssignment
from tests.support import factory_plan, project

MEMBERS = [
    {"principal": "lead@contoso.com", "persona": "team-lead"},
    {"principal": "ds@contoso.com", "persona": "data-scientist"},
    {"principal": "reader@contoso.com", "persona": "reader"},
]
WANTED = {
    ("common/bastion", "Reader"),
    ("common/jump_host", "Reader"),
    ("common/jump_host", "Virtual Machine User Login"),
    ("common/jump_host_nic", "Reader"),
}


def _plan(tmp_path: Path, **shared: Any) -> FactoryPlan:
    return factory_plan(tmp_path, [project(1, "alpha", members=MEMBERS)], shared_services=shared)


def _jump_host_grants(plan: FactoryPlan) -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = {}
    assignments: tuple[PlannedRoleAssignment, ...] = plan.access.projects[1].role_assignments
    for assignment in assignments:
        if assignment.scope.key in {key for key, _ in WANTED}:
            found.setdefault(assignment.principal.key, set()).add((assignment.scope.key, assignment.role.name))
    return found


def test_every_persona_group_gets_bastion_and_jump_host_access(tmp_path: Path) -> None:
    plan = _plan(tmp_path, bastion=True, jump_host=True)
    grants = _jump_host_grants(plan)
    assert set(grants) == {"p001/group/team-lead", "p001/group/data-scientist", "p001/group/reader"}
    assert all(scopes == WANTED for scopes in grants.values())
    assert {s.key for s in plan.common_services} >= {"bastion", "jump_host"}
    assert "common/jump_host_nic" in plan.common_service("jump_host").scope_keys


@pytest.mark.parametrize(
    "shared",
    [
        {"bastion": True, "jump_host": True, "members_use_jump_host": False},
        {"bastion": True, "jump_host": False},
        {"bastion": False, "jump_host": True},
    ],
)
def test_no_jump_host_access_when_turned_off_or_missing(tmp_path: Path, shared: dict[str, bool]) -> None:
    assert _jump_host_grants(_plan(tmp_path, **shared)) == {}


def test_the_switch_does_not_change_the_team_leads_delegation(tmp_path: Path) -> None:
    on = _plan(tmp_path / "on", bastion=True, jump_host=True).access.projects[1].delegation
    off = _plan(tmp_path / "off", bastion=True, jump_host=True, members_use_jump_host=False).access.projects[1]
    assert on == off.delegation


def test_members_granted_directly_get_it_too(tmp_path: Path) -> None:
    plan = factory_plan(
        tmp_path,
        [project(1, "alpha", members=MEMBERS)],
        shared_services={"bastion": True, "jump_host": True},
        identity={"manage_groups": False, "lake_traverse_group": "2b3c4d5e-0000-4000-8000-000000000999"},
    )
    grants = _jump_host_grants(plan)
    assert set(grants) == {f"p001/member/user:{m['principal']}" for m in MEMBERS}
