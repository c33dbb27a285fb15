"""What a service declaration is: one typed record per Azure resource type the factory creates.

A declaration is the single place that says how the factory uses one resource type: where it
exists (which project types may have it, which get it by default, whether the common environment
has one), its settings model, naming kind, subnet needs, private endpoints, diagnostics profile,
lifecycle, IP firewall, RBAC scopes and role sets, and a ``build`` function.

``build`` creates *just the resource* and its intrinsic children (event hubs inside a namespace,
deployments inside a Foundry account) and returns them. Everything a resource needs besides
itself - private endpoints, diagnostic settings, protection and locks, tags, public-access
arguments, RBAC scope registration - is applied by the site that builds it
(:mod:`aifactory.components.service_site`), uniformly, from this data. So the data here is what
the planners, the docs and the completeness checks read, and it cannot drift from what is built.

Declarations are imported by the config and plan layers (``aifactory validate``, ``schema``,
``project new``), which stay free of the Pulumi SDK: type names from Pulumi appear only in
annotations, and build functions import ``pulumi`` and their azure-native module when called.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from aifactory.catalog.diagnostics import DiagnosticProfile
from aifactory.catalog.dns_zones import GroupId, PrivateLinkKind, zones_for
from aifactory.catalog.naming_rules import NAMING_RULES, ResourceKind
from aifactory.catalog.subnets import CommonSubnetKey, ProjectSubnetKey
from aifactory.services.access import NoRoles, ServiceRoles
from aifactory.services.data_access import DataAccess

if TYPE_CHECKING:
    import pulumi

    from aifactory.config.project import ProjectSpec
    from aifactory.config.stack import StackConfig
    from aifactory.config.types import EnvironmentName
    from aifactory.errors import Invalid
    from aifactory.plan.public_access import PublicAccess
    from aifactory.services.context import ServiceContext
    from aifactory.services.registry import ServiceKey, ServiceName

__all__ = [
    "ALWAYS",
    "NAME_GUARDRAILS",
    "PRIVATE_SERVICE_GUARDRAILS",
    "PROJECT_TYPES",
    "Built",
    "CommonUse",
    "Condition",
    "Lifecycle",
    "NoPrivateEndpoint",
    "Placement",
    "PrivateEndpoints",
    "ProjectType",
    "ProjectUse",
    "ScaffoldLevel",
    "ServiceDeclaration",
    "SubnetNeeds",
    "any_project_has",
    "resolved",
    "stack_switch",
]

ProjectType = Literal["esml", "genai"]
PROJECT_TYPES: tuple[ProjectType, ...] = ("esml", "genai")

Placement = Literal["common", "esml", "genai"]
"""Where an instance lives: the environment's common part, or a project of one type."""

Lifecycle = Literal["none", "protect", "protect_lock"]
"""What guards an instance where the environment protects stateful resources (stage and prod by default):

- ``protect``: Pulumi refuses to delete or replace it;
- ``protect_lock``: also a CanNotDelete management lock on what holds the data, so nobody deletes it
  in the portal either: the instance itself, or the intrinsic children its build reports as
  ``Built.data`` (a Cosmos DB account's databases) instead of it.

A lock applies to everything below its scope, extension resources included (role assignments,
diagnostic settings), and deleting a private endpoint deletes a connection below its target
("Lock your resources to protect your infrastructure", Microsoft Learn). So a lock goes only where
nothing the factory deletes on a day-2 change (a member's grants, an endpoint, a diagnostic setting)
sits below it: workspaces whose own children must stay deletable are protected, not locked, and so are
Key Vaults, whose deletion purge protection makes recoverable; ``aifactory.policy.locks`` checks
the placement over every plan.
"""

PRIVATE_SERVICE_GUARDRAILS: tuple[str, ...] = (
    "AIF-PUBLIC-NETWORK",
    "AIF-LOCAL-AUTH",
    "AIF-TLS12",
    "AIF-PRIVATE-ENDPOINT",
    "AIF-DIAGNOSTICS",
    "AIF-REQUIRED-TAGS",
)
"""The factory's promise every private, keyless PaaS service is held to (a declaration's ``guardrails``)."""
NAME_GUARDRAILS: tuple[str, ...] = ("ARM-NAME-LENGTH", "ARM-NAME-CHARACTERS")
"""The Azure Resource Manager name limits every created type is checked against."""

ScaffoldLevel = Literal["basic", "full"]
"""The scaffold profiles of ``aifactory project new``: ``<type>-basic`` and ``<type>-full``."""

S = TypeVar("S")
B = TypeVar("B", bound="Built[Any]")
R = TypeVar("R", bound="pulumi.CustomResource")
T = TypeVar("T")


