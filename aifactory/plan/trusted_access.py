"""Which Azure service instances may reach a project's storage from outside its network, and what its AI
accounts may call.

Storage accounts deny every network but their private endpoints, and the ALZ guardrail
``Deny-Storage-NetworkAclsBypass`` forbids the blanket "trusted Azure services" bypass. Some
services of the project reach the account from Azure's own network, authenticated by their
managed identity, so each gets a *resource-instance rule*: an exception for exactly one resource
id in the factory's tenant (no wildcards, which ``Deny-Storage-ResourceAccessRulesResourceId``
refuses). Microsoft documents the instance rule for each:

- Azure Machine Learning workspace: the studio and the workspace's own service read the default
  storage with the workspace identity ("Secure Azure Machine Learning workspace resources using
  virtual networks", storage account: resource instance ``Microsoft.MachineLearningServices/Workspace``);
- Azure AI Search: indexers read blobs with the search service's identity ("Make indexer
  connections through the trusted service exception" / resource instances);
- Foundry (AI Services) account and the standalone AI accounts: "use your data", file uploads, batch
  transcription, batch document analysis and OpenAI batch or fine-tuning files read the project
  storage with the account's identity.

The ids are composed from planned names (subscription, resource group, service name), so the rule
exists on the first run and names only the project's own instances: adding or removing a project
never changes another project's storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aifactory.plan.naming import Namer
    from aifactory.services.registry import ServiceName

__all__ = [
    "AI_OUTBOUND_TARGETS",
    "TRUSTED_STORAGE_CLIENTS",
    "TrustedInstance",
    "ai_outbound_fqdns",
    "storage_trusted_instances",
]

TRUSTED_STORAGE_CLIENTS: MappingProxyType[ServiceName, str] = MappingProxyType(
    {
        "machine_learning": "Microsoft.MachineLearningServices/workspaces",
        "ai_search": "Microsoft.Search/searchServices",
        "ai_foundry": "Microsoft.CognitiveServices/accounts",
        "openai": "Microsoft.CognitiveServices/accounts",
        "content_safety": "Microsoft.CognitiveServices/accounts",
        "document_intelligence": "Microsoft.CognitiveServices/accounts",
        "speech": "Microsoft.CognitiveServices/accounts",
        "vision": "Microsoft.CognitiveServices/accounts",
    }
)
"""The project services that read its storage through a resource-instance rule, with their ARM type."""


@dataclass(frozen=True)
class TrustedInstance:
    """One resource-instance rule: the service, its resource id and the tenant it lives in."""

    service: ServiceName
    resource_id: str
    tenant_id: str


def storage_trusted_instances(
    *,
    project_id: int,
    project_name: str,
    services: tuple[tuple[ServiceName, str], ...],
    subscription_id: str,
    tenant_id: str,
    namer: Namer,
) -> tuple[TrustedInstance, ...]:
    """The resource-instance rules of a project's storage: one per enabled trusted client.

    ``services`` are the project's instances as (service, Azure name) pairs, in plan order.
    """
    group = namer.project("resource_group", project_id, project_name)
    return tuple(
        TrustedInstance(
            service=service,
            resource_id=(
                f"/subscriptions/{subscription_id}/resourceGroups/{group}/providers/"
                f"{TRUSTED_STORAGE_CLIENTS[service]}/{azure_name}"
            ),
            tenant_id=tenant_id,
        )
        for service, azure_name in services
        if service in TRUSTED_STORAGE_CLIENTS
    )


AI_OUTBOUND_TARGETS: MappingProxyType[ServiceName, str] = MappingProxyType(
    {
        "storage": "blob.core.windows.net",
        "ai_search": "search.windows.net",
        "cosmos_db": "documents.azure.com",
    }
)
"""The project services an AI account calls with its identity, with their endpoint's DNS suffix (public cloud)."""


def ai_outbound_fqdns(services: tuple[tuple[ServiceName, str], ...]) -> tuple[str, ...]:
    """The only hosts a project's AI account may call (``restrictOutboundNetworkAccess``, ALZ
    ``Deny-CognitiveServices-RestrictOutboundNetworkAccess``): the project's own storage, search and
    Cosmos DB endpoints, which "use your data", file uploads and the agents' standard setup read with
    the account's identity (Microsoft Learn, "Configure data loss prevention for Azure AI services").

    ``services`` are the project's instances as (service, Azure name) pairs, in plan order.
    """
    return tuple(
        f"{azure_name}.{AI_OUTBOUND_TARGETS[service]}"
        for service, azure_name in services
        if service in AI_OUTBOUND_TARGETS
    )
