"""The offline runner: the rules over what an offline run recorded, with the repo's exceptions.

``aifactory plan`` and ``aifactory check`` call :func:`check_stack`; the CrossGuard pack builds its
context with :func:`context_for` from the same config, so both runners judge alike.
"""

from __future__ import annotations

from collections.abc import Iterable

from aifactory.config.project import ProjectSpec
from aifactory.config.stack import StackConfig
from aifactory.offline.runner import OfflineRun
from aifactory.offline.stack_run import StackPlan
from aifactory.policy.engine import GuardrailReport, evaluate
from aifactory.policy.model import AllowIpsException, GuardrailContext, ResourceView

__all__ = ["check_stack", "context_for", "views_of"]


def views_of(run: OfflineRun) -> list[ResourceView]:
    """Every recorded resource (components too: the parent chain runs through them)."""
    return [
        ResourceView(
            type=r.type,
            name=r.name,
            urn=r.urn,
            parent=r.parent,
            inputs=r.inputs,
            dependencies=tuple(r.dependencies),
            custom=r.custom,
        )
        for r in run.resources
    ]


def context_for(stack_name: str, stack: StackConfig, projects: Iterable[ProjectSpec]) -> GuardrailContext:
    """The stack's exceptions and each project's recorded ``allow_ips`` exception."""
    return GuardrailContext(
        stack=stack_name,
        environment=stack.environment,
        tenant_id=stack.tenant_id,
        exceptions=stack.guardrails.rule_exceptions(),
        allow_ips={
            p.key: AllowIpsException(p.key, tuple(p.network.allow_ips)) for p in projects if p.network.allow_ips
        },
    )


def check_stack(result: StackPlan) -> GuardrailReport:
    """Every rule over one offline run of a stack."""
    context = context_for(result.run.stack, result.plan.stack, (p.spec for p in result.plan.projects))
    return evaluate(views_of(result.run), context)
