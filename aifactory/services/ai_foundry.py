"""AI Foundry for a GenAI project: the account, its model deployments and its Foundry project.

Built the way Microsoft's Foundry baseline (Azure-Samples/microsoft-foundry-baseline) and the
"private network standard agent setup" template (microsoft-foundry/foundry-samples, sample 15) do:

- the **account** (``kind: AIServices``, S0) is keyless (``disableLocalAuth``), private (public
  network access off, ACLs deny; ``network.allow_ips`` opens it to those ranges), manages projects
  (``allowProjectManagement``), has its globally unique name as custom subdomain (Entra ID tokens
  need one), and runs as the project's user-assigned identity. With agents on, the agent runtime
  is injected into the project's ``agents`` subnet (``networkInjections``, scenario ``agent``, no
  Microsoft-managed network); Foundry then creates the account's capability host itself
  (``<account>@aml_aiagentservice``), so the factory never writes one: a second account capability
  host is rejected with a conflict;
- **model deployments** are created one after another (an account rejects concurrent deployment
  writes) and the Foundry project after them; a deployment keeps its version until Azure retires it;
- the Foundry **project** runs as the project's user-assigned identity, the identity every planned
  role is granted to. Foundry only accepts a user-assigned identity when the project is created,
  and its agents' state is keyed by its id, so it is protected like the account.

A team may hold several Foundry projects in its account (``projects``): the first is the default
and keeps the names a single-project team has always had, every other one is named after its
entry (:mod:`aifactory.plan.foundry`). Builders (the personas that get Foundry User) are granted on
the account while every Foundry project admits them all, and on each Foundry project resource
that lists them once a team narrows who works where (``projects[].personas``).

The agents' connections and the project capability hosts bind the project's own storage, AI Search
and Cosmos DB; they are a relationship between services and live with the GenAI project
(``components/projects/foundry.py``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from pydantic import Field, model_validator

from aifactory.catalog import models as model_catalogue
from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
from aifactory.catalog.personas import ProjectPersona
from aifactory.config.base import ConfigModel, raise_all
from aifactory.errors import Invalid
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.model import Built, PrivateEndpoints, ProjectUse, ServiceDeclaration, SubnetNeeds, resolved
from aifactory.services.settings import ServiceSettings

if TYPE_CHECKING:
    import pulumi
    from pulumi_azure_native import cognitiveservices

    from aifactory.plan.foundry import PlannedFoundryProject
    from aifactory.plan.public_access import PublicAccess
    from aifactory.services.context import ServiceContext
    from aifactory.services.registry import ServiceName

__all__ = [
    "ACCOUNT_GUARDRAILS",
    "AI_FOUNDRY",
    "BUILD_WITH_FOUNDRY",
    "FOUNDRY_BUILDERS",
    "MAX_FOUNDRY_PROJECTS",
    "MODEL_GUARDRAILS",
    "PROJECT_SCOPE",
    "AiFoundry",
    "Foundry",
    "FoundryBuilder",
    "FoundryProjectSettings",
    "ModelDeployment",
    "builder_role_sets",
    "cognitive_services_access",
    "deploy_models",
    "foundry_project_scope",
]

PROJECT_SCOPE = "ai_foundry_project"
"""The default Foundry project's RBAC scope key, next to the account's ``ai_foundry``."""

MAX_FOUNDRY_PROJECTS = 10
"""The factory's limit of Foundry projects per team: each one with agents adds connections, a capability
host and agent role assignments; ten keeps a team's footprint bounded (raise it here if a team needs more)."""

FoundryBuilder = Literal["team-lead", "data-scientist", "ml-engineer", "ai-developer", "app-developer"]
FOUNDRY_BUILDERS: tuple[ProjectPersona, ...] = get_args(FoundryBuilder)
"""The personas that build in Foundry (Foundry User); data engineers and readers do not."""


def foundry_project_scope(name: str) -> str:
    """The RBAC scope key of a further Foundry project: ``ai_foundry_project/<name>``."""
    return f"{PROJECT_SCOPE}/{name}"


class ModelDeployment(ConfigModel):
    """A model deployed on the project's AI Foundry account."""

    name: str = Field(pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,63}$", description="Required. Deployment name.")
    model: str = Field(min_length=2, max_length=64, description="Required. Model name, e.g. gpt-5.4-mini.")
    version: str = Field(min_length=1, max_length=32, description="Required. Model version, e.g. 2024-07-18.")
    format: str = Field(default="OpenAI", description="Optional. Model format/publisher. Default: OpenAI.")
    sku: Literal["GlobalStandard", "DataZoneStandard", "Standard", "GlobalProvisionedManaged", "ProvisionedManaged"] = (
        Field(default="GlobalStandard", description="Optional. Deployment type. Default: GlobalStandard.")
    )
    capacity: int = Field(default=10, ge=1, le=10000, description="Optional. Capacity (thousand TPM). Default: 10.")


