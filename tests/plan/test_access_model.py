"""The access model as a model: who can do what where, evaluated over the planned role assignments.

The cross-project properties hold for every pair of example projects in every shipped stack and for a
generated 300-project fleet; each persona can do its documented job; the team lead's delegation and
the registry permissions cannot be used to reach beyond the project.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import pytest

from aifactory.catalog.roles import role
from aifactory.offline.stack_run import load_plan
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.rbac.actions import ACTIONS, ROLE_ACTIONS, Action
from aifactory.plan.rbac.evaluator import AccessModel, project_principals
from aifactory.plan.rbac.model import PlannedRoleAssignment, ScopeRef
from tests.plan.test_rbac import ESML_ALL, EVERY_PERSONA, GENAI_ALL
from tests.support import factory_plan, load_benchmark, project

REPO = Path(__file__).resolve().parents[2]
ALLOWED_SHARED = {("pull_images", "common/container_registry"), ("read_data", "common/jump_host")}
"""What a project principal may do on a resource it does not own: pull the platform's base images, and sign in
to the common jump host as a regular user (Virtual Machine User Login, its way in to private endpoints)."""


def _cross_reach(plan: FactoryPlan) -> dict[str, set[tuple[Action, str]]]:
    """For each project principal, what it may do on resources of other projects or of the common platform."""
    model = AccessModel.of(plan)
    found: dict[str, set[tuple[Action, str]]] = {}
    for access in plan.access.projects.values():
        for principal in project_principals(access):
            foreign = {
                (action, key)
                for action, key in model.reach(principal, ACTIONS)
                if model.resources[key].workload != access.key and (action, key) not in ALLOWED_SHARED
            }
            if foreign:
                found[principal] = foreign
    return found


@cache
def _shipped(stack: str) -> FactoryPlan:
    return load_plan(REPO, stack)


@pytest.mark.parametrize("stack", ["dev", "stage", "prod"])
def test_no_project_principal_reaches_another_project_or_the_platform(stack: str) -> None:
    plan = _shipped(stack)
    assert len(plan.projects) >= 2  # every pair of the stack's example projects is covered
    assert _cross_reach(plan) == {}


@pytest.mark.parametrize("stack", ["dev", "stage", "prod"])
def test_projects_pull_platform_images_and_nothing_else_of_the_platform(stack: str) -> None:
    plan = _shipped(stack)
    model = AccessModel.of(plan)
    for access in plan.access.projects.values():
        own = {k for k, r in model.resources.items() if r.workload == access.key}
        for principal in project_principals(access):
            for action, key in model.reach(principal, ACTIONS):
                assert key in own or (action, key) in ALLOWED_SHARED, (principal, action, key)


def test_a_generated_300_project_fleet_keeps_every_project_to_itself(tmp_path: Path) -> None:
    load_benchmark().prepare(tmp_path, 300)
    plan = load_plan(tmp_path, "dev")
    assert len(plan.projects) == 300
    assert _cross_reach(plan) == {}


def test_the_model_would_see_a_cross_project_grant() -> None:
    """A failing input: one assignment that reaches another project is reported."""
    plan = _shipped("dev")
    rogue = dataclasses.replace(
        plan.access.projects[1].role_assignments[0],
        scope=ScopeRef("p003/storage"),
        role=role("Storage Blob Data Reader"),
        principal=plan.access.projects[1].identity,
        condition=None,
        delegation=None,
    )
    access = dataclasses.replace(
        plan.access,
        projects={
            **plan.access.projects,
            1: dataclasses.replace(
                plan.access.projects[1], role_assignments=(*plan.access.projects[1].role_assignments, rogue)
            ),
        },
    )
    assert _cross_reach(dataclasses.replace(plan, access=access)) == {"p001/identity": {("read_data", "p003/storage")}}


# --- each persona can do its documented job (docs/access.md) ------------------------------------------------


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> AccessModel:
    plan = factory_plan(
        tmp_path_factory.mktemp("fleet"),
        [
            project(7, "fraud", services=ESML_ALL, members=EVERY_PERSONA, delivery={"github": {"repository": "c/f"}}),
            project(9, "copilot", "genai", services={**GENAI_ALL, "container_registry": {}}, members=EVERY_PERSONA),
        ],
    )
    return AccessModel.of(plan)


JOBS: list[tuple[str, Action, str, bool]] = [
    # (principal, action, resource, allowed)
    ("p007/group/data-scientist", "write_data", "p007/storage", True),
    ("p007/group/data-scientist", "write_data", "p007/machine_learning", True),
    ("p007/group/data-scientist", "read_data", "p007/key_vault", True),
    ("p007/group/data-scientist", "change_network", "p007/machine_learning", False),
    ("p007/group/ml-engineer", "push_images", "p007/container_registry", True),
    ("p007/group/ml-engineer", "write_data", "p007/aks", True),
    ("p007/group/data-engineer", "write_data", "p007/data_factory", True),
    ("p007/group/data-engineer", "write_data", "p007/event_hubs", True),
    ("p007/group/reader", "read_data", "p007/storage", True),
    ("p007/group/reader", "write_data", "p007/storage", False),
    ("p007/group/reader", "read_data", "p007/key_vault", False),  # names only
    ("p007/group/team-lead", "write_data", "p007/key_vault", True),
    ("p007/group/team-lead", "change_network", "p007/storage", False),
    ("p007/group/team-lead", "delete_resources", "p007/storage", False),
    ("p007/group/team-lead", "assign_roles", "p007/storage", True),  # within the allowlist, see below
    ("p007/identity", "write_data", "p007/storage", True),
    ("p007/identity", "push_images", "p007/container_registry", True),
    ("p007/identity", "push_images", "common/container_registry", False),
    ("p007/workload/aks-kubelet", "pull_images", "p007/container_registry", True),
    ("p007/workload/aks-kubelet", "read_data", "p007/storage", False),  # pods reach the node's tokens
    ("p007/workload/aks-kubelet", "push_images", "p007/container_registry", False),
    ("p007/deployment", "push_images", "p007/container_registry", True),
    ("p007/deployment", "write_data", "p007/machine_learning", True),
    ("p007/deployment", "change_network", "p007/storage", False),
    ("p009/group/ai-developer", "write_data", "p009/ai_foundry", True),
    ("p009/group/ai-developer", "write_data", "p009/ai_search", True),
    ("p009/group/app-developer", "write_data", "p009/web_app", True),
    ("p009/group/app-developer", "read_data", "p009/storage", True),
    ("p009/group/app-developer", "write_data", "p009/storage", False),
    ("p009/identity", "write_data", "p009/ai_search", True),
    ("p009/identity", "read_data", "p007/storage", False),
]


@pytest.mark.parametrize(("principal", "action", "resource", "allowed"), JOBS)
def test_each_persona_can_do_its_job_and_no_more(
    model: AccessModel, principal: str, action: Action, resource: str, allowed: bool
) -> None:
    assert model.can(principal, action, resource) is allowed


def test_members_act_through_their_persona_group(tmp_path: Path) -> None:
    members = [{"principal": "anna@contoso.com", "persona": "data-scientist"}]
    plan = factory_plan(tmp_path, [project(7, "fraud", members=members)])
    model = AccessModel.of(plan)
    member = "p007/member/user:anna@contoso.com"
    assert "p007/group/data-scientist" in model.principals_of(member)
    assert model.can(member, "write_data", "p007/storage")
    assert not model.can(member, "write_data", "p007/key_vault")


# --- the team lead's delegation -----------------------------------------------------------------------------


def test_the_team_lead_cannot_grant_contributor_or_anything_that_reconfigures(model: AccessModel) -> None:
    lead = "p007/group/team-lead"
    for name in (
        "Contributor",
        "Owner",
        "User Access Administrator",
        "Network Contributor",
        "Data Factory Contributor",
    ):
        assert not model.can_assign(lead, name, "Group", "p007/resource_group"), name
        assert not model.can_assign(lead, name, "Group", "p007/storage"), name


def test_the_team_lead_grants_day_to_day_roles_to_groups_inside_the_project(model: AccessModel) -> None:
    lead = "p007/group/team-lead"
    assert model.can_assign(lead, "Storage Blob Data Reader", "Group", "p007/storage")
    assert model.can_assign(lead, "AzureML Data Scientist", "Group", "p007/machine_learning")
    assert not model.can_assign(lead, "Storage Blob Data Reader", "ServicePrincipal", "p007/storage")
    assert not model.can_assign(lead, "Storage Blob Data Reader", "Group", "p009/storage")
    assert not model.can_assign("p007/group/data-scientist", "Reader", "Group", "p007/resource_group")


def test_every_role_the_factory_assigns_has_an_action_row(model: AccessModel) -> None:
    plan = _shipped("prod")
    assigned = {a.role.name for a in plan.access.all_assignments}
    assert assigned <= set(ROLE_ACTIONS)
    assert all(row.basis for row in ROLE_ACTIONS.values())


def test_an_unconditioned_administrator_could_grant_anything() -> None:
    """The control: without the allowlist the same holder could hand out Contributor."""
    plan = _shipped("dev")
    lead = next(a for a in plan.access.projects[1].role_assignments if a.delegation is not None)
    assert isinstance(lead, PlannedRoleAssignment)
    unconditioned = dataclasses.replace(lead, condition=None, delegation=None)
    model = AccessModel(AccessModel.of(plan).resources.values(), [unconditioned], {})
    assert model.can_assign(lead.principal.key, "Contributor", "User", "p001/storage")
