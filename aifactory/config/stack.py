"""The stack config: one environment of the factory, read from ``Pulumi.<env>.yaml``.

Every key lives under the ``aifactory:`` namespace of the Pulumi stack file, one key per field of
:class:`StackConfig` (``aifactory:network``, ``aifactory:dns``, ...). Sections are small models so
each can be documented and validated on its own.
"""

from __future__ import annotations

import itertools
import re
from typing import Annotated, Literal, Self

import netaddr
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, field_validator, model_validator

from aifactory.catalog.dns_zones import is_known_zone
from aifactory.config.base import ConfigModel
from aifactory.config.defender import DefenderConfig
from aifactory.config.guardrails import GuardrailsConfig
from aifactory.config.layout import LayoutConfig, LayoutSetting
from aifactory.config.types import (
    AzureRegion,
    Cidr,
    EnvironmentName,
    Guid,
    ObjectId,
    PrivateCidr,
    ResourceId,
    cidr_value,
    first_overlap,
    is_private,
    no_duplicates,
    overlap_within,
)
from aifactory.errors import Invalid, shown

__all__ = [
    "AKS_RESERVED_RANGES",
    "CorePrincipal",
    "CoreTeam",
    "DatalakeConfig",
    "DnsConfig",
    "DnsHub",
    "DnsMode",
    "HubNetwork",
    "IdentityConfig",
    "NamingConfig",
    "NetworkConfig",
    "ProjectSubscription",
    "SharedServicesConfig",
    "StackConfig",
]

_PREFIX = re.compile(r"^[a-z][a-z0-9]{1,7}$")
_TAG_NAME_FORBIDDEN = set("<>%&\\?/")
_RELATIVE_PATH = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/?$")
_DOCKER_BRIDGE = netaddr.IPNetwork("172.17.0.0/16")
AKS_RESERVED_RANGES = tuple(
    netaddr.IPNetwork(c) for c in ("169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24")
)
"""AKS refuses these for its service, pod and cluster VNet ranges."""

DnsMode = Literal["standalone", "hub"]
"""Who owns the private DNS zones: the factory (standalone) or the hub."""


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


MAX_ADDRESS_BLOCKS = 64
"""More blocks than any factory needs (each is at least one VNet); keeps every range check trivially cheap."""

AddressSpace = Annotated[
    list[PrivateCidr],
    BeforeValidator(_as_list),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": MAX_ADDRESS_BLOCKS},
            ]
        }
    ),
    Field(min_length=1, max_length=MAX_ADDRESS_BLOCKS),
]
UniqueCidrs = Annotated[list[Cidr], AfterValidator(no_duplicates)]
_AZURE_DNS = "168.63.129.16"
"""Azure's virtual public IP for platform DNS: public in form, reachable only from inside Azure."""


def _prefix(value: str) -> str:
    if not _PREFIX.match(value):
        raise Invalid(
            "must be 2-8 lowercase letters or digits, starting with a letter (it is part of every "
            "globally unique name, e.g. storage accounts)",
            "use a short organisation code such as 'acme'",
        )
    return value


def _ipv4(value: str) -> str:
    try:
        return str(netaddr.IPAddress(value, version=4))
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise Invalid("is not an IPv4 address", "use the firewall's private IP, e.g. '10.0.1.4'") from None


def _private_ip(value: str) -> str:
    address = _ipv4(value)
    if not is_private(netaddr.IPNetwork(f"{address}/32")):
        raise Invalid(
            "is a public address; the hub firewall is reached on its private IP (a route to a public address "
            "would send the factory's traffic out of the private network)",
            "use the firewall's private IP inside the hub, e.g. '10.100.0.4'",
        )
    return address


def _dns_server(value: str) -> str:
    address = _ipv4(value)
    if address != _AZURE_DNS and not is_private(netaddr.IPNetwork(f"{address}/32")):
        raise Invalid(
            "is a public DNS server; it cannot resolve the factory's private endpoints (privatelink zones)",
            f"use the private IP of the hub's DNS resolver or firewall DNS proxy, or {_AZURE_DNS} (Azure DNS)",
        )
    return address


