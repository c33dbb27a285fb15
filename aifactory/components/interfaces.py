"""Typed contracts between components: what the common environment hands to every project.

Components exchange these small records instead of dicts of unknown shape; every field is an
Azure id or name a project needs, never a resource object it could mutate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_azure_native as azure_native

from aifactory.components.datalake import LakeRef

__all__ = ["CommonOutputs", "ProviderLookup"]

ProviderLookup = Callable[[str], azure_native.Provider]
"""The azure-native provider for a subscription id."""


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
