"""Checks across the stacks of one factory: environments must be able to share one hub."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import netaddr

from aifactory.config.stack import StackConfig
from aifactory.errors import ConfigProblem

__all__ = ["cross_stack_problems"]


def _ranges(stack: StackConfig) -> list[tuple[str, netaddr.IPNetwork]]:
    ranges = [("aifactory:network.address_space", netaddr.IPNetwork(block)) for block in stack.network.address_space]
    if stack.network.agent_address_space:
        ranges.append(("aifactory:network.agent_address_space", netaddr.IPNetwork(stack.network.agent_address_space)))
    return ranges


def cross_stack_problems(stacks: Mapping[str, StackConfig]) -> list[ConfigProblem]:
    """Address ranges of different stacks must not overlap (they all peer with one hub)."""
    problems = []
    for (name_a, a), (name_b, b) in itertools.combinations(sorted(stacks.items()), 2):
        for field_a, range_a in _ranges(a):
            for field_b, range_b in _ranges(b):
                if range_a.first <= range_b.last and range_b.first <= range_a.last:
                    problems.append(
                        ConfigProblem(
                            f"Pulumi.{name_b}.yaml",
                            field_b,
                            str(range_b),
                            f"overlaps {field_a} {range_a} of stack {name_a}; environments peer with one hub and "
                            "must not share addresses",
                            "give every environment its own range (defaults: 172.20.0.0/14 dev, 172.24.0.0/14 stage, "
                            "172.28.0.0/14 prod)",
                        )
                    )
    return problems
