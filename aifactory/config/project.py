"""The project spec: one team's workspace, read from ``projects/<id>-<name>.yaml``.

A project's id drives its names and its network slot; its name is a readable slug used in Azure
names. Both are stable identities: changing them recreates the project's resources.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, Field, field_validator, model_validator

from aifactory.catalog.personas import ProjectPersona
from aifactory.config.base import ConfigModel, raise_all
from aifactory.config.cost import BudgetThresholds, budget_thresholds_field
from aifactory.config.services import DEFAULT_SERVICES, SERVICES_BY_TYPE, ProjectType, ServiceName, Services
from aifactory.config.types import (
    ENVIRONMENTS,
    NIL_GUID,
    Cidr,
    EmailAddress,
    EnvironmentName,
    PublicIpRange,
    Slug,
    cidr_value,
    no_duplicates,
    overlap_within,
)
from aifactory.errors import Invalid
from aifactory.services.registry import OPTIONAL_SERVICES

__all__ = [
    "MAX_PROJECT_ID",
    "Budget",
    "Delivery",
    "GithubDelivery",
    "Member",
    "MemberKind",
    "NetworkSize",
    "ProjectDatalake",
    "ProjectLifecycle",
    "ProjectNetwork",
    "ProjectOverride",
    "ProjectSpec",
    "project_file",
]

MAX_PROJECT_ID = 999
NetworkSize = Literal["small", "medium", "large"]
MemberKind = Literal["user", "group", "service_principal"]
ProjectLifecycle = Literal["active", "decommission"]
"""``active``: the project is deployed as its file says. ``decommission``: the next ``pulumi up`` lifts the
protection and the locks of its resources and changes nothing else, so the file (or the environment) can be
removed afterwards (docs/decommission.md)."""
_UPN = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
MAX_UPN = 113
"""Entra ID's limit for a user principal name: 64 characters before the @ and 48 after it."""
Emails = Annotated[list[EmailAddress], AfterValidator(no_duplicates)]
_REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")


class Member(ConfigModel):
    """A person, group or service principal of the team, with the persona that decides its access."""

    principal: str = Field(
        max_length=MAX_UPN,
        description="Required. A user's UPN (anna@contoso.com) or object id; a group's or service principal's "
        "object id.",
    )
    kind: MemberKind = Field(default="user", description="Optional. Kind of principal. Default: user.")
    persona: ProjectPersona = Field(description="Required. What the member does in the project (see README).")
    environments: list[EnvironmentName] | None = Field(
        default=None,
        description="Optional. Only in these environments (e.g. fewer people in prod). Default: all of the "
        "project's environments.",
    )

    @model_validator(mode="after")
    def _principal_form(self) -> Self:
        if _is_guid(self.principal):
            canonical = str(uuid.UUID(self.principal))
            if canonical == NIL_GUID:
                raise Invalid(
                    "is the nil GUID, which is no Entra object",
                    f"copy the {self.kind.replace('_', ' ')}'s real object id from Entra ID",
                    field="principal",
                    value=self.principal,
                )
            object.__setattr__(self, "principal", canonical)
            return self
        if self.kind == "user" and _UPN.match(self.principal):
            object.__setattr__(self, "principal", self.principal.lower())
            return self
        if self.kind == "user":
            raise Invalid(
                "is neither a user principal name nor an object id",
                "use the user's sign-in name (anna@contoso.com) or Entra object id",
                field="principal",
                value=self.principal,
            )
        raise Invalid(
            f"a {self.kind} principal must be an Entra object id (GUID)",
            f"copy the {self.kind.replace('_', ' ')}'s object id from Entra ID",
            field="principal",
            value=self.principal,
        )

    @property
    def key(self) -> str:
        """Stable identity of the member within a project (kind and principal)."""
        return f"{self.kind}:{self.principal}"


def _is_guid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) in (32, 36)


class Budget(ConfigModel):
    """The project's monthly cost budget with e-mail alerts (at most five, Azure's limit per budget)."""

    monthly_amount: float = Field(gt=0, le=10_000_000, description="Required. Amount in the billing currency.")
    alert_emails: Emails = Field(
        default_factory=list, description="Optional. Who gets alerts. Default: the project owners."
    )
    thresholds: BudgetThresholds = budget_thresholds_field()


class ProjectNetwork(ConfigModel):
    """The project's network footprint."""

    size: NetworkSize = Field(
        default="medium",
        description="Optional. Subnet sizes inside the project's slot (see README, IP plan). Changing it "
        "recreates the project's own subnets. Default: medium.",
    )
    allow_ips: Annotated[list[PublicIpRange], AfterValidator(no_duplicates)] = Field(
        default_factory=list,
        description="Optional. Public client ranges (an office, a partner) allowed through the firewalls of the "
        "project's storage, Key Vault, registry, AI Foundry, AI Search, Cosmos DB and Web App: public network access "
        "is turned on for those ranges only, and the plan reports it. Services without an IP firewall stay private. "
        "Default: none (private only).",
    )
    slot: Cidr | None = Field(
        default=None,
        description="Optional. Pin the project to an explicit address slot (migrations); it must be a slot-sized "
        "range of the environment that no other project uses. Usually set per environment under overrides. "
        "Default: the slot derived from the project id.",
    )

    @field_validator("allow_ips")
    @classmethod
    def _no_nested_ranges(cls, value: list[str]) -> list[str]:
        clash = overlap_within([(index, cidr_value(cidr)) for index, cidr in enumerate(value)])
        if clash:
            (first, outer), (second, inner) = clash
            raise Invalid(
                f"{inner} overlaps {outer} (entry {first}); each entry becomes a firewall rule of every opened service",
                "list each public range once, without ranges inside other listed ranges",
                field=f"[{second}]",
                value=str(inner),
            )
        return value


