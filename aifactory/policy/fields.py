"""Conditions over resource inputs, in the vocabulary of Azure Policy rules.

Azure Policy compares strings case-insensitively and treats ``true`` and ``"true"`` alike; a
condition such as ``field notEquals "Disabled"`` also holds when the field is absent. These helpers
follow those semantics so a rule reads like the definition it encodes, and they never judge a value
that is still unknown (a ``pulumi preview`` of a resource whose inputs depend on another).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from aifactory.policy.model import UNKNOWN, GuardrailContext, ResourceCheck, ResourceView

__all__ = [
    "as_list",
    "equals",
    "forbid_value",
    "forbid_values",
    "must_be_empty",
    "require_in",
    "require_value",
    "require_values",
    "shown",
]


def _norm(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, int | float):
        return str(value)
    return value


def equals(value: Any, expected: Any) -> bool:
    """Azure Policy's ``equals``: case-insensitive, booleans and their strings alike."""
    return bool(_norm(value) == _norm(expected))


def shown(value: Any) -> str:
    """A value as messages show it."""
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def as_list(value: Any) -> list[Any]:
    """A list input as a list (absent or unknown: empty)."""
    if value is None or value is UNKNOWN or isinstance(value, str | bytes) or not isinstance(value, Sequence):
        return []
    return list(value)


def require_value(path: str, expected: Any, fix: str) -> ResourceCheck:
    """Violation unless ``path`` equals ``expected`` (absent is a violation, as ``notEquals`` is)."""

    def check(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
        value = view.get(path)
        if value is UNKNOWN or equals(value, expected):
            return []
        return [f"{path} is {shown(value)}, must be {shown(expected)}: {fix}"]

    return check


def require_values(expected: Mapping[str, Any], fix: str) -> ResourceCheck:
    """Every path must hold its value (one message naming each path that does not)."""

    def check(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
        wrong = [
            f"{path} is {shown(value)} (must be {shown(want)})"
            for path, want in expected.items()
            if (value := view.get(path)) is not UNKNOWN and not equals(value, want)
        ]
        return [f"{'; '.join(wrong)}: {fix}"] if wrong else []

    return check


def require_in(path: str, allowed: Sequence[Any], fix: str) -> ResourceCheck:
    """Violation unless ``path`` is one of ``allowed`` (absent is a violation)."""

    def check(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
        value = view.get(path)
        if value is UNKNOWN or any(equals(value, a) for a in allowed):
            return []
        return [f"{path} is {shown(value)}, must be one of {', '.join(shown(a) for a in allowed)}: {fix}"]

    return check


def forbid_value(path: str, forbidden: Any, fix: str) -> ResourceCheck:
    """Violation when ``path`` is present and equals ``forbidden`` (``equals`` conditions)."""
    return forbid_values({path: forbidden}, fix)


def forbid_values(forbidden: Mapping[str, Any], fix: str) -> ResourceCheck:
    """Violation for each path that is present and equals its forbidden value."""

    def check(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
        return [
            f"{path} is {shown(value)}: {fix}"
            for path, bad in forbidden.items()
            if (value := view.get(path)) is not None and value is not UNKNOWN and equals(value, bad)
        ]

    return check


def must_be_empty(path: str, fix: str) -> ResourceCheck:
    """Violation when the list at ``path`` has entries (``count greater 0``)."""

    def check(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
        items = as_list(view.get(path))
        return [f"{path} has {len(items)} entr{'y' if len(items) == 1 else 'ies'}: {fix}"] if items else []

    return check