FactoryPrefix = Annotated[str, AfterValidator(_prefix)]
IPv4Address = Annotated[str, AfterValidator(_ipv4)]
PrivateIPv4Address = Annotated[str, AfterValidator(_private_ip)]
DnsServer = Annotated[str, AfterValidator(_dns_server)]


class HubNetwork(ConfigModel):
    """Optional. An existing hub VNet to peer every factory VNet with (hub-and-spoke)."""

    vnet_id: ResourceId = Field(description="Required. Resource id of the hub VNet.")
    address_space: UniqueCidrs = Field(
        default_factory=list,
        description="Optional. The hub's address ranges; checked for overlap with the factory. Default: none.",
    )
    use_remote_gateways: bool = Field(
        default=False,
        description="Optional. Route to on-premises through the hub's VPN/ExpressRoute gateway. Default: false.",
    )
    allow_forwarded_traffic: bool = Field(
        default=True, description="Optional. Accept traffic forwarded by the hub firewall. Default: true."
    )
    firewall_ip: PrivateIPv4Address | None = Field(
        default=None,
        description="Optional. Private IP of the hub firewall; when set, a route table sends 0.0.0.0/0 "
        "there from every factory subnet. Default: no route table.",
    )

    @model_validator(mode="after")
    def _firewall_in_hub(self) -> Self:
        if self.firewall_ip and self.address_space:
            address = netaddr.IPAddress(self.firewall_ip)
            if not any(address in cidr_value(block) for block in self.address_space):
                raise Invalid(
                    f"is outside the hub's address_space ({', '.join(self.address_space)})",
                    "use the firewall's private IP inside the hub, or add its range to address_space",
                    field="firewall_ip",
                    value=self.firewall_ip,
                )
        return self


