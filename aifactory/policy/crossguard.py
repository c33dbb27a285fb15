"""The CrossGuard runner: the same rules as Pulumi policies, for ``pulumi preview --policy-pack guardrails``.

Each :class:`~aifactory.policy.model.ResourceRule` becomes a ``ResourceValidationPolicy`` and each
:class:`~aifactory.policy.model.StackRule` a ``StackValidationPolicy``; the enforcement level
follows the rule's severity. The stack comes from the resources' URNs, and the exceptions from
the repository's ``Pulumi.<stack>.yaml`` and project files, so the pack needs no configuration.
Values a preview cannot know yet become :data:`~aifactory.policy.model.UNKNOWN`, which rules
never judge.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from aifactory.errors import ConfigError
from aifactory.policy.catalog import RULES
from aifactory.policy.context import load_context, stack_of_urn
from aifactory.policy.engine import violation_for
from aifactory.policy.model import UNKNOWN, GuardrailContext, ResourceRule, ResourceView, Rule, StackRule, StackView

__all__ = ["ContextSource", "materialize", "policies", "view_of_args", "view_of_resource"]

_LEVELS = {"mandatory": EnforcementLevel.MANDATORY, "advisory": EnforcementLevel.ADVISORY}


def materialize(value: Any) -> Any:
    """Plain dicts and lists from the SDK's unknown-checking proxies; unknown values become UNKNOWN."""
    if isinstance(value, Mapping):
        result: dict[str, Any] = {}
        for key in value:
            try:
                result[str(key)] = materialize(value[key])
            except UnknownValueError:
                result[str(key)] = UNKNOWN
        return result
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        items: list[Any] = []
        for index in range(len(value)):
            try:
                items.append(materialize(value[index]))
            except UnknownValueError:
                items.append(UNKNOWN)
        return items
    return value


def view_of_args(args: ResourceValidationArgs) -> ResourceView:
    """One resource as a resource policy receives it."""
    return ResourceView(
        type=args.resource_type,
        name=args.name,
        urn=args.urn,
        parent=args.opts.parent or "",
        inputs=materialize(args.props),
        protect=bool(args.opts.protect),
    )


def view_of_resource(resource: PolicyResource) -> ResourceView:
    """One resource as a stack policy receives it (with its parent and dependencies)."""
    parent = resource.parent.urn if resource.parent is not None else (resource.opts.parent or "")
    return ResourceView(
        type=resource.resource_type,
        name=resource.name,
        urn=resource.urn,
        parent=parent,
        inputs=materialize(resource.props),
        dependencies=tuple(d.urn for d in resource.dependencies),
        protect=bool(resource.opts.protect),
    )


class ContextSource:
    """The guardrail context of a stack, read once from the repository that holds the pack."""

    def __init__(self, project_dir: Path) -> None:
        self.project_dir = project_dir
        self._cache: dict[str, GuardrailContext | ConfigError] = {}
        self._lock = threading.Lock()

    def for_urn(self, urn: str) -> GuardrailContext:
        """The context of the stack ``urn`` belongs to; ``ConfigError`` when its config is invalid."""
        stack = stack_of_urn(urn)
        with self._lock:
            if stack not in self._cache:
                try:
                    self._cache[stack] = load_context(self.project_dir, stack)
                except ConfigError as error:
                    self._cache[stack] = error
            found = self._cache[stack]
        if isinstance(found, ConfigError):
            raise found
        return found


def _config_problem(report: ReportViolation, error: ConfigError, urn: str | None = None) -> None:
    report(f"the guardrails cannot read the stack's configuration: {error}", urn)


def _resource_validation(rule: ResourceRule, contexts: ContextSource) -> Callable[..., None]:
    wanted = frozenset(rule.types)

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if args.resource_type not in wanted:
            return
        try:
            context = contexts.for_urn(args.urn)
        except ConfigError as error:
            _config_problem(report, error)
            return
        view = view_of_args(args)
        for message in rule.evaluate(view, context):
            if violation_for(rule, view, message, context).exception is None:
                report(message, None)

    return validate


def _stack_validation(rule: StackRule, contexts: ContextSource) -> Callable[..., None]:
    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        if not args.resources:
            return
        try:
            context = contexts.for_urn(args.resources[0].urn)
        except ConfigError as error:
            _config_problem(report, error)
            return
        stack = StackView.of(view_of_resource(r) for r in args.resources)
        for finding in rule.evaluate(stack, context):
            if violation_for(rule, finding.resource, finding.message, context).exception is None:
                report(finding.message, finding.resource.urn)

    return validate


def _policy(rule: Rule, contexts: ContextSource) -> Policy:
    kind: type[ResourceValidationPolicy] | type[StackValidationPolicy]
    if isinstance(rule, ResourceRule):
        kind, validate = ResourceValidationPolicy, _resource_validation(rule, contexts)
    else:
        kind, validate = StackValidationPolicy, _stack_validation(rule, contexts)
    return kind(
        name=rule.id,
        description=f"{rule.title} ({rule.source.policy})",
        validate=validate,
        enforcement_level=_LEVELS[rule.severity],
        url=rule.source.url,
    )


def policies(project_dir: Path, rules: Sequence[Rule] = RULES) -> list[Policy]:
    """One Pulumi policy per rule, judging with the exceptions recorded in ``project_dir``."""
    contexts = ContextSource(project_dir)
    return [_policy(rule, contexts) for rule in rules]
