"""Container Registry: the environment's shared registry and a project's dedicated one, one body.

Premium (the tier with private link), admin user and anonymous pull off, public network access
off with a default-deny firewall that lets trusted Azure services through; a project's
``network.allow_ips`` exception opens its own registry to those ranges. The shared registry also
has dedicated data endpoints. Projects without a registry of their own push to and pull from the
shared one (never with Contributor on it, so no project can reconfigure what every project uses).
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
    "PUSH_SHARED_IMAGES",
    "USE_OWN_REGISTRY",
    "USE_SHARED_REGISTRY",
    "ContainerRegistry",
    "container_registry_access",
]


class ContainerRegistry(ServiceSettings):
    """A dedicated project registry (Premium, private) instead of the environment's shared one."""


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
    "pull service images and push the images the project builds; never Contributor on the shared registry, "
    "so no project can reconfigure what every project uses",
    {"common/container_registry": ("AcrPush",)},
)
PUSH_SHARED_IMAGES = RoleSet(
    "push the project's images to the environment's shared registry",
    {"common/container_registry": ("AcrPush",)},
)


def container_registry_access(access: PublicAccess) -> dict[str, Any]:
    """Public network access and the firewall: deny by default, the exception's ranges allowed."""
    from pulumi_azure_native import containerregistry

    return {
        "public_network_access": "Enabled" if access.enabled else "Disabled",
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
    projects=ProjectUse(types=PROJECT_TYPES, default_note="shared registry"),
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
        when_absent=ServiceRoles(identity=(USE_SHARED_REGISTRY,), deployment=(PUSH_SHARED_IMAGES,)),
    ),
    build=_build,
)
