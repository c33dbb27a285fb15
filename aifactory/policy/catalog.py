"""The rule catalogue: every guardrail, once, in a stable order. Both runners read this."""

from __future__ import annotations

from types import MappingProxyType

from aifactory.policy.model import ResourceRule, Rule, StackRule
from aifactory.policy.rules.ai import AI_RULES
from aifactory.policy.rules.alz import ALZ_RULES
from aifactory.policy.rules.alz_services import ALZ_SERVICE_RULES
from aifactory.policy.rules.arm import ARM_RULES
from aifactory.policy.rules.product import PRODUCT_RULES

__all__ = ["RESOURCE_RULES", "RULES", "RULES_BY_ID", "STACK_RULES"]

RULES: tuple[Rule, ...] = (*PRODUCT_RULES, *AI_RULES, *ALZ_RULES, *ALZ_SERVICE_RULES, *ARM_RULES)
RULES_BY_ID: MappingProxyType[str, Rule] = MappingProxyType({rule.id: rule for rule in RULES})
RESOURCE_RULES: tuple[ResourceRule, ...] = tuple(r for r in RULES if isinstance(r, ResourceRule))
STACK_RULES: tuple[StackRule, ...] = tuple(r for r in RULES if isinstance(r, StackRule))

if len(RULES_BY_ID) != len(RULES):  # pragma: no cover - a programming error caught at import
    msg = "two guardrail rules share an id"
    raise RuntimeError(msg)