class NetworkConfig(ConfigModel):
    """Required. The environment's address space and how it is carved up (see README, IP plan)."""

    address_space: AddressSpace = Field(
        description="Required. The range (or ranges, in order) of this environment; must not overlap other "
        "environments, the hub or on-premises. The first block holds the common VNet. The shipped configs use "
        "a /14 (or two /15) per environment inside 172.16.0.0/12."
    )
    shard_prefix: int = Field(
        default=17,
        ge=8,
        le=24,
        description="Optional. Prefix length of each VNet: the first block is the common VNet, each further "
        "block is one project VNet (shard) holding a fixed range of project ids. Default: 17.",
    )
    project_slot_prefix: int = Field(
        default=23,
        ge=16,
        le=26,
        description="Optional. Prefix length of the address slot every project gets (slot = project id). "
        "Default: 23 (512 addresses).",
    )
    agent_address_space: PrivateCidr | None = Field(
        default=None,
        description="Conditional. Required if address_space is outside 172.16.0.0/12 and 192.168.0.0/16 and "
        "a GenAI project uses AI Foundry agents: AI Foundry agent subnets must come from those ranges. "
        "Default: agent subnets come from the project slot.",
    )
    trusted_ranges: UniqueCidrs = Field(
        default_factory=list,
        description="Optional. Private client ranges (on-premises, VPN) allowed to reach project private "
        "endpoints through the NSGs; they must lie outside the factory's own ranges, or they would open every "
        "project to every other. Default: none (only the project itself and the common VNet).",
    )
    reserved_ranges: list[Cidr] = Field(
        default_factory=list,
        description="Optional. Ranges the factory must never use (on-premises, other landing zones). Default: none.",
    )
    aks_pod_cidr: Cidr = Field(
        default="192.168.0.0/17",
        description="Optional. Pod range of every project's AKS cluster (Azure CNI overlay: private to each "
        "cluster, SNATed on the way out; one /24 per node). Must not overlap any range the pods talk to. "
        "Default: 192.168.0.0/17.",
    )
    aks_service_cidr: Cidr = Field(
        default="192.168.128.0/20",
        description="Optional. Kubernetes service range of every project's AKS cluster; the DNS service takes its "
        "tenth address. Must not overlap any range the cluster talks to. Default: 192.168.128.0/20.",
    )
    hub: HubNetwork | None = Field(default=None, description="Optional. Hub VNet to peer with. Default: none.")
    dns_servers: Annotated[list[DnsServer], AfterValidator(no_duplicates)] = Field(
        default_factory=list,
        description="Optional. DNS servers of every factory VNet, e.g. the hub's DNS Private Resolver inbound "
        "endpoint or firewall DNS proxy (hub mode: the hub's zones resolve there). Default: Azure-provided DNS.",
    )
    power_bi_gateway: bool = Field(
        default=False,
        description="Optional. Create the Power BI VNet data gateway subnet (delegated to "
        "Microsoft.PowerPlatform/vnetaccesslinks) in the common VNet. Default: false.",
    )

    @model_validator(mode="after")
    def _check_layout(self) -> Self:
        blocks = [cidr_value(c) for c in self.address_space]
        shown_blocks = [str(b) for b in blocks]
        for block in blocks:
            if block.prefixlen > self.shard_prefix:
                raise Invalid(
                    f"address_space block {block} is smaller than one VNet (/{self.shard_prefix})",
                    f"use blocks of /{self.shard_prefix} or larger, or a longer shard_prefix",
                    field="address_space",
                    value=shown_blocks,
                )
        clash = overlap_within([("address_space", b) for b in blocks])
        if clash:
            raise Invalid(
                f"address_space blocks {clash[0][1]} and {clash[1][1]} overlap",
                "list each range once",
                field="address_space",
                value=shown_blocks,
            )
        vnets = sum(2 ** (self.shard_prefix - b.prefixlen) for b in blocks if b.prefixlen <= self.shard_prefix)
        if vnets < 2:
            raise Invalid(
                f"shard_prefix /{self.shard_prefix} leaves no room for project VNets in "
                f"{', '.join(str(b) for b in blocks)}",
                f"use a shard_prefix of at least /{blocks[0].prefixlen + 1}, or a larger address_space",
                field="shard_prefix",
                value=self.shard_prefix,
            )
        if self.project_slot_prefix < self.shard_prefix:
            raise Invalid(
                f"project_slot_prefix /{self.project_slot_prefix} is larger than a shard /{self.shard_prefix}",
                "use a project_slot_prefix at least as long as shard_prefix",
                field="project_slot_prefix",
                value=self.project_slot_prefix,
            )
        avoid = [
            (
                (
                    "Docker's default bridge network; containers on jump hosts and build agents could not reach it",
                    "pick a range outside 172.17.0.0/16, e.g. 172.20.0.0/14",
                ),
                _DOCKER_BRIDGE,
            ),
            *(
                (
                    ("a reserved or hub range", "choose an address_space that avoids every reserved and hub range"),
                    cidr_value(r),
                )
                for r in [*self.reserved_ranges, *(self.hub.address_space if self.hub else [])]
            ),
        ]
        hit = first_overlap([(("", ""), b) for b in blocks], avoid)
        if hit:
            (_, block), ((what, fix), forbidden) = hit
            raise Invalid(
                f"address_space {block} overlaps {forbidden}, {what}",
                fix,
                field="address_space",
                value=shown_blocks,
            )
        self._check_trusted_ranges(blocks)
        self._check_aks_ranges()
        return self

    def _check_trusted_ranges(self, blocks: list[netaddr.IPNetwork]) -> None:
        """Trusted clients come from outside: a trusted range inside the factory opens every project to all."""
        own = [("address_space", b) for b in blocks]
        if self.agent_address_space:
            own.append(("agent_address_space", cidr_value(self.agent_address_space)))
        hit = first_overlap([(index, cidr_value(r)) for index, r in enumerate(self.trusted_ranges)], own)
        if hit:
            (index, trusted), (where, block) = hit
            raise Invalid(
                f"overlaps {where} {block}, the factory's own range: the NSGs would let every project (and anything "
                "else in that range) reach every other project's private endpoints",
                "list only client ranges outside the factory (on-premises, VPN); projects already reach their own "
                "ranges and the common VNet",
                field=f"trusted_ranges[{index}]",
                value=str(trusted),
            )

    def _check_aks_ranges(self) -> None:
        """AKS pod and service ranges must not shadow any range the clusters talk to."""
        reachable = {
            "address_space": self.address_space,
            "agent_address_space": [self.agent_address_space] if self.agent_address_space else [],
            "trusted_ranges": self.trusted_ranges,
            "reserved_ranges": self.reserved_ranges,
            "hub.address_space": self.hub.address_space if self.hub else [],
            "aks_pod_cidr": [self.aks_pod_cidr],
        }
        for field in ("aks_pod_cidr", "aks_service_cidr"):
            own = cidr_value(getattr(self, field))
            for other_field, ranges in reachable.items():
                if other_field == field:
                    continue
                for other in ranges:
                    if _overlaps(own, cidr_value(other)):
                        raise Invalid(
                            f"{field} {own} overlaps {other_field} {other}; pods could not reach addresses there",
                            f"set {field} to a private range no network of the factory uses",
                            field=field,
                            value=str(own),
                        )
        for field in ("aks_pod_cidr", "aks_service_cidr"):
            own = cidr_value(getattr(self, field))
            for reserved in AKS_RESERVED_RANGES:
                if _overlaps(own, reserved):
                    raise Invalid(
                        f"{field} {own} overlaps {reserved}, which AKS reserves",
                        "choose a range outside 169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16 and 192.0.2.0/24",
                        field=field,
                        value=str(own),
                    )
        if cidr_value(self.aks_service_cidr).prefixlen < 12:
            raise Invalid(
                "is wider than /12, which AKS refuses for the service range",
                "use a /12 to /24 range",
                field="aks_service_cidr",
                value=self.aks_service_cidr,
            )

    @property
    def aks_dns_service_ip(self) -> str:
        """The cluster DNS service address: the tenth address of the service range."""
        return str(cidr_value(self.aks_service_cidr).network + 10)


