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

The agents' connections and the project capability host bind the project's own storage, AI Search
and Cosmos DB; they are a relationship between services and live with the GenAI project
(``components/projects/foundry.py``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from aifactory.catalog import models as model_catalogue
from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
from aifactory.config.base import ConfigModel
from aifactory.errors import Invalid
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.model import Built, PrivateEndpoints, ProjectUse, ServiceDeclaration, SubnetNeeds, resolved
from aifactory.services.settings import ServiceSettings

if TYPE_CHECKING:
    from pulumi_azure_native import cognitiveservices

    from aifactory.plan.public_access import PublicAccess
    from aifactory.services.context import ServiceContext
    from aifactory.services.registry import ServiceName

__all__ = [
    "AI_FOUNDRY",
    "BUILD_WITH_FOUNDRY",
    "PROJECT_SCOPE",
    "AiFoundry",
    "Foundry",
    "ModelDeployment",
    "cognitive_services_access",
]

PROJECT_SCOPE = "ai_foundry_project"
"""The Foundry project's RBAC scope key, next to the account's ``ai_foundry``."""


class ModelDeployment(ConfigModel):
    """A model deployed on the project's AI Foundry account."""

    name: str = Field(pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,63}$", description="Required. Deployment name.")
    model: str = Field(min_length=2, max_length=64, description="Required. Model name, e.g. gpt-4o-mini.")
    version: str = Field(min_length=1, max_length=32, description="Required. Model version, e.g. 2024-07-18.")
    format: str = Field(default="OpenAI", description="Optional. Model format/publisher. Default: OpenAI.")
    sku: Literal["GlobalStandard", "DataZoneStandard", "Standard", "GlobalProvisionedManaged", "ProvisionedManaged"] = (
        Field(default="GlobalStandard", description="Optional. Deployment type. Default: GlobalStandard.")
    )
    capacity: int = Field(default=10, ge=1, le=10000, description="Optional. Capacity (thousand TPM). Default: 10.")


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

    @model_validator(mode="after")
    def _unique_deployments(self) -> AiFoundry:
        names = [m.name for m in self.models]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise Invalid(
                f"deploys {twice[0]!r} more than once",
                "give every model deployment its own name",
                field=f"models[{len(names) - 1 - names[::-1].index(twice[0])}].name",
                value=twice[0],
            )
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
                    f"{row.label} is {refused}; Azure refuses new deployments (ServiceModelDeprecating)",
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
    """The account (``resource``), its Foundry project and its model deployments."""

    project: cognitiveservices.Project
    deployments: tuple[cognitiveservices.Deployment, ...]


def _build(ctx: ServiceContext, settings: AiFoundry | None) -> Foundry:
    from pulumi_azure_native import cognitiveservices

    from aifactory.plan.trusted_access import ai_outbound_fqdns

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
    deployments = _deployments(ctx, account, settings.models)
    spec = project.plan.spec
    foundry_project = cognitiveservices.Project(
        f"{ctx.service.logical_name}-project",
        project_name=ctx.name("ai_foundry_project"),
        account_name=account.name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        identity=cognitiveservices.IdentityArgs(
            type=cognitiveservices.ResourceIdentityType.USER_ASSIGNED, user_assigned_identities=[identity]
        ),
        properties=cognitiveservices.ProjectPropertiesArgs(
            display_name=spec.name, description=spec.description or None
        ),
        tags=dict(ctx.tags),
        opts=ctx.protected(account, depends_on=list(deployments[-1:])),
    )
    return Foundry(
        resource=account,
        project=foundry_project,
        deployments=deployments,
        scopes={PROJECT_SCOPE: foundry_project.id},
    )


def _deployments(
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
        personas={
            "team-lead": (MANAGE_FOUNDRY_PROJECT, BUILD_WITH_FOUNDRY),
            "data-scientist": (BUILD_WITH_FOUNDRY,),
            "ml-engineer": (BUILD_WITH_FOUNDRY,),
            "ai-developer": (BUILD_WITH_FOUNDRY,),
            "app-developer": (BUILD_WITH_FOUNDRY,),
        },
        identity=(RUN_FOUNDRY,),
        deployment=(BUILD_WITH_FOUNDRY,),
    ),
    build=_build,
    subnets=SubnetNeeds(
        ("agents",),
        only_if=lambda settings: settings.agents,
        why="the agent runtime (delegated to Microsoft.App/environments, inside 172.16.0.0/12 or 192.168.0.0/16)",
    ),
    extra_scopes=(PROJECT_SCOPE,),
    project_checks=_project_checks,
    scaffold={"basic": {"agents": False}, "full": {}},
    guardrails=(
        "AIF-PUBLIC-NETWORK",
        "AIF-LOCAL-AUTH",
        "AIF-PRIVATE-ENDPOINT",
        "AIF-DIAGNOSTICS",
        "AIF-REQUIRED-TAGS",
        "ALZ-DENY-PUBLIC-PAAS-COGNITIVE",
        "ALZ-DENY-PUBLIC-PAAS-AI-NETWORK",
        "ALZ-COGNITIVE-MANAGED-IDENTITY",
        "ALZ-COGNITIVE-LOCAL-AUTH",
        "ALZ-COGNITIVE-RESTRICT-OUTBOUND",
        "ALZ-COGNITIVE-NETWORK-ACLS",
        "ARM-NAME-LENGTH",
        "ARM-NAME-CHARACTERS",
        "ARM-MODEL-LIFECYCLE",
    ),
)
