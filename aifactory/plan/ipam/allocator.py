"""The IP plan: a pure function of the environment's network config and the projects in it.

How addresses are carved (see README, IP plan):

1. The environment's ``address_space`` is cut into blocks of ``/shard_prefix``. Block 0 is the
   common VNet; every further block is a project VNet ("shard") that holds a fixed range of
   project ids (``slots_per_shard`` of them).
2. Project ``id`` owns slot ``id`` (a ``/project_slot_prefix`` block): shard ``(id-1) // per_shard + 1``,
   position ``(id-1) % per_shard``. Its subnets sit at fixed positions inside the slot, from the
   layout for its type and size. Nothing depends on other projects or list order, so adding,
   removing or editing a project never moves another project's ranges.
3. AI Foundry agent subnets must lie in 172.16.0.0/12 or 192.168.0.0/16: they come from the slot
   when the address space is there, otherwise from ``agent_address_space`` (one /24 per id).
4. A project may pin its slot to an explicit free range (migrations).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import netaddr

from aifactory.catalog.subnets import ProjectSubnetKey
from aifactory.config.project import ProjectSpec, project_file
from aifactory.config.stack import AKS_RESERVED_RANGES, StackConfig
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.plan.ipam.layouts import (
    AGENT_SUBNET_PREFIX,
    COMMON_LAYOUT,
    COMMON_MIN_PREFIX,
    DELEGATIONS,
    PROJECT_LAYOUTS,
    SubnetTemplate,
)
from aifactory.plan.ipam.model import IpPlan, PlannedSubnet, PlannedVnet, ProjectNetworkPlan
from aifactory.plan.naming import subnet_name
from aifactory.services.registry import common_subnet_needs, project_declarations, project_subnet_needs, settings_of

__all__ = ["AGENT_RANGES", "needed_subnet_keys", "plan_network"]

AGENT_RANGES = (netaddr.IPNetwork("172.16.0.0/12"), netaddr.IPNetwork("192.168.0.0/16"))
_AGENT_SIZE = 2 ** (32 - AGENT_SUBNET_PREFIX)


def needed_subnet_keys(project: ProjectSpec) -> frozenset[ProjectSubnetKey]:
    """The subnets a project's services use (each service declares its own, :mod:`aifactory.services`)."""
    return project_subnet_needs(project)


def _services_using(project: ProjectSpec, key: ProjectSubnetKey) -> list[str]:
    """The project's services that use its ``key`` subnet (for messages)."""
    return [s.name for s in project_declarations(project) if key in s.subnets.for_settings(settings_of(project, s))]


def _cidr(first: int, prefix: int) -> str:
    return f"{netaddr.IPAddress(first, version=4)}/{prefix}"


def _within(network: netaddr.IPNetwork, ranges: Sequence[netaddr.IPNetwork]) -> bool:
    return any(network.first >= r.first and network.last <= r.last for r in ranges)