def _overlaps(a: netaddr.IPNetwork, b: netaddr.IPNetwork) -> bool:
    return bool(a.first <= b.last and b.first <= a.last)


class DnsHub(ConfigModel):
    """Where the hub's private DNS zones live."""

    subscription_id: Guid = Field(description="Required. Subscription holding the hub's private DNS zones.")
    resource_group: str = Field(min_length=1, max_length=90, description="Required. Resource group of the zones.")


class DnsConfig(ConfigModel):
    """Optional. Private DNS for private endpoints (see README, Network and DNS modes)."""

    mode: DnsMode = Field(
        default="standalone",
        description="Optional. 'standalone' creates every privatelink zone the enabled services need, linked "
        "to the factory VNets; 'hub' uses zones that already exist in a hub. Default: standalone.",
    )
    hub: DnsHub | None = Field(
        default=None,
        description="Conditional. Required in hub mode unless policy_managed_dns is true.",
    )
    policy_managed_dns: bool = Field(
        default=False,
        description="Optional. Hub mode only: create private endpoints without DNS zone groups because a "
        "central Azure Policy writes the records. Default: false.",
    )
    zone_overrides: dict[str, ResourceId] = Field(
        default_factory=dict,
        description="Optional. Zone name -> resource id of an existing zone to use instead. Default: none.",
    )

    @model_validator(mode="after")
    def _check_mode(self) -> Self:
        if self.policy_managed_dns and self.mode != "hub":
            raise Invalid(
                "policy_managed_dns is only meaningful in hub mode",
                "set mode: hub (with the hub's policy owning DNS) or remove policy_managed_dns",
                field="policy_managed_dns",
                value=True,
            )
        if self.mode == "hub" and self.hub is None and not self.policy_managed_dns:
            raise Invalid(
                "hub mode needs to know where the hub's zones are",
                "add hub: {subscription_id: <guid>, resource_group: <rg>} or set policy_managed_dns: true",
                field="hub",
                value=None,
            )
        return self

    @field_validator("zone_overrides")
    @classmethod
    def _known_zones(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(name for name in value if not is_known_zone(name))
        if unknown:
            raise Invalid(
                f"unknown private DNS zone name(s): {', '.join(unknown)}",
                "use zone names from the README's zone table, e.g. 'privatelink.blob.core.windows.net'",
            )
        return value


class CorePrincipal(ConfigModel):
    """An Entra principal of the core team."""

    principal: ObjectId = Field(description="Required. Entra object id.")
    kind: Literal["user", "group", "service_principal"] = Field(
        default="group", description="Optional. Kind of principal. Default: group."
    )


class CoreTeam(ConfigModel):
    """Optional. The core team, by persona (see README, Personas)."""

    platform_admins: list[CorePrincipal] = Field(
        default_factory=list, description="Optional. Run the factory; manage common and project resources."
    )
    data_ops: list[CorePrincipal] = Field(
        default_factory=list, description="Optional. Own the lake master area and publish data to projects."
    )

    @model_validator(mode="after")
    def _one_entry_per_principal(self) -> Self:
        """A principal once per persona, and of one kind: an Entra object id is a user or a group, never both."""
        kinds: dict[str, tuple[str, str]] = {}
        for persona in ("platform_admins", "data_ops"):
            seen: set[str] = set()
            for index, entry in enumerate(getattr(self, persona)):
                where = f"{persona}[{index}]"
                if entry.principal in seen:
                    raise Invalid(
                        f"lists {entry.principal} twice in {persona}; each entry becomes role assignments",
                        "list each principal once per persona",
                        field=f"{where}.principal",
                        value=entry.principal,
                    )
                seen.add(entry.principal)
                first = kinds.setdefault(entry.principal, (entry.kind, where))
                if first[0] != entry.kind:
                    raise Invalid(
                        f"is a {entry.kind} here but a {first[0]} in {first[1]}; one object id is one kind of "
                        "principal, and role assignments would fail for the wrong kind",
                        "give the principal its real kind everywhere",
                        field=f"{where}.kind",
                        value=entry.kind,
                    )
        return self


class NamingConfig(ConfigModel):
    """Optional. Inputs of the naming convention (see README, Naming)."""

    seed: str | None = Field(
        default=None,
        min_length=4,
        max_length=64,
        description="Optional. Seed of the short suffix of globally unique names. Default: the subscription id. "
        "Changing it renames (recreates) every globally unique resource.",
    )
    region_code: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9]{2,5}$",
        description="Optional. Short region code used in names. Default: from the built-in region table.",
    )


