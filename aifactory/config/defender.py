"""``aifactory:defender``: which Microsoft Defender for Cloud plans the stack turns on.

Defender plans are priced per subscription (``Microsoft.Security/pricings``), so each plan switched
on here is set to the Standard tier once in every subscription the stack deploys to (the common
one and every project subscription). A plan left off is not touched: a security team that manages
Defender centrally keeps its settings. ``ai_accounts`` is the per-resource alternative for AI:
Defender for AI services on each AI account the factory creates (the Foundry accounts and the
standalone OpenAI, Content Safety, Document Intelligence, Speech and Vision accounts) instead of
the whole subscription.

Every plan costs money per protected resource (docs/defender.md lists what each one bills).
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from aifactory.config.base import ConfigModel
from aifactory.errors import Invalid

__all__ = ["DefenderConfig", "ServersPlan"]

ServersPlan = Literal["off", "P1", "P2"]


class DefenderConfig(ConfigModel):
    """Microsoft Defender for Cloud plans per subscription of the stack, and Defender for AI per account."""

    servers: ServersPlan = Field(
        default="off",
        description="Optional. Defender for Servers on every subscription: off, P1 or P2. Default: off.",
    )
    storage: bool = Field(
        default=False,
        description="Optional. Defender for Storage (DefenderForStorageV2) on every subscription. Default: false.",
    )
    storage_malware_scanning_gb: int | None = Field(
        default=5000,
        ge=1,
        le=1_000_000,
        description="Optional. With storage on: on-upload malware scanning, capped at this many GB per storage "
        "account and month; null turns malware scanning off. Default: 5000.",
    )
    key_vault: bool = Field(
        default=False, description="Optional. Defender for Key Vault (per vault) on every subscription. Default: false."
    )
    containers: bool = Field(
        default=False, description="Optional. Defender for Containers on every subscription. Default: false."
    )
    cosmos_db: bool = Field(
        default=False, description="Optional. Defender for Azure Cosmos DB on every subscription. Default: false."
    )
    ai_services: bool = Field(
        default=False,
        description="Optional. Defender for AI services (threat protection) on every subscription. Default: false.",
    )
    ai_prompt_evidence: bool = Field(
        default=False,
        description="Optional. With ai_services on: suspicious prompt and response snippets as alert evidence "
        "(the AIPromptEvidence extension of the subscription plan). Default: false.",
    )
    ai_accounts: bool = Field(
        default=False,
        description="Optional. Defender for AI services on each AI account the factory creates instead of the "
        "subscription plan. Default: false.",
    )

    @model_validator(mode="after")
    def _one_ai_scope(self) -> Self:
        if self.ai_services and self.ai_accounts:
            raise Invalid(
                "ai_services (every AI resource of each subscription) and ai_accounts (each factory account) both "
                "turn Defender for AI on; per-account settings under a subscription plan only repeat it",
                "keep ai_services: true and drop ai_accounts, or the reverse",
                field="ai_accounts",
                value=True,
            )
        if self.ai_prompt_evidence and not self.ai_services:
            raise Invalid(
                "ai_prompt_evidence is an extension of the subscription plan for AI services, which is off",
                "set ai_services: true, or drop ai_prompt_evidence",
                field="ai_prompt_evidence",
                value=True,
            )
        return self
