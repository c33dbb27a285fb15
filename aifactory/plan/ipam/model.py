"""The IP plan as plain data: what the network components create and what ``aifactory ipam`` prints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["IpPlan", "PlannedSubnet", "PlannedVnet", "ProjectNetworkPlan"]


@dataclass(frozen=True)
class PlannedSubnet:
    """A subnet with its range; ``needed`` is False for ranges reserved for a service that is off.

    ``existing_id`` is set for a subnet the network team brings (``aifactory:network.existing``):
    the factory uses that id and creates neither the subnet nor its NSG; ``name`` is then the
    existing subnet's own name.
    """

    key: str
    name: str
    cidr: str
    delegation: str | None
    needed: bool
    existing_id: str | None = None

    @property
    def usable_addresses(self) -> int:
        """Addresses left after the 5 that Azure reserves in every subnet."""
        prefix = int(self.cidr.rsplit("/", 1)[1])
        return int(2 ** (32 - prefix)) - 5


@dataclass(frozen=True)
class PlannedVnet:
    """A VNet of the environment: the common VNet (index 0) or a project shard.

    ``existing_id`` is set for a VNet the network team brings: the factory creates nothing in it.
    """

    key: str
    index: int
    address_prefixes: tuple[str, ...]
    subscription_id: str
    first_project_id: int = 0
    last_project_id: int = 0
    existing_id: str | None = None


@dataclass(frozen=True)
class ProjectNetworkPlan:
    """One project's place in the network."""

    project_id: int
    vnet_key: str
    slot: str
    agent_slot: str | None
    pinned: bool
    subnets: tuple[PlannedSubnet, ...]

    def subnet(self, key: str) -> PlannedSubnet:
        for subnet in self.subnets:
            if subnet.key == key:
                return subnet
        msg = f"project {self.project_id} has no {key} subnet"
        raise KeyError(msg)

    @property
    def needed_subnets(self) -> tuple[PlannedSubnet, ...]:
        return tuple(s for s in self.subnets if s.needed)

    @property
    def address_ranges(self) -> tuple[str, ...]:
        """The project's own ranges (slot and, if separate, agent slot)."""
        return (self.slot,) if self.agent_slot is None else (self.slot, self.agent_slot)


@dataclass(frozen=True)
class IpPlan:
    """The environment's address plan."""

    environment: str
    address_space: tuple[str, ...]
    agent_address_space: str | None
    shard_prefix: int
    slot_prefix: int
    capacity: int
    slots_per_shard: int
    common: PlannedVnet
    common_subnets: tuple[PlannedSubnet, ...]
    shards: tuple[PlannedVnet, ...]
    projects: Mapping[int, ProjectNetworkPlan] = field(default_factory=dict)

    def shard(self, key: str) -> PlannedVnet:
        for shard in self.shards:
            if shard.key == key:
                return shard
        msg = f"no VNet {key} in the {self.environment} plan"
        raise KeyError(msg)

    @property
    def vnets(self) -> tuple[PlannedVnet, ...]:
        """The common VNet, then every project VNet."""
        return (self.common, *self.shards)

    def vnet(self, key: str) -> PlannedVnet:
        return self.common if key == self.common.key else self.shard(key)

    def common_subnet(self, key: str) -> PlannedSubnet:
        for subnet in self.common_subnets:
            if subnet.key == key:
                return subnet
        msg = f"no common subnet {key}"
        raise KeyError(msg)
