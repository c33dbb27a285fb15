"""DefenderPlans: the stack's Microsoft Defender for Cloud plans, once per subscription.

Each planned plan (:func:`aifactory.plan.defender.plan_defender`) is a ``security.Pricing`` at the
Standard tier, created through the provider of its own subscription. Plans the stack leaves off are
not written at all, so a security team that manages Defender centrally keeps its settings.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import security

from aifactory.components.base import FactoryComponent
from aifactory.components.interfaces import ProviderLookup
from aifactory.plan.defender import PlannedPricing

__all__ = ["DefenderPlans", "DefenderPlansArgs"]


@dataclass(frozen=True)
class DefenderPlansArgs:
    """The planned plans and the provider of each subscription."""

    plans: tuple[PlannedPricing, ...]
    providers: ProviderLookup


class DefenderPlans(FactoryComponent):
    """One ``security.Pricing`` per planned plan and subscription (``pricings`` by logical name)."""

    def __init__(self, name: str, args: DefenderPlansArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:security:DefenderPlans", name, opts)
        self.pricings: dict[str, security.Pricing] = {}
        for planned in args.plans:
            self.pricings[planned.logical_name] = security.Pricing(
                planned.logical_name,
                pricing_name=planned.pricing_name,
                scope_id=planned.scope_id,
                pricing_tier=security.PricingTier.STANDARD,
                sub_plan=planned.sub_plan,
                extensions=[
                    security.ExtensionArgs(
                        name=extension.name,
                        is_enabled=security.IsEnabled.TRUE,
                        additional_extension_properties=dict(extension.properties) or None,
                    )
                    for extension in planned.extensions
                ]
                or None,
                opts=self.child_opts(provider=args.providers(planned.subscription_id)),
            )
        self.register_outputs({"plans": sorted(self.pricings)})
