"""Identity components under the offline mocks: groups, memberships, managed identity, CI identity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi

from aifactory.components.identity import CommonIdentity, CommonIdentityArgs, ProjectIdentity, ProjectIdentityArgs
from aifactory.offline.mocks import deterministic_uuid
from aifactory.offline.runner import OfflineRun
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.rbac import GITHUB_ISSUER, LAKE_TRAVERSE_KEY
from tests.support import factory_plan, project, run_program

GROUP = "azuread:index/group:Group"
MEMBER = "azuread:index/groupMember:GroupMember"
APPLICATION = "azuread:index/application:Application"
SERVICE_PRINCIPAL = "azuread:index/servicePrincipal:ServicePrincipal"
CREDENTIAL = "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential"
UAMI = "azure-native:managedidentity:UserAssignedIdentity"
TRAVERSE_ID = "44444444-0000-4000-8000-000000000001"
DS_GROUP = "2b3c4d5e-0000-4000-8000-000000000101"
MEMBERS = [
    {"principal": "Lead@Contoso.com", "persona": "team-lead"},
    {"principal": DS_GROUP, "kind": "group", "persona": "data-scientist"},
    {"principal": "anna@contoso.com", "persona": "data-scientist"},
    {"principal": "2b3c4d5e-0000-4000-8000-000000000102", "kind": "service_principal", "persona": "reader"},
]
DIRECT = {"identity": {"manage_groups": False, "lake_traverse_group": TRAVERSE_ID}}


def _plan(tmp_path: Path, delivery: dict[str, Any] | None = None, **stack: Any) -> FactoryPlan:
    fields: dict[str, Any] = {"members": MEMBERS}
    if delivery is not None:
        fields["delivery"] = delivery
    return factory_plan(tmp_path, [project(7, "fraud", "esml", **fields), project(8, "churn", "esml")], **stack)


def _run(plan: FactoryPlan, project_ids: tuple[int, ...] = (7,)) -> OfflineRun:
    def program() -> None:
        common = CommonIdentity("identity", CommonIdentityArgs(plan=plan))
        pulumi.export("common", common.principals)
        for project_id in project_ids:
            planned = plan.project(project_id)
            identity = ProjectIdentity(
                f"{planned.key}-identity",
                ProjectIdentityArgs(
                    plan=plan,
                    project=planned,
                    resource_group_name=f"rg-{planned.key}",
                    common_principals=common.principals,
                ),
            )
            pulumi.export(planned.key, identity.principals)
            pulumi.export(f"{planned.key}-uami", [identity.identity_id, identity.identity_client_id])

    return run_program(program)


def _user(upn: str) -> str:
    return deterministic_uuid("user", upn)


def test_persona_groups_are_security_groups_with_their_members(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    run = _run(plan)
    groups = {r.name: r.inputs for r in run.of_type(GROUP)}
    assert set(groups) == {
        "common-lake-traverse-group",
        "p007-group-team-lead",
        "p007-group-data-scientist",
        "p007-group-reader",
    }
    for inputs in groups.values():
        assert inputs["securityEnabled"] is True
        assert inputs["mailEnabled"] is False
        assert inputs["preventDuplicateNames"] is True
    assert groups["p007-group-team-lead"]["displayName"] == "grp-acme-p007-fraud-team-lead-dev-sdc"
    assert groups["p007-group-team-lead"]["members"] == [_user("lead@contoso.com")]
    assert sorted(groups["p007-group-data-scientist"]["members"]) == sorted([DS_GROUP, _user("anna@contoso.com")])
    assert groups["p007-group-reader"]["members"] == ["2b3c4d5e-0000-4000-8000-000000000102"]
    assert "members" not in groups["common-lake-traverse-group"]


def test_managed_identity_lives_in_the_project_resource_group(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    run = _run(plan)
    (uami,) = run.of_type(UAMI)
    assert uami.name == "p007-managed-identity"
    assert uami.inputs["resourceName"] == plan.access.projects[7].identity_name == "id-acme-p007-fraud-dev-sdc"
    assert uami.inputs["resourceGroupName"] == "rg-p007"
    assert uami.inputs["location"] == "swedencentral"
    assert uami.inputs["tags"]["aifactory-workload"] == "p007"
    identity_id, client_id = run.outputs["p007-uami"]
    assert identity_id.endswith(
        "/resourceGroups/rg-p007/providers/managedidentity/UserAssignedIdentity/id-acme-p007-fraud-dev-sdc"
    )
    assert client_id == deterministic_uuid("client", identity_id)


def test_principals_cover_every_key_the_plan_names(tmp_path: Path) -> None:
    plan = _plan(tmp_path, {"github": {"repository": "contoso/fraud"}})
    run = _run(plan)
    access = plan.access.projects[7]
    principals = run.outputs["p007"]
    assert set(principals) == access.principal_keys
    unresolved = {a.principal.key for a in access.role_assignments if a.principal.object_id is None}
    assert unresolved <= set(principals)
    assert principals["p007/member/user:lead@contoso.com"] == _user("lead@contoso.com")
    assert principals[f"p007/member/group:{DS_GROUP}"] == DS_GROUP
    assert principals["p007/identity"] == deterministic_uuid("principal", run.outputs["p007-uami"][0])
    common = run.outputs["common"]
    traverse_name = "grp-acme-common-lake-traverse-dev-sdc"
    assert common[LAKE_TRAVERSE_KEY] == deterministic_uuid("entra", GROUP, traverse_name, "common-lake-traverse-group")
    assert common["common/platform-admin/11111111-0000-4000-8000-000000000001"] == (
        "11111111-0000-4000-8000-000000000001"
    )


def test_deployment_identity_is_federated_with_github_and_has_no_secret(tmp_path: Path) -> None:
    delivery = {"github": {"repository": "contoso/fraud", "environments": ["development", "staging", "production"]}}
    plan = _plan(tmp_path, delivery)
    run = _run(plan)
    (application,) = run.of_type(APPLICATION)
    assert application.name == "p007-deployment-app"
    assert application.inputs["displayName"] == "app-acme-p007-fraud-deploy-dev-sdc"
    assert application.inputs["signInAudience"] == "AzureADMyOrg"
    assert "password" not in application.inputs
    deployer = deterministic_uuid("deployer-object")  # from azuread.getClientConfig: the identity running Pulumi
    assert application.inputs["owners"] == [deployer]
    (service_principal,) = run.of_type(SERVICE_PRINCIPAL)
    application_object_id = deterministic_uuid(
        "entra", APPLICATION, "app-acme-p007-fraud-deploy-dev-sdc", application.name
    )
    assert service_principal.inputs["clientId"] == deterministic_uuid("client", application_object_id)
    assert service_principal.inputs["owners"] == [deployer]
    (credential,) = run.of_type(CREDENTIAL)
    assert credential.inputs["applicationId"] == application_object_id
    assert credential.inputs["issuer"] == GITHUB_ISSUER
    assert credential.inputs["subject"] == "repo:contoso/fraud:environment:development"
    assert credential.inputs["audiences"] == ["api://AzureADTokenExchange"]
    assert credential.inputs["displayName"] == "github-development"
    secrets = [r for r in run.resources if "Password" in r.type or "Certificate" in r.type]
    assert secrets == []


def test_no_ci_identity_without_github_delivery(tmp_path: Path) -> None:
    run = _run(_plan(tmp_path))
    assert run.of_type(APPLICATION) == run.of_type(SERVICE_PRINCIPAL) == run.of_type(CREDENTIAL) == []


def test_project_principals_join_the_lake_traverse_group(tmp_path: Path) -> None:
    plan = _plan(tmp_path, {"github": {"repository": "contoso/fraud"}})
    run = _run(plan)
    principals = run.outputs["p007"]
    traverse = run.outputs["common"][LAKE_TRAVERSE_KEY]
    memberships = {r.name: r.inputs for r in run.of_type(MEMBER)}
    assert set(memberships) == {
        "p007-lake-traverse-group-team-lead",
        "p007-lake-traverse-group-data-scientist",
        "p007-lake-traverse-group-reader",
        "p007-lake-traverse-identity",
        "p007-lake-traverse-deployment",
    }
    assert {m["groupObjectId"] for m in memberships.values()} == {traverse}
    assert memberships["p007-lake-traverse-identity"]["memberObjectId"] == principals["p007/identity"]
    assert memberships["p007-lake-traverse-deployment"]["memberObjectId"] == principals["p007/deployment"]
    assert memberships["p007-lake-traverse-group-reader"]["memberObjectId"] == principals["p007/group/reader"]


def test_direct_mode_grants_members_and_uses_the_configured_traverse_group(tmp_path: Path) -> None:
    plan = _plan(tmp_path, **DIRECT)
    run = _run(plan)
    assert run.of_type(GROUP) == []
    assert run.outputs["common"][LAKE_TRAVERSE_KEY] == TRAVERSE_ID
    members = {r.inputs["memberObjectId"] for r in run.of_type(MEMBER)}
    principals = run.outputs["p007"]
    assert members == {
        _user("lead@contoso.com"),
        _user("anna@contoso.com"),
        DS_GROUP,
        "2b3c4d5e-0000-4000-8000-000000000102",
        principals["p007/identity"],
    }
    assert {r.inputs["groupObjectId"] for r in run.of_type(MEMBER)} == {TRAVERSE_ID}
    assert all(r.name.startswith("p007-lake-traverse-") for r in run.of_type(MEMBER))


def test_two_projects_register_distinct_logical_names(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    run = _run(plan, (7, 8))
    names = [r.name for r in run.resources]
    assert len(names) == len(set(names))
    assert {r.name for r in run.of_type(UAMI)} == {"p007-managed-identity", "p008-managed-identity"}
    project_resources = [r for r in run.resources if r.name.startswith(("p007", "p008"))]
    assert {r.name[:4] for r in project_resources} == {"p007", "p008"}
    for resource in project_resources:
        other = "p008" if resource.name.startswith("p007") else "p007"
        assert other not in repr(resource.inputs)