class SharedServicesConfig(ConfigModel):
    """Optional. Shared services of the environment."""

    log_retention_days: int = Field(
        default=30, ge=30, le=730, description="Optional. Log Analytics retention. Default: 30."
    )
    key_vault_soft_delete_days: int = Field(
        default=90, ge=7, le=90, description="Optional. Soft-delete retention of Key Vaults. Default: 90."
    )
    bastion: bool = Field(default=False, description="Optional. Azure Bastion (Standard, tunneling). Default: false.")
    jump_host: bool = Field(
        default=False,
        description="Optional. A Linux jump host VM (Entra ID login, no public IP, auto-shutdown). Default: false.",
    )
    jump_host_vm_size: str = Field(
        default="Standard_D2s_v5", pattern=r"^Standard_[A-Za-z0-9_]{1,60}$", description="Optional. Jump host size."
    )
    data_factory: bool = Field(
        default=False, description="Optional. A common Data Factory (managed VNet, private). Default: false."
    )


_SourceName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,40}$")]


class DatalakeConfig(ConfigModel):
    """Optional. The environment's ADLS Gen2 datalake."""

    container: str = Field(
        default="lake",
        pattern=r"^[a-z0-9]([a-z0-9]|-[a-z0-9]){2,62}$",
        max_length=63,
        description="Optional. File system (container) holding the lake layout. Default: lake.",
    )
    redundancy: Literal["LRS", "ZRS", "GRS", "GZRS", "RAGRS", "RAGZRS"] = Field(
        default="ZRS", description="Optional. Storage redundancy. Default: ZRS."
    )
    sources: Annotated[
        list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,40}$")]], AfterValidator(no_duplicates)
    ] = Field(
        default_factory=list,
        description="Optional. Source systems under master/ (master/<source>/in|out). Default: none.",
    )
    soft_delete_days: int = Field(
        default=14, ge=1, le=365, description="Optional. Blob and container soft delete. Default: 14."
    )


