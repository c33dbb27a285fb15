"""The data and app services' pure decisions: settings, environment defaults, data-plane grantees, the functions
subnet and the declarations' guardrail ids. No mocks: the config loader and the plans only."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml

from aifactory.config.loader import collect_projects
from aifactory.config.project import ProjectSpec
from aifactory.config.resolve import apply_environment_defaults
from aifactory.config.stack import StackConfig
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.plan.ipam import plan_network
from aifactory.policy.catalog import RULES_BY_ID
from aifactory.services import SERVICES
from aifactory.services.container_app import CONTAINER_APP
from aifactory.services.data_access import data_principals
from aifactory.services.function_app import FUNCTION_APP
from aifactory.services.managed_redis import DATA_ACCESS, MANAGED_REDIS, assignment_name
from aifactory.services.model import ServiceDeclaration
from aifactory.services.postgresql import ENTRA_ADMINISTRATORS, POSTGRESQL
from aifactory.services.registry import declaration, project_endpoint_groups
from aifactory.services.sql_database import AZURE_SQL, sql_administrator
from tests.support import factory_plan, project, stack_values

MEMBERS = [
    {"principal": "lead@contoso.com", "persona": "team-lead"},
    {"principal": "44444444-0000-4000-8000-000000000001", "persona": "team-lead"},
    {"principal": "44444444-0000-4000-8000-000000000002", "kind": "group", "persona": "app-developer"},
    {"principal": "ada@contoso.com", "persona": "app-developer"},
    {"principal": "44444444-0000-4000-8000-000000000003", "kind": "service_principal", "persona": "ai-developer"},
]


NO_FOUNDRY: dict[str, Any] = {"ai_foundry": {"enabled": False}, "ai_search": {"enabled": False}}
"""GenAI's default services off, so a test project has only the services it names."""


def _problems(tmp_path: Path, spec: dict[str, Any]) -> list[ConfigProblem]:
    folder = tmp_path / "projects"
    folder.mkdir()
    (folder / f"{spec['id']:03d}-{spec['name']}.yaml").write_text(yaml.safe_dump(spec))
    return collect_projects(folder, tmp_path)[1]


def _resolved(spec: dict[str, Any], environment: str = "dev") -> ProjectSpec:
    return apply_environment_defaults(ProjectSpec.model_validate(spec), environment)  # type: ignore[arg-type]


# --- settings and their errors -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("services", "field", "message"),
    [
        (
            {"postgresql": {"sku": "Standard_B2s", "high_availability": "ZoneRedundant"}},
            "high_availability",
            "Burstable",
        ),
        ({"postgresql": {"databases": ["postgres"]}}, "databases[0]", "may create"),
        ({"postgresql": {"databases": ["app", "app"]}}, "databases", "twice"),
        ({"container_apps": {}, "container_app": {"api": {"image": "myacr.azurecr.io/x:1"}}}, "image", "registry"),
        ({"container_apps": {}, "container_app": {"web": {"cpu": 1.0, "memory_gi": 1.0}}}, "memory_gi", "twice"),
        ({"container_app": {}}, "services.container_app", "Container Apps environment"),
        ({"function_app": {"runtime": "node", "runtime_version": "18"}}, "runtime_version", "Flex Consumption"),
        (
            {"ai_search": {"shared_private_links": ["cosmos_db"]}},
            "services.ai_search.shared_private_links",
            "cosmos_db",
        ),
        ({"ai_search": {"shared_private_links": ["storage", "storage"]}}, "shared_private_links", "twice"),
    ],
)
def test_bad_settings_are_refused_with_field_and_fix(
    tmp_path: Path, services: dict[str, Any], field: str, message: str
) -> None:
    problems = _problems(tmp_path, project(41, "bad", "genai", services=services))
    matching = [p for p in problems if p.field.endswith(field)]
    assert matching, [p.render() for p in problems]
    assert message in matching[0].message and matching[0].fix


S = TypeVar("S")


def _settings(spec: ProjectSpec, service: ServiceDeclaration[S, Any]) -> S:
    found = spec.services.get(service)
    assert found is not None, service.name
    return found


