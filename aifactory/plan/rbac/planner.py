"""The access plan: Entra groups, memberships, identities and every role assignment of an environment.

``plan_access`` is pure: from the validated config it decides which persona groups exist (with
deterministic display names), who is a member of what, the project's deployment application and
its federated credentials, and the full list of role assignments with deterministic names. It
counts the assignments per subscription and refuses a plan that would exceed Azure's limit.

Every name depends only on the owning workload (the project's id and name, the persona, the
environment and the naming seed), never on other projects, so adding or removing a project never
renames another project's groups or assignments.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from aifactory.catalog.personas import PROJECT_PERSONAS, CorePersona, ProjectPersona
from aifactory.catalog.roles import DataPlaneRole, cosmos_role, role
from aifactory.config.loader import FactoryConfig
from aifactory.config.project import Member, MemberKind, ProjectSpec, project_file
from aifactory.config.stack import CorePrincipal, StackConfig
from aifactory.config.types import EnvironmentName
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.plan.naming import Namer
from aifactory.plan.rbac.delegation import Delegation, plan_delegation
from aifactory.plan.rbac.model import (
    PlannedRoleAssignment,
    PrincipalRef,
    PrincipalType,
    ScopeRef,
    assignment_name,
    scope_key,
)
from aifactory.plan.rbac.personas import (
    CORE_COMMON_ROLE_SETS,
    CORE_PROJECT_ROLE_SETS,
    DEPLOYMENT_ROLE_SETS,
    IDENTITY_ROLE_SETS,
    LAKE_TRAVERSE_ROLE_SETS,
    MEMBER_JUMP_HOST_ROLE_SETS,
    PERSONA_ROLE_SETS,
    SUPERSEDES,
    SYSTEM_IDENTITY_ROLE_SETS,
    WORKLOAD_IDENTITY_ROLE_SETS,
    RoleSet,
    common_needs,
    members_use_jump_host,
    project_needs,
    role_sets_for,
)
from aifactory.plan.rbac.principals import (
    JUMP_HOST_USERS_KEY,
    LAKE_TRAVERSE_KEY,
    PersonaGrantee,
    core_ref,
    deployment_ref,
    identity_ref,
    lake_reader_ref,
    master_readers,
    member_ref,
    persona_grantees,
    persona_group_ref,
    system_identity_ref,
    workload_identity_ref,
)
from aifactory.services.registry import settings_role_sets

__all__ = [
    "GITHUB_AUDIENCE",
    "GITHUB_ISSUER",
    "ROLE_ASSIGNMENT_LIMIT",
    "AccessPlan",
    "FederatedCredential",
    "PersonaGroup",
    "PlannedDataPlaneAssignment",
    "PlannedDeployment",
    "PlannedGroup",
    "PlannedMember",
    "PlannedMembership",
    "PlannedWorkloadIdentity",
    "ProjectAccess",
    "SubscriptionCount",
    "plan_access",
]

ROLE_ASSIGNMENT_LIMIT = 4000
"""Azure role assignments per subscription (all scopes inside it count)."""

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
GITHUB_AUDIENCE = "api://AzureADTokenExchange"
_DATA_PLANE_NAMESPACE = uuid.UUID("0f4e2b61-9a3c-4d57-8e21-6c1b5a7d9e30")
_CORE_PERSONAS: tuple[tuple[CorePersona, str], ...] = (("platform-admin", "platform_admins"), ("data-ops", "data_ops"))


@dataclass(frozen=True)
class PlannedGroup:
    """An Entra security group the stack creates (the lake traverse group; see :class:`PersonaGroup`)."""

    ref: PrincipalRef
    display_name: str
    description: str


@dataclass(frozen=True)
class PersonaGroup(PlannedGroup):
    """A project persona's group: its members are the project's members of that persona."""

    persona: ProjectPersona


@dataclass(frozen=True)
class PlannedMember:
    """A member from the project file in this environment; ``upn`` is set when it is given by sign-in name."""

    ref: PrincipalRef
    persona: ProjectPersona
    kind: MemberKind
    upn: str | None


@dataclass(frozen=True, order=True)
class PlannedMembership:
    """``member`` belongs to ``group`` (both by principal key)."""

    group: PrincipalRef
    member: PrincipalRef


@dataclass(frozen=True)
class FederatedCredential:
    """A federated identity credential: tokens from ``issuer`` with ``subject`` sign in as the application."""

    name: str
    issuer: str
    subject: str
    audiences: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class PlannedDeployment:
    """The project's CI identity: an application and its service principal, federated, without secrets."""

    ref: PrincipalRef
    display_name: str
    repository: str
    credentials: tuple[FederatedCredential, ...]