class IdentityConfig(ConfigModel):
    """Optional. How project access is expressed in Entra ID."""

    manage_groups: bool = Field(
        default=True,
        description="Optional. Create one Entra security group per project and persona and grant to groups. "
        "Set false when the deploying identity may not create groups: grants then go to each member. "
        "Default: true.",
    )
    lake_traverse_group: ObjectId | None = Field(
        default=None,
        description="Conditional. Required if manage_groups is false: an existing group that holds every "
        "project principal and gets traverse (--x) on the lake's shared folders.",
    )

    @model_validator(mode="after")
    def _check_traverse(self) -> Self:
        if not self.manage_groups and self.lake_traverse_group is None:
            raise Invalid(
                "without managed groups the lake needs an existing traverse group",
                "set lake_traverse_group to the object id of a group that holds all project principals",
                field="lake_traverse_group",
                value=None,
            )
        return self


class ProjectSubscription(ConfigModel):
    """A subscription that holds a contiguous range of project ids (a scale set)."""

    subscription_id: Guid = Field(description="Required. Subscription id.")
    first_id: int = Field(ge=1, le=9999, description="Required. First project id placed here.")
    last_id: int = Field(ge=1, le=9999, description="Required. Last project id placed here.")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.last_id < self.first_id:
            raise Invalid(
                f"last_id {self.last_id} is below first_id {self.first_id}",
                "swap first_id and last_id",
                field="last_id",
                value=self.last_id,
            )
        return self


