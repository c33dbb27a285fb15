"""Which Azure service instances may reach a project's private storage account from outside its network.

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
- Foundry (AI Services) account: "use your data" and file uploads read the project storage with the
  account's identity.

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

__all__ = ["TRUSTED_STORAGE_CLIENTS", "TrustedInstance", "storage_trusted_instances"]

TRUSTED_STORAGE_CLIENTS: MappingProxyType[ServiceName, str] = MappingProxyType(
    {
        "machine_learning": "Microsoft.MachineLearningServices/workspaces",
        "ai_search": "Microsoft.Search/searchServices",
        "ai_foundry": "Microsoft.CognitiveServices/accounts",
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
