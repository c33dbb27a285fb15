"""Stack layouts: one stack per environment, or a common stack plus one stack per project.

``aifactory:layout: single`` (the default) puts the common part and every project in the
environment's stack. ``aifactory:layout: sharded`` keeps only the common part in stack ``<env>``
and gives each project its own stack ``<env>-p<NNN>``, which reads the common stack's outputs
through a ``StackReference``. The mapping form adds where project stacks find the common stack::

    aifactory:layout:
      mode: sharded
      organization: acme        # default: the organisation of the project stack
      project: aifactory        # default: the Pulumi project of the project stack

A project stack has no stack file of its own: :func:`stack_target` tells from its name which
environment stack's file holds its settings and which project it deploys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema

from aifactory.config.base import ConfigModel
from aifactory.errors import Invalid

__all__ = [
    "DEFAULT_ORGANIZATION",
    "LayoutConfig",
    "LayoutMode",
    "LayoutSetting",
    "StackTarget",
    "common_stack_reference",
    "project_stack_name",
    "stack_target",
]

LayoutMode = Literal["single", "sharded"]

DEFAULT_ORGANIZATION = "organization"
"""The organisation of every stack on a self-managed (DIY) backend, and of the offline plan's stacks."""

_PULUMI_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_PROJECT_STACK = re.compile(r"^(?P<environment_stack>.+)-p(?P<project_id>\d{3})$")


def _pulumi_name(value: str | None) -> str | None:
    if value is not None and not _PULUMI_NAME.match(value):
        raise Invalid(
            "is not a Pulumi organisation or project name (letters, digits, '-', '_' and '.', at most 100)",
            "use the name shown by `pulumi whoami` (organisation) or in Pulumi.yaml (project)",
        )
    return value


PulumiName = Annotated[str | None, BeforeValidator(_pulumi_name)]


class LayoutConfig(ConfigModel):
    """Optional. Which stacks hold what: ``single`` (default) or ``sharded`` (see README, Layouts)."""

    mode: LayoutMode = Field(
        default="single",
        description="Optional. single: the environment's stack holds everything. sharded: stack <env> holds the "
        "common part, stack <env>-p<NNN> each project. Default: single.",
    )
    organization: PulumiName = Field(
        default=None,
        description="Optional. Pulumi organisation of the common stack, for the project stacks' StackReference. "
        "Default: the organisation of the project stack.",
    )
    project: PulumiName = Field(
        default=None,
        description="Optional. Pulumi project of the common stack. Default: the Pulumi project of the project stack.",
    )

    @property
    def sharded(self) -> bool:
        return self.mode == "sharded"


def _mode_shorthand(value: object) -> object:
    return {"mode": value} if isinstance(value, str) else value


LayoutSetting = Annotated[
    LayoutConfig,
    BeforeValidator(_mode_shorthand),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "enum": ["single", "sharded"]},
                {
                    "type": "object",
                    "properties": {
                        "mode": {"type": "string", "enum": ["single", "sharded"], "default": "single"},
                        "organization": {"type": "string"},
                        "project": {"type": "string"},
                    },
                    "additionalProperties": False,
                },
            ]
        }
    ),
]
"""``aifactory:layout``: ``single``, ``sharded``, or the mapping with ``mode``, ``organization``, ``project``."""


@dataclass(frozen=True)
class StackTarget:
    """What a stack deploys: its environment's stack name and, for a project stack, the project id."""

    environment_stack: str
    project_id: int | None = None

    @property
    def is_project_stack(self) -> bool:
        return self.project_id is not None

    @property
    def stack_name(self) -> str:
        if self.project_id is None:
            return self.environment_stack
        return project_stack_name(self.environment_stack, self.project_id)


def project_stack_name(environment_stack: str, project_id: int) -> str:
    """The stack of one project in the sharded layout: ``dev-p007``."""
    return f"{environment_stack}-p{project_id:03d}"


def stack_target(stack: str) -> StackTarget:
    """``dev`` -> the environment stack; ``dev-p007`` -> project 7 of environment stack ``dev``."""
    match = _PROJECT_STACK.match(stack)
    if match is None:
        return StackTarget(stack)
    return StackTarget(match["environment_stack"], int(match["project_id"]))


def common_stack_reference(layout: LayoutConfig, organization: str, project: str, environment_stack: str) -> str:
    """``<organization>/<project>/<env>``: the common stack a project stack reads; ``organization`` and
    ``project`` are the project stack's own, used unless the layout names others."""
    return f"{layout.organization or organization}/{layout.project or project}/{environment_stack}"
