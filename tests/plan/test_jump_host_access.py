"""Project members reach their private workspace through the common Bastion and jump host, unless turned off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aifactory.plan.factory import FactoryPlan
from aifactory.plan.rbac.model import PlannedRoleAssignment
from aifactory.plan.rbac.principals import JUMP_HOST_USERS_KEY
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
    """Who holds which of the jump-host roles, over the common and the project's assignments."""
    found: dict[str, set[tuple[str, str]]] = {}
    scopes = {key for key, _ in WANTED}
    assignments: tuple[PlannedRoleAssignment, ...] = plan.access.all_assignments
    for assignment in assignments:
        if assignment.scope.key in scopes:
            found.setdefault(assignment.principal.key, set()).add((assignment.scope.key, assignment.role.name))
    return found


def test_one_group_of_every_persona_group_holds_the_bastion_and_jump_host_roles(tmp_path: Path) -> None:
    plan = _plan(tmp_path, bastion=True, jump_host=True)
    assert _jump_host_grants(plan) == {JUMP_HOST_USERS_KEY: WANTED}
    group = plan.access.jump_host_users
    assert group is not None and group in plan.access.common_groups
    joined = {m.member.key for m in plan.access.projects[1].memberships if m.group.key == JUMP_HOST_USERS_KEY}
    assert joined == {"p001/group/team-lead", "p001/group/data-scientist", "p001/group/reader"}
    assert "common/jump_host_nic" in plan.common_service("jump_host").scope_keys


def test_the_group_keeps_the_assignment_count_flat_as_projects_grow(tmp_path: Path) -> None:
    small = _plan(tmp_path / "one", bastion=True, jump_host=True)
    many = factory_plan(
        tmp_path / "many",
        [project(i, f"team-{i:03d}", members=MEMBERS) for i in range(1, 21)],
        shared_services={"bastion": True, "jump_host": True},
    )
    assert len(many.access.common_assignments) == len(small.access.common_assignments)


@pytest.mark.parametrize(
    "shared",
    [
        {"bastion": True, "jump_host": True, "members_use_jump_host": False},
        {"bastion": True, "jump_host": False},
        {"bastion": False, "jump_host": True},
    ],
)
def test_no_jump_host_access_when_turned_off_or_missing(tmp_path: Path, shared: dict[str, bool]) -> None:
    plan = _plan(tmp_path, **shared)
    assert _jump_host_grants(plan) == {}
    assert plan.access.jump_host_users is None


def test_the_switch_does_not_change_the_team_leads_delegation(tmp_path: Path) -> None:
    on = _plan(tmp_path / "on", bastion=True, jump_host=True).access.projects[1].delegation
    off = _plan(tmp_path / "off", bastion=True, jump_host=True, members_use_jump_host=False).access.projects[1]
    assert on == off.delegation


def test_without_managed_groups_each_member_is_granted_directly(tmp_path: Path) -> None:
    plan = factory_plan(
        tmp_path,
        [project(1, "alpha", members=MEMBERS)],
        shared_services={"bastion": True, "jump_host": True},
        identity={"manage_groups": False, "lake_traverse_group": "2b3c4d5e-0000-4000-8000-000000000999"},
    )
    grants = _jump_host_grants(plan)
    assert grants == {f"p001/member/user:{m['principal']}": WANTED for m in MEMBERS}
    assert plan.access.jump_host_users is None
