"""Run the rules over a stack's resources and say what fails, what is excepted and why.

Pure: the offline plan and the CrossGuard pack feed it the same :class:`ResourceView` s. Each rule
only sees resources of its own types (an index by type keeps a 300-project stack linear).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from aifactory.policy.catalog import RULES
from aifactory.policy.model import (
    GuardrailContext,
    ResourceRule,
    ResourceView,
    Rule,
    RuleException,
    Severity,
    StackView,
)

__all__ = ["GuardrailReport", "Violation", "evaluate", "violation_for"]


@dataclass(frozen=True)
class Violation:
    """One rule failing on one resource, and the exception that covers it (if any)."""

    rule: str
    severity: Severity
    type: str
    name: str
    urn: str
    workload: str
    message: str
    exception: RuleException | None = None

    @property
    def blocking(self) -> bool:
        """A mandatory violation that no exception covers: the plan must not go ahead."""
        return self.severity == "mandatory" and self.exception is None


@dataclass(frozen=True)
class GuardrailReport:
    """Every result of one evaluation."""

    rules: tuple[Rule, ...]
    resources: int
    violations: tuple[Violation, ...]
    exceptions: tuple[RuleException, ...]

    @property
    def failed(self) -> bool:
        return any(v.blocking for v in self.violations)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per rule id, in catalogue order and for every rule evaluated: open and excepted violations."""
        result = {rule.id: {"open": 0, "excepted": 0} for rule in self.rules}
        for violation in self.violations:
            result[violation.rule]["excepted" if violation.exception else "open"] += 1
        return result

    def exception_uses(self) -> list[tuple[RuleException, int]]:
        used = Counter(id(v.exception) for v in self.violations if v.exception is not None)
        return [(exception, used[id(exception)]) for exception in self.exceptions]

    def document(self) -> dict[str, Any]:
        """JSON-ready results for the plan file (deterministic order)."""
        by_id = {rule.id: rule for rule in self.rules}
        return {
            "rules_evaluated": len(self.rules),
            "resources_checked": self.resources,
            "failed": self.failed,
            "blocking": sum(1 for v in self.violations if v.blocking),
            "by_rule": {
                rule_id: {"severity": by_id[rule_id].severity, **counts} for rule_id, counts in self.counts().items()
            },
            "exceptions": [
                {
                    "rule": e.rule,
                    "reason": e.reason,
                    "types": list(e.types),
                    "projects": list(e.projects),
                    "names": list(e.names),
                    "violations_excepted": uses,
                }
                for e, uses in self.exception_uses()
            ],
            "violations": [
                {
                    "rule": v.rule,
                    "severity": v.severity,
                    "type": v.type,
                    "name": v.name,
                    "urn": v.urn,
                    "workload": v.workload,
                    "message": v.message,
                    "excepted": v.exception.reason if v.exception else None,
                }
                for v in self.violations
            ],
        }


def violation_for(rule: Rule, view: ResourceView, message: str, context: GuardrailContext) -> Violation:
    """A violation with the first recorded exception that covers it."""
    exception = next((e for e in context.exceptions if e.covers(rule.id, view)), None)
    return Violation(rule.id, rule.severity, view.type, view.name, view.urn, view.workload, message, exception)


def evaluate(
    resources: Iterable[ResourceView], context: GuardrailContext, rules: Sequence[Rule] = RULES
) -> GuardrailReport:
    """Every rule over every resource of its types; stack rules over the whole stack."""
    views = tuple(resources)
    by_type: dict[str, list[ResourceRule]] = defaultdict(list)
    stack_rules = []
    for rule in rules:
        if isinstance(rule, ResourceRule):
            for rtype in rule.types:
                by_type[rtype].append(rule)
        else:
            stack_rules.append(rule)
    violations: list[Violation] = []
    for view in views:
        for resource_rule in by_type.get(view.type, ()):
            violations.extend(
                violation_for(resource_rule, view, m, context) for m in resource_rule.evaluate(view, context)
            )
    if stack_rules:
        stack = StackView.of(views)
        for stack_rule in stack_rules:
            violations.extend(
                violation_for(stack_rule, f.resource, f.message, context) for f in stack_rule.evaluate(stack, context)
            )
    order = {rule.id: index for index, rule in enumerate(rules)}
    violations.sort(key=lambda v: (order[v.rule], v.urn, v.message))
    return GuardrailReport(tuple(rules), sum(1 for v in views if v.custom), tuple(violations), context.exceptions)
