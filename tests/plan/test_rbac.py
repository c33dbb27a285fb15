"""The RBAC plan: personas to roles and scopes, least privilege, stable names, member changes, the limit."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from aifactory.catalog.personas import PROJECT_PERSONAS
from aifactory.catalog.roles import PRIVILEGED, ROLES, role
from aifactory.config.loader import FactoryConfig
from aifactory.config.project import ProjectSpec
from aifactory.config.resolve import apply_environment_defaults
from aifactory.config.stack import StackConfig
from aifactory.errors import ConfigError
from aifactory.plan.factory import make_namer
from aifactory.plan.rbac import (
    GITHUB_AUDIENCE,
    GITHUB_ISSUER,
    LAKE_TRAVERSE_KEY,
    AccessPlan,
    ProjectAccess,
    plan_access,
)
from aifactory.plan.rbac.delegation import NOT_DELEGABLE
from tests.support import factory_plan, project, stack_values

ESML_ALL: dict[str, dict[str, Any]] = {
    "machine_learning": {},
    "databricks": {},
    "data_factory": {},
    "aks": {},
    "event_hubs": {},
    "container_registry": {},
}
GENAI_ALL: dict[str, dict[str, Any]] = {
    "ai_foundry": {},
    "ai_search": {},
    "cosmos_db": {},
    "container_apps": {},
    "web_app": {},
    "event_hubs": {},
}
EVERY_PERSONA = [
    {"principal": f"2b3c4d5e-0000-4000-8000-00000000000{i}", "kind": "group", "persona": persona}
    for i, persona in enumerate(PROJECT_PERSONAS)
]
GITHUB = {"github": {"repository": "contoso/fraud-detection"}}


def _spec(project_id: int, type_: str = "esml", environment: str = "dev", **fields: Any) -> ProjectSpec:
    spec = ProjectSpec.model_validate(project(project_id, f"proj-{project_id}", type_, **fields))
    return apply_environment_defaults(spec, environment)  # type: ignore[arg-type]


def _plan(specs: list[ProjectSpec], **stack: Any) -> AccessPlan:
    config = FactoryConfig(
        stack=StackConfig.model_validate(stack_values(**stack)),
        stack_file="Pulumi.dev.yaml",
        projects=tuple(specs),
    )
    return plan_access(config, make_namer(config.stack))


def _grants(access: ProjectAccess, principal_key: str) -> set[tuple[str, str]]:
    """(scope resource, role) pairs of one principal, scope relative to the project or common."""
    return {
        (a.scope.key.removeprefix(f"{access.key}/"), a.role.name)
        for a in access.role_assignments
        if a.principal.key == principal_key
    }


@pytest.fixture(scope="module")
def esml() -> ProjectAccess:
    spec = _spec(7, services=ESML_ALL, members=EVERY_PERSONA, delivery=GITHUB)
    return _plan([spec]).projects[7]


@pytest.fixture(scope="module")
def genai() -> ProjectAccess:
    spec = _spec(9, "genai", services=GENAI_ALL, members=EVERY_PERSONA, delivery=GITHUB)
    return _plan([spec]).projects[9]


def test_team_lead_manages_the_esml_project_without_owning_it(esml: ProjectAccess) -> None:
    assert _grants(esml, "p007/group/team-lead") == {
        ("resource_group", "Reader"),
        ("resource_group", "Cost Management Reader"),
        ("resource_group", "Role Based Access Control Administrator"),
        ("storage", "Storage Blob Data Contributor"),
        ("storage", "Storage File Data Privileged Contributor"),
        ("key_vault", "Key Vault Secrets Officer"),
        ("machine_learning", "AzureML Data Scientist"),
        ("machine_learning", "AzureML Compute Operator"),
        ("databricks", "Contributor"),
        ("data_factory", "Data Factory Contributor"),
        ("aks", "Azure Kubernetes Service Cluster User Role"),
        ("aks", "Azure Kubernetes Service RBAC Writer"),
        ("event_hubs", "Azure Event Hubs Data Sender"),
        ("event_hubs", "Azure Event Hubs Data Receiver"),
        ("container_registry", "AcrPush"),
    }


def test_data_scientist_trains_and_reads_but_runs_no_compute(esml: ProjectAccess) -> None:
    assert _grants(esml, "p007/group/data-scientist") == {
        ("resource_group", "Reader"),
        ("storage", "Storage Blob Data Contributor"),
        ("storage", "Storage File Data Privileged Contributor"),
        ("key_vault", "Key Vault Secrets User"),
        ("machine_learning", "AzureML Data Scientist"),
        ("event_hubs", "Azure Event Hubs Data Receiver"),
        ("container_registry", "AcrPull"),
    }


def test_ml_engineer_runs_compute_and_deploys_to_aks(esml: ProjectAccess) -> None:
    grants = _grants(esml, "p007/group/ml-engineer")
    assert {
        ("machine_learning", "AzureML Compute Operator"),
        ("aks", "Azure Kubernetes Service RBAC Writer"),
        ("container_registry", "AcrPush"),
    } <= grants
    assert ("data_factory", "Data Factory Contributor") not in grants
    assert ("databricks", "Contributor") not in grants


def test_data_engineer_authors_pipelines_but_not_models(esml: ProjectAccess) -> None:
    grants = _grants(esml, "p007/group/data-engineer")
    assert ("data_factory", "Data Factory Contributor") in grants
    assert not {s for s, _ in grants} & {"machine_learning", "aks", "databricks"}


def test_reader_only_reads(esml: ProjectAccess, genai: ProjectAccess) -> None:
    assert _grants(esml, "p007/group/reader") == {
        ("resource_group", "Reader"),
        ("storage", "Storage Blob Data Reader"),
        ("storage", "Storage File Data Privileged Reader"),
        ("key_vault", "Key Vault Reader"),
    }
    assert _grants(genai, "p009/group/reader") == {
        ("resource_group", "Reader"),
        ("storage", "Storage Blob Data Reader"),
        ("key_vault", "Key Vault Reader"),
        ("ai_search", "Search Index Data Reader"),
    }
    readers = [a for a in genai.data_plane_assignments if a.principal.key == "p009/group/reader"]
    assert [(a.scope.key, a.role.name) for a in readers] == [("p009/cosmos_db", "Cosmos DB Built-in Data Reader")]


def test_genai_personas(genai: ProjectAccess) -> None:
    assert _grants(genai, "p009/group/ai-developer") == {
        ("resource_group", "Reader"),
        ("storage", "Storage Blob Data Contributor"),
        ("key_vault", "Key Vault Secrets User"),
        ("ai_foundry", "Foundry User"),
        ("ai_search", "Search Service Contributor"),
        ("ai_search", "Search Index Data Contributor"),
        ("event_hubs", "Azure Event Hubs Data Receiver"),
    }
    app = _grants(genai, "p009/group/app-developer")
    assert {
        ("resource_group", "Container Apps Operator"),
        ("web_app", "Website Contributor"),
        ("ai_foundry", "Foundry User"),
        ("ai_search", "Search Index Data Reader"),
        ("storage", "Storage Blob Data Reader"),
    } <= app
    lead = _grants(genai, "p009/group/team-lead")
    assert {("ai_foundry", "Foundry Project Manager"), ("cosmos_db", "Cosmos DB Operator")} <= lead


def test_every_persona_sees_its_project_and_nothing_common(esml: ProjectAccess, genai: ProjectAccess) -> None:
    for access in (esml, genai):
        for grantee in access.grantees:
            grants = _grants(access, grantee.principal.key)
            assert ("resource_group", "Reader") in grants
            assert not [s for s, _ in grants if s.startswith("common/")], grantee.persona


def test_service_identity_runs_the_services_keylessly(esml: ProjectAccess, genai: ProjectAccess) -> None:
    assert _grants(esml, "p007/identity") == {
        ("storage", "Storage Blob Data Contributor"),
        ("storage", "Contributor"),
        ("storage", "Storage Queue Data Contributor"),
        ("storage", "Storage Table Data Contributor"),
        ("key_vault", "Contributor"),
        ("key_vault", "Key Vault Administrator"),
        ("application_insights", "Contributor"),
        ("application_insights", "Monitoring Metrics Publisher"),
        ("machine_learning", "Contributor"),
        ("container_registry", "Contributor"),  # includes AcrPush (pull/read, push/write)
        ("network/aks", "Network Contributor"),
        ("managed_identity/aks-kubelet", "Managed Identity Operator"),
        ("event_hubs", "Azure Event Hubs Data Sender"),
        ("event_hubs", "Azure Event Hubs Data Receiver"),
    }
    genai_identity = _grants(genai, "p009/identity")
    assert {
        ("ai_foundry", "Foundry User"),
        ("ai_search", "Search Service Contributor"),
        ("ai_search", "Search Index Data Contributor"),
        ("cosmos_db", "Cosmos DB Operator"),
        ("common/container_registry", "AcrPull"),
        ("key_vault", "Key Vault Secrets User"),
    } <= genai_identity
    data = [(a.scope.key, a.role.name) for a in genai.data_plane_assignments if a.principal.key == "p009/identity"]
    assert data == [("p009/cosmos_db", "Cosmos DB Built-in Data Contributor")]


def test_included_roles_are_not_assigned_twice(esml: ProjectAccess) -> None:
    identity = _grants(esml, "p007/identity")
    assert ("key_vault", "Key Vault Secrets User") not in identity  # Key Vault Administrator includes it
    lead = [a for a in esml.data_plane_assignments if a.principal.key == "p007/group/team-lead"]
    assert lead == []  # no Cosmos DB in this project


def test_shared_registry_is_pull_only_for_projects() -> None:
    genai = {"ai_foundry": {"agents": False}, "container_apps": {}}
    access = _plan([_spec(9, "genai", services=genai, delivery=GITHUB)]).projects[9]
    registry = {
        (a.principal.key, a.role.name) for a in access.role_assignments if a.scope.key == "common/container_registry"
    }
    assert registry == {("p009/identity", "AcrPull")}  # CI and the identity never push to the shared registry


def test_esml_projects_build_images_into_their_own_registry() -> None:
    access = _plan([_spec(7, services={"machine_learning": {}}, delivery=GITHUB)]).projects[7]
    assert not [a for a in access.role_assignments if a.scope.key == "common/container_registry"]
    assert {("p007/identity", "Contributor"), ("p007/deployment", "AcrPush")} <= {
        (a.principal.key, a.role.name) for a in access.role_assignments if a.scope.key == "p007/container_registry"
    }


def test_the_kubelet_has_its_own_identity_that_only_pulls_images(esml: ProjectAccess) -> None:
    (kubelet,) = esml.workload_identities
    assert kubelet.name == "aks-kubelet"
    assert kubelet.resource_name == "id-acme-p007-proj-7-aks-kubelet-dev-sdc"
    assert _grants(esml, kubelet.ref.key) == {("container_registry", "AcrPull")}
    without_registry = {"machine_learning": {"enabled": False}, "aks": {}, "container_registry": {"enabled": False}}
    shared = _plan([_spec(7, services=without_registry)]).projects[7]
    assert _grants(shared, "p007/workload/aks-kubelet") == {("common/container_registry", "AcrPull")}


def test_deployment_principal_deploys_code_not_infrastructure(esml: ProjectAccess, genai: ProjectAccess) -> None:
    grants = _grants(esml, "p007/deployment") | _grants(genai, "p009/deployment")
    assert ("machine_learning", "AzureML Data Scientist") in grants
    assert ("resource_group", "Container Apps Contributor") in grants
    assert ("managed_identity", "Managed Identity Operator") in grants
    assert not {r for _, r in grants} & PRIVILEGED
    assert ("resource_group", "Contributor") not in grants


def test_core_team_grants() -> None:
    plan = _plan([_spec(7)], shared_services={"data_factory": True})
    common = {(a.principal.key.split("/")[1], a.scope.key, a.role.name) for a in plan.common_assignments}
    assert common == {
        ("platform-admin", "common/resource_group", "Contributor"),
        ("platform-admin", "common/key_vault", "Key Vault Secrets Officer"),
        ("platform-admin", "common/container_registry", "AcrPush"),
        ("data-ops", "common/resource_group", "Reader"),
        ("data-ops", "common/key_vault", "Key Vault Secrets Officer"),
        ("data-ops", "common/data_factory", "Data Factory Contributor"),
        ("lake-traverse", "common/datalake", "Reader"),
    }
    with_jump_host = _plan([_spec(7)], shared_services={"jump_host": True})
    logins = {
        (a.principal.key.split("/")[1], a.role.name)
        for a in with_jump_host.common_assignments
        if a.role.name.startswith("Virtual Machine")
    }
    assert logins == {
        ("platform-admin", "Virtual Machine Administrator Login"),
        ("data-ops", "Virtual Machine User Login"),
    }
    on_project = {
        (a.principal.key.split("/")[1], a.scope.key, a.role.name)
        for a in plan.projects[7].role_assignments
        if a.principal.key.startswith("common/")
    }
    assert on_project == {("platform-admin", "p007/resource_group", "Reader")}
    core = [a for a in plan.all_assignments if a.principal.key.startswith("common/platform-admin/")]
    assert all(a.principal.object_id == "11111111-0000-4000-8000-000000000001" for a in core)


def test_no_privileged_role_goes_to_project_members(esml: ProjectAccess, genai: ProjectAccess) -> None:
    direct = _plan(
        [
            _spec(7, services=ESML_ALL, members=EVERY_PERSONA),
            _spec(9, "genai", services=GENAI_ALL, members=EVERY_PERSONA),
        ],
        identity={"manage_groups": False, "lake_traverse_group": "44444444-0000-4000-8000-000000000001"},
    )
    for access in (esml, genai, *direct.projects.values()):
        for assignment in access.role_assignments:
            if assignment.role.name not in PRIVILEGED:
                continue
            assert assignment.role.name == "Role Based Access Control Administrator", assignment
            assert access.delegation is not None
            assert assignment.delegation == access.delegation
            assert assignment.condition == access.delegation.condition
            assert assignment.scope.key == f"{access.key}/resource_group"
            lead_member = f"{access.key}/member/group:2b3c4d5e-0000-4000-8000-000000000000"
            assert assignment.principal.key in {f"{access.key}/group/team-lead", lead_member}


def test_the_lead_may_assign_only_day_to_day_roles(esml: ProjectAccess, genai: ProjectAccess) -> None:
    for access in (esml, genai):
        delegation = access.delegation
        assert delegation is not None
        allowed = {r.name for r in delegation.roles}
        assert not allowed & PRIVILEGED
        assert not allowed & {
            "Contributor",
            "Network Contributor",
            "Search Service Contributor",
            "Data Factory Contributor",
        }
        assert {"Storage Blob Data Contributor", "Reader", "Key Vault Secrets User"} <= allowed
        assert "Contributor" in delegation.withheld or access is genai
        assert delegation.principal_types == ("Group",)  # persona groups are managed


def test_the_allowlist_is_derived_from_the_persona_role_sets(esml: ProjectAccess) -> None:
    persona_roles = {
        a.role.name
        for a in esml.role_assignments
        if a.principal.key.startswith("p007/group/") and a.role.name != "Role Based Access Control Administrator"
    }
    delegation = esml.delegation
    assert delegation is not None
    assert {r.name for r in delegation.roles} | set(delegation.withheld) >= persona_roles
    assert not ({r.name for r in delegation.roles} & set(delegation.withheld))


def test_the_delegation_condition_constrains_roles_and_principal_types_on_write_and_delete(
    esml: ProjectAccess,
) -> None:
    delegation = esml.delegation
    assert delegation is not None
    write, delete = delegation.condition.split(" AND ((!(")
    assert "roleAssignments/write" in write and "@Request[" in write and "@Resource[" not in write
    assert "roleAssignments/delete" in delete and "@Resource[" in delete and "@Request[" not in delete
    ids = {r.id for r in delegation.roles}
    for clause in (write, delete):
        assert "RoleDefinitionId] ForAnyOfAnyValues:GuidEquals" in clause
        assert "PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'Group'}" in clause
        listed = set(clause.split("GuidEquals {")[1].split("}")[0].split(", "))
        assert listed == ids
    assert role("Contributor").id not in delegation.condition
    assert {"change_network", "delete_resources", "assign_roles"} == NOT_DELEGABLE


def test_direct_grants_delegate_to_every_kind_a_member_may_have() -> None:
    members = [
        {"principal": "lead@contoso.com", "persona": "team-lead"},
        {"principal": "2b3c4d5e-0000-4000-8000-000000000009", "kind": "service_principal", "persona": "reader"},
    ]
    access = _plan(
        [_spec(7, members=members)],
        identity={"manage_groups": False, "lake_traverse_group": "44444444-0000-4000-8000-000000000001"},
    ).projects[7]
    assert access.delegation is not None
    assert access.delegation.principal_types == ("Group", "ServicePrincipal", "User")


def test_principal_type_is_always_set(esml: ProjectAccess, genai: ProjectAccess) -> None:
    for access in (esml, genai):
        for assignment in access.role_assignments:
            assert assignment.principal.principal_type in ("User", "Group", "ServicePrincipal")
        types = {a.principal.key.split("/")[1]: a.principal.principal_type for a in access.role_assignments}
        assert types["group"] == "Group"
        assert types["identity"] == types["deployment"] == "ServicePrincipal"


def test_assignment_names_are_unique_guids_and_stable_across_runs() -> None:
    specs = [_spec(7, services=ESML_ALL, members=EVERY_PERSONA, delivery=GITHUB), _spec(9, "genai", services=GENAI_ALL)]
    first, second = _plan(specs), _plan(specs)
    names = [a.name for a in first.all_assignments]
    assert len(names) == len(set(names))
    assert all(str(uuid.UUID(n)) == n for n in names)
    assert names == [a.name for a in second.all_assignments]
    assert first.projects[7].groups == second.projects[7].groups


def test_adding_another_project_changes_nothing_of_the_first() -> None:
    alone = _plan([_spec(7, services=ESML_ALL, members=EVERY_PERSONA, delivery=GITHUB)])
    together = _plan(
        [
            _spec(7, services=ESML_ALL, members=EVERY_PERSONA, delivery=GITHUB),
            _spec(8, "genai", services={"ai_search": {}, "cosmos_db": {}}, members=EVERY_PERSONA),
        ]
    )
    assert together.projects[7] == alone.projects[7]
    assert together.common_assignments == alone.common_assignments


def test_names_differ_per_environment() -> None:
    dev = _plan([_spec(7)]).projects[7]
    stage = _plan([_spec(7, environment="stage")], environment="stage").projects[7]
    assert {a.name for a in dev.role_assignments}.isdisjoint(a.name for a in stage.role_assignments)
    assert dev.groups[0].display_name.replace("-dev-", "-stage-") == stage.groups[0].display_name


MEMBERS = [
    {"principal": "lead@contoso.com", "persona": "team-lead"},
    {"principal": "anna@contoso.com", "persona": "data-scientist"},
    {"principal": "2b3c4d5e-0000-4000-8000-000000000101", "kind": "group", "persona": "data-scientist"},
]


def test_removing_a_member_in_direct_mode_removes_exactly_their_grants() -> None:
    stack = {"identity": {"manage_groups": False, "lake_traverse_group": "44444444-0000-4000-8000-000000000001"}}
    before = _plan([_spec(7, members=MEMBERS)], **stack).projects[7]
    after = _plan([_spec(7, members=MEMBERS[:2])], **stack).projects[7]
    removed = set(before.role_assignments) - set(after.role_assignments)
    assert removed
    assert {a.principal.key for a in removed} == {"p007/member/group:2b3c4d5e-0000-4000-8000-000000000101"}
    assert set(after.role_assignments) < set(before.role_assignments)
    assert before.groups == after.groups == ()
    lost = set(before.memberships) - set(after.memberships)
    assert [(m.group.key, m.member.key) for m in lost] == [
        (LAKE_TRAVERSE_KEY, "p007/member/group:2b3c4d5e-0000-4000-8000-000000000101")
    ]


def test_removing_a_member_in_group_mode_removes_only_their_membership() -> None:
    before = _plan([_spec(7, members=MEMBERS)]).projects[7]
    after = _plan([_spec(7, members=MEMBERS[:2])]).projects[7]
    assert after.role_assignments == before.role_assignments
    assert after.groups == before.groups
    lost = set(before.memberships) - set(after.memberships)
    assert [(m.group.key, m.member.key) for m in lost] == [
        ("p007/group/data-scientist", "p007/member/group:2b3c4d5e-0000-4000-8000-000000000101")
    ]
    assert set(after.memberships) < set(before.memberships)


def test_groups_and_memberships() -> None:
    access = _plan([_spec(7, members=MEMBERS, delivery=GITHUB)]).projects[7]
    assert [(g.persona, g.display_name) for g in access.groups] == [
        ("data-scientist", "grp-acme-p007-proj-7-data-scientist-dev-sdc"),
        ("team-lead", "grp-acme-p007-proj-7-team-lead-dev-sdc"),
    ]
    assert all("projects/007-proj-7.yaml" in g.description for g in access.groups)
    memberships = {(m.group.key, m.member.key) for m in access.memberships}
    assert memberships == {
        ("p007/group/team-lead", "p007/member/user:lead@contoso.com"),
        ("p007/group/data-scientist", "p007/member/user:anna@contoso.com"),
        ("p007/group/data-scientist", "p007/member/group:2b3c4d5e-0000-4000-8000-000000000101"),
        (LAKE_TRAVERSE_KEY, "p007/group/team-lead"),
        (LAKE_TRAVERSE_KEY, "p007/group/data-scientist"),
        (LAKE_TRAVERSE_KEY, "p007/identity"),
        (LAKE_TRAVERSE_KEY, "p007/deployment"),
    }
    upns = {m.upn for m in access.members}
    assert upns == {"lead@contoso.com", "anna@contoso.com", None}
    assert access.identity_name == "id-acme-p007-proj-7-dev-sdc"


def test_members_limited_to_other_environments_get_nothing_here() -> None:
    members = [*MEMBERS[:1], {"principal": "prod-only@contoso.com", "persona": "reader", "environments": ["prod"]}]
    access = _plan([_spec(7, members=members)]).projects[7]
    assert [g.persona for g in access.groups] == ["team-lead"]
    assert "prod-only@contoso.com" not in {m.upn for m in access.members}


def test_deployment_identity_is_federated_with_github_per_environment() -> None:
    delivery = {"github": {"repository": "contoso/fraud", "environments": ["development", "staging", "production"]}}
    stage = _plan([_spec(7, environment="stage", delivery=delivery)], environment="stage").projects[7]
    assert stage.deployment is not None
    (credential,) = stage.deployment.credentials
    assert credential.issuer == GITHUB_ISSUER == "https://token.actions.githubusercontent.com"
    assert credential.audiences == (GITHUB_AUDIENCE,) == ("api://AzureADTokenExchange",)
    assert credential.subject == "repo:contoso/fraud:environment:staging"
    assert credential.name == "github-staging"
    assert stage.deployment.display_name == "app-acme-p007-proj-7-deploy-stage-sdc"
    default = _plan([_spec(7, delivery={"github": {"repository": "contoso/fraud"}})]).projects[7]
    assert default.deployment is not None
    assert default.deployment.credentials[0].subject == "repo:contoso/fraud:environment:dev"
    without = _plan([_spec(7)]).projects[7]
    assert without.deployment is None
    assert not [a for a in without.role_assignments if a.principal.key == "p007/deployment"]


def test_lake_traverse_group_only_when_groups_are_managed() -> None:
    managed = _plan([_spec(7)])
    assert managed.lake_traverse_group is not None
    assert managed.lake_traverse_group.display_name == "grp-acme-common-lake-traverse-dev-sdc"
    assert managed.lake_traverse.object_id is None
    direct = _plan(
        [_spec(7)], identity={"manage_groups": False, "lake_traverse_group": "44444444-0000-4000-8000-000000000001"}
    )
    assert direct.lake_traverse_group is None
    assert direct.lake_traverse.object_id == "44444444-0000-4000-8000-000000000001"


def _many(count: int) -> list[ProjectSpec]:
    """Projects with every ESML service, a team lead and CI: about 40 role assignments each."""
    return [_spec(i, services=ESML_ALL, delivery=GITHUB) for i in range(1, count + 1)]


def test_counts_per_subscription_put_common_scopes_in_the_common_subscription() -> None:
    other = "6f1d2c3b-0000-4000-8000-00000000d002"
    plan = _plan(
        [_spec(7), _spec(70, "genai", services={"ai_foundry": {"agents": False}})],
        project_subscriptions=[{"subscription_id": other, "first_id": 65, "last_id": 128}],
    )
    common_sub = stack_values()["subscription_id"]
    assert set(plan.counts) == {common_sub, other}
    on_common = [a for a in plan.projects[70].role_assignments if a.scope.workload == "common"]
    assert on_common  # the shared registry
    assert plan.counts[other].by_project == {70: len(plan.projects[70].role_assignments) - len(on_common)}
    assert plan.counts[common_sub].by_project[70] == len(on_common)
    assert plan.counts[common_sub].common == len(plan.common_assignments)
    total = sum(c.total for c in plan.counts.values())
    assert total == len(plan.all_assignments)


def test_a_subscription_over_the_limit_fails_with_a_fix() -> None:
    specs = _many(120)
    with pytest.raises(ConfigError) as raised:
        _plan(specs)
    (problem,) = raised.value.problems
    assert problem.file == "Pulumi.dev.yaml"
    assert problem.field == "aifactory:project_subscriptions"
    assert isinstance(problem.value, int) and problem.value > 4000
    assert "over Azure's limit of 4,000" in problem.message
    assert "projects 1-120" in problem.message
    assert "aifactory:project_subscriptions" in problem.fix
    assert "shard_prefix" not in problem.fix  # about 100 fit: a 64-id shard per subscription is fine


def test_the_fix_names_smaller_shards_when_one_shard_holds_too_many() -> None:
    network = {"address_space": "172.20.0.0/14", "shard_prefix": 16}  # 128 ids per shard
    with pytest.raises(ConfigError) as raised:
        _plan(_many(130), network=network)
    (problem,) = raised.value.problems
    assert "whole network shards of 128 ids" in problem.fix
    assert "lengthen aifactory:network.shard_prefix (/17 halves them)" in problem.fix


def test_spreading_projects_over_subscriptions_fixes_the_limit() -> None:
    second = "6f1d2c3b-0000-4000-8000-00000000d002"
    plan = _plan(_many(120), project_subscriptions=[{"subscription_id": second, "first_id": 65, "last_id": 128}])
    assert all(not c.over_limit for c in plan.counts.values())
    assert sorted(plan.counts[second].by_project) == list(range(65, 121))


def test_every_planned_assignment_says_why(esml: ProjectAccess, genai: ProjectAccess) -> None:
    assignments = [*esml.role_assignments, *genai.role_assignments]
    assert assignments
    assert [a for a in assignments if not a.reason] == []


def test_no_two_catalogued_roles_share_an_id() -> None:
    """A GUID pasted twice would grant the wrong role under the right name."""
    ids = [r.id for r in ROLES.values()]
    assert len(set(ids)) == len(ids)


def test_the_factory_plan_carries_the_access_plan(tmp_path: Path) -> None:
    plan = factory_plan(tmp_path, [project(7, "fraud", "esml")])
    access = plan.access.projects[7]
    assert access.key == "p007"
    assert {g.persona for g in access.groups} == {"team-lead"}
    assert plan.access.counts[plan.stack.subscription_id].total == len(plan.access.all_assignments)


def test_renamed_roles_resolve_to_their_current_names() -> None:
    assert role("Azure AI User") == role("Foundry User")
    assert role("Azure AI User").id == "53ca6127-db72-4b80-b1b0-d745d6d5456d"
    with pytest.raises(KeyError, match=r"add it to aifactory\.catalog\.roles"):
        role("Made Up Role")


def test_the_access_view_shows_who_gets_what_where(tmp_path: Path) -> None:
    from rich.console import Console

    from aifactory.cli.access_view import render_access

    members = [*MEMBERS, {"principal": "2b3c4d5e-0000-4000-8000-000000000102", "kind": "group", "persona": "reader"}]
    plan = factory_plan(
        tmp_path, [project(7, "fraud", "esml", members=members, delivery=GITHUB), project(8, "churn", "esml")]
    )
    console = Console(record=True, width=250)
    render_access(plan, console)
    text = console.export_text()
    assert "Role assignments per subscription" in text
    assert f"{plan.access.counts[plan.stack.subscription_id].total}" in text
    assert "grp-acme-p007-fraud-team-lead-dev-sdc" in text and "lead@contoso.com" in text
    assert "Role Based Access Control Administrator†" in text
    assert "repo:contoso/fraud-detection:environment:dev" in text
    assert "Key Vault Secrets Officer" in text  # the core team table
    delegation = plan.access.projects[7].delegation
    assert delegation is not None
    flat = " ".join(text.split())  # the console wraps long lines
    assert "delegation allowlist (Group principals only): " + ", ".join(r.name for r in delegation.roles) in flat
    assert "withheld (can change network settings, delete resources or assign roles): AzureML Compute Operator" in flat
    one = Console(record=True, width=250)
    render_access(plan, one, 8)
    only = one.export_text()
    assert "p008 churn" in only and "p007" not in only and "Core team" not in only


def test_the_delegation_document_carries_the_allowlist(esml: ProjectAccess) -> None:
    from aifactory.cli.access_view import delegation_document

    document = delegation_document(esml)
    assert document is not None and esml.delegation is not None
    assert document["principal_types"] == ["Group"]
    assert document["condition"] == esml.delegation.condition
    assert {r["name"] for r in document["roles"]} == {r.name for r in esml.delegation.roles}  # type: ignore[attr-defined]
    no_lead = _plan([_spec(7, members=[{"principal": "a@contoso.com", "persona": "reader"}])]).projects[7]
    assert delegation_document(no_lead) is None
