"""Container Registry: the environment's shared registry and a project's dedicated one, one body.

Premium (the tier with private link), admin user and anonymous pull off, public network access
off with a default-deny firewall that lets trusted Azure services through; a project's
``network.allow_ips`` exception opens its own registry to those ranges. The shared registry also
has dedicated data endpoints.

The shared registry holds the platform's curated base images: projects only **pull** from it.
A push right on a registry without repository-scoped permissions covers every repository, so one
project could overwrite another's or the platform's images. Azure's ABAC repository permissions
(``roleAssignmentMode: AbacRepositoryPermissions``) would scope pushes to a ``p007/`` prefix, but
the installed azure-native ``containerregistry.Registry`` (API 2023-01-01-preview) has no
``roleAssignmentMode``, so a project that builds images pushes them to **its own** registry: ESML
projects have one by default (their ML workspace builds environment images and, per Azure ML's
identity table, needs Contributor on its registry), other projects enable ``container_registry``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.model import (
    ALWAYS,
    PROJECT_TYPES,
    Built,
    CommonUse,
    PrivateEndpoints,
    ProjectUse,
    ServiceDeclaration,
)
from aifactory.services.settings import ServiceSettings

if TYPE_CHECKING:
    from pulumi_azure_native import containerregistry

    from aifactory.plan.public_access import PublicAccess
    from aifactory.services.context import ServiceContext

__all__ = [
    "CONTAINER_REGISTRY",
    "PULL_PROJECT_IMAGES",
    "PUSH_PROJECT_IMAGES",
    "USE_OWN_REGISTRY",
    "USE_SHARED_REGISTRY",
    "ContainerRegistry",
    "container_registry_access",
]


class ContainerRegistry(ServiceSettings):
    """The project's own registry (Premium, private): where it pushes the images it builds.

    On by default for ESML projects (the ML workspace builds environment images into it); without
    one a project can only pull the platform's base images from the shared registry.
    """


PUSH_PROJECT_IMAGES = RoleSet(
    "build and push images to the project's own registry",
    {"container_registry": ("AcrPush",)},
)
PULL_PROJECT_IMAGES = RoleSet(
    "pull images from the project's own registry",
    {"container_registry": ("AcrPull",)},
)
USE_OWN_REGISTRY = RoleSet(
    "pull service images and push the images the project builds, in its own registry",
    {"container_registry": ("AcrPush",)},
)
USE_SHARED_REGISTRY = RoleSet(
    "pull the platform's base images from the shared registry; never push (a registry-wide push right would let "
    "the project overwrite other projects' and the platform's images) and never Contributor",
    {"common/container_registry": ("AcrPull",)},
)


def container_registry_access(access: PublicAccess) -> dict[str, Any]:
    """Public network access and the firewall: deny by default, the exception's ranges allowed.

    The policies follow the ALZ registry guardrails: tokens for the registry's own audience only
    (``Deny-ContainerRegistry-Arm-Audience``) and no artifact export (``Deny-ContainerRegistry-Exports``);
    Azure accepts a disabled export policy only with public network access off, so a registry
    opened by an ``allow_ips`` exception keeps the default.
    """
    from pulumi_azure_native import containerregistry

    disabled = containerregistry.ExportPolicyStatus.DISABLED
    return {
        "public_network_access": "Enabled" if access.enabled else "Disabled",
        "policies": containerregistry.PoliciesArgs(
            azure_ad_authentication_as_arm_policy=containerregistry.AzureADAuthenticationAsArmPolicyArgs(
                status=containerregistry.AzureADAuthenticationAsArmPolicyStatus.DISABLED
            ),
            export_policy=None if access.enabled else containerregistry.ExportPolicyArgs(status=disabled),
        ),
        "network_rule_set": containerregistry.NetworkRuleSetArgs(
            default_action=containerregistry.DefaultAction.DENY,
            ip_rules=[
                containerregistry.IPRuleArgs(i_p_address_or_range=r, action=containerregistry.Action.ALLOW)
                for r in access.ranges
            ]
            or None,
        ),
    }


def _build(ctx: ServiceContext, _settings: ContainerRegistry | None) -> Built[containerregistry.Registry]:
    from pulumi_azure_native import containerregistry

    registry = containerregistry.Registry(
        ctx.service.logical_name,
        registry_name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        sku=containerregistry.SkuArgs(name=containerregistry.SkuName.PREMIUM),
        admin_user_enabled=False,
        anonymous_pull_enabled=False,
        network_rule_bypass_options=containerregistry.NetworkRuleBypassOptions.AZURE_SERVICES,
        data_endpoint_enabled=True if ctx.placement == "common" else None,
        **ctx.access_args(),
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    return Built(resource=registry)


CONTAINER_REGISTRY: ServiceDeclaration[ContainerRegistry, Built[containerregistry.Registry]] = ServiceDeclaration(
    name="container_registry",
    title="Container Registry",
    label="Dedicated registry",
    summary="The environment's shared registry; optionally a project's own (Premium, private) instead.",
    naming_kind="container_registry",
    logical_stem="cr",
    settings=ContainerRegistry,
    projects=ProjectUse(
        types=PROJECT_TYPES,
        default=("esml",),
        default_note="ESML only, where the ML workspace builds images into it; GenAI projects pull base images "
        "from the shared registry",
    ),
    common=CommonUse(
        when=ALWAYS,
        logical_name="common-acr",
        why="the registry every project without its own pushes to and pulls from",
    ),
    endpoints=PrivateEndpoints("container_registry", ("registry",)),
    diagnostics=ALL_LOGS_AND_METRICS,
    lifecycle="protect",
    ip_firewall=container_registry_access,
    roles=ServiceRoles(
        personas={
            "team-lead": (PUSH_PROJECT_IMAGES,),
            "data-scientist": (PULL_PROJECT_IMAGES,),
            "ml-engineer": (PUSH_PROJECT_IMAGES,),
            "ai-developer": (PULL_PROJECT_IMAGES,),
            "app-developer": (PUSH_PROJECT_IMAGES,),
            "data-engineer": (PULL_PROJECT_IMAGES,),
        },
        identity=(USE_OWN_REGISTRY,),
        deployment=(PUSH_PROJECT_IMAGES,),
        when_absent=ServiceRoles(identity=(USE_SHARED_REGISTRY,)),
    ),
    build=_build,
    guardrails=(
        "AIF-PUBLIC-NETWORK",
        "AIF-LOCAL-AUTH",
        "AIF-PRIVATE-ENDPOINT",
        "AIF-DIAGNOSTICS",
        "AIF-REQUIRED-TAGS",
        "ALZ-DENY-PUBLIC-PAAS-ACR",
        "ALZ-ACR-ARM-AUDIENCE",
        "ALZ-ACR-SKU-PRIVATE-LINK",
        "ALZ-ACR-ANONYMOUS-PULL",
        "ALZ-ACR-EXPORTS",
        "ALZ-ACR-ADMIN-USER",
        "ALZ-ACR-UNRESTRICTED-NETWORK",
        "ARM-NAME-LENGTH",
        "ARM-NAME-CHARACTERS",
    ),
)