def resolved(value: T | None, setting: str) -> T:
    """A setting the config loader always fills for an enabled service (``config/resolve.py``)."""
    if value is None:
        msg = f"{setting} was not resolved for the environment; load projects through the config loader"
        raise ValueError(msg)
    return value


@dataclass(frozen=True)
class Condition:
    """When the common environment has an instance: a rule over the stack config and its projects."""

    text: str
    test: Callable[[StackConfig, Sequence[ProjectSpec]], bool]

    def holds(self, stack: StackConfig, projects: Sequence[ProjectSpec]) -> bool:
        return self.test(stack, projects)


ALWAYS = Condition("always", lambda _stack, _projects: True)


def stack_switch(path: str) -> Condition:
    """On when the stack config's boolean at ``path`` (``shared_services.bastion``) is true."""

    def test(stack: StackConfig, _projects: Sequence[ProjectSpec]) -> bool:
        value: Any = stack
        for part in path.split("."):
            value = getattr(value, part)
        return bool(value)

    return Condition(f"aifactory:{path} is true", test)


def any_project_has(service: ServiceName) -> Condition:
    """On when any project of the environment has ``service`` enabled."""
    return Condition(
        f"a project of the environment enables {service}",
        lambda _stack, projects: any(service in p.enabled_services() for p in projects),
    )


@dataclass(frozen=True)
class ProjectUse:
    """Which project types may have the service, and which have it without asking.

    ``always``: every project of those types has it and cannot turn it off (its storage and Key
    Vault); such services have no ``services:`` entry. ``default``: types that get it unless they
    set ``enabled: false``. ``default_note`` qualifies the default in the schema ("off (shared
    registry)").
    """

    types: tuple[ProjectType, ...]
    default: tuple[ProjectType, ...] = ()
    always: bool = False
    default_note: str = ""


@dataclass(frozen=True)
class CommonUse:
    """The common environment's instance: when it exists and where it differs from a project's.

    ``logical_name`` and ``attachment_name`` (the base of its ``-lock``, ``-diag`` and ``-pe``
    names) are part of every URN below them and never change for an existing instance.
    """

    when: Condition
    logical_name: str
    why: str
    key: ServiceKey | None = None
    qualifier: str = ""
    attachment_name: str = ""
    groups: tuple[GroupId, ...] | None = None
    lifecycle: Lifecycle | None = None
    subnets: tuple[CommonSubnetKey, ...] = ()


@dataclass(frozen=True)
class PrivateEndpoints:
    """The private link kind and the group ids the service gets one endpoint each for.

    ``by_type`` gives the groups of project types that differ from ``groups`` (the common
    instance's differences live in :class:`CommonUse`). Every pair is checked against the private
    DNS catalogue when the declaration is created.
    """

    kind: PrivateLinkKind
    groups: tuple[GroupId, ...]
    by_type: Mapping[ProjectType, tuple[GroupId, ...]] = field(default_factory=dict)
    why: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_type", MappingProxyType(dict(self.by_type)))
        for groups in (self.groups, *self.by_type.values()):
            for group in groups:
                zones_for(self.kind, group)  # KeyError at import for a pair the catalogue does not know

    def groups_for(self, project_type: ProjectType) -> tuple[GroupId, ...]:
        return self.by_type.get(project_type, self.groups)


@dataclass(frozen=True)
class NoPrivateEndpoint:
    """An explicit, reasoned "this service gets no private endpoint"."""

    why: str


@dataclass(frozen=True)
class SubnetNeeds(Generic[S]):
    """The project subnets (IP layout keys) the service uses; ``only_if`` narrows it by its settings."""

    keys: tuple[ProjectSubnetKey, ...] = ()
    only_if: Callable[[S], bool] | None = None
    why: str = ""

    def for_settings(self, settings: S | None) -> tuple[ProjectSubnetKey, ...]:
        if self.only_if is not None and settings is not None and not self.only_if(settings):
            return ()
        return self.keys


@dataclass(frozen=True, kw_only=True)
class Built(Generic[R]):
    """What a build function returns: the resource, plus what the uniform application needs of it.

    ``scopes`` gives the resource ids of the declaration's ``extra_scopes`` (a Foundry project next
    to its account); ``children`` the intrinsic children named in ``child_diagnostics`` (Bastion's
    public IP); ``system_principal`` the object id of the instance's system-assigned identity when its
    declaration grants that identity roles (``ServiceRoles.system_identity``); ``data`` the intrinsic
    children that hold the instance's data, which a ``protect_lock`` lifecycle locks instead of the
    instance (None: the instance itself holds it). Services whose dependants need more subclass this record.
    """

    resource: R
    scopes: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    children: Mapping[str, pulumi.CustomResource] = field(default_factory=dict)
    system_principal: pulumi.Input[str] | None = None
    data: Mapping[str, pulumi.CustomResource] | None = None