@dataclass(frozen=True)
class PlannedWorkloadIdentity:
    """A service's own user-assigned identity (``aks-kubelet``): its Azure name and its scope key."""

    name: str
    ref: PrincipalRef
    resource_name: str

    @property
    def scope(self) -> str:
        """Its RBAC scope key relative to the project (``managed_identity/aks-kubelet``)."""
        return f"managed_identity/{self.name}"


@dataclass(frozen=True, order=True)
class PlannedDataPlaneAssignment:
    """A Cosmos DB data-plane role assignment (inside the account; not an Azure role assignment)."""

    scope: ScopeRef
    principal: PrincipalRef
    role: DataPlaneRole
    name: str
    reason: str = ""


@dataclass(frozen=True)
class ProjectAccess:
    """One project's identities, groups, memberships and grants in this environment."""

    project_id: int
    key: str
    file: str
    subscription_id: str
    identity_name: str
    identity: PrincipalRef
    members: tuple[PlannedMember, ...]
    grantees: tuple[PersonaGrantee, ...]
    groups: tuple[PersonaGroup, ...]
    memberships: tuple[PlannedMembership, ...]
    deployment: PlannedDeployment | None
    role_assignments: tuple[PlannedRoleAssignment, ...]
    data_plane_assignments: tuple[PlannedDataPlaneAssignment, ...]
    delegation: Delegation | None = None
    workload_identities: tuple[PlannedWorkloadIdentity, ...] = ()

    @property
    def principal_keys(self) -> frozenset[str]:
        """Principal keys the project's own identity component must resolve (no object id up front)."""
        refs = [m.ref for m in self.members] + [g.ref for g in self.groups] + [self.identity]
        refs += [w.ref for w in self.workload_identities]
        if self.deployment is not None:
            refs.append(self.deployment.ref)
        return frozenset(r.key for r in refs)


@dataclass(frozen=True)
class SubscriptionCount:
    """Role assignments this stack creates in one subscription, against Azure's limit."""

    subscription_id: str
    common: int
    by_project: Mapping[int, int]
    limit: int = ROLE_ASSIGNMENT_LIMIT

    @property
    def total(self) -> int:
        return self.common + sum(self.by_project.values())

    @property
    def over_limit(self) -> bool:
        return self.total > self.limit


@dataclass(frozen=True)
class AccessPlan:
    """The environment's access decisions: common grants, each project's access, counts per subscription."""

    lake_traverse: PrincipalRef
    lake_traverse_group: PlannedGroup | None
    core_principals: tuple[PrincipalRef, ...]
    common_assignments: tuple[PlannedRoleAssignment, ...]
    projects: Mapping[int, ProjectAccess]
    counts: Mapping[str, SubscriptionCount]
    lake_reader_groups: tuple[PlannedGroup, ...] = ()
    jump_host_users: PlannedGroup | None = None

    @property
    def common_groups(self) -> tuple[PlannedGroup, ...]:
        """The shared groups the common stack creates and project stacks add members to (beside the traverse group)."""
        return (*self.lake_reader_groups, *((self.jump_host_users,) if self.jump_host_users is not None else ()))

    @property
    def all_assignments(self) -> tuple[PlannedRoleAssignment, ...]:
        """Every Azure role assignment of the stack."""
        return self.common_assignments + tuple(a for p in self.projects.values() for a in p.role_assignments)


