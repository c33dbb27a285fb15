"""Which Microsoft Defender for Cloud plans each subscription of the stack gets (pure).

From ``aifactory:defender`` (:class:`~aifactory.config.defender.DefenderConfig`): every plan switched
on becomes one ``Microsoft.Security/pricings`` entry at the Standard tier in every subscription the
stack deploys to (:attr:`StackConfig.subscriptions`), with the plan's sub-plan and extensions as
Microsoft Learn and the provider document them:

- ``servers``: ``VirtualMachines`` with sub-plan ``P1`` or ``P2``;
- ``storage``: ``StorageAccounts`` with sub-plan ``DefenderForStorageV2`` and the extensions
  ``OnUploadMalwareScanning`` (capped in GB per account and month) and ``SensitiveDataDiscovery``;
- ``key_vault``: ``KeyVaults`` with sub-plan ``PerKeyVault``;
- ``containers``: ``Containers``; ``cosmos_db``: ``CosmosDbs``;
- ``ai_services``: ``AI``, with the ``AIPromptEvidence`` extension when ``ai_prompt_evidence``.

Logical names carry the subscription id and the pricing name, so adding a subscription or a plan
never renames another entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from aifactory.config.defender import DefenderConfig
from aifactory.config.stack import StackConfig

__all__ = ["PlannedExtension", "PlannedPricing", "PricingName", "plan_defender"]

PricingName = Literal["VirtualMachines", "StorageAccounts", "KeyVaults", "Containers", "CosmosDbs", "AI"]


@dataclass(frozen=True)
class PlannedExtension:
    """An extension of a Defender plan, on, with its properties (``CapGBPerMonthPerStorageAccount``)."""

    name: str
    properties: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "properties", MappingProxyType(dict(self.properties)))


@dataclass(frozen=True)
class PlannedPricing:
    """One Defender plan at the Standard tier in one subscription."""

    subscription_id: str
    pricing_name: PricingName
    sub_plan: str | None
    extensions: tuple[PlannedExtension, ...]

    @property
    def logical_name(self) -> str:
        return f"defender-{self.pricing_name.lower()}-{self.subscription_id}"

    @property
    def scope_id(self) -> str:
        return f"/subscriptions/{self.subscription_id}"


def _plans(config: DefenderConfig) -> list[tuple[PricingName, str | None, tuple[PlannedExtension, ...]]]:
    plans: list[tuple[PricingName, str | None, tuple[PlannedExtension, ...]]] = []
    if config.servers != "off":
        plans.append(("VirtualMachines", config.servers, ()))
    if config.storage:
        extensions = [PlannedExtension("SensitiveDataDiscovery")]
        if config.storage_malware_scanning_gb is not None:
            cap = {"CapGBPerMonthPerStorageAccount": str(config.storage_malware_scanning_gb)}
            extensions.insert(0, PlannedExtension("OnUploadMalwareScanning", cap))
        plans.append(("StorageAccounts", "DefenderForStorageV2", tuple(extensions)))
    if config.key_vault:
        plans.append(("KeyVaults", "PerKeyVault", ()))
    if config.containers:
        plans.append(("Containers", None, ()))
    if config.cosmos_db:
        plans.append(("CosmosDbs", None, ()))
    if config.ai_services:
        evidence = (PlannedExtension("AIPromptEvidence"),) if config.ai_prompt_evidence else ()
        plans.append(("AI", None, evidence))
    return plans


def plan_defender(stack: StackConfig) -> tuple[PlannedPricing, ...]:
    """Every Defender plan of every subscription of the stack, the common subscription first."""
    plans = _plans(stack.defender)
    return tuple(
        PlannedPricing(subscription, name, sub_plan, extensions)
        for subscription in stack.subscriptions
        for name, sub_plan, extensions in plans
    )