class FoundryProjectSettings(ConfigModel):
    """One Foundry project of the team's account (the first in the list is the team's default)."""

    name: str = Field(
        pattern=r"^[a-z][a-z0-9-]{0,18}[a-z0-9]$",
        description="Required. Short slug of the Foundry project (2-20 characters), unique in the team; further "
        "projects' Azure names end in it.",
    )
    display_name: str | None = Field(
        default=None, max_length=64, description="Optional. Name shown in Foundry. Default: from the project name."
    )
    description: str | None = Field(default=None, max_length=512, description="Optional. Description in Foundry.")
    agents: bool = Field(
        default=True,
        description="Optional. This project's agents (its own connections and capability host), when the account "
        "runs agents. Default: true.",
    )
    personas: list[FoundryBuilder] | None = Field(
        default=None,
        description="Optional. The personas that build in this Foundry project (Foundry User on it). Default: every "
        "builder persona (team-lead, data-scientist, ml-engineer, ai-developer, app-developer).",
    )


def refuse_repeated_deployments(models: Sequence[ModelDeployment]) -> None:
    """Raise for the first deployment name used a second time (one pass: lists may be long)."""
    seen: set[str] = set()
    for index, model in enumerate(models):
        if model.name in seen:
            raise Invalid(
                f"deploys {model.name!r} more than once",
                "give every model deployment its own name",
                field=f"models[{index}].name",
                value=model.name,
            )
        seen.add(model.name)


class AiFoundry(ServiceSettings):
    """AI Foundry account and project (keyless), agents in the project's delegated subnet."""

    models: list[ModelDeployment] = Field(
        default_factory=lambda: [
            ModelDeployment(name="gpt-5.4-mini", model="gpt-5.4-mini", version="2026-03-17"),
            ModelDeployment(name="text-embedding-3-large", model="text-embedding-3-large", version="1"),
        ],
        description="Optional. Model deployments, each a model version of the factory's catalogue "
        "(aifactory/catalog/models.py) that Azure still accepts new deployments of. Default: gpt-5.4-mini "
        "2026-03-17 and text-embedding-3-large 1.",
    )
    agents: bool = Field(
        default=True,
        description="Optional. Foundry Agent Service with VNet injection and a project capability host. Default: true.",
    )

    projects: list[FoundryProjectSettings] = Field(
        default_factory=list,
        description="Optional. The team's Foundry projects in the account, the default first (it keeps the names of "
        f"a single-project team); at most {MAX_FOUNDRY_PROJECTS}. Default: one default project.",
    )

    @model_validator(mode="after")
    def _unique_deployments(self) -> AiFoundry:
        refuse_repeated_deployments(self.models)
        return self

    @model_validator(mode="after")
    def _foundry_projects(self) -> AiFoundry:
        problems: list[Invalid] = []
        if len(self.projects) > MAX_FOUNDRY_PROJECTS:
            problems.append(
                Invalid(
                    f"lists {len(self.projects)} Foundry projects, more than the factory's {MAX_FOUNDRY_PROJECTS}",
                    "split the work over fewer Foundry projects, or give the other teams their own project files",
                    field="projects",
                    value=len(self.projects),
                )
            )
        seen: set[str] = set()
        for index, entry in enumerate(self.projects):
            if entry.name in seen:
                problems.append(
                    Invalid(
                        f"names the Foundry project {entry.name!r} twice",
                        "give every Foundry project its own name",
                        field=f"projects[{index}].name",
                        value=entry.name,
                    )
                )
            seen.add(entry.name)
            if entry.personas is not None and len(set(entry.personas)) != len(entry.personas):
                problems.append(
                    Invalid(
                        "lists a persona twice",
                        "list each persona once",
                        field=f"projects[{index}].personas",
                        value=entry.personas,
                    )
                )
        if self.agents and self.projects and not any(entry.agents for entry in self.projects):
            problems.append(
                Invalid(
                    "the account runs agents but none of its Foundry projects does",
                    "set ai_foundry.agents: false (no agent subnet, no capability host), or agents: true on a project",
                    field="agents",
                    value=True,
                )
            )
        raise_all(AiFoundry, problems)
        return self


