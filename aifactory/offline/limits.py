"""Limits per subscription, per VNet and per stack, checked over everything a plan registered.

Azure refuses a deployment past its limits (4,000 role assignments per subscription, 1,000
private endpoints per VNet, 980 resource groups per subscription); Pulumi gets slow past a few
thousand resources per stack (the reason for the sharded layout). The checks count the recorded
resources of every stack of the environment, so they hold for either layout, and they also give
the longest dependency chain: the number of resources that must be created one after the other,
which bounds how fast a first deployment can be however parallel the engine is.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from aifactory.offline.mocks import RecordedResource
from aifactory.plan.rbac.planner import ROLE_ASSIGNMENT_LIMIT

__all__ = [
    "NEAR",
    "PRIVATE_ENDPOINT_LIMIT",
    "RESOURCE_GROUP_LIMIT",
    "STACK_RESOURCES_ADVICE",
    "Limit",
    "LimitCheck",
    "LimitsReport",
    "check_limits",
    "longest_chain",
]

PRIVATE_ENDPOINT_LIMIT = 1000
"""Private endpoints per virtual network (Azure networking limits)."""
RESOURCE_GROUP_LIMIT = 980
"""Resource groups per subscription (Azure subscription limits)."""
STACK_RESOURCES_ADVICE = 3000
"""Resources per stack past which previews and updates get slow: switch to the sharded layout."""
NEAR = 0.8
"""A count at or above this share of its limit is reported as near."""

Level = Literal["ok", "near", "exceeded"]
_SUBSCRIPTION = re.compile(r"^/subscriptions/([^/]+)", re.IGNORECASE)
_EXISTING_SUBNET = re.compile(
    r"^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\.Network/virtualNetworks/([^/]+)/subnets/[^/]+$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Limit:
    """A limit: what is counted, per what, the maximum, and whether Azure enforces it."""

    name: str
    per: str
    maximum: int
    enforced: bool
    fix: str


ROLE_ASSIGNMENTS = Limit(
    "role assignments",
    "subscription",
    ROLE_ASSIGNMENT_LIMIT,
    True,
    "place projects in more subscriptions (aifactory:project_subscriptions)",
)
PRIVATE_ENDPOINTS = Limit(
    "private endpoints",
    "virtual network",
    PRIVATE_ENDPOINT_LIMIT,
    True,
    "use smaller network shards (aifactory:network.shard_prefix) so fewer projects share a VNet",
)
RESOURCE_GROUPS = Limit(
    "resource groups",
    "subscription",
    RESOURCE_GROUP_LIMIT,
    True,
    "place projects in more subscriptions (aifactory:project_subscriptions)",
)
STACK_RESOURCES = Limit(
    "resources",
    "stack",
    STACK_RESOURCES_ADVICE,
    False,
    "use aifactory:layout: sharded (a common stack plus one stack per project)",
)


@dataclass(frozen=True)
class LimitCheck:
    """One counted scope (a subscription, a VNet, a stack) against one limit."""

    limit: Limit
    scope: str
    count: int

    @property
    def level(self) -> Level:
        if self.count > self.limit.maximum:
            return "exceeded"
        if self.count >= NEAR * self.limit.maximum:
            return "near"
        return "ok"


@dataclass(frozen=True)
class LimitsReport:
    """Every check of the environment, and the longest dependency chain of each stack."""

    layout: str
    checks: tuple[LimitCheck, ...]
    chains: Mapping[str, int]
    deployment_chain: int

    @property
    def errors(self) -> list[LimitCheck]:
        """Azure limits the plan exceeds: the deployment would fail."""
        return [c for c in self.checks if c.level == "exceeded" and c.limit.enforced]

    @property
    def warnings(self) -> list[LimitCheck]:
        """Counts near an Azure limit, and stacks past the recommended size."""
        return [c for c in self.checks if c.level != "ok" and c not in self.errors]

    def largest(self, limit: Limit) -> LimitCheck | None:
        found = [c for c in self.checks if c.limit == limit]
        return max(found, key=lambda c: (c.count, c.scope)) if found else None

    def document(self) -> dict[str, object]:
        """The report as JSON data for the plan file."""
        return {
            "layout": self.layout,
            "checks": [
                {
                    "limit": c.limit.name,
                    "per": c.limit.per,
                    "scope": c.scope,
                    "count": c.count,
                    "maximum": c.limit.maximum,
                    "enforced_by_azure": c.limit.enforced,
                    "level": c.level,
                }
                for c in self.checks
            ],
            "longest_dependency_chain": dict(self.chains),
            "deployment_chain": self.deployment_chain,
        }


def check_limits(layout: str, stacks: Mapping[str, Sequence[RecordedResource]]) -> LimitsReport:
    """Count every limit over the recorded resources of ``stacks`` (stack name -> its resources).

    The first stack is the environment's; in the sharded layout every other stack waits for it,
    so the deployment chain is its chain plus the longest project stack's.
    """
    everything = [r for resources in stacks.values() for r in resources]
    by_id = {r.id: r for r in everything if r.id}
    role_assignments = Counter(
        _subscription(r.inputs.get("scope")) for r in everything if r.type == _AUTHORIZATION_ROLE_ASSIGNMENT
    )
    groups = Counter(_subscription(r.id) for r in everything if r.type == _RESOURCE_GROUP)
    endpoints = Counter(_vnet_of(r, by_id) for r in everything if r.type == _PRIVATE_ENDPOINT)
    checks = [
        *(LimitCheck(ROLE_ASSIGNMENTS, s, n) for s, n in sorted(role_assignments.items())),
        *(LimitCheck(PRIVATE_ENDPOINTS, v, n) for v, n in sorted(endpoints.items())),
        *(LimitCheck(RESOURCE_GROUPS, s, n) for s, n in sorted(groups.items())),
        *(LimitCheck(STACK_RESOURCES, name, sum(1 for r in rs if r.custom)) for name, rs in stacks.items()),
    ]
    chains = {name: longest_chain(resources) for name, resources in stacks.items()}
    values = list(chains.values())
    deployment = values[0] + max(values[1:], default=0) if layout == "sharded" else max(values, default=0)
    return LimitsReport(layout, tuple(checks), chains, deployment)


_AUTHORIZATION_ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
_RESOURCE_GROUP = "azure-native:resources:ResourceGroup"
_PRIVATE_ENDPOINT = "azure-native:network:PrivateEndpoint"
_SUBNET = "azure-native:network:Subnet"


def _subscription(resource_id: object) -> str:
    match = _SUBSCRIPTION.match(resource_id) if isinstance(resource_id, str) else None
    return match.group(1).lower() if match else "(unknown)"


def _vnet_of(endpoint: RecordedResource, by_id: Mapping[str, RecordedResource]) -> str:
    """``<subscription>/<resource group>/<vnet>`` of the endpoint's subnet (a factory subnet, or an
    existing one the network team brought, read from its id)."""
    subnet_ref = endpoint.inputs.get("subnet")
    subnet_id = subnet_ref.get("id", "") if isinstance(subnet_ref, dict) else ""
    subnet = by_id.get(subnet_id)
    if subnet is None or subnet.type != _SUBNET:
        existing = _EXISTING_SUBNET.match(subnet_id) if isinstance(subnet_id, str) else None
        if existing is None:
            return "(unknown)"
        return "/".join(part.lower() for part in existing.groups())
    inputs = subnet.inputs
    return f"{_subscription(subnet.id)}/{inputs.get('resourceGroupName')}/{inputs.get('virtualNetworkName')}"


def longest_chain(resources: Iterable[RecordedResource]) -> int:
    """The most resources of a stack that must be created one after another.

    A resource waits for its dependencies and for a custom parent; components and the Pulumi
    resources (providers, stack references) take no time of their own, so they pass their chain on
    without adding to it.
    """
    records = {r.urn: r for r in resources}
    waits: dict[str, list[str]] = defaultdict(list)
    for record in records.values():
        waits[record.urn].extend(d for d in record.dependencies if d in records)
        parent = records.get(record.parent)
        if parent is not None and parent.custom:
            waits[record.urn].append(parent.urn)
    depth: dict[str, int] = {}
    entered: set[str] = set()
    for start in records:
        stack = [start]
        while stack:
            urn = stack[-1]
            if urn in depth:
                stack.pop()
                continue
            pending = [d for d in waits[urn] if d not in depth]
            if pending and urn not in entered:  # entered twice only on a cycle, which the engine refuses
                entered.add(urn)
                stack.extend(pending)
                continue
            stack.pop()
            record = records[urn]
            own = 1 if record.custom and not record.type.startswith("pulumi:") else 0
            depth[urn] = own + max((depth.get(d, 0) for d in waits[urn]), default=0)
    return max(depth.values(), default=0)
