"""Typed contracts between components: what the common environment hands to every project.

Components exchange these small records instead of dicts of unknown shape; every field is an
Azure id or name a project needs, never a resource object it could mutate.

:class:`CommonOutputs` is also the contract between stacks in the sharded layout: the common
stack exports it as one stack output (:func:`export_common_outputs`, JSON data only) and each
project stack rebuilds it from a ``StackReference`` (:func:`common_outputs_from_reference`). What a
project stack reads is decided by the plan (:func:`common_keys`), so a missing or malformed value
fails with a message naming the output, the key and what to do, before anything uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_azure_native as azure_native

from aifactory.components.datalake import LakeRef
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.rbac.model import scope_key
from aifactory.plan.rbac.principals import LAKE_TRAVERSE_KEY
from aifactory.services.storage import DATALAKE_QUALIFIER

__all__ = [
    "COMMON_OUTPUT",
    "CONTRACT_VERSION",
    "CommonKeys",
    "CommonOutputs",
    "ProviderLookup",
    "common_keys",
    "common_outputs_from_reference",
    "export_common_outputs",
]

ProviderLookup = Callable[[str], azure_native.Provider]
"""The azure-native provider for a subscription id."""

COMMON_OUTPUT = "common"
"""The stack output of the common stack that holds :class:`CommonOutputs` as JSON data."""

CONTRACT_VERSION = 1
"""Bumped whenever the shape of the ``common`` output changes incompatibly."""

_MAPPINGS = ("vnet_ids", "zone_ids", "scopes", "principals")
"""The mappings the ``common`` output carries. Subnet ids are not among them: a subnet's id is its
VNet's id with ``/subnets/<name>`` (ARM's id of a child resource), so a project stack composes
its own from the VNet ids and its planned subnet names. That keeps the output the same size
whatever the number of projects, and every project stack reads all of it."""
_IDS = ("resource_group_name", "log_analytics_workspace_id", "container_registry_id", "key_vault_id")
_LAKE = ("account_id", "filesystem_name", "dfs_endpoint")


@dataclass(frozen=True)
class CommonOutputs:
    """What the environment's common part gives projects.

    ``subnet_ids`` keys are ``<workload>/<subnet key>`` (``common/private_endpoints``,
    ``p007/compute``); ``zone_ids`` maps concrete private DNS zone names to zone ids;
    ``scopes`` maps common RBAC scope keys (``common/container_registry``, ...) to resource ids.
    """

    resource_group_name: pulumi.Output[str]
    log_analytics_workspace_id: pulumi.Output[str]
    container_registry_id: pulumi.Output[str]
    container_registry_name: str
    key_vault_id: pulumi.Output[str]
    lake: LakeRef
    subnet_ids: Mapping[str, pulumi.Output[str]]
    vnet_ids: Mapping[str, pulumi.Output[str]]
    zone_ids: Mapping[str, pulumi.Input[str]]
    scopes: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    principals: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class CommonKeys:
    """The keys of :class:`CommonOutputs`' mappings that projects read, as the plan decides them;
    ``subnet_ids`` maps each subnet key to its VNet's key and its name; ``existing_subnet_ids`` holds
    the ids of the subnets the network team brings (from the stack config, used verbatim)."""

    subnet_ids: Mapping[str, tuple[str, str]]
    vnet_ids: tuple[str, ...]
    zone_ids: tuple[str, ...]
    scopes: tuple[str, ...]
    principals: tuple[str, ...]
    existing_subnet_ids: Mapping[str, str] = field(default_factory=dict)

    def of(self, mapping: str) -> tuple[str, ...]:
        keys: tuple[str, ...] = tuple(getattr(self, mapping))
        return keys


def common_keys(plan: FactoryPlan, project_ids: Iterable[int] | None = None) -> CommonKeys:
    """What the common part provides to ``project_ids`` (every project when None).

    Common subnets and every VNet, zone, common scope and common principal, plus the subnets of
    the given projects: exactly what :class:`CommonEnvironment` builds for them.
    """
    wanted = None if project_ids is None else set(project_ids)
    common_vnet = plan.ip_plan.common.key
    needed = [(f"common/{s.key}", common_vnet, s) for s in plan.ip_plan.common_subnets if s.needed]
    needed.extend(
        (f"{p.key}/{s.key}", p.network.vnet_key, s)
        for p in plan.projects
        if wanted is None or p.spec.id in wanted
        for s in p.network.needed_subnets
    )
    subnets = {key: (vnet, s.name) for key, vnet, s in needed}
    existing = {key: s.existing_id for key, _, s in needed if s.existing_id is not None}
    vnets = [plan.ip_plan.common.key, *(s.key for s in plan.ip_plan.shards)]
    zones = [*plan.dns.existing_zone_ids, *(plan.dns.zones_to_create if plan.dns.mode == "standalone" else ())]
    scopes = [
        scope_key("common", "resource_group"),
        *(scope_key("common", f"network/{key}") for key in vnets),
        *(key for service in plan.common_services for key in service.scope_keys),
    ]
    access = plan.access
    principals = [ref.key for ref in access.core_principals if ref.object_id]
    if access.lake_traverse_group is not None or access.lake_traverse.object_id:
        principals.append(LAKE_TRAVERSE_KEY)
    principals.extend(group.ref.key for group in access.common_groups)
    return CommonKeys(
        subnet_ids=subnets,
        vnet_ids=tuple(vnets),
        zone_ids=tuple(dict.fromkeys(zones)),
        scopes=tuple(scopes),
        principals=tuple(dict.fromkeys(principals)),
        existing_subnet_ids=existing,
    )


def export_common_outputs(common: CommonOutputs) -> dict[str, Any]:
    """The ``common`` stack output: every field of ``common`` as JSON data (ids and names)."""
    lake = common.lake
    return {
        "contract": CONTRACT_VERSION,
        **{name: getattr(common, name) for name in _IDS},
        "container_registry_name": common.container_registry_name,
        "lake": {
            "account_id": lake.account_id,
            "account_name": lake.account_name,
            "filesystem_name": lake.filesystem_name,
            "dfs_endpoint": lake.dfs_endpoint,
        },
        **{name: dict(getattr(common, name)) for name in _MAPPINGS},
    }


@dataclass(frozen=True)
class _Names:
    """Names both stacks compute from the same plan; the common stack's must match."""

    container_registry_name: str
    lake_account_name: str

    @staticmethod
    def of(plan: FactoryPlan) -> _Names:
        return _Names(
            container_registry_name=plan.namer.common("container_registry"),
            lake_account_name=plan.namer.common("storage_account", DATALAKE_QUALIFIER),
        )


