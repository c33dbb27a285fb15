"""Subnet layouts: which subnets a project of each type and size has, and how large they are.

Data, not logic. Positions inside a slot are fixed per (type, size, agent placement) and do not
depend on which services are enabled, so turning a service on or off never moves another subnet.
Sizes follow the Azure rules in the design notes:

- Databricks host/container subnets: /26, delegated to ``Microsoft.Databricks/workspaces``;
- Foundry agent subnet: /24 recommended, delegated to ``Microsoft.App/environments``, inside
  172.16.0.0/12 or 192.168.0.0/16;
- Container Apps with workload profiles: /27 or larger, delegated to ``Microsoft.App/environments``;
- App Service VNet integration: delegated to ``Microsoft.Web/serverFarms``;
- Flex Consumption Function App VNet integration: delegated to ``Microsoft.App/environments``, used by nothing
  else (not the Container Apps environment's subnet), no underscore in its name; /27 is Microsoft's
  recommendation for one app (Learn, "Azure Functions networking options", Subnets).

Subnets added to a layout after projects were deployed are *appended* (:attr:`SubnetTemplate.appended`):
they are placed after the layout's original subnets, so adding one never moves an existing range.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from aifactory.catalog.subnets import CommonSubnetKey, ProjectSubnetKey
from aifactory.config.project import NetworkSize
from aifactory.services.model import ProjectType

__all__ = [
    "AGENT_SUBNET_PREFIX",
    "COMMON_LAYOUT",
    "COMMON_MIN_PREFIX",
    "DELEGATIONS",
    "PROJECT_LAYOUTS",
    "CommonSubnetKey",
    "CommonSubnetTemplate",
    "ProjectSubnetKey",
    "SubnetTemplate",
]

DELEGATIONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "databricks_host": "Microsoft.Databricks/workspaces",
        "databricks_container": "Microsoft.Databricks/workspaces",
        "agents": "Microsoft.App/environments",
        "container_apps": "Microsoft.App/environments",
        "app_service": "Microsoft.Web/serverFarms",
        "functions": "Microsoft.App/environments",
        "power_bi_gateway": "Microsoft.PowerPlatform/vnetaccesslinks",
        "databricks_web_auth_host": "Microsoft.Databricks/workspaces",
        "databricks_web_auth_container": "Microsoft.Databricks/workspaces",
    }
)

AGENT_SUBNET_PREFIX = 24


@dataclass(frozen=True)
class SubnetTemplate:
    """One subnet of a project layout; prefix length by network size.

    ``appended`` marks a subnet added after the layout's original ones: the allocator places it after
    them, at the next address aligned to its size, and only where the slot still has room (a project
    that needs it where there is none gets an error), so no project's existing ranges move.
    """

    key: ProjectSubnetKey
    small: int
    medium: int
    large: int
    appended: bool = False

    def prefix(self, size: NetworkSize) -> int:
        return {"small": self.small, "medium": self.medium, "large": self.large}[size]


PROJECT_LAYOUTS: MappingProxyType[ProjectType, tuple[SubnetTemplate, ...]] = MappingProxyType(
    {
        "esml": (
            SubnetTemplate("private_endpoints", 27, 26, 25),
            SubnetTemplate("compute", 27, 26, 25),
            SubnetTemplate("aks", 27, 26, 25),
            SubnetTemplate("databricks_host", 26, 26, 26),
            SubnetTemplate("databricks_container", 26, 26, 26),
        ),
        "genai": (
            SubnetTemplate("agents", AGENT_SUBNET_PREFIX, AGENT_SUBNET_PREFIX, AGENT_SUBNET_PREFIX),
            SubnetTemplate("private_endpoints", 27, 26, 25),
            SubnetTemplate("container_apps", 27, 27, 26),
            SubnetTemplate("app_service", 28, 27, 26),
            SubnetTemplate("functions", 27, 27, 26, appended=True),
        ),
    }
)


@dataclass(frozen=True)
class CommonSubnetTemplate:
    """A subnet of the common VNet at a fixed offset (in addresses) from the VNet's start."""

    key: CommonSubnetKey
    name: str
    prefix: int
    offset: int


COMMON_LAYOUT: tuple[CommonSubnetTemplate, ...] = (
    CommonSubnetTemplate("private_endpoints", "snet-common-private-endpoints", 24, 0),
    CommonSubnetTemplate("bastion", "AzureBastionSubnet", 26, 256),
    CommonSubnetTemplate("jump_hosts", "snet-common-jump-hosts", 27, 320),
    CommonSubnetTemplate("power_bi_gateway", "snet-common-power-bi-gateway", 27, 352),
    # The environment's Databricks web-auth workspace (VNet-injected; it only serves browser sign-in).
    CommonSubnetTemplate("databricks_web_auth_host", "snet-common-databricks-web-auth-host", 26, 384),
    CommonSubnetTemplate("databricks_web_auth_container", "snet-common-databricks-web-auth-container", 26, 448),
)
# The common layout reserves the first /22 of the common VNet (room to grow in place).
COMMON_MIN_PREFIX = 22
