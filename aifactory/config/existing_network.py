"""Bring-your-own network: VNets and subnets a network team created, used instead of the factory's.

``aifactory:network.existing`` names existing VNets by the IP plan's VNet keys (``common``,
``shard-01``, ...) and existing subnets by the plan's subnet keys (``common/private_endpoints``,
``p007/compute``, the same keys the factory uses for the subnets it creates). This module checks
what the config alone can tell: the shape of every key and id, canonical ranges, that each subnet
sits in one of the listed VNets and that no subnet is listed twice. Whether each subnet matches the
IP plan (its range, its VNet, its subscription) is checked by the planner
(:mod:`aifactory.plan.ipam.existing`), which knows the plan.
"""

from __future__ import annotations

import re
from typing import Annotated, Self, get_args

import netaddr
from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from aifactory.catalog.subnets import CommonSubnetKey, ProjectSubnetKey
from aifactory.config.base import ConfigModel, raise_all
from aifactory.errors import Invalid

__all__ = [
    "ExistingNetwork",
    "ExistingSubnet",
    "SubnetKey",
    "VnetKey",
    "parent_vnet_id",
    "subnet_name_of",
    "subscription_of",
    "vnet_parts",
]

_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_VNET_ID = re.compile(
    rf"^/subscriptions/(?P<subscription>{_GUID})/resourceGroups/(?P<group>[-\w._()]{{1,90}})"
    r"/providers/Microsoft\.Network/virtualNetworks/(?P<vnet>[A-Za-z0-9][-\w.]{0,62}[\w])$",
    re.IGNORECASE,
)
_SUBNET_ID = re.compile(
    rf"^(?P<vnet_id>/subscriptions/{_GUID}/resourceGroups/[-\w._()]{{1,90}}"
    r"/providers/Microsoft\.Network/virtualNetworks/[A-Za-z0-9][-\w.]{0,62}[\w])"
    r"/subnets/(?P<subnet>[A-Za-z0-9]([-\w.]{0,78}\w)?)$",
    re.IGNORECASE,
)
_VNET_KEY = re.compile(r"^(common|shard-\d{2,})$")
_COMMON_SUBNETS = get_args(CommonSubnetKey)
_PROJECT_SUBNETS = get_args(ProjectSubnetKey)
_SUBNET_KEY = re.compile(
    rf"^(common/({'|'.join(_COMMON_SUBNETS)})|p\d{{3,4}}/({'|'.join(_PROJECT_SUBNETS)}))$",
)
_VNET_ID_FORM = "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>"


def _vnet_key(value: str) -> str:
    if not _VNET_KEY.match(value):
        raise Invalid(
            "is not a VNet of the IP plan",
            "use 'common' or a project VNet key such as 'shard-01' (aifactory ipam <stack> lists them)",
        )
    return value


def _subnet_key(value: str) -> str:
    if not _SUBNET_KEY.match(value):
        raise Invalid(
            "is not a subnet key of the IP plan",
            f"use 'common/<{'|'.join(_COMMON_SUBNETS)}>' or '<project key>/<{'|'.join(_PROJECT_SUBNETS)}>', "
            "e.g. 'p007/private_endpoints' (aifactory ipam <stack> lists every subnet)",
        )
    return value


def _vnet_id(value: str) -> str:
    if not _VNET_ID.match(value):
        raise Invalid("is not the resource id of a virtual network", f"use '{_VNET_ID_FORM}'")
    return value


def _subnet_id(value: str) -> str:
    if not _SUBNET_ID.match(value):
        raise Invalid("is not the resource id of a subnet", f"use '{_VNET_ID_FORM}/subnets/<subnet name>'")
    return value


def _network_address(value: str) -> str:
    try:
        network = netaddr.IPNetwork(value, version=4)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise Invalid("is not an IPv4 range", "use the subnet's address prefix, e.g. '172.16.0.0/24'") from None
    if "/" not in value or network.network != network.ip:
        raise Invalid(
            "is not the subnet's network address (Azure stores subnet prefixes in canonical form)",
            f"use {network.cidr} as Azure shows it",
        )
    return str(network.cidr)


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


