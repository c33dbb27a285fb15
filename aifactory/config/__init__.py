"""Config models (pydantic) for the stack and the projects, their loaders and JSON Schema export.

The names below are re-exported lazily: importing a leaf module such as ``aifactory.config.base``
(which every service declaration does for its settings model) must not load the project model,
because the project model is itself assembled from the service registry.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aifactory.config.loader import (
        FactoryConfig,
        LoadedProject,
        collect_projects,
        load_factory_config,
        parse_stack_config,
        read_stack_file,
        stack_values,
    )
    from aifactory.config.project import Member, ProjectSpec
    from aifactory.config.stack import StackConfig

__all__ = [
    "FactoryConfig",
    "LoadedProject",
    "Member",
    "ProjectSpec",
    "StackConfig",
    "collect_projects",
    "load_factory_config",
    "parse_stack_config",
    "read_stack_file",
    "stack_values",
]

_HOMES = {
    "Member": "aifactory.config.project",
    "ProjectSpec": "aifactory.config.project",
    "StackConfig": "aifactory.config.stack",
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(_HOMES.get(name, "aifactory.config.loader")), name)