def test_environment_defaults_size_each_environment_and_never_pick_an_impossible_combination() -> None:
    services: dict[str, Any] = {
        "postgresql": {},
        "sql": {},
        "redis": {},
        "container_apps": {},
        "container_app": {},
        "function_app": {},
    }
    spec = project(42, "sized", "genai", services={**NO_FOUNDRY, **services})
    dev, prod = (_resolved(spec, e) for e in ("dev", "prod"))
    small, large = _settings(dev, POSTGRESQL), _settings(prod, POSTGRESQL)
    assert (small.sku, small.high_availability, small.backup_retention_days) == ("Standard_B1ms", "Disabled", 7)
    assert (large.sku, large.high_availability, large.backup_retention_days) == (
        "Standard_D2ds_v5",
        "ZoneRedundant",
        35,
    )
    burstable = _resolved(project(43, "cheap", services={"postgresql": {"sku": "Standard_B2s"}}), "prod")
    assert _settings(burstable, POSTGRESQL).high_availability == "Disabled", "never HA on a Burstable SKU"
    cache, big_cache = _settings(dev, MANAGED_REDIS), _settings(prod, MANAGED_REDIS)
    assert (cache.sku, cache.high_availability, big_cache.sku, big_cache.high_availability) == (
        "Balanced_B0",
        False,
        "Balanced_B3",
        True,
    )
    sql, big_sql = _settings(dev, AZURE_SQL), _settings(prod, AZURE_SQL)
    assert (sql.sku, sql.backup_redundancy, big_sql.sku, big_sql.zone_redundant) == (
        "GP_S_Gen5_1",
        "Local",
        "GP_Gen5_2",
        True,
    )
    assert (_settings(dev, CONTAINER_APP).api.min_replicas, _settings(prod, CONTAINER_APP).web.min_replicas) == (0, 1)
    functions = _settings(dev, FUNCTION_APP)
    assert (functions.runtime_version, functions.maximum_instance_count) == ("3.12", 40)
    assert _settings(prod, FUNCTION_APP).maximum_instance_count == 100


def test_explicit_values_win_over_the_environment() -> None:
    services = {
        "redis": {"high_availability": False},
        "container_apps": {},
        "container_app": {"api": {"min_replicas": 3}},
    }
    prod = _resolved(project(44, "pinned", "genai", services={**NO_FOUNDRY, **services}), "prod")
    assert _settings(prod, MANAGED_REDIS).high_availability is False
    assert _settings(prod, CONTAINER_APP).api.min_replicas == 3


# --- who the data services admit ---------------------------------------------------------------


def test_data_principals_with_managed_groups(tmp_path: Path) -> None:
    plan = factory_plan(
        tmp_path, [project(45, "admit", "genai", members=MEMBERS, services={**NO_FOUNDRY, "redis": {}})]
    )
    access = plan.access.projects[45]
    postgres = {(p.key, p.kind, p.name) for p in data_principals(access, ENTRA_ADMINISTRATORS)}
    lead_group = next(g for g in access.groups if g.persona == "team-lead")
    assert postgres == {
        ("p045/identity", "service_principal", access.identity_name),
        ("p045/group/team-lead", "group", lead_group.display_name),
    }, "no CI without delivery; the team lead's group once, whatever its members"
    redis = [p.key for p in data_principals(access, DATA_ACCESS)]
    assert redis[0] == "p045/identity"
    assert set(redis[1:]) == {
        "p045/member/user:lead@contoso.com",
        "p045/member/user:44444444-0000-4000-8000-000000000001",
        "p045/member/user:ada@contoso.com",
        "p045/member/service_principal:44444444-0000-4000-8000-000000000003",
    }, "Redis refuses groups: personas are expanded to their users and service principals, group members dropped"
    assert len({assignment_name(k) for k in redis}) == len(redis)
    assert all(assignment_name(k).isalnum() and len(assignment_name(k)) <= 60 for k in redis)
    assert sql_administrator(access).key == "p045/group/team-lead"


def test_data_principals_without_managed_groups(tmp_path: Path) -> None:
    identity = {"manage_groups": False, "lake_traverse_group": "55555555-0000-4000-8000-000000000001"}
    plan = factory_plan(tmp_path, [project(46, "direct", members=MEMBERS)], identity=identity)
    access = plan.access.projects[46]
    postgres = {p.key: p.name for p in data_principals(access, ENTRA_ADMINISTRATORS)}
    assert postgres == {
        "p046/identity": access.identity_name,
        "p046/member/user:lead@contoso.com": "lead@contoso.com",
    }, "a team lead given by object id has no Entra name the factory knows: left out"
    assert sql_administrator(access).key == "p046/identity", "never a single person as the SQL administrator"


# --- the functions subnet and the storage endpoints it brings ----------------------------------


def _stack(**network: Any) -> StackConfig:
    values = stack_values()
    values["network"] = {"address_space": "172.20.0.0/14", **network}
    return StackConfig.model_validate(values)


def _genai(project_id: int, size: str, functions: bool) -> ProjectSpec:
    services: dict[str, Any] = {
        **NO_FOUNDRY,
        "container_apps": {},
        "web_app": {},
        **({"function_app": {}} if functions else {}),
    }
    return _resolved(project(project_id, f"slot-{project_id}", "genai", network={"size": size}, services=services))