def _project_checks(settings: AiFoundry, enabled: frozenset[ServiceName]) -> list[Invalid]:
    """The model catalogue's verdict on every deployment, and the agents' stores."""
    return [*_model_problems(settings.models), *_agent_store_problems(settings, enabled)]


def _model_problems(models: Sequence[ModelDeployment]) -> list[Invalid]:
    """A model version the catalogue does not know, Azure refuses new deployments of, or not in that SKU."""
    day = model_catalogue.today()
    problems: list[Invalid] = []
    for index, deployment in enumerate(models):
        row = model_catalogue.model_version(deployment.model, deployment.version)
        where = f"services.ai_foundry.models[{index}]"
        if row is None:
            known = [m.version for m in model_catalogue.MODELS.values() if m.model == deployment.model]
            problems.append(
                Invalid(
                    f"{deployment.model} {deployment.version} is not in the factory's model catalogue",
                    f"use {_suggestion(day, known, deployment.model)}, or add the version (with its lifecycle from "
                    "Microsoft's model retirement schedule) to aifactory/catalog/models.py",
                    field=f"{where}.version" if known else f"{where}.model",
                    value=deployment.version if known else deployment.model,
                )
            )
            continue
        refused = row.refused_on(day)
        if refused is not None:
            replacement = model_catalogue.successor(row, day)
            fix = (
                f"deploy {replacement.model} version {replacement.version} instead"
                if replacement is not None
                else "choose another model from aifactory/catalog/models.py"
            )
            if row.replacement and (replacement is None or replacement.model != row.replacement):
                fix += f" (Microsoft names {row.replacement}, which takes no new deployments either)"
            problems.append(
                Invalid(
                    f"{row.label}: {refused}; Azure refuses new deployments (ServiceModelDeprecating)",
                    fix,
                    field=f"{where}.version",
                    value=deployment.version,
                )
            )
        elif deployment.format != row.format:
            problems.append(
                Invalid(
                    f"{row.label} is published in format {row.format!r}",
                    f"set format: {row.format}",
                    field=f"{where}.format",
                    value=deployment.format,
                )
            )
        elif deployment.sku not in row.skus:
            problems.append(
                Invalid(
                    f"{row.label} is not offered as a {deployment.sku} deployment",
                    f"use one of {', '.join(row.skus)}",
                    field=f"{where}.sku",
                    value=deployment.sku,
                )
            )
    return problems


def _suggestion(day: datetime.date, known: Sequence[str], model: str) -> str:
    current = [m for m in model_catalogue.deployable(day) if m.model == model]
    if current:
        return f"version {current[0].version} of {model}"
    chat = model_catalogue.deployable(day, "chat")
    return f"one of {', '.join(m.label for m in chat[:3])}" if chat else "a model from the catalogue"


def _agent_store_problems(settings: AiFoundry, enabled: frozenset[ServiceName]) -> list[Invalid]:
    """Private agents (standard setup) keep their state in the project's own Cosmos DB, AI Search and storage."""
    missing = sorted({"ai_search", "cosmos_db"} - enabled) if settings.agents else []
    if not missing:
        return []
    return [
        Invalid(
            f"private Foundry agents (standard setup) keep their threads, vectors and files in the "
            f"project's own Cosmos DB, AI Search and storage; {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not enabled",
            f"add {', '.join(f'{m}: {{}}' for m in missing)} under services, or set ai_foundry.agents: false",
            field="services.ai_foundry.agents",
            value=True,
        )
    ]


def builder_role_sets(settings: AiFoundry, persona: ProjectPersona) -> tuple[RoleSet, ...]:
    """Where ``persona`` builds in Foundry: the account while every Foundry project admits it, else each one that does.

    Foundry User on the account reaches every project of the account; a team that narrows a
    Foundry project to some personas gets Foundry User on each project resource that lists them.
    """
    if persona not in FOUNDRY_BUILDERS:
        return ()
    entries = settings.projects or [FoundryProjectSettings(name="default")]
    admits = [entry.personas is None or persona in entry.personas for entry in entries]
    if all(admits):
        return (BUILD_WITH_FOUNDRY,)
    scopes = [PROJECT_SCOPE if i == 0 else foundry_project_scope(e.name) for i, e in enumerate(entries) if admits[i]]
    if not scopes:
        return ()
    return (
        RoleSet(
            "build agents and call model deployments in the Foundry projects the persona works in",
            dict.fromkeys(scopes, ("Foundry User",)),
        ),
    )


