"""Who may do what: the RBAC planner's tables of role sets, by grantee and by need.

Each :class:`RoleSet` is one capability ("read and write the project's storage") as built-in roles
on scopes, with a one-line *why*. A table maps a *need* a project (or the common environment) has
to the role sets a grantee gets for it: ``baseline`` (always), a service the workload has
(``machine_learning``, ``ai_search``, ...), two services joined by ``+`` (all must be present), or
``no_<service>`` (the workload does not have it: without a registry of its own a project uses the
shared one).

Only the ``baseline`` rows are written here: what every project grants whatever its services (the
resource group, its storage and Key Vault, its telemetry) and what the core team gets on the common
part and on every project. Every service's rows come from its own declaration
(:class:`aifactory.services.access.ServiceRoles` in :mod:`aifactory.services`), so a service's access
is declared once, in its module.

Scopes are resource keys of the project (``storage`` becomes ``p007/storage``) or common scope
keys used as they are (``common/container_registry``); see :mod:`aifactory.plan.rbac.model`.
Project scopes beyond the services: ``resource_group``, ``application_insights``,
``managed_identity`` (the project's user-assigned identity) and ``network/<subnet key>``.

Least privilege, by construction: members never get Owner, User Access Administrator or
unconditioned Role Based Access Control Administrator; the team lead delegates through Role Based
Access Control Administrator with the project's allowlist condition
(:mod:`aifactory.plan.rbac.delegation`). Grants follow what each service documents for keyless
operation (sources in ``docs/access.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType

from aifactory.catalog.personas import CorePersona, ProjectPersona
from aifactory.config.project import ProjectSpec
from aifactory.config.stack import StackConfig
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.registry import SERVICES, common_declarations, project_declarations

__all__ = [
    "CORE_COMMON_ROLE_SETS",
    "CORE_PROJECT_ROLE_SETS",
    "DEPLOYMENT_ROLE_SETS",
    "IDENTITY_ROLE_SETS",
    "LAKE_TRAVERSE_ROLE_SETS",
    "MEMBER_JUMP_HOST_ROLE_SETS",
    "PERSONA_ROLE_SETS",
    "SUPERSEDES",
    "SYSTEM_IDENTITY_ROLE_SETS",
    "WORKLOAD_IDENTITY_ROLE_SETS",
    "RoleSet",
    "RoleTable",
    "common_needs",
    "members_use_jump_host",
    "project_needs",
    "role_sets_for",
]


RoleTable = Mapping[str, tuple[RoleSet, ...]]
"""Role sets by need (``baseline``, a service name, services joined by ``+``, or ``no_<service>``)."""

# --- What every project grants its people -----------------------------------------------------

SEE_PROJECT = RoleSet(
    "see every resource of the project, its settings, metrics and logs; change nothing",
    {"resource_group": ("Reader",)},
)
SEE_PROJECT_COST = RoleSet(
    "follow the project's spend against its budget",
    {"resource_group": ("Cost Management Reader",)},
)
DELEGATE_PROJECT_ACCESS = RoleSet(
    "grant colleagues the project's day-to-day roles (an allowlist: nothing that can change network settings, "
    "delete resources or assign roles)",
    {"resource_group": ("Role Based Access Control Administrator",)},
    delegates=True,
)
WORK_WITH_PROJECT_DATA = RoleSet(
    "read and write the project's storage with Entra ID (shared keys are off)",
    {"storage": ("Storage Blob Data Contributor",)},
)
READ_PROJECT_DATA = RoleSet(
    "read the project's storage with Entra ID",
    {"storage": ("Storage Blob Data Reader",)},
)
MANAGE_PROJECT_SECRETS = RoleSet(
    "keep the project's few unavoidable secrets (connections that cannot be keyless)",
    {"key_vault": ("Key Vault Secrets Officer",)},
)
USE_PROJECT_SECRETS = RoleSet(
    "read the secrets the project's code needs",
    {"key_vault": ("Key Vault Secrets User",)},
)
SEE_SECRET_NAMES = RoleSet(
    "see which secrets exist, never their values",
    {"key_vault": ("Key Vault Reader",)},
)

# --- What the project's managed identity needs (it runs every service keylessly) ------------

SERVICE_DATA = RoleSet(
    "the project's services read and write its storage and read its secrets, keylessly",
    {"storage": ("Storage Blob Data Contributor",), "key_vault": ("Key Vault Secrets User",)},
)
SEND_TELEMETRY = RoleSet(
    "apps and services send telemetry with Entra ID instead of an instrumentation key",
    {"application_insights": ("Monitoring Metrics Publisher",)},
)

# --- What the project's CI (deployment service principal) needs -----------------------------

DEPLOY_BASELINE = RoleSet(
    "find the project's resources, upload artifacts and set the secrets its apps need",
    {
        "resource_group": ("Reader",),
        "storage": ("Storage Blob Data Contributor",),
        "key_vault": ("Key Vault Secrets Officer",),
    },
)

# --- The core team ---------------------------------------------------------------------------

RUN_COMMON = RoleSet(
    "operate the environment's shared resources (no role assignments: access changes go through code)",
    {"common/resource_group": ("Contributor",)},
)
MANAGE_COMMON_SECRETS = RoleSet(
    "keep the environment's shared secrets",
    {"common/key_vault": ("Key Vault Secrets Officer",)},
)
PUBLISH_BASE_IMAGES = RoleSet(
    "publish curated base images to the shared registry",
    {"common/container_registry": ("AcrPush",)},
)
SEE_COMMON = RoleSet(
    "see the environment's shared resources",
    {"common/resource_group": ("Reader",)},
)
SUPPORT_PROJECT = RoleSet(
    "see every project's resources to support its team",
    {"resource_group": ("Reader",)},
)
FIND_LAKE = RoleSet(
    "every project principal can find the lake in the portal and Storage Explorer; data access comes only "
    "from folder ACLs",
    {"common/datalake": ("Reader",)},
)


REACH_WORKSPACE_THROUGH_BASTION = RoleSet(
    "reach the project's private workspace from inside the network: connect to the jump host through Bastion "
    "(Reader on Bastion, the VM and its NIC) and sign in with Entra ID as a regular user",
    {
        "common/bastion": ("Reader",),
        "common/jump_host": ("Reader", "Virtual Machine User Login"),
        "common/jump_host_nic": ("Reader",),
    },
)


def _absent(service: str) -> str:
    return f"no_{service}"


def _contributions() -> Iterator[tuple[str, ServiceRoles]]:
    """Every service's role contributions with the need that triggers each, in registry order."""
    for service in SERVICES:
        roles = service.roles
        if not isinstance(roles, ServiceRoles):
            continue
        yield service.name, roles
        for other, extra in roles.with_services.items():
            yield f"{service.name}+{other}", extra
        for other, extra in roles.without_services.items():
            yield f"{service.name}+{_absent(other)}", extra
        if roles.when_absent is not None:
            yield _absent(service.name), roles.when_absent