VnetKey = Annotated[str, BeforeValidator(_strip), AfterValidator(_vnet_key)]
SubnetKey = Annotated[str, BeforeValidator(_strip), AfterValidator(_subnet_key)]
VnetId = Annotated[str, BeforeValidator(_strip), AfterValidator(_vnet_id)]
SubnetId = Annotated[str, BeforeValidator(_strip), AfterValidator(_subnet_id)]
AddressPrefix = Annotated[str, BeforeValidator(_strip), AfterValidator(_network_address)]


def vnet_parts(vnet_id: str) -> tuple[str, str, str]:
    """Subscription (lower case), resource group and name of a validated VNet id."""
    match = _VNET_ID.match(vnet_id)
    if match is None:
        msg = f"not a VNet id: {vnet_id}"
        raise ValueError(msg)
    return match.group("subscription").lower(), match.group("group"), match.group("vnet")


def subscription_of(vnet_id: str) -> str:
    """The subscription id in a validated VNet id (lower case)."""
    return vnet_parts(vnet_id)[0]


def parent_vnet_id(subnet_id: str) -> str:
    """The VNet id of a validated subnet id, as written."""
    match = _SUBNET_ID.match(subnet_id)
    if match is None:
        msg = f"not a subnet id: {subnet_id}"
        raise ValueError(msg)
    return match.group("vnet_id")


def subnet_name_of(subnet_id: str) -> str:
    """The subnet's own name, the last segment of its id."""
    return subnet_id.rsplit("/", 1)[1]


class ExistingSubnet(ConfigModel):
    """A subnet the network team created, with the range it was created with."""

    id: SubnetId = Field(description="Required. Resource id of the subnet (inside one of existing.vnets).")
    address_prefix: AddressPrefix = Field(
        description="Required. The subnet's address prefix as created; must be exactly the range the IP plan "
        "gives this subnet (aifactory ipam prints it)."
    )


class ExistingNetwork(ConfigModel):
    """Optional. Existing VNets and subnets to use instead of creating them (bring your own network).

    A listed VNet is not created, and nothing is created inside it: every subnet the plan needs in
    it must be listed under subnets, with the range the plan gives it (docs/network.md).
    """

    vnets: dict[VnetKey, VnetId] = Field(
        default_factory=dict,
        description="Optional. IP plan VNet key ('common', 'shard-01', ...) -> resource id of the existing VNet "
        "that replaces it. Default: none (the factory creates every VNet).",
    )
    subnets: dict[SubnetKey, ExistingSubnet] = Field(
        default_factory=dict,
        description="Optional. IP plan subnet key ('common/private_endpoints', 'p007/compute', ...) -> the existing "
        "subnet. Every needed subnet of a listed VNet must be here. Default: none.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems: list[Invalid] = []
        owners: dict[str, str] = {}
        for key, vnet_id in self.vnets.items():
            first = owners.setdefault(vnet_id.lower(), key)
            if first != key:
                problems.append(
                    Invalid(
                        f"is also given for {first}; one Azure VNet can stand for one VNet of the plan",
                        "give each plan VNet its own existing VNet",
                        field=f"vnets.{key}",
                        value=vnet_id,
                    )
                )
        listed = {vnet_id.lower() for vnet_id in self.vnets.values()}
        seen: dict[str, str] = {}
        for key, subnet in self.subnets.items():
            where = f"subnets.{key}.id"
            first = seen.setdefault(subnet.id.lower(), key)
            if first != key:
                problems.append(
                    Invalid(
                        f"is also given for {first}; every subnet of the plan needs its own (Azure lets a delegated "
                        "or VNet-injected subnet serve one service)",
                        "create a separate subnet for each key",
                        field=where,
                        value=subnet.id,
                    )
                )
            if parent_vnet_id(subnet.id).lower() not in listed:
                problems.append(
                    Invalid(
                        "is in a VNet that is not in existing.vnets; the factory uses an existing subnet "
                        "only inside an existing VNet that stands for the subnet's VNet in the plan",
                        "add the subnet's VNet to existing.vnets under its plan key (e.g. common or shard-01)",
                        field=where,
                        value=subnet.id,
                    )
                )
        raise_all(type(self), problems)
        return self