def plan_access(config: FactoryConfig, namer: Namer) -> AccessPlan:
    """The access plan of the stack; raises :class:`ConfigError` when a subscription would exceed the limit.

    ``namer`` is the environment's (built once by the factory plan): group and application names and
    assignment names come from it.
    """
    stack = config.stack
    traverse = PrincipalRef(
        LAKE_TRAVERSE_KEY, "Group", object_id=stack.identity.lake_traverse_group, display="lake traverse group"
    )
    traverse_group = None
    if stack.identity.manage_groups:
        traverse_group = PlannedGroup(
            traverse,
            namer.common("entra_group", "lake-traverse"),
            f"aifactory {stack.environment}: every project principal; traverse (--x) on the lake's shared folders. "
            "Members are managed by the project stacks.",
        )
    readers = _lake_reader_groups(stack, namer)
    builder = _Assignments(namer.seed, stack.environment)
    core = _core_principals(stack)
    needs = common_needs(stack, config.projects)
    for persona, ref in core:
        builder.grant(ref, role_sets_for(CORE_COMMON_ROLE_SETS[persona], needs), "common")
    builder.grant(traverse, role_sets_for(LAKE_TRAVERSE_ROLE_SETS, frozenset({"baseline"})), "common")
    jump_host_users = _jump_host_users(stack, namer)
    if jump_host_users is not None:
        builder.grant(jump_host_users.ref, role_sets_for(MEMBER_JUMP_HOST_ROLE_SETS, frozenset({"baseline"})), "common")
    common = builder.assignments()
    projects = {
        spec.id: _project_access(
            stack, spec, project_file(spec, config.project_files), namer, traverse, jump_host_users=jump_host_users
        )
        for spec in config.projects
    }
    counts = _counts(stack, common, projects)
    problems = [_limit_problem(config.stack, config.stack_file, count) for count in counts.values() if count.over_limit]
    if problems:
        raise ConfigError(problems)
    return AccessPlan(
        lake_traverse=traverse,
        lake_traverse_group=traverse_group,
        core_principals=tuple(ref for _, ref in core),
        common_assignments=common,
        projects=MappingProxyType(projects),
        counts=MappingProxyType(counts),
        lake_reader_groups=readers,
        jump_host_users=jump_host_users,
    )


def _jump_host_users(stack: StackConfig, namer: Namer) -> PlannedGroup | None:
    """With managed groups, one group holds every project's persona groups and the jump-host roles: four role
    assignments for the environment instead of four per persona group (all on the common subscription)."""
    if not (members_use_jump_host(stack) and stack.identity.manage_groups):
        return None
    return PlannedGroup(
        PrincipalRef(JUMP_HOST_USERS_KEY, "Group", display="jump host users"),
        namer.common("entra_group", "jump-host-users"),
        f"aifactory {stack.environment}: every project's persona groups; connect to the jump host through Bastion "
        "and sign in as a regular user. Members are managed by the project stacks.",
    )


def _lake_reader_groups(stack: StackConfig, namer: Namer) -> tuple[PlannedGroup, ...]:
    """One group per master source (managed groups only): the projects that read it add their readers."""
    if not stack.identity.manage_groups:
        return ()
    return tuple(
        PlannedGroup(
            lake_reader_ref(source),
            namer.common("entra_group", f"lake-{source}-readers"),
            f"aifactory {stack.environment}: project principals that read master/{source} (r-x). Members are "
            "managed by the project stacks (datalake.read_sources).",
        )
        for source in stack.datalake.sources
    )


def _core_principals(stack: StackConfig) -> list[tuple[CorePersona, PrincipalRef]]:
    """The core team from the stack config, by persona, in config order."""
    found: list[tuple[CorePersona, PrincipalRef]] = []
    for persona, attribute in _CORE_PERSONAS:
        principals: list[CorePrincipal] = getattr(stack.core_team, attribute)
        found.extend((persona, core_ref(persona, p.principal, p.kind)) for p in principals)
    return found