def _table(baseline: Sequence[RoleSet], grants: Callable[[ServiceRoles], tuple[RoleSet, ...]]) -> RoleTable:
    """``baseline`` plus, per need, the role sets the services give one grantee (``grants`` picks them)."""
    entries: dict[str, tuple[RoleSet, ...]] = {"baseline": tuple(baseline)} if baseline else {}
    for need, roles in _contributions():
        sets = grants(roles)
        if sets:
            entries[need] = sets
    return MappingProxyType(entries)


def _persona(persona: ProjectPersona) -> Callable[[ServiceRoles], tuple[RoleSet, ...]]:
    return lambda roles: roles.personas.get(persona, ())


def _core(persona: CorePersona) -> Callable[[ServiceRoles], tuple[RoleSet, ...]]:
    return lambda roles: roles.core.get(persona, ())


def _none(_roles: ServiceRoles) -> tuple[RoleSet, ...]:
    return ()


_PERSONA_BASELINE: Mapping[ProjectPersona, tuple[RoleSet, ...]] = {
    "team-lead": (
        SEE_PROJECT,
        SEE_PROJECT_COST,
        DELEGATE_PROJECT_ACCESS,
        WORK_WITH_PROJECT_DATA,
        MANAGE_PROJECT_SECRETS,
    ),
    "data-scientist": (SEE_PROJECT, WORK_WITH_PROJECT_DATA, USE_PROJECT_SECRETS),
    "ml-engineer": (SEE_PROJECT, WORK_WITH_PROJECT_DATA, USE_PROJECT_SECRETS),
    "ai-developer": (SEE_PROJECT, WORK_WITH_PROJECT_DATA, USE_PROJECT_SECRETS),
    "app-developer": (SEE_PROJECT, READ_PROJECT_DATA, USE_PROJECT_SECRETS),
    "data-engineer": (SEE_PROJECT, WORK_WITH_PROJECT_DATA, USE_PROJECT_SECRETS),
    "reader": (SEE_PROJECT, READ_PROJECT_DATA, SEE_SECRET_NAMES),
}
_CORE_COMMON_BASELINE: Mapping[CorePersona, tuple[RoleSet, ...]] = {
    "platform-admin": (RUN_COMMON, MANAGE_COMMON_SECRETS, PUBLISH_BASE_IMAGES),
    # No data role on the lake: a data role at account scope bypasses every folder ACL (Storage Blob Data
    # Owner makes a super-user), so data-ops reach data through the lake ACLs only.
    "data-ops": (SEE_COMMON, MANAGE_COMMON_SECRETS),
}

