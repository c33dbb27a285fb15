"""docs/services.md, generated from the registry: each service's settings, endpoints, roles and lifecycle.

The page is the registry rendered as Markdown, so it cannot drift from what is built; a test keeps
the committed page in sync. Regenerate it with ``python -m aifactory.service_docs`` (from the
repository root, or pass the output path).
"""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from aifactory.catalog.dns_zones import GroupId, zones_for
from aifactory.catalog.naming_rules import NAMING_RULES
from aifactory.plan.rbac.personas import (
    CORE_COMMON_ROLE_SETS,
    CORE_PROJECT_ROLE_SETS,
    DEPLOYMENT_ROLE_SETS,
    IDENTITY_ROLE_SETS,
    PERSONA_ROLE_SETS,
)
from aifactory.services.access import NoRoles, RoleSet, ServiceRoles
from aifactory.services.data_access import DataAccess
from aifactory.services.model import PROJECT_TYPES, Placement, PrivateEndpoints
from aifactory.services.registry import SERVICES, AnyService

__all__ = ["DOCS_PAGE", "render_services_page", "write_services_page"]

DOCS_PAGE = Path("docs") / "services.md"

_TYPE_NAMES = {"esml": "ESML", "genai": "GenAI"}
_LIFECYCLE = {
    "none": "not protected",
    "protect": "protected (Pulumi refuses to delete or replace it)",
    "protect_lock": "protected and CanNotDelete-locked",
}
_SHORT_LIFECYCLE = {"none": "-", "protect": "protect", "protect_lock": "protect + lock"}
_INTRO = """\
# Services

<!-- Generated from the service registry (aifactory/services/) by `python -m aifactory.service_docs`;
do not edit by hand: a test fails when this page and the registry disagree. -->

Every Azure resource type the factory creates for a service is declared once, in its own module of
`aifactory/services/`: where it exists, its settings, its Azure name, the subnets it uses, its
private endpoints and DNS zones, its diagnostic settings, its lifecycle in stage and prod, whether
`network.allow_ips` opens it, its RBAC scopes and the role sets it grants. The project baseline and
the common environment build each instance from its declaration and apply the private endpoints,
diagnostics, tags, protection and locks, public-access arguments and scope registration the same
way for every service, then check that nothing declared is missing.

Lifecycles apply where the environment protects stateful resources (stage and prod, or wherever
`aifactory:protect_stateful` is true); in dev nothing is protected. Private DNS zones are created in
standalone DNS mode, used from the hub in hub mode, and written by the hub's policy when
`dns.policy_managed_dns` is on.

Adding a service: see [Adding a service](../README.md#adding-a-service).
"""


def render_services_page() -> str:
    """The whole page."""
    lines = [_INTRO, "## Overview", "", *_overview(), "", *_baseline_access()]
    for service in SERVICES:
        lines.extend(["", *_section(service)])
    return "\n".join(lines).rstrip() + "\n"


