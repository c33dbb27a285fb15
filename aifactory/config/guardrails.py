"""Recorded guardrail exceptions: the stack's ``aifactory:guardrails`` key.

A Deny rule that would break a working platform is kept, and the deviation is written down here:
which rule, for which resource types, projects or logical names, and why. Every exception needs a
reason a reviewer can judge; the plan prints each one with the violations it covers.
"""

from __future__ import annotations

import difflib
from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from aifactory.config.base import ConfigModel
from aifactory.errors import Invalid
from aifactory.policy.catalog import RULES_BY_ID
from aifactory.policy.model import RuleException

__all__ = ["GuardrailException", "GuardrailsConfig"]


class GuardrailException(ConfigModel):
    """One reasoned deviation from one rule."""

    rule: str = Field(description="Required. Rule id from docs/guardrails.md, e.g. ALZ-DENY-SUBNET-WITHOUT-UDR.")
    reason: str = Field(
        description="Required. Why the platform cannot follow the rule here, and what compensates for it."
    )
    types: list[str] = Field(
        default_factory=list,
        description="Optional. Only these resource types (azure-native type tokens the rule covers). Default: all.",
    )
    projects: list[int | Literal["common"]] = Field(
        default_factory=list,
        description="Optional. Only these project ids, or 'common' for the common platform. Default: all.",
    )
    names: list[str] = Field(
        default_factory=list,
        description="Optional. Only resources whose logical names match these patterns (fnmatch, e.g. "
        "'common-jump-*'). Default: all.",
    )

    @field_validator("rule")
    @classmethod
    def _known_rule(cls, value: str) -> str:
        if value not in RULES_BY_ID:
            close = difflib.get_close_matches(value, list(RULES_BY_ID), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise Invalid("is not a guardrail rule id", f"{hint}use an id from docs/guardrails.md")
        return value

    @field_validator("reason")
    @classmethod
    def _real_reason(cls, value: str) -> str:
        if len(value.split()) < 3:
            raise Invalid(
                "an exception needs a reason a reviewer can judge",
                "say in a sentence why the rule cannot hold here and what compensates for it",
            )
        return value

    @model_validator(mode="after")
    def _types_of_rule(self) -> Self:
        rule = RULES_BY_ID[self.rule]
        stray = [t for t in self.types if t not in rule.types]
        if stray:
            raise Invalid(
                f"{self.rule} does not check {', '.join(stray)}",
                f"use types the rule covers: {', '.join(rule.types)}",
                field="types",
                value=self.types,
            )
        return self

    def as_rule_exception(self) -> RuleException:
        projects = tuple(p if p == "common" else f"p{p:03d}" for p in self.projects)
        return RuleException(self.rule, self.reason, tuple(self.types), projects, tuple(self.names))


class GuardrailsConfig(ConfigModel):
    """Optional. Exceptions to guardrail rules (see docs/guardrails.md)."""

    exceptions: list[GuardrailException] = Field(
        default_factory=list, description="Optional. Reasoned exceptions, each to one rule. Default: none."
    )

    def rule_exceptions(self) -> tuple[RuleException, ...]:
        return tuple(e.as_rule_exception() for e in self.exceptions)