PERSONA_ROLE_SETS: Mapping[ProjectPersona, RoleTable] = MappingProxyType(
    {persona: _table(baseline, _persona(persona)) for persona, baseline in _PERSONA_BASELINE.items()}
)
"""Each project persona's role sets by need."""

IDENTITY_ROLE_SETS: RoleTable = _table((SERVICE_DATA, SEND_TELEMETRY), lambda roles: roles.identity)
"""The project's user-assigned managed identity: the identity of every service of the project."""


def _workload(name: str) -> Callable[[ServiceRoles], tuple[RoleSet, ...]]:
    return lambda roles: roles.workload_identities.get(name, ())


WORKLOAD_IDENTITY_ROLE_SETS: Mapping[str, RoleTable] = MappingProxyType(
    {
        name: _table((), _workload(name))
        for name in sorted({n for _, roles in _contributions() for n in roles.workload_identities})
    }
)
"""Services' own identities by name (``aks-kubelet``): each holds only what its service declares for it."""


def _system_identity_tables() -> dict[str, dict[str, tuple[RoleSet, ...]]]:
    tables: dict[str, dict[str, tuple[RoleSet, ...]]] = {}
    for need, roles in _contributions():
        if roles.system_identity:
            tables.setdefault(need.split("+", 1)[0], {})[need] = roles.system_identity
    return tables


SYSTEM_IDENTITY_ROLE_SETS: Mapping[str, RoleTable] = MappingProxyType(
    {service: MappingProxyType(table) for service, table in _system_identity_tables().items()}
)
"""Instances' system-assigned identities by service (``ai_search``): what each needs of the project's others."""

DEPLOYMENT_ROLE_SETS: RoleTable = _table((DEPLOY_BASELINE,), lambda roles: roles.deployment)
"""The project's CI service principal (GitHub Actions OIDC): deploys code and models, not infrastructure."""

CORE_COMMON_ROLE_SETS: Mapping[CorePersona, RoleTable] = MappingProxyType(
    {persona: _table(baseline, _core(persona)) for persona, baseline in _CORE_COMMON_BASELINE.items()}
)
"""The core team on the environment's shared resources (needs: ``baseline`` and the common services)."""