@dataclass(frozen=True, eq=False)
class ServiceDeclaration(Generic[S, B]):
    """One resource type as the factory uses it (see the module docstring).

    ``settings`` is the pydantic model of ``services.<name>`` (None: nothing to configure);
    ``logical_stem`` makes a project instance's logical name ``<project key>-<stem>``;
    ``label`` is the short name the JSON Schema and reports use. ``ip_firewall`` turns a project's
    ``network.allow_ips`` exception into the service's access arguments (public network access and
    firewall rules; the build passes them on): None means the service has no IP firewall the
    factory opens, and it stays private whatever the exception says. ``project_checks`` returns the
    problems of the settings against the project's other enabled services (AKS attached to an ML
    workspace needs the workspace); ``environment_defaults`` fills what the settings leave to the
    environment. ``guardrails`` lists the ids of the guardrail rules that cover the service.
    ``data_access`` names who the service admits inside itself (database administrators, cache access
    policies: grants Azure RBAC cannot express; see :mod:`aifactory.services.data_access`).
    ``endpoint_needs`` names private endpoint groups the service needs on *other* services of its
    project (a Function App's host needs the storage account's queues and tables), which those get
    only where the project has this service.
    """

    name: ServiceName
    title: str
    label: str
    summary: str
    naming_kind: ResourceKind
    logical_stem: str
    settings: type[S] | None
    projects: ProjectUse | None
    common: CommonUse | None
    endpoints: PrivateEndpoints | NoPrivateEndpoint
    diagnostics: DiagnosticProfile
    lifecycle: Lifecycle
    roles: ServiceRoles | NoRoles
    build: Callable[[ServiceContext, S | None], B]
    ip_firewall: Callable[[PublicAccess], dict[str, Any]] | None = None
    subnets: SubnetNeeds[S] = field(default_factory=SubnetNeeds)
    extra_scopes: tuple[str, ...] = ()
    child_diagnostics: Mapping[str, DiagnosticProfile] = field(default_factory=dict)
    project_checks: Callable[[S, frozenset[ServiceName]], list[Invalid]] | None = None
    environment_defaults: Callable[[S, EnvironmentName], S] | None = None
    scaffold: Mapping[ScaffoldLevel, Mapping[str, object]] = field(default_factory=dict)
    guardrails: tuple[str, ...] = ()
    data_access: DataAccess | None = None
    endpoint_needs: Mapping[ServiceName, tuple[GroupId, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Declarations are shared by every plan of the process: their tables must not be changed in place.
        object.__setattr__(self, "child_diagnostics", MappingProxyType(dict(self.child_diagnostics)))
        object.__setattr__(self, "endpoint_needs", MappingProxyType(dict(self.endpoint_needs)))
        object.__setattr__(
            self, "scaffold", MappingProxyType({k: MappingProxyType(dict(v)) for k, v in self.scaffold.items()})
        )
        if self.naming_kind not in NAMING_RULES:
            msg = f"{self.name}: unknown naming kind {self.naming_kind!r}"
            raise ValueError(msg)
        if self.projects is None and self.common is None:
            msg = f"{self.name} exists neither in projects nor in the common environment"
            raise ValueError(msg)
        if self.projects is not None and not self.projects.always and self.settings is None:
            msg = f"{self.name}: a service projects switch on needs a settings model"
            raise ValueError(msg)

    def default_settings(self) -> S:
        """The settings a project has when it lists the service without any (``name: {}``)."""
        if self.settings is None:
            msg = f"{self.name} has no settings model"
            raise TypeError(msg)
        return self.settings()

    @property
    def for_every_project_type(self) -> bool:
        """Whether every project type may have it: such services are part of the project baseline
        (built by ``ProjectBaseline`` and parented to it), the others by their type's component."""
        return self.projects is not None and set(self.projects.types) == set(PROJECT_TYPES)

    @property
    def optional(self) -> bool:
        """Whether projects list it under ``services:`` (it has a settings model there)."""
        return self.projects is not None and not self.projects.always

    def lifecycle_in(self, placement: Placement) -> Lifecycle:
        """The declared lifecycle of an instance in ``placement`` (before the environment's policy)."""
        if placement == "common" and self.common is not None and self.common.lifecycle is not None:
            return self.common.lifecycle
        return self.lifecycle

    def groups_in(self, placement: Placement) -> tuple[GroupId, ...]:
        """The private endpoint groups of an instance in ``placement`` (empty without endpoints)."""
        if not isinstance(self.endpoints, PrivateEndpoints):
            return ()
        if placement == "common":
            common_groups = self.common.groups if self.common is not None else None
            return common_groups if common_groups is not None else self.endpoints.groups
        return self.endpoints.groups_for(placement)