MANAGE_FOUNDRY_PROJECT = RoleSet(
    "manage the Foundry project and give colleagues Foundry User (the role's own condition allows no other role)",
    {"ai_foundry": ("Foundry Project Manager",)},
)
BUILD_WITH_FOUNDRY = RoleSet(
    "build agents and call the project's model deployments in Foundry",
    {"ai_foundry": ("Foundry User",)},
)
RUN_FOUNDRY = RoleSet(
    "the Foundry project's identity calls models and runs agents (Foundry's documented minimum)",
    {"ai_foundry": ("Foundry User",)},
)


def cognitive_services_access(access: PublicAccess) -> dict[str, Any]:
    """Public network access and the ACLs: deny by default, the exception's ranges allowed."""
    from pulumi_azure_native import cognitiveservices

    return {
        "public_network_access": "Enabled" if access.enabled else "Disabled",
        "network_acls": cognitiveservices.NetworkRuleSetArgs(
            default_action=cognitiveservices.NetworkRuleAction.DENY,
            bypass=cognitiveservices.ByPassSelection.AZURE_SERVICES,
            ip_rules=[cognitiveservices.IpRuleArgs(value=r) for r in access.ranges] or None,
        ),
    }


@dataclass(frozen=True, kw_only=True)
class Foundry(Built["cognitiveservices.Account"]):
    """The account (``resource``), its Foundry projects (the default first) and its model deployments."""

    projects: tuple[tuple[PlannedFoundryProject, cognitiveservices.Project], ...]
    deployments: tuple[cognitiveservices.Deployment, ...]
    defender: pulumi.CustomResource | None = None

    @property
    def project(self) -> cognitiveservices.Project:
        """The team's default Foundry project."""
        return self.projects[0][1]


ACCOUNT_GUARDRAILS: tuple[str, ...] = (
    "AIF-PUBLIC-NETWORK",
    "AIF-LOCAL-AUTH",
    "AIF-PRIVATE-ENDPOINT",
    "AIF-DIAGNOSTICS",
    "AIF-REQUIRED-TAGS",
    "AIF-COGNITIVE-CUSTOM-SUBDOMAIN",
    "ALZ-DENY-PUBLIC-PAAS-COGNITIVE",
    "ALZ-DENY-PUBLIC-PAAS-AI-NETWORK",
    "ALZ-COGNITIVE-MANAGED-IDENTITY",
    "ALZ-COGNITIVE-LOCAL-AUTH",
    "ALZ-COGNITIVE-RESTRICT-OUTBOUND",
    "ALZ-COGNITIVE-NETWORK-ACLS",
    "ARM-NAME-LENGTH",
    "ARM-NAME-CHARACTERS",
)
"""The rules every Cognitive Services account of the factory is judged by (``aifactory check``)."""
MODEL_GUARDRAILS: tuple[str, ...] = ("ARM-MODEL-LIFECYCLE",)
"""The rules of the model deployments an account with models carries."""


