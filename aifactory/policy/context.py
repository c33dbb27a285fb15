"""The context rules judge in, built from the repository's config (both runners use this)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from aifactory.config.loader import load_factory_config, read_stack_file
from aifactory.config.project import ProjectSpec
from aifactory.config.stack import StackConfig
from aifactory.policy.model import AllowIpsException, GuardrailContext

__all__ = ["context_for", "load_context", "stack_of_urn"]


def context_for(stack_name: str, stack: StackConfig, projects: Iterable[ProjectSpec]) -> GuardrailContext:
    """The stack's recorded exceptions and each project's ``allow_ips`` exception."""
    return GuardrailContext(
        stack=stack_name,
        environment=stack.environment,
        tenant_id=stack.tenant_id,
        exceptions=stack.guardrails.rule_exceptions(),
        allow_ips={
            p.key: AllowIpsException(p.key, tuple(p.network.allow_ips)) for p in projects if p.network.allow_ips
        },
    )


def load_context(project_dir: Path, stack_name: str) -> GuardrailContext:
    """Read ``Pulumi.<stack>.yaml`` and the project files and build the context (raises ConfigError)."""
    config_map, stack_file = read_stack_file(project_dir, stack_name)
    config = load_factory_config(config_map, stack_file, project_dir)
    return context_for(stack_name, config.stack, config.projects)


def stack_of_urn(urn: str) -> str:
    """The stack name in a URN (``urn:pulumi:<stack>::<project>::<type>::<name>``)."""
    head = urn.split("::", 1)[0]
    parts = head.split(":")
    if len(parts) < 3 or parts[0] != "urn" or parts[1] != "pulumi":
        msg = f"not a Pulumi URN: {urn!r}"
        raise ValueError(msg)
    return parts[2]
