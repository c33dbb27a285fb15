"""Guardrails as code: one rule set, run offline inside ``aifactory plan`` and as a CrossGuard policy pack.

``model`` defines what a rule is and sees, ``rules/`` holds the rules (the factory's promise, the
Azure Landing Zones Corp Deny guardrails, Azure Resource Manager's limits), ``catalog`` lists them
once, ``engine`` evaluates them; ``offline`` and ``crossguard`` are the two runners. The rule
modules import nothing from Pulumi.
"""

from aifactory.policy.catalog import RULES, RULES_BY_ID
from aifactory.policy.engine import GuardrailReport, Violation, evaluate
from aifactory.policy.model import GuardrailContext, ResourceRule, ResourceView, RuleException, StackRule

__all__ = [
    "RULES",
    "RULES_BY_ID",
    "GuardrailContext",
    "GuardrailReport",
    "ResourceRule",
    "ResourceView",
    "RuleException",
    "StackRule",
    "Violation",
    "evaluate",
]
