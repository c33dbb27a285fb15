"""Standalone AI accounts, several Foundry projects per team and the agents' access, under the offline mocks.

One dev run and one prod run hold a GenAI team (31) with three Foundry projects (two with agents,
one narrowed to some personas) and every standalone AI account, and an ESML team (32) with Speech
and Vision. The shipped stage and prod stacks show the Defender toggles.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from aifactory.offline.mocks import RecordedResource
from aifactory.plan.foundry import AGENT_CONTAINER_SUFFIXES
from aifactory.services.ai_accounts import AI_ACCOUNTS
from aifactory.services.cosmos_db import AGENTS_DATABASE
from tests.support import ProjectsRun, project, run_projects, shipped_stack

ACCOUNT = "azure-native:cognitiveservices:Account"
PROJECT = "azure-native:cognitiveservices:Project"
DEPLOYMENT = "azure-native:cognitiveservices:Deployment"
CONNECTION = "azure-native:cognitiveservices:ProjectConnection"
GENERIC = "azure-native:resources:Resource"
ENDPOINT = "azure-native:network:PrivateEndpoint"
ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"
DIAGNOSTIC = "azure-native:monitor:DiagnosticSetting"
ROLE = "azure-native:authorization:RoleAssignment"
COSMOS_ROLE = "azure-native:cosmosdb:SqlResourceSqlRoleAssignment"
PRICING = "azure-native:security:Pricing"
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

MEMBERS = [
    {"principal": "lead@contoso.com", "persona": "team-lead"},
    {"principal": "44444444-0000-4000-8000-000000000031", "kind": "group", "persona": "ai-developer"},
    {"principal": "44444444-0000-4000-8000-000000000032", "kind": "group", "persona": "app-developer"},
    {"principal": "dana@contoso.com", "persona": "data-scientist"},
    {"principal": "rita@contoso.com", "persona": "reader"},
]
TEAM = project(
    31,
    "claims",
    "genai",
    members=MEMBERS,
    services={
        "ai_foundry": {
            "projects": [
                {"name": "claims"},
                {"name": "research", "agents": False, "personas": ["team-lead", "data-scientist"]},
                {"name": "frontdesk", "personas": ["team-lead", "app-developer"]},
            ]
        },
        "ai_search": {},
        "cosmos_db": {},
        "openai": {"models": [{"name": "batch", "model": "gpt-5.4-mini", "version": "2026-03-17", "capacity": 5}]},
        "content_safety": {},
        "document_intelligence": {},
        "speech": {},
        "vision": {},
    },
)
ESML = project(32, "calls", "esml", members=MEMBERS[:1], services={"speech": {}, "vision": {}})
KINDS = {
    "openai": ("OpenAI", "S0", "openai_account"),
    "content_safety": ("ContentSafety", "S0", "content_safety_account"),
    "document_intelligence": ("FormRecognizer", "S0", "document_intelligence_account"),
    "speech": ("SpeechServices", "S0", "speech_account"),
    "vision": ("ComputerVision", "S1", "vision_account"),
}


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> ProjectsRun:
    return run_projects(tmp_path_factory.mktemp("dev"), [TEAM, ESML], "dev")


@pytest.fixture(scope="module")
def prod(tmp_path_factory: pytest.TempPathFactory) -> ProjectsRun:
    return run_projects(tmp_path_factory.mktemp("prod"), [TEAM, ESML], "prod")


def _account(run: ProjectsRun, key: str, service: str) -> RecordedResource:
    (found,) = [r for r in run.owned(key, ACCOUNT) if r.inputs.get("kind") == KINDS[service][0]]
    return found


def _under(run: ProjectsRun, resource: RecordedResource, type_token: str) -> list[RecordedResource]:
    """Resources of ``type_token`` whose parent chain reaches ``resource``."""
    parents = {r.urn: r.parent for r in run.run.resources}
    found = []
    for candidate in run.run.resources:
        if candidate.type != type_token:
            continue
        urn = candidate.parent
        while urn and urn != resource.urn:
            urn = parents.get(urn, "")
        if urn == resource.urn:
            found.append(candidate)
    return found


# --- standalone AI accounts ----------------------------------------------------------------------


def test_the_five_accounts_are_declared_once_each() -> None:
    assert {s.name for s in AI_ACCOUNTS} == set(KINDS)
    assert all(s.projects is not None and set(s.projects.types) == {"esml", "genai"} for s in AI_ACCOUNTS)
    assert all(s.projects is not None and not s.projects.default for s in AI_ACCOUNTS)


@pytest.mark.parametrize("service", sorted(KINDS))
def test_each_account_is_keyless_private_and_runs_as_the_project_identity(dev: ProjectsRun, service: str) -> None:
    kind, sku, naming_kind = KINDS[service]
    account = _account(dev, "p031", service).inputs
    name = dev.name(naming_kind, 31)
    assert (account["accountName"], account["kind"], account["sku"]) == (name, kind, {"name": sku})
    properties = account["properties"]
    assert properties["customSubDomainName"] == name
    assert properties["disableLocalAuth"] is True
    assert properties["publicNetworkAccess"] == "Disabled"
    assert properties["networkAcls"]["defaultAction"] == "Deny"
    assert properties["restrictOutboundNetworkAccess"] is True
    storage = dev.plan.project(31).service("storage").azure_name
    assert properties["allowedFqdnList"] == [f"{storage}.blob.core.windows.net"]
    assert account["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [dev.output("p031-identity")]}


@pytest.mark.parametrize("service", sorted(KINDS))
def test_each_account_has_its_endpoint_zones_and_diagnostics(dev: ProjectsRun, service: str) -> None:
    account = _account(dev, "p031", service)
    (endpoint,) = _under(dev, account, ENDPOINT)
    assert endpoint.inputs["privateLinkServiceConnections"][0]["groupIds"] == ["account"]
    assert endpoint.inputs["subnet"]["id"].endswith(f"/subnets/{dev.subnet(31, 'private_endpoints')}")
    (zones,) = _under(dev, account, ZONE_GROUP)
    names = sorted(c["privateDnsZoneId"].rsplit("/", 1)[1] for c in zones.inputs["privateDnsZoneConfigs"])
    assert names == sorted(
        ["privatelink.cognitiveservices.azure.com", "privatelink.openai.azure.com", "privatelink.services.ai.azure.com"]
    )
    (diagnostic,) = _under(dev, account, DIAGNOSTIC)
    assert diagnostic.inputs["logs"] == [{"categoryGroup": "allLogs", "enabled": True}]


def test_an_esml_team_gets_the_accounts_it_lists_and_only_those(dev: ProjectsRun) -> None:
    kinds = sorted(r.inputs["kind"] for r in dev.owned("p032", ACCOUNT))
    assert kinds == ["ComputerVision", "SpeechServices"]


def test_openai_deploys_its_models_and_the_others_none(dev: ProjectsRun) -> None:
    openai = _account(dev, "p031", "openai")
    (deployment,) = _under(dev, openai, DEPLOYMENT)
    assert deployment.inputs["deploymentName"] == "batch"
    assert deployment.inputs["tags"]["aifactory-project"]
    for service in ("content_safety", "document_intelligence", "speech", "vision"):
        assert _under(dev, _account(dev, "p031", service), DEPLOYMENT) == []


def test_accounts_are_protected_in_prod_only(dev: ProjectsRun, prod: ProjectsRun) -> None:
    for service in KINDS:
        assert _account(prod, "p031", service).protect, service
        assert not _account(dev, "p031", service).protect, service


def _roles(run: ProjectsRun, project_id: int) -> dict[tuple[str, str], set[str]]:
    """(principal key, scope key) -> role names, from the plan."""
    found: dict[tuple[str, str], set[str]] = {}
    for a in run.plan.access.projects[project_id].role_assignments:
        found.setdefault((a.principal.key, a.scope.key), set()).add(a.role.name)
    return found


def test_account_roles_per_persona_identity_and_ci(dev: ProjectsRun) -> None:
    roles = _roles(dev, 31)
    group = "p031/group"
    assert roles[(f"{group}/ai-developer", "p031/openai")] == {"Cognitive Services OpenAI Contributor"}
    assert roles[(f"{group}/app-developer", "p031/openai")] == {"Cognitive Services OpenAI User"}
    assert roles[("p031/identity", "p031/openai")] == {"Cognitive Services OpenAI User"}
    assert roles[(f"{group}/team-lead", "p031/speech")] == {"Cognitive Services Speech Contributor"}
    assert roles[(f"{group}/app-developer", "p031/speech")] == {"Cognitive Services Speech User"}
    for service in ("content_safety", "document_intelligence", "vision"):
        assert roles[(f"{group}/data-scientist", f"p031/{service}")] == {"Cognitive Services User"}
        assert roles[("p031/identity", f"p031/{service}")] == {"Cognitive Services User"}
    assert not [key for key in roles if key[0] == f"{group}/reader" and key[1].split("/")[1] in KINDS]


# --- several Foundry projects ----------------------------------------------------------------------


def test_the_default_foundry_project_keeps_its_names_and_the_others_are_named_after_their_entry(
    dev: ProjectsRun,
) -> None:
    projects = {r.name: r.inputs for r in dev.owned("p031", PROJECT)}
    assert set(projects) == {"p031-aif-project", "p031-aif-project-research", "p031-aif-project-frontdesk"}
    assert projects["p031-aif-project"]["projectName"] == dev.name("ai_foundry_project", 31)
    assert projects["p031-aif-project-research"]["projectName"] == dev.name("ai_foundry_project", 31, "research")
    assert projects["p031-aif-project"]["properties"]["displayName"] == "claims"
    scopes = dev.scopes("p031")
    assert {"p031/ai_foundry_project", "p031/ai_foundry_project/research", "p031/ai_foundry_project/frontdesk"} <= set(
        scopes
    )


def test_each_agent_project_has_its_own_connections_and_capability_host(dev: ProjectsRun) -> None:
    connections = {r.name for r in dev.owned("p031", CONNECTION)}
    assert connections == {
        f"p031-aif{qualifier}-connection-{c}"
        for qualifier in ("", "-frontdesk")
        for c in ("project-storage", "project-search", "project-cosmos")
    }
    hosts = {r.name: r for r in dev.owned("p031", GENERIC) if r.inputs["resourceType"] == "capabilityHosts"}
    assert set(hosts) == {"p031-aif-capability-host", "p031-aif-frontdesk-capability-host"}
    assert (
        hosts["p031-aif-frontdesk-capability-host"]
        .inputs["parentResourcePath"]
        .endswith("/projects/" + dev.name("ai_foundry_project", 31, "frontdesk"))
    )


def test_builders_are_scoped_to_the_foundry_projects_they_work_in(dev: ProjectsRun) -> None:
    roles = _roles(dev, 31)
    group = "p031/group"

    def foundry_user(persona: str) -> set[str]:
        return {
            scope for (who, scope), names in roles.items() if who == f"{group}/{persona}" and "Foundry User" in names
        }

    assert foundry_user("team-lead") == {"p031/ai_foundry"}  # in every project: the account
    assert foundry_user("data-scientist") == {"p031/ai_foundry_project", "p031/ai_foundry_project/research"}
    assert foundry_user("app-developer") == {"p031/ai_foundry_project", "p031/ai_foundry_project/frontdesk"}
    assert foundry_user("ai-developer") == {"p031/ai_foundry_project"}
    assert foundry_user("reader") == set()


# --- the agents' access ----------------------------------------------------------------------------


def test_the_agents_blob_owner_is_conditioned_on_both_agent_projects_and_waits_for_their_hosts(
    dev: ProjectsRun,
) -> None:
    owners = [
        r
        for r in dev.owned("p031", ROLE)
        if r.inputs["roleDefinitionId"].endswith("b7e6dc6d-f1e8-4753-8033-0f276bb0955b")
    ]
    (owner,) = owners
    condition = owner.inputs["condition"]
    assert owner.inputs["conditionVersion"] == "2.0"
    assert owner.inputs["scope"].endswith("/" + dev.plan.project(31).service("storage").azure_name)
    assert len(set(GUID.findall(condition))) == 2
    assert condition.count("StringLikeIgnoreCase '*-azureml-agent'") == 2
    assert "blobs/tags/write" in condition
    hosts = {r.urn for r in dev.owned("p031", GENERIC) if r.inputs["resourceType"] == "capabilityHosts"}
    assert hosts <= set(owner.dependencies)


def test_the_agents_cosmos_role_is_on_their_containers_not_the_account(dev: ProjectsRun) -> None:
    agent_roles = [r for r in dev.owned("p031", COSMOS_ROLE) if "/colls/" in r.inputs["scope"]]
    assert len(agent_roles) == 2 * len(AGENT_CONTAINER_SUFFIXES)
    for assignment in agent_roles:
        scope = assignment.inputs["scope"]
        assert f"/dbs/{AGENTS_DATABASE}/colls/" in scope
        workspace = scope.rsplit("/colls/", 1)[1]
        assert GUID.match(workspace) and workspace.endswith(AGENT_CONTAINER_SUFFIXES)
        assert assignment.inputs["roleDefinitionId"].endswith("/00000000-0000-0000-0000-000000000002")
    identity = dev.plan.access.projects[31].identity.key
    account_wide = [a for a in dev.plan.access.projects[31].data_plane_assignments if a.principal.key == identity]
    assert account_wide == [], "without apps the identity holds no account-wide Cosmos DB data role"
    # one write at a time: the assignments form one chain, each after exactly one other but the first
    urns = {r.urn for r in agent_roles}
    predecessors = [len(urns & set(r.dependencies)) for r in agent_roles]
    assert sorted(predecessors) == [0] + [1] * (len(agent_roles) - 1)


def test_workspace_ids_are_the_same_on_every_run(tmp_path_factory: pytest.TempPathFactory, dev: ProjectsRun) -> None:
    again = run_projects(tmp_path_factory.mktemp("again"), [TEAM], "dev")

    def conditions(run: ProjectsRun) -> list[Any]:
        return sorted(r.inputs.get("condition") for r in run.owned("p031", ROLE) if r.inputs.get("condition"))

    assert conditions(again) == conditions(dev)


# --- Defender ------------------------------------------------------------------------------------


def test_prod_turns_defender_plans_on_once_per_subscription() -> None:
    stack = shipped_stack("prod")
    pricings = [r.inputs for r in stack.run.resources if r.type == PRICING]
    subscriptions = stack.plan.stack.subscriptions
    assert len(subscriptions) > 1
    names = {"StorageAccounts", "KeyVaults", "Containers", "CosmosDbs", "AI"}
    assert sorted((p["scopeId"], p["pricingName"]) for p in pricings) == sorted(
        (f"/subscriptions/{s}", n) for s in subscriptions for n in names
    )
    assert {p["pricingTier"] for p in pricings} == {"Standard"}
    storage = next(p for p in pricings if p["pricingName"] == "StorageAccounts")
    assert storage["subPlan"] == "DefenderForStorageV2"
    assert {e["name"] for e in storage["extensions"]} == {"OnUploadMalwareScanning", "SensitiveDataDiscovery"}


def test_stage_turns_defender_for_ai_on_per_account_and_no_plan() -> None:
    stack = shipped_stack("stage")
    assert not [r for r in stack.run.resources if r.type == PRICING]
    accounts = [r for r in stack.run.resources if r.type == ACCOUNT]
    settings = [
        r for r in stack.run.resources if r.type == GENERIC and r.inputs["resourceType"] == "defenderForAISettings"
    ]
    assert accounts and len(settings) == len(accounts)
    assert {s.parent for s in settings} == {a.urn for a in accounts}
    assert all(s.inputs["properties"] == {"state": "Enabled"} for s in settings)


def test_dev_has_no_defender_resources() -> None:
    stack = shipped_stack("dev")
    kinds = {r.inputs.get("resourceType") for r in stack.run.resources if r.type == GENERIC}
    assert not [r for r in stack.run.resources if r.type == PRICING]
    assert "defenderForAISettings" not in kinds