def write_services_page(path: Path = DOCS_PAGE) -> Path:
    """Write the page to ``path`` and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_services_page(), encoding="utf-8")
    return path


# --- parts ---------------------------------------------------------------------------------------


def _overview() -> Iterator[str]:
    yield "| service | projects | common environment | private endpoints | stage/prod | `allow_ips` |"
    yield "|---|---|---|---|---|---|"
    for s in SERVICES:
        groups = ", ".join(sorted({g for p in _placements(s) for g in s.groups_in(p)})) or "none"
        opens = "opens its firewall" if s.ip_firewall is not None else "stays private"
        yield (
            f"| [{s.title}](#{_anchor(s)}) | {_projects(s)} | {_common(s)} | {groups} | "
            f"{_lifecycle(s, short=True)} | {opens} |"
        )


def _baseline_access() -> Iterator[str]:
    yield "## Baseline access (every project and the common part)"
    yield ""
    yield (
        "What every grantee gets whatever the services, on the project's resource group, storage, Key Vault and "
        "Application Insights (and the core team on the common part). The services below add their own role sets."
    )
    yield ""
    rows: list[tuple[str, Sequence[RoleSet]]] = [
        (f"persona `{persona}`", table.get("baseline", ())) for persona, table in PERSONA_ROLE_SETS.items()
    ]
    rows.append(("project identity", IDENTITY_ROLE_SETS.get("baseline", ())))
    rows.append(("project CI (deployment)", DEPLOYMENT_ROLE_SETS.get("baseline", ())))
    rows.extend((f"core `{p}` (common)", t.get("baseline", ())) for p, t in CORE_COMMON_ROLE_SETS.items())
    rows.extend((f"core `{p}` (every project)", t.get("baseline", ())) for p, t in CORE_PROJECT_ROLE_SETS.items())
    yield from _role_table(rows)


def _section(s: AnyService) -> Iterator[str]:
    yield f"## {s.title} (`{s.name}`)"
    yield ""
    yield s.summary
    yield ""
    yield "| | |"
    yield "|---|---|"
    yield f"| projects | {_projects(s)} |"
    yield f"| common environment | {_common(s)} |"
    rule = NAMING_RULES[s.naming_kind]
    length = f"{rule.min_length}-{rule.max_length} characters"
    yield f"| Azure name | kind `{s.naming_kind}`: `{rule.abbreviation}-...`, {length} |"
    yield f"| subnets | {_subnets(s)} |"
    yield f"| private endpoints | {_endpoints(s)} |"
    for target, groups in s.endpoint_needs.items():
        rendered = ", ".join(f"`{g}`" for g in groups)
        yield f"| endpoints on `{target}` | {rendered} too, in projects that have this service |"
    diagnostics = s.diagnostics.summary
    for label, profile in s.child_diagnostics.items():
        diagnostics += f"; its `{label}`: {profile.summary}"
    yield f"| diagnostics | {diagnostics} |"
    yield f"| stage/prod | {_lifecycle(s)} |"
    yield f"| `network.allow_ips` | {_allow_ips(s)} |"
    yield f"| RBAC scopes | {', '.join(f'`<workload>/{k}`' for k in _scope_names(s))} |"
    yield f"| guardrail rules | {', '.join(f'`{g}`' for g in s.guardrails) or 'none yet'} |"
    if s.settings is not None:
        yield ""
        yield f"Settings (`services.{s.name}`):"
        yield ""
        yield "| field | description |"
        yield "|---|---|"
        for name, description in _fields(s.settings):
            yield f"| `{name}` | {description} |"
    yield ""
    if s.data_access is not None:
        yield f"Data access (inside the service, not Azure RBAC): {_data_access(s.data_access)}."
        yield ""
    if isinstance(s.roles, NoRoles):
        yield f"Roles: none of its own ({s.roles.why})."
        return
    yield "Roles:"
    yield ""
    yield from _role_table(list(_role_rows(s.roles)))
    if s.roles.by_settings_note:
        yield ""
        yield f"From the project's settings: {s.roles.by_settings_note}."


def _data_access(access: DataAccess) -> str:
    grantees = [f"persona `{p}`" for p in access.personas]
    if access.identity:
        grantees.insert(0, "the project identity")
    if access.deployment:
        grantees.append("project CI (deployment)")
    groups = (
        "a persona's managed group is admitted as the group"
        if access.groups
        else "Entra groups are not accepted, so a persona's managed group is admitted member by member (users and "
        "service principals)"
    )
    names = (
        "; principals whose Entra name the factory does not know (members given by object id) are left out"
        if (access.names)
        else ""
    )
    return f"{access.why} - {', '.join(grantees)}; {groups}{names}"


def _role_rows(roles: ServiceRoles, condition: str = "") -> Iterator[tuple[str, Sequence[RoleSet]]]:
    for persona, sets in roles.personas.items():
        yield f"persona `{persona}`{condition}", sets
    if roles.identity:
        yield f"project identity{condition}", roles.identity
    if roles.deployment:
        yield f"project CI (deployment){condition}", roles.deployment
    for name, workload_sets in roles.workload_identities.items():
        yield f"its own identity `{name}`{condition}", workload_sets
    if roles.system_identity:
        yield f"its system-assigned identity{condition}", roles.system_identity
    for core_persona, core_sets in roles.core.items():
        yield f"core `{core_persona}` (common){condition}", core_sets
    for other, extra in roles.with_services.items():
        yield from _role_rows(extra, f", when the project also has `{other}`")
    for other, extra in roles.without_services.items():
        yield from _role_rows(extra, f", when the project has no `{other}`")
    if roles.when_absent is not None:
        yield from _role_rows(roles.when_absent, ", when the project does not have it")


def _role_table(rows: Sequence[tuple[str, Sequence[RoleSet]]]) -> Iterator[str]:
    yield "| grantee | why | roles on scopes |"
    yield "|---|---|---|"
    for grantee, sets in rows:
        for role_set in sets:
            grants = [f"{', '.join(names)} on `{scope}`" for scope, names in role_set.grants.items()]
            grants += [f"{', '.join(names)} (data plane) on `{scope}`" for scope, names in role_set.cosmos.items()]
            condition = " (conditioned)" if role_set.condition or role_set.delegates else ""
            yield f"| {grantee} | {role_set.why} | {'; '.join(grants)}{condition} |"


# --- cells ---------------------------------------------------------------------------------------


def _placements(s: AnyService) -> list[Placement]:
    placements: list[Placement] = [t for t in PROJECT_TYPES if s.projects and t in s.projects.types]
    if s.common is not None:
        placements.append("common")
    return placements


def _projects(s: AnyService) -> str:
    use = s.projects
    if use is None:
        return "-"
    types = ", ".join(_TYPE_NAMES[t] for t in use.types)
    if use.always:
        return f"every project ({types})"
    default = f"; on by default for {', '.join(_TYPE_NAMES[t] for t in use.default)}" if use.default else ""
    return f"{types}, when listed under `services:`{default}"


def _common(s: AnyService) -> str:
    if s.common is None:
        return "-"
    when = "always" if s.common.when.text == "always" else f"when {s.common.when.text}"
    return f"{s.common.why} ({when})"


def _subnets(s: AnyService) -> str:
    parts = []
    if s.subnets.keys:
        condition = " (only when the settings need it)" if s.subnets.only_if is not None else ""
        why = f": {s.subnets.why}" if s.subnets.why else ""
        parts.append(f"project {', '.join(f'`{k}`' for k in s.subnets.keys)}{condition}{why}")
    if s.common is not None and s.common.subnets:
        parts.append(f"common {', '.join(f'`{k}`' for k in s.common.subnets)}")
    if s.groups_in("common") or any(s.groups_in(t) for t in PROJECT_TYPES if s.projects and t in s.projects.types):
        parts.append("the workload's `private_endpoints` subnet for its endpoints")
    return "; ".join(parts) or "none"


def _endpoints(s: AnyService) -> str:
    endpoints = s.endpoints
    if not isinstance(endpoints, PrivateEndpoints):
        return f"none: {endpoints.why}"
    by_groups: dict[tuple[GroupId, ...], list[str]] = {}
    for placement in _placements(s):
        by_groups.setdefault(s.groups_in(placement), []).append(_placement_name(placement))
    parts = []
    for groups, where in by_groups.items():
        rendered = ", ".join(f"`{g}` → {', '.join(zones_for(endpoints.kind, g))}" for g in groups)
        parts.append(rendered if len(by_groups) == 1 else f"{', '.join(where)}: {rendered}")
    why = f" ({endpoints.why})" if endpoints.why else ""
    return "; ".join(parts) + why


def _lifecycle(s: AnyService, *, short: bool = False) -> str:
    names = _SHORT_LIFECYCLE if short else _LIFECYCLE
    parts = {_placement_name(p): names[s.lifecycle_in(p)] for p in _placements(s)}
    if len(set(parts.values())) == 1:
        return next(iter(parts.values()))
    return "; ".join(f"{where}: {what}" for where, what in parts.items())


def _allow_ips(s: AnyService) -> str:
    if s.ip_firewall is None:
        return "stays private whatever the list says"
    return "opens its public endpoint to exactly the listed ranges (everything else denied)"


def _scope_names(s: AnyService) -> list[str]:
    keys: list[str] = [s.name] if s.projects is not None else []
    if s.common is not None:
        keys.append(s.common.key or s.name)
    return list(dict.fromkeys([*keys, *s.extra_scopes]))


def _placement_name(placement: Placement) -> str:
    return "common" if placement == "common" else _TYPE_NAMES[placement]


def _anchor(s: AnyService) -> str:
    text = f"{s.title} ({s.name})".lower()
    return "".join(c for c in text.replace(" ", "-") if c.isalnum() or c in "-_")


def _fields(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every field (nested models and lists of models flattened), with its description."""
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        yield path, info.description or ""
        nested = _model_in(info.annotation)
        if nested is not None:
            marker = "[]" if typing.get_origin(info.annotation) is list else ""
            yield from _fields(nested, f"{path}{marker}.")


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        for argument in typing.get_args(annotation):
            found = _model_in(argument)
            if found is not None:
                return found
    return None


if __name__ == "__main__":
    written = write_services_page(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS_PAGE)
    sys.stdout.write(f"wrote {written}\n")