class StackConfig(ConfigModel):
    """One environment of the factory (the ``aifactory:`` keys of ``Pulumi.<env>.yaml``)."""

    environment: EnvironmentName = Field(description="Required. dev, stage or prod.")
    location: AzureRegion = Field(description="Required. Azure region of every resource, e.g. swedencentral.")
    prefix: FactoryPrefix = Field(description="Required. 2-8 character organisation code used in every name.")
    subscription_id: Guid = Field(description="Required. Subscription of the common resources.")
    tenant_id: Guid = Field(description="Required. Entra tenant id.")
    network: NetworkConfig = Field(description="Required. Address space and how it is carved up.")
    dns: DnsConfig = Field(default_factory=DnsConfig, description="Optional. Private DNS mode. Default: standalone.")
    core_team: CoreTeam = Field(default_factory=CoreTeam, description="Optional. Core team principals by persona.")
    tags: dict[str, str] = Field(default_factory=dict, description="Optional. Tags on every resource.")
    naming: NamingConfig = Field(default_factory=NamingConfig, description="Optional. Naming seed and region code.")
    shared_services: SharedServicesConfig = Field(
        default_factory=SharedServicesConfig,
        description="Optional. Log retention, Key Vault soft delete, Bastion, jump host, common Data Factory.",
    )
    datalake: DatalakeConfig = Field(default_factory=DatalakeConfig, description="Optional. The datalake.")
    identity: IdentityConfig = Field(
        default_factory=IdentityConfig, description="Optional. Entra groups per persona, or direct grants."
    )
    project_subscriptions: list[ProjectSubscription] = Field(
        default_factory=list,
        description="Optional. Subscriptions for ranges of project ids (scale sets); ranges must align with "
        "network shards. Default: every project in subscription_id.",
    )
    protect_stateful: bool | None = Field(
        default=None,
        description="Optional. Protect and lock stateful resources. Default: true in stage and prod, false in dev.",
    )
    keep_provider_aliases: bool = Field(
        default=False,
        description="Optional. Keep azure-native's API-version aliases on every resource. Only stacks migrating "
        "state from old provider versions need them; they make each registration ~10x slower. Default: false.",
    )
    projects_dir: str = Field(
        default="projects",
        description="Optional. Folder of project YAML files, relative to the folder of Pulumi.yaml and inside it. "
        "Default: projects.",
    )

    @field_validator("projects_dir")
    @classmethod
    def _relative_inside(cls, value: str) -> str:
        parts = value.replace("\\", "/").split("/")
        if not _RELATIVE_PATH.match(value) or ".." in parts or value.startswith("/"):
            raise Invalid(
                "must be a relative path inside the repository (letters, digits, '-', '_', '.', '/'; no '..')",
                "use a folder such as 'projects' or 'config/projects'",
            )
        return value.rstrip("/")

    guardrails: GuardrailsConfig = Field(
        default_factory=GuardrailsConfig,
        description="Optional. Reasoned exceptions to guardrail rules (docs/guardrails.md). Default: none.",
    )
    defender: DefenderConfig = Field(
        default_factory=DefenderConfig,
        description="Optional. Microsoft Defender for Cloud plans per subscription and Defender for AI per account "
        "(docs/defender.md). Default: none.",
    )
    layout: LayoutSetting = Field(
        default_factory=LayoutConfig,
        description="Optional. single (one stack holds everything) or sharded (a common stack plus one stack per "
        "project); see README, Layouts. Default: single.",
    )

    @field_validator("tags")
    @classmethod
    def _check_tags(cls, tags: dict[str, str]) -> dict[str, str]:
        if len(tags) > 30:
            raise Invalid(
                f"{len(tags)} tags leave no room for the factory's own tags (Azure allows 50)",
                "keep at most 30 stack tags",
            )
        for name, value in tags.items():
            if not name or len(name) > 512 or _TAG_NAME_FORBIDDEN & set(name):
                raise Invalid(
                    f"tag name {shown(name)} is not allowed by Azure",
                    "use 1-512 characters without < > % & \\ ? /",
                )
            if len(str(value)) > 256:
                raise Invalid(f"tag {shown(name)} has a value over 256 characters", "shorten the value")
        return tags

    @model_validator(mode="after")
    def _check_subscriptions(self) -> Self:
        per_shard = 2 ** (self.network.project_slot_prefix - self.network.shard_prefix)
        for index, placement in enumerate(self.project_subscriptions):
            if (placement.first_id - 1) % per_shard or placement.last_id % per_shard:
                raise Invalid(
                    f"project id range {placement.first_id}-{placement.last_id} does not align with the network "
                    f"shards of {per_shard} ids (1-{per_shard}, {per_shard + 1}-{2 * per_shard}, ...); a shard's "
                    "VNet and its projects must share one subscription",
                    f"start ranges at 1 + a multiple of {per_shard} and end them at a multiple of {per_shard}",
                    field=f"project_subscriptions[{index}]",
                    value=f"{placement.first_id}-{placement.last_id}",
                )
        ranges = sorted(self.project_subscriptions, key=lambda s: s.first_id)
        for before, after in itertools.pairwise(ranges):
            if after.first_id <= before.last_id:
                raise Invalid(
                    f"project id ranges {before.first_id}-{before.last_id} and {after.first_id}-{after.last_id} "
                    "overlap",
                    "give every project id range to exactly one subscription",
                    field="project_subscriptions",
                    value=f"{after.first_id}-{after.last_id}",
                )
        return self

    @property
    def protect(self) -> bool:
        """Whether stateful resources are protected and locked in this environment."""
        if self.protect_stateful is not None:
            return self.protect_stateful
        return self.environment in ("stage", "prod")

    def subscription_for_project(self, project_id: int) -> str:
        """The subscription that holds a project (its scale set), by id range."""
        for placement in self.project_subscriptions:
            if placement.first_id <= project_id <= placement.last_id:
                return placement.subscription_id
        return self.subscription_id

    @property
    def subscriptions(self) -> list[str]:
        """Every subscription the stack deploys to, the common one first."""
        others = [p.subscription_id for p in self.project_subscriptions if p.subscription_id != self.subscription_id]
        return [self.subscription_id, *dict.fromkeys(others)]
