"""Every service declaration lists the guardrail rules that judge what it builds.

The types a service builds are read from the shipped plans (its resource and the resources its build
parents to it, not the private endpoints, diagnostics and locks the site adds), so a declaration
cannot miss a rule that judges them: a new rule for a type shows up here until the services that
build the type list it, and a new service shows up until it lists its rules (a declaration may list
more, such as a rule over the role assignments its access brings). The product's own promise must
cover every service whose declaration makes it: a service with private endpoints is judged by
AIF-PRIVATE-ENDPOINT and AIF-PUBLIC-NETWORK, and every one (each has a diagnostics profile) by
AIF-DIAGNOSTICS and the tag and name rules.
"""

from __future__ import annotations

from functools import cache

import pytest

from aifactory.policy.catalog import RULES, RULES_BY_ID
from aifactory.services import SERVICES
from aifactory.services.model import PrivateEndpoints
from aifactory.services.registry import AnyService
from tests.support import shipped_stack

_SITE_TYPES = frozenset({"azure-native:monitor:DiagnosticSetting", "azure-native:authorization:ManagementLockByScope"})


@cache
def _built_types() -> dict[str, frozenset[str]]:
    """Per service, the azure-native types of its resource and of the resources its build parents to it."""
    found: dict[str, set[str]] = {}
    for stack in ("dev", "stage", "prod"):
        shipped = shipped_stack(stack)
        by_name = {r.name: r for r in shipped.run.resources}
        children: dict[str, list[str]] = {}
        for r in shipped.run.resources:
            if r.custom and r.type.startswith("azure-native:") and r.type not in _SITE_TYPES:
                children.setdefault(r.parent, []).append(r.type)
        planned = [*shipped.plan.common_services, *(s for p in shipped.plan.projects for s in p.services)]
        for service in planned:
            resource = by_name.get(service.logical_name)
            if resource is not None:
                found.setdefault(service.service, set()).update([resource.type, *children.get(resource.urn, [])])
    return {name: frozenset(types) for name, types in found.items()}


@pytest.mark.parametrize("service", SERVICES, ids=[s.name for s in SERVICES])
def test_the_declaration_lists_every_rule_that_judges_its_resources(service: AnyService) -> None:
    types = _built_types().get(service.name)
    assert types, f"{service.name} is built in no shipped stack: add it to an example project"
    unknown = [r for r in service.guardrails if r not in RULES_BY_ID]
    assert not unknown, f"{service.name} lists unknown rules {unknown}"
    # A type two services build (web:WebApp: the web app and the Function App) has rules for one kind of
    # it; those must be listed by a service that builds the type, not by both.
    siblings = {
        rule
        for other in SERVICES
        if other is not service and _built_types().get(other.name, frozenset()) & types
        for rule in other.guardrails
    }
    missing = [r.id for r in RULES if set(r.types) & types and r.id not in {*service.guardrails, *siblings}]
    assert not missing, f"{service.name} builds {sorted(types)}, which {missing} judge: list them in its declaration"
    assert len(set(service.guardrails)) == len(service.guardrails), f"{service.name} lists a rule twice"


@pytest.mark.parametrize("service", SERVICES, ids=[s.name for s in SERVICES])
def test_the_products_promise_covers_the_service(service: AnyService) -> None:
    promised = {"AIF-REQUIRED-TAGS", "ARM-NAME-LENGTH", "ARM-NAME-CHARACTERS"}
    if isinstance(service.endpoints, PrivateEndpoints):
        promised |= {"AIF-PRIVATE-ENDPOINT", "AIF-PUBLIC-NETWORK"}
    promised.add("AIF-DIAGNOSTICS")  # every declaration has a diagnostics profile
    missing = sorted(promised - set(service.guardrails))
    assert not missing, f"no rule of {missing} judges {service.name}: add its resource type to those rules"
