"""Which Pulumi stacks a factory has: one per environment, plus one per project in sharded layout.

Pure: the callers read the stack files and project files (``aifactory/delivery/factory_stacks.py``)
and hand the facts in. The same names serve ``aifactory affected``, the pipelines and the Pulumi
Deployments program, so a stack is never spelled two ways.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "ENVIRONMENT_ORDER",
    "LAYOUTS",
    "EnvironmentStacks",
    "Layout",
    "declared_layout",
    "parse_project_stack",
    "project_stack_name",
]

Layout = Literal["single", "sharded"]
LAYOUTS: tuple[Layout, ...] = ("single", "sharded")
ENVIRONMENT_ORDER = ("dev", "stage", "prod")
"""Promotion order: pipelines and reports list environments this way."""

_PROJECT_STACK = re.compile(r"^(?P<environment_stack>.+)-p(?P<id>\d{3,})$")


def declared_layout(values: Mapping[str, Any]) -> Layout:
    """The layout a stack file declares (``aifactory:layout``), read from its raw ``aifactory:`` values.

    Raw on purpose: ``aifactory affected`` must name the stacks a pull request touches even when the
    pull request breaks the stack config (validation reports that separately). Anything but
    ``sharded`` is the default ``single`` layout.
    """
    return "sharded" if values.get("layout") == "sharded" else "single"


def project_stack_name(environment_stack: str, project_id: int) -> str:
    """The stack holding one project in sharded layout: ``dev-p007``."""
    return f"{environment_stack}-p{project_id:03d}"


def parse_project_stack(stack: str) -> tuple[str, int] | None:
    """``("dev", 7)`` for ``dev-p007``; None for an environment stack."""
    match = _PROJECT_STACK.match(stack)
    if match is None:
        return None
    return match["environment_stack"], int(match["id"])


def _environment_rank(environment: str) -> int:
    return ENVIRONMENT_ORDER.index(environment) if environment in ENVIRONMENT_ORDER else len(ENVIRONMENT_ORDER)


@dataclass(frozen=True)
class EnvironmentStacks:
    """One environment's stacks: the environment stack and, in sharded layout, one per project."""

    stack: str
    environment: str
    layout: Layout
    project_ids: tuple[int, ...] = ()

    @property
    def project_stack_ids(self) -> tuple[tuple[int, str], ...]:
        """``(project id, project stack)`` per project in sharded layout; none in single layout."""
        if self.layout != "sharded":
            return ()
        return tuple(
            (project_id, project_stack_name(self.stack, project_id)) for project_id in sorted(self.project_ids)
        )

    @property
    def project_stacks(self) -> tuple[str, ...]:
        return tuple(stack for _, stack in self.project_stack_ids)

    @property
    def stacks(self) -> tuple[str, ...]:
        """Every stack of the environment, the environment stack first (it must run first)."""
        return (self.stack, *self.project_stacks)

    @property
    def sort_key(self) -> tuple[int, str]:
        return _environment_rank(self.environment), self.stack