class ProjectDatalake(ConfigModel):
    """The project's reach into the environment's lake beyond its own folders."""

    read_sources: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,40}$")]] = Field(
        default_factory=list,
        description="Optional. Master sources (aifactory:datalake.sources of the stack) the project reads: its "
        "identity and data engineers get read and execute on master/<source>/ and may write the project's in/, "
        "where its DataOps pipeline copies them. Default: none (data-ops publish into in/).",
    )

    @field_validator("read_sources")
    @classmethod
    def _unique_sources(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise Invalid("lists a source twice", "list each source once")
        return value


class GithubDelivery(ConfigModel):
    """GitHub Actions deploys to the project with OIDC (no secrets)."""

    repository: str = Field(description="Required. owner/name of the project's repository.")
    environments: list[Annotated[str, Field(min_length=1, max_length=255)]] | None = Field(
        default=None,
        description="Optional. GitHub environment names trusted per factory environment, in the same order as "
        "the project's environments. Default: the factory environment names.",
    )

    @field_validator("repository")
    @classmethod
    def _repository(cls, value: str) -> str:
        if not _REPOSITORY.match(value):
            raise Invalid("is not a GitHub repository 'owner/name'", "write it as 'contoso/fraud-detection'")
        return value


class Delivery(ConfigModel):
    """Optional. How the project's own CI reaches its workspace."""

    github: GithubDelivery | None = Field(default=None, description="Optional. GitHub Actions OIDC.")


class ProjectOverride(ConfigModel):
    """Per-environment deltas, deep-merged over the project before validation (lists replace)."""

    services: dict[str, Any] | None = Field(default=None, description="Optional. Partial services settings.")
    budget: dict[str, Any] | None = Field(default=None, description="Optional. Partial budget settings.")
    network: dict[str, Any] | None = Field(
        default=None, description="Optional. Partial network settings (size, allow_ips, slot)."
    )
    lifecycle: ProjectLifecycle | None = Field(
        default=None,
        description="Optional. The project's lifecycle in this environment only (decommission one environment).",
    )


class ProjectSpec(ConfigModel):
    """One project team's workspace."""

    id: int = Field(
        ge=1,
        le=MAX_PROJECT_ID,
        description="Required. Project number, unique in the factory; drives names and the network slot.",
    )
    name: Slug = Field(description="Required. Unique slug, e.g. fraud-detection; part of Azure names.")
    type: ProjectType = Field(description="Required. esml (machine learning) or genai (AI Foundry).")
    description: str = Field(default="", max_length=256, description="Optional. One line about the project.")
    cost_center: str = Field(
        min_length=1, max_length=64, pattern=r"^[A-Za-z0-9 ._/-]+$", description="Required. Cost centre for tags."
    )
    owners: Emails = Field(min_length=1, description="Required. Accountable people (e-mail).")
    budget: Budget = Field(description="Required. Monthly budget and alerts.")
    environments: list[EnvironmentName] = Field(
        min_length=1, description="Required. Environments the project exists in."
    )
    members: list[Member] = Field(default_factory=list, description="Optional. Team members by persona.")
    network: ProjectNetwork = Field(
        default_factory=ProjectNetwork, description="Optional. Network size, public exceptions, slot pin."
    )
    services: Services = Field(
        default_factory=Services,
        description="Optional. Services of the project. Default: esml gets machine_learning; genai gets ai_foundry "
        "and ai_search.",
    )
    datalake: ProjectDatalake = Field(
        default_factory=ProjectDatalake, description="Optional. Master sources the project reads from the lake."
    )
    delivery: Delivery = Field(default_factory=Delivery, description="Optional. How the project's CI deploys (OIDC).")
    lifecycle: ProjectLifecycle = Field(
        default="active",
        description="Optional. active, or decommission: the next pulumi up lifts the protection and CanNotDelete "
        "locks of the project's resources and changes nothing else; then the file (or the environment) can be "
        "removed. Per environment under overrides. See docs/decommission.md. Default: active.",
    )
    overrides: dict[EnvironmentName, ProjectOverride] = Field(
        default_factory=dict, description="Optional. Per-environment deltas (services, budget, network, lifecycle)."
    )

    @field_validator("environments")
    @classmethod
    def _unique_environments(cls, value: list[EnvironmentName]) -> list[EnvironmentName]:
        if len(set(value)) != len(value):
            raise Invalid("lists an environment twice", "list each of dev, stage, prod at most once")
        return sorted(value, key=ENVIRONMENTS.index)

    @model_validator(mode="after")
    def _cross_checks(self) -> Self:
        """Checks across fields, every problem reported at once (not just the first)."""
        raise_all(
            ProjectSpec,
            [
                *self._service_problems(),
                *self._member_problems(),
                *self._environment_problems(),
            ],
        )
        return self

    def _service_problems(self) -> list[Invalid]:
        allowed = SERVICES_BY_TYPE[self.type]
        problems = [
            Invalid(
                f"is not available for {self.type} projects",
                f"remove it, or use a service of {self.type}: {', '.join(sorted(allowed))}",
                field=f"services.{name}",
                value=getattr(self.services, name).model_dump(exclude_defaults=True),
            )
            for name in self.configured_services()
            if name not in allowed
        ]
        enabled = self.enabled_services()
        for service in OPTIONAL_SERVICES:
            if service.project_checks is None or service.name not in enabled:
                continue
            settings = self.services.get(service)
            problems.extend(service.project_checks(settings or service.default_settings(), enabled))
        return problems

    def _member_problems(self) -> list[Invalid]:
        """One entry per principal, one kind per object id, environments the project lists. Linear in members."""
        problems = []
        first_entry: dict[str, int] = {}
        kind_of: dict[str, tuple[str, int]] = {}
        for index, member in enumerate(self.members):
            earlier = first_entry.setdefault(member.key, index)
            if earlier != index:
                problems.append(
                    Invalid(
                        f"lists {member.principal} more than once (first in members[{earlier}])",
                        "give each principal one entry with one persona; use a group for several personas",
                        field=f"members[{index}].principal",
                        value=member.principal,
                    )
                )
            first_kind = kind_of.setdefault(member.principal, (member.kind, index))
            if first_kind[0] != member.kind:
                problems.append(
                    Invalid(
                        f"is a {member.kind} here but a {first_kind[0]} in members[{first_kind[1]}]; an Entra object "
                        "id is one kind of principal, and grants to the wrong kind fail or go to nobody",
                        "give the principal its real kind in every entry",
                        field=f"members[{index}].kind",
                        value=member.kind,
                    )
                )
            stray = sorted(set(member.environments or []) - set(self.environments))
            if stray:
                problems.append(
                    Invalid(
                        f"is limited to {', '.join(stray)}, which the project does not list",
                        f"use environments from {', '.join(self.environments)}",
                        field=f"members[{index}].environments",
                        value=member.environments,
                    )
                )
        return problems

    def _environment_problems(self) -> list[Invalid]:
        problems = [
            Invalid(
                f"has overrides for {environment}, which the project does not list in environments",
                "remove those overrides or add the environment",
                field=f"overrides.{environment}",
                value=sorted(self.overrides[environment].model_dump(exclude_none=True)),
            )
            for environment in sorted(set(self.overrides) - set(self.environments))
        ]
        github = self.delivery.github
        if github and github.environments is not None and len(github.environments) != len(self.environments):
            problems.append(
                Invalid(
                    "must name one GitHub environment per project environment",
                    f"list {len(self.environments)} names, in the order {', '.join(self.environments)}",
                    field="delivery.github.environments",
                    value=github.environments,
                )
            )
        return problems

    @property
    def decommissioning(self) -> bool:
        """Whether this (per-environment) spec lifts the project's protection and locks."""
        return self.lifecycle == "decommission"

    @property
    def key(self) -> str:
        """Short stable key used in logical names: ``p007``."""
        return f"p{self.id:03d}"

    @property
    def file_stem(self) -> str:
        """The conventional file name without extension: ``007-fraud-detection``."""
        return f"{self.id:03d}-{self.name}"

    def configured_services(self) -> list[ServiceName]:
        """Services named under ``services:`` (enabled or not)."""
        return self.services.configured()

    def enabled_services(self) -> frozenset[ServiceName]:
        """The optional services that exist: listed and enabled, plus the type's defaults unless disabled."""
        enabled: set[ServiceName] = set()
        for service in OPTIONAL_SERVICES:
            if service.name not in SERVICES_BY_TYPE[self.type]:
                continue
            settings = self.services.get(service)
            if settings is None:
                if service.name in DEFAULT_SERVICES[self.type]:
                    enabled.add(service.name)
            elif settings.enabled:
                enabled.add(service.name)
        return frozenset(enabled)

    def members_in(self, environment: EnvironmentName) -> list[Member]:
        """Members present in an environment."""
        return [m for m in self.members if m.environments is None or environment in m.environments]


def project_file(spec: ProjectSpec, files: Mapping[int, str]) -> str:
    """Where a project's file is: as the loader found it, else the conventional ``projects/<id>-<name>.yaml``.

    Plans built straight from specs (tests, tools) have no loaded paths; every planner names the file
    the same way through this function.
    """
    return files.get(spec.id, f"projects/{spec.file_stem}.yaml")
