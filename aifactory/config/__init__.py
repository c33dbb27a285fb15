"""Config models (pydantic) for the stack and the projects, their loaders and JSON Schema export."""

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
