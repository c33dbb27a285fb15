"""The registry is complete and consistent: every service declares every shared concern, once.

A declaration that forgets its private endpoints, diagnostics, lifecycle or role sets would build a
resource the site cannot make private, observable or safe, so the registry refuses it here rather
than in a plan review. Every declaration lists the guardrail rules that cover it
(``tests/services/test_service_guardrails.py`` checks them against what the service builds).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, get_args

import pytest

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS, DiagnosticProfile
from aifactory.catalog.dns_zones import zones_for
from aifactory.catalog.naming_rules import NAMING_RULES
from aifactory.services import SERVICES
from aifactory.services.access import NoRoles, RoleSet, ServiceRoles
from aifactory.services.key_vault import KEY_VAULT
from aifactory.services.model import (
    ALWAYS,
    PROJECT_TYPES,
    CommonUse,
    Lifecycle,
    NoPrivateEndpoint,
    PrivateEndpoints,
    ServiceDeclaration,
)
from aifactory.services.registry import (
    DEFAULT_SERVICES,
    IP_FIREWALL_SERVICES,
    OPTIONAL_SERVICES,
    SERVICE_MODELS,
    SERVICES_BY_TYPE,
    AnyService,
    ServiceName,
)
from tests.support import REPO

IDS = [s.name for s in SERVICES]


def _schema() -> dict[str, Any]:
    return dict(json.loads((REPO / "schemas" / "project.schema.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("service", SERVICES, ids=IDS)
def test_every_service_declares_every_shared_concern(service: AnyService) -> None:
    endpoints = service.endpoints
    if isinstance(endpoints, PrivateEndpoints):
        placements = [t for t in PROJECT_TYPES if service.projects and t in service.projects.types]
        placements_with_common = [*placements, *(["common"] if service.common else [])]
        assert placements_with_common
        for placement in placements_with_common:
            groups = service.groups_in(placement)  # type: ignore[arg-type]
            assert groups, f"{service.name} has no private endpoint groups in {placement}"
            assert all(zones_for(endpoints.kind, g) for g in groups)
    else:
        assert isinstance(endpoints, NoPrivateEndpoint)
        assert len(endpoints.why) > 20, "say why the service has no private endpoint"
    assert isinstance(service.diagnostics, DiagnosticProfile)
    assert service.lifecycle in get_args(Lifecycle)
    if service.common is not None and service.common.lifecycle is not None:
        assert service.common.lifecycle in get_args(Lifecycle)
    if isinstance(service.roles, NoRoles):
        assert len(service.roles.why) > 20, "say why the service contributes no role sets"
    else:
        assert isinstance(service.roles, ServiceRoles)
        assert _role_sets(service.roles), f"{service.name} declares role sets but grants nothing"
    assert service.naming_kind in NAMING_RULES
    assert service.title and service.label and service.summary
    assert service.guardrails, f"{service.name} lists no guardrail rules"


def _role_sets(roles: ServiceRoles) -> list[RoleSet]:
    found = [*roles.identity, *roles.deployment]
    found.extend(r for sets in roles.personas.values() for r in sets)
    found.extend(r for sets in roles.core.values() for r in sets)
    for extra in (*roles.with_services.values(), *([roles.when_absent] if roles.when_absent else [])):
        found.extend(_role_sets(extra))
    return found


@pytest.mark.parametrize("service", OPTIONAL_SERVICES, ids=[s.name for s in OPTIONAL_SERVICES])
def test_every_service_projects_switch_on_is_in_the_json_schema(service: AnyService) -> None:
    schema = _schema()
    services = schema["$defs"]["Services"]["properties"]
    assert service.name in services
    assert service.settings is not None
    refs = json.dumps(services[service.name])
    assert f"#/$defs/{service.settings.__name__}" in refs
    assert service.settings.__name__ in schema["$defs"]


def test_services_without_settings_are_not_configurable() -> None:
    fixed = [s for s in SERVICES if not s.optional]
    assert {s.name for s in fixed} == {"storage", "key_vault", "log_analytics", "bastion", "jump_host"}
    services = _schema()["$defs"]["Services"]["properties"]
    assert all(s.settings is None and s.name not in services for s in fixed)


def test_the_registry_and_the_service_name_literal_agree() -> None:
    assert tuple(s.name for s in SERVICES) == get_args(ServiceName)


def test_instance_keys_and_logical_names_are_unique() -> None:
    common = [s.common for s in SERVICES if s.common is not None]
    keys = [c.key or s.name for s in SERVICES for c in [s.common] if c is not None]
    assert len(keys) == len(set(keys)) == len(common)
    stems = [s.logical_stem for s in SERVICES if s.projects is not None]
    assert len(stems) == len(set(stems))
    names = [c.logical_name for c in common] + [c.attachment_name for c in common if c.attachment_name]
    assert len(names) == len(set(names))


AI_ACCOUNT_NAMES = {"openai", "content_safety", "document_intelligence", "speech", "vision"}


def test_the_derived_tables_are_what_projects_have_always_had() -> None:
    data_services = {"postgresql", "sql", "redis"}
    assert {
        "esml": {
            "machine_learning", "databricks", "data_factory", "aks", "event_hubs", "container_registry",
            *AI_ACCOUNT_NAMES,
        }
        | data_services,
        "genai": {
            *AI_ACCOUNT_NAMES,
            "ai_foundry",
            "ai_search",
            "cosmos_db",
            "container_apps",
            "container_app",
            "web_app",
            "function_app",
            "event_hubs",
            "container_registry",
        }
        | data_services,
    } == SERVICES_BY_TYPE  # fmt: skip
    # ESML projects build images (their ML workspace) into a registry of their own: the shared one is pull-only.
    esml = {"machine_learning", "container_registry"}
    assert {"esml": esml, "genai": {"ai_foundry", "ai_search"}} == DEFAULT_SERVICES
    assert set(SERVICE_MODELS) == set(SERVICES_BY_TYPE["esml"] | SERVICES_BY_TYPE["genai"])
    assert IP_FIREWALL_SERVICES == (
        "storage", "key_vault", "container_registry", "ai_foundry", "openai", "content_safety",
        "document_intelligence", "speech", "vision", "ai_search", "cosmos_db", "web_app", "function_app",
    )  # fmt: skip


def test_a_group_id_the_dns_catalogue_does_not_know_is_refused() -> None:
    with pytest.raises(KeyError, match="key_vault has no private link group 'blob'"):
        PrivateEndpoints("key_vault", ("blob",))


def test_a_service_that_exists_nowhere_is_refused() -> None:
    with pytest.raises(ValueError, match="exists neither in projects nor in the common environment"):
        dataclasses.replace(KEY_VAULT, projects=None, common=None)


def test_a_switchable_service_without_settings_is_refused() -> None:
    optional = dataclasses.replace(KEY_VAULT.projects, always=False) if KEY_VAULT.projects else None
    with pytest.raises(ValueError, match="needs a settings model"):
        dataclasses.replace(KEY_VAULT, projects=optional)


def test_a_profile_that_sends_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="sends nothing"):
        DiagnosticProfile(None, metrics=False)
    assert ALL_LOGS_AND_METRICS.summary == "logs: category group allLogs; metrics"


def test_common_only_services_are_declared_like_the_others() -> None:
    declaration: ServiceDeclaration[None, Any] = dataclasses.replace(
        KEY_VAULT, projects=None, common=CommonUse(when=ALWAYS, logical_name="common-x", why="a test instance")
    )
    assert not declaration.optional and not declaration.for_every_project_type
    assert declaration.groups_in("common") == ("vault",)


def test_every_guardrail_a_declaration_lists_is_in_the_catalogue() -> None:
    from aifactory.policy.catalog import RULES_BY_ID

    listed = {rule for service in SERVICES for rule in service.guardrails}
    assert listed, "some declaration lists its guardrail rules"
    assert listed <= set(RULES_BY_ID), sorted(listed - set(RULES_BY_ID))