def common_outputs_from_reference(
    reference: pulumi.StackReference,
    plan: FactoryPlan,
    keys: CommonKeys,
    lake_provider: pulumi.ProviderResource,
    where: str,
) -> CommonOutputs:
    """:class:`CommonOutputs` read from the common stack's ``common`` output.

    ``where`` names the referenced stack in messages. The whole output is checked once against
    ``keys`` and the plan's names; every problem is reported together in one ``RunError``.
    ``subnet_ids`` holds the subnets ``keys`` names, composed from their VNet's id.
    """
    names = _Names.of(plan)
    data: pulumi.Output[_Checked] = reference.outputs.apply(
        lambda outputs: _Checked(_checked((outputs or {}).get(COMMON_OUTPUT), keys, names, where))
    )

    def value(*path: str) -> pulumi.Output[str]:
        def pick(checked: _Checked) -> str:
            found: Any = checked.document
            for part in path:
                found = found[part]
            return str(found)

        return data.apply(pick)

    lake = LakeRef(
        account_id=value("lake", "account_id"),
        account_name=names.lake_account_name,
        filesystem_name=value("lake", "filesystem_name"),
        dfs_endpoint=value("lake", "dfs_endpoint"),
        provider=lake_provider,
        projects_folder=None,
    )
    mappings = {name: {key: value(name, key) for key in keys.of(name)} for name in _MAPPINGS}
    vnet_ids = mappings["vnet_ids"]
    # A brought subnet's id is the stack config's, verbatim in both layouts (so moving a project
    # between layouts changes no input); the others are composed from their VNet's id.
    subnet_ids = {
        key: pulumi.Output.from_input(keys.existing_subnet_ids[key])
        if key in keys.existing_subnet_ids
        else _child_id(vnet_ids[vnet], "subnets", name)
        for key, (vnet, name) in keys.subnet_ids.items()
    }
    return CommonOutputs(
        resource_group_name=value("resource_group_name"),
        log_analytics_workspace_id=value("log_analytics_workspace_id"),
        container_registry_id=value("container_registry_id"),
        container_registry_name=names.container_registry_name,
        key_vault_id=value("key_vault_id"),
        lake=lake,
        subnet_ids=subnet_ids,
        vnet_ids=vnet_ids,
        zone_ids=mappings["zone_ids"],
        scopes=mappings["scopes"],
        principals=mappings["principals"],
    )