@pytest.mark.parametrize("size", ["small", "medium"])
def test_the_functions_subnet_is_appended_and_moves_no_other_range(size: str) -> None:
    without = plan_network(_stack(), [_genai(65, size, functions=False)]).projects[65]
    with_functions = plan_network(_stack(), [_genai(65, size, functions=True)]).projects[65]
    before = {s.key: s.cidr for s in without.subnets}
    after = {s.key: s.cidr for s in with_functions.subnets}
    assert after == before, "turning the Function App on changes only whether the subnet is created"
    functions = with_functions.subnet("functions")
    assert functions.needed and not without.subnet("functions").needed
    assert functions.cidr.endswith("/27") and functions.delegation == "Microsoft.App/environments"


def test_a_full_large_slot_refuses_a_function_app_and_names_the_fix() -> None:
    with pytest.raises(ConfigError) as caught:
        plan_network(_stack(), [_genai(66, "large", functions=True)])
    (problem,) = caught.value.problems
    assert (problem.field, problem.value) == ("network.size", "large")
    assert "functions subnet that function_app needs" in problem.message
    assert "agent_address_space" in problem.fix
    apart = plan_network(_stack(agent_address_space="172.19.0.0/16"), [_genai(66, "large", functions=True)])
    assert apart.projects[66].subnet("functions").cidr.endswith("/26")
    large = plan_network(_stack(), [_genai(66, "large", functions=False)]).projects[66]
    assert "functions" not in {s.key for s in large.subnets}, "without room, nothing is reserved"


def test_storage_gets_queue_and_table_endpoints_only_with_a_function_app() -> None:
    storage = declaration("storage")
    assert project_endpoint_groups(_genai(67, "medium", functions=True), storage) == ("blob", "file", "queue", "table")
    assert project_endpoint_groups(_genai(67, "medium", functions=False), storage) == ("blob", "file")
    esml = _resolved(project(68, "esml", services={"postgresql": {}}))
    assert project_endpoint_groups(esml, storage) == ("blob", "file", "queue", "table")


# --- the declarations name real guardrails -----------------------------------------------------


def test_every_guardrail_id_a_declaration_lists_is_a_rule_that_covers_one_of_its_types() -> None:
    for service in SERVICES:
        unknown = [g for g in service.guardrails if g not in RULES_BY_ID]
        assert not unknown, f"{service.name} lists unknown guardrails {unknown}"
    for name in ("postgresql", "sql", "redis", "container_app", "function_app"):
        assert declaration(name).guardrails, name


# --- Azure roles per persona, identity and CI ---------------------------------------------------

_APP_SERVICES: dict[str, Any] = {
    **NO_FOUNDRY,
    "postgresql": {},
    "sql": {},
    "redis": {},
    "container_apps": {},
    "container_app": {},
    "function_app": {},
}


def test_roles_on_the_new_services_per_grantee(tmp_path: Path) -> None:
    members = [
        {"principal": "lead@contoso.com", "persona": "team-lead"},
        {"principal": "ada@contoso.com", "persona": "app-developer"},
        {"principal": "dora@contoso.com", "persona": "data-scientist"},
        {"principal": "rui@contoso.com", "persona": "reader"},
    ]
    spec = project(
        47, "roles", "genai", members=members, services=_APP_SERVICES, delivery={"github": {"repository": "c/r"}}
    )
    access = factory_plan(tmp_path, [spec]).access.projects[47]
    grants: dict[str, set[tuple[str, str]]] = {}
    for assignment in access.role_assignments:
        grants.setdefault(assignment.principal.key, set()).add((assignment.scope.key, assignment.role.name))
    operate = {("p047/function_app", "Website Contributor")}
    apps = {
        ("p047/container_app", "Container Apps Contributor"),
        ("p047/container_app_web", "Container Apps Contributor"),
    }
    for grantee in ("p047/group/team-lead", "p047/group/app-developer", "p047/deployment"):
        assert operate | apps <= grants[grantee], grantee
    assert ("p047/sql", "SQL DB Contributor") in grants["p047/group/team-lead"]
    assert ("p047/sql", "SQL DB Contributor") in grants["p047/deployment"]
    host = {("p047/storage", r) for r in ("Storage Blob Data Owner", "Storage Queue Data Contributor")}
    assert host | {("p047/storage", "Storage Table Data Contributor")} <= grants["p047/identity"]
    new_scopes = {"p047/postgresql", "p047/redis", "p047/sql", "p047/function_app", "p047/container_app"}
    for grantee in ("p047/group/data-scientist", "p047/group/reader"):
        assert not {scope for scope, _ in grants[grantee]} & new_scopes, f"{grantee} gets nothing on the new services"
    assert not any(scope in {"p047/postgresql", "p047/redis"} for scopes in grants.values() for scope, _ in scopes), (
        "PostgreSQL and Redis admit people inside themselves, not through Azure RBAC"
    )