class _Geometry:
    """Sizes and counts derived from the network config."""

    def __init__(self, stack: StackConfig) -> None:
        network = stack.network
        self.ranges = [netaddr.IPNetwork(c) for c in network.address_space]
        self.space = ", ".join(str(r) for r in self.ranges)
        self.shard_prefix = network.shard_prefix
        self.slot_prefix = network.project_slot_prefix
        self.shard_size = 2 ** (32 - network.shard_prefix)
        self.slot_size = 2 ** (32 - network.project_slot_prefix)
        self.per_shard = self.shard_size // self.slot_size
        # Every /shard_prefix block of every range, in the order the ranges are listed: block 0 is common.
        self.blocks = [
            int(r.first) + index * self.shard_size
            for r in self.ranges
            for index in range(2 ** (network.shard_prefix - r.prefixlen))
        ]
        self.shard_count = len(self.blocks)
        self.capacity = (self.shard_count - 1) * self.per_shard
        self.agent_space = netaddr.IPNetwork(network.agent_address_space) if network.agent_address_space else None

    def shard_of_id(self, project_id: int) -> int:
        return int((project_id - 1) // self.per_shard + 1)

    def slot_first(self, project_id: int) -> int:
        shard = self.shard_of_id(project_id)
        offset = ((project_id - 1) % self.per_shard) * self.slot_size
        return int(self.blocks[shard] + offset)

    def shard_of_address(self, address: int) -> int:
        """Index of the block holding ``address``; -1 when it is outside the address space."""
        for index, first in enumerate(self.blocks):
            if first <= address < first + self.shard_size:
                return index
        return -1

    def block_cidr(self, shard: int) -> str:
        return _cidr(self.blocks[shard], self.shard_prefix)

    def agent_first(self, project_id: int) -> int | None:
        if self.agent_space is None:
            return None
        first = int(self.agent_space.first) + (project_id - 1) * _AGENT_SIZE
        return first if first + _AGENT_SIZE - 1 <= self.agent_space.last else None

    def agent_block(self, shard: int) -> str | None:
        if self.agent_space is None:
            return None
        size = self.per_shard * _AGENT_SIZE
        first = int(self.agent_space.first) + (shard - 1) * size
        if first + size - 1 > self.agent_space.last:
            return None
        return _cidr(first, 32 - size.bit_length() + 1)


def plan_network(stack: StackConfig, projects: Sequence[ProjectSpec], files: Mapping[int, str] | None = None) -> IpPlan:
    """The environment's IP plan; raises :class:`ConfigError` with every allocation problem."""
    files = files or {}
    geometry = _Geometry(stack)
    allocation = _Allocation(stack, geometry)
    stack_file, problems = allocation.stack_file, allocation.problems
    if stack.network.shard_prefix > COMMON_MIN_PREFIX:
        problems.append(
            ConfigProblem(
                stack_file,
                "aifactory:network.shard_prefix",
                stack.network.shard_prefix,
                f"the common VNet (the first shard) needs at least a /{COMMON_MIN_PREFIX}",
                f"use a shard_prefix of /{COMMON_MIN_PREFIX} or shorter",
            )
        )
    plans: dict[int, ProjectNetworkPlan] = {}
    for project in sorted(projects, key=lambda p: p.id):
        file = project_file(project, files)
        plan = allocation.plan_project(project, file)
        if plan is not None:
            plans[project.id] = plan
    if problems:
        raise ConfigError(problems)
    return IpPlan(
        environment=stack.environment,
        address_space=tuple(stack.network.address_space),
        agent_address_space=stack.network.agent_address_space,
        shard_prefix=geometry.shard_prefix,
        slot_prefix=geometry.slot_prefix,
        capacity=geometry.capacity,
        slots_per_shard=geometry.per_shard,
        common=PlannedVnet("common", 0, (geometry.block_cidr(0),), stack.subscription_id),
        common_subnets=_common_subnets(stack, geometry, projects),
        shards=_shards(stack, geometry, plans),
        projects=plans,
    )


def _common_subnets(
    stack: StackConfig, geometry: _Geometry, projects: Sequence[ProjectSpec]
) -> tuple[PlannedSubnet, ...]:
    """The common layout; a subnet is created when a shared service uses it (or, the Power BI gateway, when asked)."""
    wanted = set(common_subnet_needs(stack, projects))
    if stack.network.power_bi_gateway:
        wanted.add("power_bi_gateway")
    base = geometry.blocks[0]
    return tuple(
        PlannedSubnet(t.key, t.name, _cidr(base + t.offset, t.prefix), DELEGATIONS.get(t.key), t.key in wanted)
        for t in COMMON_LAYOUT
    )


def _shards(
    stack: StackConfig, geometry: _Geometry, plans: Mapping[int, ProjectNetworkPlan]
) -> tuple[PlannedVnet, ...]:
    used = sorted({int(p.vnet_key.split("-")[1]) for p in plans.values()})
    shards = []
    for index in used:
        first_id = (index - 1) * geometry.per_shard + 1
        prefixes = [geometry.block_cidr(index)]
        agent_block = geometry.agent_block(index)
        if agent_block is not None:
            prefixes.append(agent_block)
        shards.append(
            PlannedVnet(
                key=_shard_key(index),
                index=index,
                address_prefixes=tuple(prefixes),
                subscription_id=stack.subscription_for_project(first_id),
                first_project_id=first_id,
                last_project_id=first_id + geometry.per_shard - 1,
            )
        )
    return tuple(shards)


def _shard_key(index: int) -> str:
    return f"shard-{index:02d}"


class _Allocation:
    """One planning run: the inputs, the slots taken so far and the problems found."""

    def __init__(self, stack: StackConfig, geometry: _Geometry) -> None:
        self.stack = stack
        self.geometry = geometry
        self.stack_file = f"Pulumi.{stack.environment}.yaml"
        self.problems: list[ConfigProblem] = []
        self.taken: dict[int, int] = {}

    def plan_project(self, project: ProjectSpec, file: str) -> ProjectNetworkPlan | None:
        """The project's slot and subnets, or None (with problems recorded)."""
        stack, geometry, taken, problems, stack_file = (
            self.stack,
            self.geometry,
            self.taken,
            self.problems,
            self.stack_file,
        )
        start = len(problems)
        pinned = project.network.slot is not None
        if pinned:
            slot_first = self._pinned_slot(project, file)
        elif project.id > geometry.capacity:
            problems.append(
                ConfigProblem(
                    file,
                    "id",
                    project.id,
                    f"has no network slot: {stack.environment}'s address space {geometry.space} holds "
                    f"{geometry.capacity} projects (ids 1-{geometry.capacity}: {geometry.shard_count - 1} "
                    f"project VNets of {geometry.per_shard} /{geometry.slot_prefix} slots)",
                    f"use a free id up to {geometry.capacity}, pin network.slot, or give {stack_file} a larger "
                    "aifactory:network.address_space or a longer project_slot_prefix",
                )
            )
            slot_first = None
        else:
            slot_first = geometry.slot_first(project.id)
        if slot_first is None:
            return None
        owner = taken.get(slot_first)
        if owner is not None:
            problems.append(
                ConfigProblem(
                    file,
                    "network.slot" if pinned else "id",
                    project.network.slot if pinned else project.id,
                    f"its slot {_cidr(slot_first, geometry.slot_prefix)} is already used by project {owner}",
                    "pin a free slot or choose a free id; slots never move to make room",
                )
            )
            return None
        taken[slot_first] = project.id
        shard = geometry.shard_of_address(slot_first)
        if stack.subscription_for_project(project.id) != stack.subscription_for_project(
            (shard - 1) * geometry.per_shard + 1
        ):
            problems.append(
                ConfigProblem(
                    file,
                    "network.slot",
                    project.network.slot,
                    "is in a project VNet of another subscription than the project's own",
                    "pin a slot within the id range of the project's subscription",
                )
            )
        subnets = self._project_subnets(project, slot_first, file)
        if "aks" in project.enabled_services():
            self._check_aks_vnet(project, shard, file)
        if len(problems) > start:
            return None
        agent_first = geometry.agent_first(project.id) if "agents" in needed_subnet_keys(project) else None
        return ProjectNetworkPlan(
            project_id=project.id,
            vnet_key=_shard_key(shard),
            slot=_cidr(slot_first, geometry.slot_prefix),
            agent_slot=_cidr(agent_first, AGENT_SUBNET_PREFIX) if agent_first is not None else None,
            pinned=pinned,
            subnets=subnets,
        )

    def _check_aks_vnet(self, project: ProjectSpec, shard: int, file: str) -> None:
        """AKS refuses a cluster whose VNet range touches 172.30.0.0/16 or 172.31.0.0/16."""
        vnet = netaddr.IPNetwork(self.geometry.block_cidr(shard))
        for reserved in AKS_RESERVED_RANGES:
            if vnet.first <= reserved.last and reserved.first <= vnet.last:
                self.problems.append(
                    ConfigProblem(
                        file,
                        "services.aks",
                        project.id,
                        f"project {project.id}'s VNet {vnet} overlaps {reserved}, which AKS reserves; the cluster "
                        "cannot be created there",
                        f"keep AKS projects on ids whose VNet avoids {reserved}, or move {self.stack_file}'s "
                        "aifactory:network.address_space off 172.30.0.0/15",
                    )
                )

    def _pinned_slot(self, project: ProjectSpec, file: str) -> int | None:
        stack, geometry, problems = self.stack, self.geometry, self.problems
        slot = netaddr.IPNetwork(project.network.slot)
        fix = (
            f"pin a /{geometry.slot_prefix} inside {geometry.space} outside its first /{geometry.shard_prefix} "
            "(the common VNet)"
        )
        if slot.prefixlen != geometry.slot_prefix:
            problems.append(
                ConfigProblem(file, "network.slot", str(slot), f"is not a /{geometry.slot_prefix} slot", fix)
            )
            return None
        if geometry.shard_of_address(int(slot.first)) <= 0:
            problems.append(
                ConfigProblem(
                    file,
                    "network.slot",
                    str(slot),
                    f"is not in a project VNet of {stack.environment}'s address space",
                    fix,
                )
            )
            return None
        return int(slot.first)

    def _project_subnets(self, project: ProjectSpec, slot_first: int, file: str) -> tuple[PlannedSubnet, ...]:
        geometry, problems, stack_file = self.geometry, self.problems, self.stack_file
        size = project.network.size
        needed = needed_subnet_keys(project)
        agents_apart = geometry.agent_space is not None
        templates = PROJECT_LAYOUTS[project.type]
        in_slot = [t for t in templates if not (agents_apart and t.key == "agents")]
        original = [t for t in in_slot if not t.appended]
        total = sum(2 ** (32 - t.prefix(size)) for t in original)
        if total > geometry.slot_size:
            problems.append(
                ConfigProblem(
                    file,
                    "network.size",
                    size,
                    f"a {size} {project.type} project needs {total} addresses but slots are /{geometry.slot_prefix} "
                    f"({geometry.slot_size})",
                    f"use a smaller size, or a project_slot_prefix of /{32 - (total - 1).bit_length()} in {stack_file}",
                )
            )
            return ()
        ranges: dict[str, str] = {}
        cursor = slot_first
        for template in sorted(original, key=lambda t: (t.prefix(size), templates.index(t))):
            ranges[template.key] = _cidr(cursor, template.prefix(size))
            cursor += 2 ** (32 - template.prefix(size))
        self._append_subnets(
            project,
            appended=[t for t in in_slot if t.appended],
            slot_first=slot_first,
            cursor=cursor,
            needed=needed,
            ranges=ranges,
            file=file,
        )
        if "agents" in needed:
            self._place_agents(project, slot_first, ranges, file)
        return tuple(
            PlannedSubnet(
                key=t.key,
                name=subnet_name(project.key, t.key),
                cidr=ranges[t.key],
                delegation=DELEGATIONS.get(t.key),
                needed=t.key in needed,
            )
            for t in templates
            if t.key in ranges
        )

    def _append_subnets(
        self,
        project: ProjectSpec,
        *,
        appended: list[SubnetTemplate],
        slot_first: int,
        cursor: int,
        needed: frozenset[ProjectSubnetKey],
        ranges: dict[str, str],
        file: str,
    ) -> None:
        """Subnets added to the layout later: after the original ones, aligned, where the slot has room.

        Their place depends only on the layout, the size and the agents' placement, never on which
        services are on, so turning a service on or off still moves nothing.
        """
        size = project.network.size
        slot_end = slot_first + self.geometry.slot_size
        for template in appended:
            block = 2 ** (32 - template.prefix(size))
            first = -(-cursor // block) * block
            if first + block <= slot_end:
                ranges[template.key] = _cidr(first, template.prefix(size))
                cursor = first + block
            elif template.key in needed:
                users = ", ".join(_services_using(project, template.key))
                self.problems.append(
                    ConfigProblem(
                        file,
                        "network.size",
                        size,
                        f"a {size} {project.type} project's /{self.geometry.slot_prefix} slot has no room left for "
                        f"the /{template.prefix(size)} {template.key} subnet that {users} needs",
                        f"use network.size medium, set aifactory:network.agent_address_space in {self.stack_file} "
                        "(agent subnets then leave the slot), or turn the service off",
                    )
                )

    def _place_agents(self, project: ProjectSpec, slot_first: int, ranges: dict[str, str], file: str) -> None:
        stack, geometry, problems, stack_file = self.stack, self.geometry, self.problems, self.stack_file
        if geometry.agent_space is not None:
            agent_first = geometry.agent_first(project.id)
            if agent_first is None:
                problems.append(
                    ConfigProblem(
                        stack_file,
                        "aifactory:network.agent_address_space",
                        stack.network.agent_address_space,
                        f"has no /24 for project {project.id} ({file}); it holds "
                        f"{geometry.agent_space.size // _AGENT_SIZE} agent subnets (ids 1-"
                        f"{geometry.agent_space.size // _AGENT_SIZE})",
                        "give agent_address_space room for one /24 per project id",
                    )
                )
                return
            ranges["agents"] = _cidr(agent_first, AGENT_SUBNET_PREFIX)
            return
        slot = netaddr.IPNetwork(_cidr(slot_first, geometry.slot_prefix))
        if not _within(slot, AGENT_RANGES):
            problems.append(
                ConfigProblem(
                    stack_file,
                    "aifactory:network.agent_address_space",
                    None,
                    f"AI Foundry agent subnets must lie in 172.16.0.0/12 or 192.168.0.0/16, but project {project.id} "
                    f"({file}) gets {slot}",
                    "set aifactory:network.agent_address_space to a free range inside 172.16.0.0/12 or 192.168.0.0/16 "
                    "(one /24 per project id), or move address_space there",
                )
            )
