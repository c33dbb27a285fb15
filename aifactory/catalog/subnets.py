"""The subnet vocabulary: the keys of the subnets the IP layouts carve and the services use.

Only the names live here, so service declarations can say which subnets they need without
depending on the IP planner; where each subnet sits and how large it is, is decided by
:mod:`aifactory.plan.ipam.layouts`.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["CommonSubnetKey", "ProjectSubnetKey"]

ProjectSubnetKey = Literal[
    "private_endpoints",
    "compute",
    "aks",
    "databricks_host",
    "databricks_container",
    "agents",
    "container_apps",
    "app_service",
    "functions",
]
"""Subnets of a project's slot."""

CommonSubnetKey = Literal[
    "private_endpoints",
    "bastion",
    "jump_hosts",
    "power_bi_gateway",
    "databricks_web_auth_host",
    "databricks_web_auth_container",
]
"""Subnets of the common VNet."""