def _project_access(
    stack: StackConfig,
    spec: ProjectSpec,
    file: str,
    namer: Namer,
    traverse: PrincipalRef,
    *,
    jump_host_users: PlannedGroup | None = None,
) -> ProjectAccess:
    environment = stack.environment
    members = tuple(_planned_member(spec, m) for m in spec.members_in(environment))
    grantees = tuple(persona_grantees(stack, spec, environment))
    needs = project_needs(spec)
    identity = identity_ref(spec)
    deployment = _deployment(spec, environment, namer)
    delegation = _delegation(stack, needs)
    builder = _Assignments(namer.seed, environment, delegation)
    for grantee in grantees:
        builder.grant(grantee.principal, role_sets_for(PERSONA_ROLE_SETS[grantee.persona], needs), spec.key)
        builder.grant(grantee.principal, settings_role_sets(spec, grantee.persona), spec.key)
    if members_use_jump_host(stack) and jump_host_users is None:  # direct grants: no managed groups
        for grantee in grantees:
            builder.grant(grantee.principal, role_sets_for(MEMBER_JUMP_HOST_ROLE_SETS, needs), spec.key)
    builder.grant(identity, role_sets_for(IDENTITY_ROLE_SETS, needs), spec.key)
    workloads: list[PlannedWorkloadIdentity] = []
    for name, table in WORKLOAD_IDENTITY_ROLE_SETS.items():
        role_sets = role_sets_for(table, needs)
        if role_sets:
            ref = workload_identity_ref(spec, name)
            workloads.append(
                PlannedWorkloadIdentity(name, ref, namer.project("managed_identity", spec.id, spec.name, name))
            )
            builder.grant(ref, role_sets, spec.key)
    for service, table in SYSTEM_IDENTITY_ROLE_SETS.items():
        role_sets = role_sets_for(table, needs)
        if role_sets:
            builder.grant(system_identity_ref(spec, service), role_sets, spec.key)
    if deployment is not None:
        builder.grant(deployment.ref, role_sets_for(DEPLOYMENT_ROLE_SETS, needs), spec.key)
    for persona, ref in _core_principals(stack):
        builder.grant(ref, role_sets_for(CORE_PROJECT_ROLE_SETS[persona], needs), spec.key)
    groups = _groups(spec, grantees, namer, file) if stack.identity.manage_groups else ()
    memberships = [PlannedMembership(g.ref, m.ref) for g in groups for m in members if m.persona == g.persona]
    traverse_members = [g.principal for g in grantees] + [identity]
    if deployment is not None:
        traverse_members.append(deployment.ref)
    memberships.extend(PlannedMembership(traverse, ref) for ref in traverse_members)
    if jump_host_users is not None:
        memberships.extend(PlannedMembership(jump_host_users.ref, g.principal) for g in grantees)
    if stack.identity.manage_groups:
        readers = master_readers(stack, spec, environment)
        memberships.extend(
            PlannedMembership(lake_reader_ref(source), ref) for source in spec.datalake.read_sources for ref in readers
        )
    return ProjectAccess(
        project_id=spec.id,
        key=spec.key,
        file=file,
        subscription_id=stack.subscription_for_project(spec.id),
        identity_name=namer.project("managed_identity", spec.id, spec.name),
        identity=identity,
        members=members,
        grantees=grantees,
        groups=groups,
        memberships=tuple(memberships),
        deployment=deployment,
        role_assignments=builder.assignments(),
        data_plane_assignments=builder.data_plane_assignments(),
        delegation=delegation if builder.delegated else None,
        workload_identities=tuple(workloads),
    )


_DELEGATED_TYPES: Mapping[bool, tuple[PrincipalType, ...]] = MappingProxyType(
    {True: ("Group",), False: ("Group", "ServicePrincipal", "User")}
)
"""Who a lead may grant to: persona groups when groups are managed, else the kinds members may have.

It depends on the mode only, never on who is a member, so adding or removing a member never
changes the lead's assignment."""


