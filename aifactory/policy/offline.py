"""The offline runner: the rules over what an offline run recorded, with the repo's exceptions.

``aifactory plan`` and ``aifactory check`` call :func:`check_stack`; the CrossGuard pack builds its
context from the same config (:mod:`aifactory.policy.context`), so both runners judge alike.
"""

from __future__ import annotations

from aifactory.offline.runner import OfflineRun
from aifactory.offline.stack_run import StackPlan
from aifactory.policy.context import context_for
from aifactory.policy.engine import GuardrailReport, evaluate
from aifactory.policy.model import ResourceView

__all__ = ["check_stack", "views_of"]


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
            protect=r.protect,
        )
        for r in run.resources
    ]


def check_stack(result: StackPlan) -> GuardrailReport:
    """Every rule over one offline run of a stack."""
    context = context_for(result.run.stack, result.plan.stack, (p.spec for p in result.plan.projects))
    return evaluate(views_of(result.run), context)
