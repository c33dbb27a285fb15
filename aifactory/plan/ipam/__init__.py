"""The IP plan (pure, netaddr): slots by project id, fixed subnet layouts, capacity checks."""

from aifactory.plan.ipam.allocator import AGENT_RANGES, needed_subnet_keys, plan_network
from aifactory.plan.ipam.layouts import COMMON_LAYOUT, DELEGATIONS, PROJECT_LAYOUTS
from aifactory.plan.ipam.model import IpPlan, PlannedSubnet, PlannedVnet, ProjectNetworkPlan

__all__ = [
    "AGENT_RANGES",
    "COMMON_LAYOUT",
    "DELEGATIONS",
    "PROJECT_LAYOUTS",
    "IpPlan",
    "PlannedSubnet",
    "PlannedVnet",
    "ProjectNetworkPlan",
    "needed_subnet_keys",
    "plan_network",
]