def _build(ctx: ServiceContext, settings: AiFoundry | None) -> Foundry:
    from pulumi_azure_native import cognitiveservices

    from aifactory.plan.foundry import plan_foundry_projects
    from aifactory.plan.trusted_access import ai_outbound_fqdns
    from aifactory.services.ai_accounts import defender_for_ai

    settings = resolved(settings, "ai_foundry")
    project = ctx.require_project()
    name = ctx.service.azure_name
    identity = project.identity.identity_id
    injections = (
        [
            cognitiveservices.NetworkInjectionArgs(
                scenario=cognitiveservices.ScenarioType.AGENT,
                subnet_arm_id=ctx.subnet_id("agents"),
                use_microsoft_managed_network=False,
            )
        ]
        if settings.agents
        else None
    )
    account = cognitiveservices.Account(
        ctx.service.logical_name,
        account_name=name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        kind="AIServices",
        sku=cognitiveservices.SkuArgs(name="S0"),
        identity=cognitiveservices.IdentityArgs(
            type=cognitiveservices.ResourceIdentityType.USER_ASSIGNED, user_assigned_identities=[identity]
        ),
        properties=cognitiveservices.AccountPropertiesArgs(
            custom_sub_domain_name=name,
            allow_project_management=True,
            disable_local_auth=True,
            network_injections=injections,
            restrict_outbound_network_access=True,
            allowed_fqdn_list=list(ai_outbound_fqdns(tuple((s.service, s.azure_name) for s in project.plan.services))),
            **ctx.access_args(),
        ),
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    deployments = deploy_models(ctx, account, settings.models)
    planned = plan_foundry_projects(project.plan.spec, settings, ctx.plan.namer, ctx.service.logical_name)
    created: list[cognitiveservices.Project] = []
    for foundry_project in planned:
        created.append(
            cognitiveservices.Project(
                foundry_project.logical_name,
                project_name=foundry_project.azure_name,
                account_name=account.name,
                resource_group_name=ctx.resource_group_name,
                location=ctx.location,
                identity=cognitiveservices.IdentityArgs(
                    type=cognitiveservices.ResourceIdentityType.USER_ASSIGNED, user_assigned_identities=[identity]
                ),
                properties=cognitiveservices.ProjectPropertiesArgs(
                    display_name=foundry_project.display_name, description=foundry_project.description
                ),
                tags=dict(ctx.tags),
                # After the deployments; an account takes one project write at a time.
                opts=ctx.protected(account, depends_on=[*deployments[-1:], *created[-1:]]),
            )
        )
    return Foundry(
        resource=account,
        projects=tuple(zip(planned, created, strict=True)),
        deployments=deployments,
        defender=defender_for_ai(ctx, account),
        scopes={p.scope: resource.id for p, resource in zip(planned, created, strict=True)},
    )


def deploy_models(
    ctx: ServiceContext, account: cognitiveservices.Account, models: Sequence[ModelDeployment]
) -> tuple[cognitiveservices.Deployment, ...]:
    """One deployment per configured model, in config order, each after the previous one."""
    import pulumi
    from pulumi_azure_native import cognitiveservices

    created: list[cognitiveservices.Deployment] = []
    for model in models:
        created.append(
            cognitiveservices.Deployment(
                f"{ctx.service.logical_name}-deployment-{model.name}",
                deployment_name=model.name,
                account_name=account.name,
                resource_group_name=ctx.resource_group_name,
                sku=cognitiveservices.SkuArgs(name=model.sku, capacity=model.capacity),
                tags=dict(ctx.tags),
                properties=cognitiveservices.DeploymentPropertiesArgs(
                    model=cognitiveservices.DeploymentModelArgs(
                        format=model.format, name=model.model, version=model.version
                    ),
                    # The configured version stays until Azure retires it; then Azure moves on rather than fail.
                    version_upgrade_option=cognitiveservices.DeploymentModelVersionUpgradeOption.ONCE_CURRENT_VERSION_EXPIRED,
                ),
                opts=pulumi.ResourceOptions(parent=account, depends_on=created[-1:]),
            )
        )
    return tuple(created)


AI_FOUNDRY: ServiceDeclaration[AiFoundry, Foundry] = ServiceDeclaration(
    name="ai_foundry",
    title="AI Foundry account and project",
    label="AI Foundry",
    summary="A keyless, private AI Foundry account with the project's model deployments and a Foundry project; "
    "with agents on, the agent runtime in the project's delegated agents subnet.",
    naming_kind="ai_services",
    logical_stem="aif",
    settings=AiFoundry,
    projects=ProjectUse(types=("genai",), default=("genai",)),
    common=None,
    endpoints=PrivateEndpoints("ai_services", ("account",)),
    diagnostics=ALL_LOGS_AND_METRICS,
    lifecycle="protect",
    ip_firewall=cognitive_services_access,
    roles=ServiceRoles(
        personas={"team-lead": (MANAGE_FOUNDRY_PROJECT,)},
        identity=(RUN_FOUNDRY,),
        deployment=(BUILD_WITH_FOUNDRY,),
        by_settings=builder_role_sets,
        by_settings_note="builder personas (team-lead, data-scientist, ml-engineer, ai-developer, app-developer): "
        "Foundry User on the account, or on each Foundry project resource that lists them (`projects[].personas`)",
    ),
    build=_build,
    subnets=SubnetNeeds(
        ("agents",),
        only_if=lambda settings: settings.agents,
        why="the agent runtime (delegated to Microsoft.App/environments, inside 172.16.0.0/12 or 192.168.0.0/16)",
    ),
    extra_scopes=(PROJECT_SCOPE,),
    project_checks=_project_checks,
    guardrails=(*ACCOUNT_GUARDRAILS, *MODEL_GUARDRAILS, "AIF-BLOB-OWNER-CONDITIONED"),
    scaffold={"basic": {"agents": False}, "full": {}},
)
