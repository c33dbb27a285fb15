"""Azure Bastion: the optional way in for people, to the jump host's private address.

Standard SKU with native-client tunneling (IP connect and shareable links off) in the common VNet's
``AzureBastionSubnet``, with its Standard static public IP - the only public IP the factory owns.
The public IP is an intrinsic child with its own diagnostic setting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
from aifactory.services.access import NoRoles
from aifactory.services.model import Built, CommonUse, NoPrivateEndpoint, ServiceDeclaration, stack_switch

if TYPE_CHECKING:
    from pulumi_azure_native import network

    from aifactory.services.context import ServiceContext

__all__ = ["BASTION", "PUBLIC_IP"]

PUBLIC_IP = "pip"
"""The public IP's label: its logical name is ``<bastion>-pip`` and its diagnostic setting ``<bastion>-pip-diag``."""


def _build(ctx: ServiceContext, _settings: None) -> Built[network.BastionHost]:
    from pulumi_azure_native import network

    public_ip = network.PublicIPAddress(
        f"{ctx.service.logical_name}-{PUBLIC_IP}",
        public_ip_address_name=ctx.name("public_ip", "bastion"),
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        sku=network.PublicIPAddressSkuArgs(name="Standard", tier="Regional"),
        public_ip_allocation_method="Static",
        public_ip_address_version="IPv4",
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    bastion = network.BastionHost(
        ctx.service.logical_name,
        bastion_host_name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        sku=network.SkuArgs(name="Standard"),
        enable_tunneling=True,
        enable_ip_connect=False,
        enable_shareable_link=False,
        ip_configurations=[
            network.BastionHostIPConfigurationArgs(
                name="ipconfig",
                subnet=network.SubResourceArgs(id=ctx.subnet_id("bastion")),
                public_ip_address=network.SubResourceArgs(id=public_ip.id),
            )
        ],
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    return Built(resource=bastion, children={PUBLIC_IP: public_ip})


BASTION: ServiceDeclaration[None, Built[network.BastionHost]] = ServiceDeclaration(
    name="bastion",
    title="Azure Bastion",
    label="Bastion",
    summary="Standard Bastion with native-client tunneling: how people reach the jump host without a public IP on it.",
    naming_kind="bastion",
    logical_stem="bastion",
    settings=None,
    projects=None,
    common=CommonUse(
        when=stack_switch("shared_services.bastion"),
        logical_name="common-bastion",
        subnets=("bastion",),
        why="people reach the jump host (and through it, private endpoints) with their Entra sign-in",
    ),
    endpoints=NoPrivateEndpoint("Bastion is the public entry point for people: users reach it over its public IP"),
    diagnostics=ALL_LOGS_AND_METRICS,
    lifecycle="none",
    roles=NoRoles("using Bastion needs Reader on it and the target VM: the common baseline's resource-group roles"),
    build=_build,
    child_diagnostics={PUBLIC_IP: ALL_LOGS_AND_METRICS},
    guardrails=(
        "AIF-DIAGNOSTICS",
        "AIF-REQUIRED-TAGS",
        "ARM-NAME-LENGTH",
        "ARM-NAME-CHARACTERS",
    ),
)