CORE_PROJECT_ROLE_SETS: Mapping[CorePersona, RoleTable] = MappingProxyType(
    {
        "platform-admin": _table((SUPPORT_PROJECT,), _none),
        "data-ops": _table((), _none),
    }
)
"""The core team on every project (data-ops reaches projects through the lake ACLs only)."""

LAKE_TRAVERSE_ROLE_SETS: RoleTable = _table((FIND_LAKE,), _none)
"""The lake traverse group (every project principal is a member): one assignment, not one per project."""

SUPERSEDES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        # Contributor's actions (*) include a registry's pull/read and push/write (RBAC registry permissions mode).
        "Contributor": frozenset({"Reader", "AcrPush", "AcrPull"}),
        "Storage Blob Data Owner": frozenset({"Storage Blob Data Contributor", "Storage Blob Data Reader"}),
        "Storage Blob Data Contributor": frozenset({"Storage Blob Data Reader"}),
        "Storage File Data Privileged Contributor": frozenset({"Storage File Data Privileged Reader"}),
        "Key Vault Administrator": frozenset(
            {"Key Vault Secrets Officer", "Key Vault Secrets User", "Key Vault Reader"}
        ),
        "Key Vault Secrets Officer": frozenset({"Key Vault Secrets User"}),
        "AcrPush": frozenset({"AcrPull"}),
        "Search Index Data Contributor": frozenset({"Search Index Data Reader"}),
        "Azure Event Hubs Data Owner": frozenset({"Azure Event Hubs Data Sender", "Azure Event Hubs Data Receiver"}),
        "Azure Kubernetes Service RBAC Writer": frozenset({"Azure Kubernetes Service RBAC Reader"}),
        "Azure Kubernetes Service RBAC Admin": frozenset(
            {"Azure Kubernetes Service RBAC Writer", "Azure Kubernetes Service RBAC Reader"}
        ),
        "Cosmos DB Built-in Data Contributor": frozenset({"Cosmos DB Built-in Data Reader"}),
    }
)
"""Roles whose permissions include other roles' on the same scope: the included role is not assigned again."""


MEMBER_JUMP_HOST_ROLE_SETS: RoleTable = MappingProxyType({"baseline": (REACH_WORKSPACE_THROUGH_BASTION,)})
"""Every persona of every project, when :func:`members_use_jump_host`: the way in to private endpoints.

Kept out of :data:`PERSONA_ROLE_SETS` on purpose: the team lead's delegation allowlist is built from
those, and a lead cannot grant on the common part anyway; switching the stack setting must not change
any project's delegation."""


def members_use_jump_host(stack: StackConfig) -> bool:
    """Whether project members get :data:`MEMBER_JUMP_HOST_ROLE_SETS`: Bastion and a jump host exist, switch on."""
    shared = stack.shared_services
    return shared.bastion and shared.jump_host and shared.members_use_jump_host


def project_needs(project: ProjectSpec) -> frozenset[str]:
    """What a project needs access for: ``baseline``, its services, and the services it does without."""
    present = {service.name for service in project_declarations(project)}
    absent = {_absent(s.name) for s in SERVICES if s.projects is not None and s.name not in present}
    return frozenset({"baseline", *present, *absent})


def common_needs(stack: StackConfig, projects: Sequence[ProjectSpec]) -> frozenset[str]:
    """What the environment's shared part needs access for: ``baseline`` and its common services."""
    return frozenset({"baseline", *(service.name for service in common_declarations(stack, projects))})


def role_sets_for(table: RoleTable, needs: frozenset[str]) -> tuple[RoleSet, ...]:
    """The table's role sets whose need is met, in table order."""
    found: list[RoleSet] = []
    for need, role_sets in table.items():
        if set(need.split("+")) <= needs:
            found.extend(r for r in role_sets if r not in found)
    return tuple(found)
