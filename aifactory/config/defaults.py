"""Per-environment defaults: what a project gets where its YAML is silent.

Dev is small and cheap, prod is sized for real load. These apply after per-environment overrides,
so a project's explicit value always wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from aifactory.config.types import EnvironmentName

__all__ = ["ENVIRONMENT_DEFAULTS", "EnvironmentDefaults"]


@dataclass(frozen=True)
class EnvironmentDefaults:
    """Sizes and tiers that differ by environment."""

    compute_vm_size: str
    compute_max_nodes: int
    aks_node_vm_size: str
    aks_max_nodes: int
    aks_sku_tier: str


ENVIRONMENT_DEFAULTS: MappingProxyType[EnvironmentName, EnvironmentDefaults] = MappingProxyType(
    {
        "dev": EnvironmentDefaults("Standard_DS3_v2", 2, "Standard_D4s_v5", 3, "Free"),
        "stage": EnvironmentDefaults("Standard_DS3_v2", 4, "Standard_D4s_v5", 3, "Standard"),
        "prod": EnvironmentDefaults("Standard_DS4_v2", 8, "Standard_D4s_v5", 6, "Standard"),
    }
)