def _delegation(stack: StackConfig, needs: frozenset[str]) -> Delegation:
    """The project's allowlist: the roles every persona gets here, to the principal types it grants to."""
    persona_roles = {
        name
        for table in PERSONA_ROLE_SETS.values()
        for role_set in role_sets_for(table, needs)
        if not role_set.delegates
        for names in role_set.grants.values()
        for name in names
    }
    return plan_delegation(persona_roles, _DELEGATED_TYPES[stack.identity.manage_groups])


def _planned_member(spec: ProjectSpec, member: Member) -> PlannedMember:
    ref = member_ref(spec, member)
    return PlannedMember(ref, member.persona, member.kind, member.principal if ref.object_id is None else None)


def _groups(spec: ProjectSpec, grantees: Sequence[PersonaGrantee], namer: Namer, file: str) -> tuple[PersonaGroup, ...]:
    return tuple(
        PersonaGroup(
            persona_group_ref(spec, g.persona),
            namer.project("entra_group", spec.id, spec.name, g.persona),
            f"aifactory {spec.key} {spec.name}, {g.persona}: {PROJECT_PERSONAS[g.persona]}. "
            f"Members are managed in {file}.",
            g.persona,
        )
        for g in grantees
    )


def _deployment(spec: ProjectSpec, environment: EnvironmentName, namer: Namer) -> PlannedDeployment | None:
    github = spec.delivery.github
    if github is None:
        return None
    position = spec.environments.index(environment)
    github_environment = github.environments[position] if github.environments else environment
    credential = FederatedCredential(
        name=_credential_name(f"github-{github_environment}"),
        issuer=GITHUB_ISSUER,
        subject=f"repo:{github.repository}:environment:{github_environment}",
        audiences=(GITHUB_AUDIENCE,),
        description=f"GitHub Actions of {github.repository} (environment {github_environment}) deploys to "
        f"{spec.key} in {environment}",
    )
    return PlannedDeployment(
        deployment_ref(spec),
        namer.project("entra_application", spec.id, spec.name, "deploy"),
        github.repository,
        (credential,),
    )


def _credential_name(text: str) -> str:
    """Federated credential names: letters, digits, ``-`` and ``_``, at most 120 characters."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:120]


class _Assignments:
    """Collects a workload's grants as named assignments: deduplicated, included roles pruned."""

    def __init__(self, seed: str, environment: EnvironmentName, delegation: Delegation | None = None) -> None:
        self._seed = seed
        self._environment = environment
        self._delegation = delegation
        self.delegated = False
        self._azure: dict[tuple[str, str], dict[str, tuple[RoleSet, str | None]]] = {}
        self._cosmos: dict[tuple[str, str], dict[str, RoleSet]] = {}
        self._principals: dict[str, PrincipalRef] = {}

    def grant(self, principal: PrincipalRef, role_sets: Iterable[RoleSet], workload: str) -> None:
        self._principals[principal.key] = principal
        for role_set in role_sets:
            condition = role_set.condition
            if role_set.delegates:
                if self._delegation is None:
                    msg = f"{principal.key}: {role_set.why!r} delegates, but {workload} has no delegation plan"
                    raise RuntimeError(msg)
                condition = self._delegation.condition
                self.delegated = True
            for scope, names in role_set.grants.items():
                held = self._azure.setdefault((principal.key, scope_key(workload, scope)), {})
                for name in names:
                    held.setdefault(name, (role_set, condition))
            for scope, names in role_set.cosmos.items():
                held_data = self._cosmos.setdefault((principal.key, scope_key(workload, scope)), {})
                for name in names:
                    held_data.setdefault(name, role_set)

    def assignments(self) -> tuple[PlannedRoleAssignment, ...]:
        planned = []
        for (principal_key, key), held in self._azure.items():
            principal, scope = self._principals[principal_key], ScopeRef(key)
            for name in _without_included(held):
                role_set, condition = held[name]
                definition = role(name)
                planned.append(
                    PlannedRoleAssignment(
                        scope=scope,
                        principal=principal,
                        role=definition,
                        name=assignment_name(self._seed, self._environment, principal, definition, scope),
                        reason=role_set.why,
                        condition=condition,
                        delegation=self._delegation if role_set.delegates else None,
                    )
                )
        return tuple(sorted(planned, key=lambda a: (a.principal.key, a.scope.key, a.role.name)))

    def data_plane_assignments(self) -> tuple[PlannedDataPlaneAssignment, ...]:
        planned = []
        for (principal_key, key), held in self._cosmos.items():
            principal, scope = self._principals[principal_key], ScopeRef(key)
            for name in _without_included(held):
                definition = cosmos_role(name)
                identity = f"{self._seed}/{self._environment}/{principal.key}/{definition.id}/{scope.key}"
                planned.append(
                    PlannedDataPlaneAssignment(
                        scope=scope,
                        principal=principal,
                        role=definition,
                        name=str(uuid.uuid5(_DATA_PLANE_NAMESPACE, identity)),
                        reason=held[name].why,
                    )
                )
        return tuple(sorted(planned, key=lambda a: (a.principal.key, a.scope.key, a.role.name)))


