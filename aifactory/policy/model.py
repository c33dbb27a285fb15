"""The rule model: what a guardrail is, what it looks at, and what it reports.

A rule sees resources the way the Pulumi engine sees them: the type token, the logical name, the
URN, the parent URN and the inputs as the camelCase mapping the provider receives. The offline plan
and the CrossGuard policy pack build the same :class:`ResourceView` s, so one rule gives one answer
in both. Nothing here imports Pulumi.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any, Final, Literal

__all__ = [
    "UNKNOWN",
    "AllowIpsException",
    "Finding",
    "GuardrailContext",
    "ResourceRule",
    "ResourceView",
    "Rule",
    "RuleException",
    "Severity",
    "Source",
    "StackRule",
    "StackView",
    "Unknown",
    "is_known",
    "lookup",
    "workload_of",
]

Severity = Literal["mandatory", "advisory"]

_PROJECT_KEY = re.compile(r"^(p\d{3})(-|$)")


class Unknown:
    """A value the engine cannot know yet (a `pulumi preview` of a resource not created)."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = Unknown()
"""The single unknown value: present, but its content cannot be judged."""

_MISSING: Final = object()


def is_known(value: object) -> bool:
    return value is not UNKNOWN


def lookup(inputs: Mapping[str, Any], path: str, default: Any = None) -> Any:
    """The value at a dotted path (``properties.networkAcls.defaultAction``); ``default`` when absent.

    Stops at :data:`UNKNOWN`: anything below an unknown value is unknown too.
    """
    current: Any = inputs
    for part in path.split("."):
        if current is UNKNOWN:
            return UNKNOWN
        if not isinstance(current, Mapping):
            return default
        current = current.get(part, _MISSING)
        if current is _MISSING:
            return default
    return current


@dataclass(frozen=True)
class Source:
    """What a rule encodes: an Azure Policy definition (by name and link) or a Microsoft Learn page.

    ``policy`` names the ALZ initiative and member (``Enforce-Guardrails-Storage /
    Deny-Storage-Shared-Key``) or the product promise; ``definition`` is the built-in definition's
    GUID or ALZ custom definition's name; ``effect`` is the effect ALZ assigns by default.
    """

    policy: str
    url: str
    definition: str = ""
    effect: str = ""


@dataclass(frozen=True)
class ResourceView:
    """One resource as a rule sees it."""

    type: str
    name: str
    urn: str
    parent: str
    inputs: Mapping[str, Any]
    dependencies: tuple[str, ...] = ()
    custom: bool = True
    protect: bool = False

    def get(self, path: str, default: Any = None) -> Any:
        return lookup(self.inputs, path, default)

    @property
    def workload(self) -> str:
        """``p007`` for a project's resources, ``common`` otherwise (see :func:`workload_of`)."""
        return workload_of(self.name, self.parent)


def workload_of(name: str, parent_urn: str) -> str:
    """The owning workload from the logical name, or the parent's name when the parent is a project.

    Project resources are named ``p007-...`` or sit directly under the project's component (e.g.
    Cosmos DB data-plane role assignments), and the parent URN carries the parent's name and type,
    so both runners derive the same answer without the whole parent chain.
    """
    own = _PROJECT_KEY.match(name)
    if own:
        return own.group(1)
    parent = _PROJECT_KEY.match(parent_urn.rpartition("::")[2]) if parent_urn else None
    return parent.group(1) if parent else "common"


@dataclass(frozen=True)
class StackView:
    """Every resource of the stack, with the parent links stack-level rules follow."""

    resources: tuple[ResourceView, ...]
    _by_urn: Mapping[str, ResourceView] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, resources: Iterable[ResourceView]) -> StackView:
        views = tuple(resources)
        return cls(views, {v.urn: v for v in views})

    def ancestors(self, view: ResourceView) -> Iterable[ResourceView]:
        """The parent, its parent, ... up to the stack (URN parent chain)."""
        seen: set[str] = set()
        current = self._by_urn.get(view.parent)
        while current is not None and current.urn not in seen:
            seen.add(current.urn)
            yield current
            current = self._by_urn.get(current.parent)

    def of_types(self, types: Sequence[str]) -> list[ResourceView]:
        wanted = set(types)
        return [v for v in self.resources if v.type in wanted]


@dataclass(frozen=True)
class AllowIpsException:
    """A project's recorded public exception: its ``network.allow_ips`` ranges."""

    project: str
    ranges: tuple[str, ...]


@dataclass(frozen=True)
class RuleException:
    """A reasoned deviation from one rule, as recorded in ``aifactory:guardrails``.

    Empty ``types``, ``projects`` or ``names`` mean "any"; ``projects`` holds project keys
    (``p007``) or ``common``; ``names`` are logical-name patterns (``fnmatch``).
    """

    rule: str
    reason: str
    types: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    def covers(self, rule_id: str, view: ResourceView) -> bool:
        return (
            rule_id == self.rule
            and (not self.types or view.type in self.types)
            and (not self.projects or view.workload in self.projects)
            and (not self.names or any(fnmatchcase(view.name, pattern) for pattern in self.names))
        )


@dataclass(frozen=True)
class GuardrailContext:
    """What rules need beyond the resources: the stack, its exceptions, its tenant."""

    stack: str
    environment: str = ""
    tenant_id: str = ""
    exceptions: tuple[RuleException, ...] = ()
    allow_ips: Mapping[str, AllowIpsException] = field(default_factory=dict)

    def allow_ips_of(self, workload: str) -> tuple[str, ...]:
        found = self.allow_ips.get(workload)
        return found.ranges if found else ()


@dataclass(frozen=True)
class Finding:
    """A rule's complaint about one resource: what is wrong and what to change."""

    resource: ResourceView
    message: str


ResourceCheck = Callable[[ResourceView, GuardrailContext], Iterable[str]]
StackCheck = Callable[[StackView, GuardrailContext], Iterable[Finding]]


@dataclass(frozen=True)
class _RuleBase:
    id: str
    title: str
    severity: Severity
    types: tuple[str, ...]
    source: Source


@dataclass(frozen=True)
class ResourceRule(_RuleBase):
    """A rule over one resource at a time (CrossGuard: a ``ResourceValidationPolicy``)."""

    check: ResourceCheck = field(compare=False, repr=False)

    def evaluate(self, view: ResourceView, context: GuardrailContext) -> list[str]:
        if view.type not in self.types:
            return []
        return list(self.check(view, context))


@dataclass(frozen=True)
class StackRule(_RuleBase):
    """A rule over the whole stack (CrossGuard: a ``StackValidationPolicy``)."""

    check: StackCheck = field(compare=False, repr=False)

    def evaluate(self, stack: StackView, context: GuardrailContext) -> list[Finding]:
        return list(self.check(stack, context))


Rule = ResourceRule | StackRule
