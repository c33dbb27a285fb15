"""A project as it exists in one environment: overrides merged, environment defaults filled in.

Precedence, lowest first: model defaults < per-environment defaults < the project YAML <
``overrides.<env>`` of the project YAML. Lists in overrides replace, mappings merge.
"""

from __future__ import annotations

import copy
from typing import Any

from aifactory.config.defaults import ENVIRONMENT_DEFAULTS
from aifactory.config.project import ProjectSpec
from aifactory.config.services import SERVICE_MODELS
from aifactory.config.types import EnvironmentName

__all__ = ["apply_environment_defaults", "deep_merge", "merged_raw"]


def deep_merge(base: dict[str, Any], delta: dict[str, Any]) -> dict[str, Any]:
    """``delta`` over ``base``: nested mappings merge key by key, everything else replaces."""
    result = copy.deepcopy(base)
    for key, value in delta.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def merged_raw(raw: dict[str, Any], environment: EnvironmentName) -> dict[str, Any]:
    """The raw project mapping with ``overrides.<environment>`` merged in and overrides dropped."""
    overrides = raw.get("overrides") or {}
    delta = overrides.get(environment) if isinstance(overrides, dict) else None
    base = {k: v for k, v in raw.items() if k != "overrides"}
    return deep_merge(base, delta) if isinstance(delta, dict) else base


def apply_environment_defaults(spec: ProjectSpec, environment: EnvironmentName) -> ProjectSpec:
    """Materialise the type's default services and fill unset sizes with the environment's defaults."""
    defaults = ENVIRONMENT_DEFAULTS[environment]
    updates: dict[str, Any] = {
        name: SERVICE_MODELS[name]() for name in spec.enabled_services() if getattr(spec.services, name) is None
    }
    services = spec.services.model_copy(update=updates)
    if services.machine_learning is not None:
        compute = services.machine_learning.compute
        compute = compute.model_copy(
            update={
                "vm_size": compute.vm_size or defaults.compute_vm_size,
                "max_nodes": compute.max_nodes or max(defaults.compute_max_nodes, compute.min_nodes),
            }
        )
        updates["machine_learning"] = services.machine_learning.model_copy(update={"compute": compute})
    if services.aks is not None:
        aks = services.aks
        updates["aks"] = aks.model_copy(
            update={
                "node_vm_size": aks.node_vm_size or defaults.aks_node_vm_size,
                "max_nodes": aks.max_nodes or max(defaults.aks_max_nodes, aks.min_nodes),
                "sku_tier": aks.sku_tier or defaults.aks_sku_tier,
            }
        )
    return spec.model_copy(update={"services": services.model_copy(update=updates), "overrides": {}})