def _child_id(parent_id: pulumi.Output[str], collection: str, name: str) -> pulumi.Output[str]:
    """ARM's id of a child resource: its parent's id, the child collection and its name."""
    return parent_id.apply(lambda parent: f"{parent}/{collection}/{name}")


@dataclass(frozen=True)
class _Checked:
    """The checked ``common`` output, held in one opaque value: the SDK walks every dict an ``apply``
    returns, and a project stack reads this one about sixty times."""

    document: dict[str, Any]


def _checked(document: object, keys: CommonKeys, names: _Names, where: str) -> dict[str, Any]:
    """``document`` if it is a complete ``common`` output for ``keys``; else a RunError listing every gap."""
    fix = (
        f"fix: run `pulumi up` on {where} first (it exports what its project stacks read), from the same stack file "
        "and project files; if the common stack lives elsewhere, name its organization and project in "
        "aifactory:layout"
    )
    if not isinstance(document, dict):
        found = "no output" if document is None else f"an output of type {type(document).__name__}"
        raise pulumi.RunError(f"the common stack {where} has {found} {COMMON_OUTPUT!r}\n{fix}")
    problems: list[str] = []
    if document.get("contract") != CONTRACT_VERSION:
        problems.append(
            f"{COMMON_OUTPUT}.contract is {document.get('contract')!r}; this program reads version {CONTRACT_VERSION}"
        )
    lake = document.get("lake")
    if not isinstance(lake, dict):
        problems.append(f"{COMMON_OUTPUT}.lake is {lake!r}, not a mapping")
        lake = {}
    values = {
        **{name: document.get(name) for name in _IDS},
        **{f"lake.{name}": lake.get(name) for name in _LAKE if lake},
    }
    problems.extend(_bad_ids(values.items()))
    planned = {
        "container_registry_name": (document.get("container_registry_name"), names.container_registry_name),
        "lake.account_name": (lake.get("account_name"), names.lake_account_name),
    }
    for path, (exported, expected) in planned.items():
        if lake and exported != expected:
            problems.append(
                f"{COMMON_OUTPUT}.{path} is {exported!r}, but this stack's plan names it {expected!r} (the common "
                "stack was deployed with other settings)"
            )
    for name in _MAPPINGS:
        mapping = document.get(name)
        if not isinstance(mapping, dict):
            problems.append(f"{COMMON_OUTPUT}.{name} is {mapping!r}, not a mapping")
            continue
        missing = [key for key in keys.of(name) if key not in mapping]
        if missing:
            shown = ", ".join(repr(k) for k in missing[:4]) + (
                f" and {len(missing) - 4} more" if len(missing) > 4 else ""
            )
            problems.append(f"{COMMON_OUTPUT}.{name} has no {shown}")
        problems.extend(_bad_ids((f"{name}[{key!r}]", mapping[key]) for key in keys.of(name) if key in mapping))
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise pulumi.RunError(
            f"the common stack {where} does not provide what this project stack reads:\n{listed}\n{fix}"
        )
    return document


def _bad_ids(values: Iterable[tuple[str, object]]) -> list[str]:
    """A problem for every value that is missing or not a non-empty string (an Azure id or name)."""
    problems = []
    for path, value in values:
        if value is None:
            problems.append(f"{COMMON_OUTPUT}.{path} is missing")
        elif not isinstance(value, str) or not value:
            problems.append(f"{COMMON_OUTPUT}.{path} is {value!r}, not an Azure id or name")
    return problems
