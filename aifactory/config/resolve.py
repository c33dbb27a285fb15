"""A project as it exists in one environment: overrides merged, environment defaults filled in.

Precedence, lowest first: model defaults < per-environment defaults < the project YAML <
``overrides.<env>`` of the project YAML. Lists in overrides replace, mappings merge. Which knobs
have per-environment defaults is each service's own business (its declaration's
``environment_defaults``; the values are in :mod:`aifactory.config.defaults`).
"""

from __future__ import annotations

import copy
from typing import Any

from aifactory.config.project import ProjectSpec
from aifactory.config.types import EnvironmentName
from aifactory.services.registry import OPTIONAL_SERVICES, SERVICE_MODELS

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
    """Materialise the type's default services and let each service fill what it leaves to the environment."""
    services = spec.services
    updates: dict[str, Any] = {}
    enabled = spec.enabled_services()
    for service in OPTIONAL_SERVICES:
        settings = services.get(service)
        if settings is None and service.name in enabled:
            settings = SERVICE_MODELS[service.name]()
            updates[service.name] = settings
        if settings is not None and service.environment_defaults is not None:
            updates[service.name] = service.environment_defaults(settings, environment)
    return spec.model_copy(update={"services": services.model_copy(update=updates), "overrides": {}})