def _without_included(held: Mapping[str, object]) -> list[str]:
    """Role names minus those another held, unconditioned role already includes (``SUPERSEDES``).

    A role under an ABAC condition grants less than its name says (Storage Blob Data Owner limited to
    some containers), so it replaces nothing the principal holds without one.
    """
    included = {
        inner
        for name, grant in held.items()
        if not (isinstance(grant, tuple) and grant[1] is not None)
        for inner in SUPERSEDES.get(name, frozenset())
    }
    return [name for name in held if name not in included]


def _counts(
    stack: StackConfig, common: Sequence[PlannedRoleAssignment], projects: Mapping[int, ProjectAccess]
) -> dict[str, SubscriptionCount]:
    common_count: dict[str, int] = defaultdict(int)
    by_project: dict[str, dict[int, int]] = defaultdict(dict)
    common_count[stack.subscription_id] += len(common)
    for project_id, access in projects.items():
        for assignment in access.role_assignments:
            subscription = stack.subscription_id if assignment.scope.workload == "common" else access.subscription_id
            counts = by_project[subscription]
            counts[project_id] = counts.get(project_id, 0) + 1
    subscriptions = [stack.subscription_id, *sorted(set(by_project) - {stack.subscription_id})]
    return {
        s: SubscriptionCount(s, common_count.get(s, 0), MappingProxyType(dict(sorted(by_project[s].items()))))
        for s in subscriptions
    }


def _limit_problem(stack: StackConfig, stack_file: str, count: SubscriptionCount) -> ConfigProblem:
    projects = sorted(count.by_project)
    per_project = sum(count.by_project.values()) / max(len(projects), 1)
    fitting = int((count.limit - count.common) // max(per_project, 1))
    per_shard = 2 ** (stack.network.project_slot_prefix - stack.network.shard_prefix)
    smaller_shards = (
        f"; a subscription takes whole network shards of {per_shard} ids, so also lengthen "
        f"aifactory:network.shard_prefix (/{stack.network.shard_prefix + 1} halves them)"
        if fitting < per_shard
        else ""
    )
    return ConfigProblem(
        stack_file,
        "aifactory:project_subscriptions",
        count.total,
        f"subscription {count.subscription_id} would hold {count.total:,} role assignments from this stack "
        f"({count.common} common, {count.total - count.common:,} for projects {_id_ranges(projects)}), over "
        f"Azure's limit of {count.limit:,} per subscription",
        f"spread the projects over more subscriptions with aifactory:project_subscriptions (id ranges aligned "
        f"with the network shards): at about {per_project:.0f} assignments per project one subscription holds "
        f"about {fitting} projects, and assignments made outside the factory count too{smaller_shards}",
    )


def _id_ranges(ids: Sequence[int]) -> str:
    """``1-3, 7, 9-10``."""
    if not ids:
        return "none"
    parts: list[str] = []
    start = previous = ids[0]
    for value in [*ids[1:], None]:
        if value is not None and value == previous + 1:
            previous = value
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if value is not None:
            start = previous = value
    return ", ".join(parts)
