"""What each built-in role the factory assigns lets a principal do, in the seven actions the access model judges.

The actions are the ones that decide isolation: reading and writing data, pulling and pushing images,
changing network settings (public access, firewalls, private endpoints, subnets, DNS), deleting
resources and assigning roles. Each row summarises the role's ``actions`` / ``dataActions`` from
Microsoft's "Azure built-in roles" reference (learn.microsoft.com/azure/role-based-access-control/
built-in-roles/<category>, and the service pages named in ``basis``), conservatively: a role that can
re-enable keys or reconfigure a resource counts as able to change its network settings.

``kinds`` limits a data role to the resource kinds it has data actions on (Storage Blob Data Reader
reads storage, not a Key Vault, even when assigned at resource-group scope); None means any resource
under the scope. :mod:`aifactory.plan.rbac.evaluator` combines this table with scope containment and
the conditions of the planned assignments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, get_args

from aifactory.catalog.roles import ROLES

__all__ = ["ACTIONS", "ROLE_ACTIONS", "Action", "RoleActions", "actions_of"]

Action = Literal[
    "read_data", "write_data", "pull_images", "push_images", "change_network", "delete_resources", "assign_roles"
]
ACTIONS: tuple[Action, ...] = get_args(Action)

_STORAGE = frozenset({"storage", "datalake"})
_AI_ACCOUNTS = frozenset({"ai_foundry", "openai", "content_safety", "document_intelligence", "speech", "vision"})


@dataclass(frozen=True)
class RoleActions:
    """The actions a role grants, on which resource kinds (None: any), and the definition it summarises."""

    actions: frozenset[Action]
    kinds: frozenset[str] | None
    basis: str


def _on(kinds: frozenset[str] | str | None, basis: str, *actions: Action) -> RoleActions:
    scope = frozenset({kinds}) if isinstance(kinds, str) else kinds
    return RoleActions(frozenset(actions), scope, basis)


_EVERYTHING_BUT_ROLES: tuple[Action, ...] = (
    "read_data",
    "write_data",
    "pull_images",
    "push_images",
    "change_network",
    "delete_resources",
)

ROLE_ACTIONS: Mapping[str, RoleActions] = MappingProxyType(
    {
        # General (built-in-roles/general)
        "Owner": _on(None, "actions *", *ACTIONS),
        "Contributor": _on(
            None,
            "actions *; notActions Microsoft.Authorization/*/Delete, */Write, elevateAccess: reconfigures and deletes "
            "anything, lists keys",
            *_EVERYTHING_BUT_ROLES,
        ),
        "Reader": _on(None, "actions */read: settings only, no data actions"),
        "User Access Administrator": _on(None, "actions Microsoft.Authorization/*", "assign_roles"),
        "Role Based Access Control Administrator": _on(
            None,
            "actions Microsoft.Authorization/roleAssignments/write, /delete (with the assignment's condition)",
            "assign_roles",
        ),
        # Storage (built-in-roles/storage)
        "Storage Blob Data Owner": _on(
            _STORAGE, "dataActions blobServices/containers/blobs/* (+ ACLs)", "read_data", "write_data"
        ),
        "Storage Blob Data Contributor": _on(
            _STORAGE, "dataActions blobs read/write/delete/move/add", "read_data", "write_data"
        ),
        "Storage Blob Data Reader": _on(_STORAGE, "dataActions containers/blobs/read", "read_data"),
        "Storage File Data Privileged Contributor": _on(
            _STORAGE, "dataActions fileshares/files/* (read/write)", "read_data", "write_data"
        ),
        "Storage File Data Privileged Reader": _on(_STORAGE, "dataActions fileshares/files/read", "read_data"),
        "Storage Queue Data Contributor": _on(_STORAGE, "dataActions queues/messages/*", "read_data", "write_data"),
        "Storage Table Data Contributor": _on(_STORAGE, "dataActions tables/entities/*", "read_data", "write_data"),
        "Storage Queue Data Reader": _on(_STORAGE, "dataActions queues/messages/read", "read_data"),
        "Storage Table Data Reader": _on(_STORAGE, "dataActions tables/entities/read", "read_data"),
        # Key Vault (built-in-roles/security)
        "Key Vault Administrator": _on(
            "key_vault", "dataActions Microsoft.KeyVault/vaults/*", "read_data", "write_data"
        ),
        "Key Vault Secrets Officer": _on("key_vault", "dataActions vaults/secrets/*", "read_data", "write_data"),
        "Key Vault Secrets User": _on(
            "key_vault", "dataActions vaults/secrets/getSecret/action, readMetadata", "read_data"
        ),
        "Key Vault Reader": _on("key_vault", "dataActions */readMetadata/action: names only, no values"),
        # Containers (built-in-roles/containers; container-registry-rbac-built-in-roles-directory-reference)
        "AcrPull": _on("container_registry", "actions registries/pull/read", "pull_images"),
        "AcrPush": _on("container_registry", "actions registries/pull/read, push/write", "pull_images", "push_images"),
        "Container Registry Repository Reader": _on(
            "container_registry", "dataActions repositories/content/read, metadata/read (ABAC-enabled)", "pull_images"
        ),
        "Container Registry Repository Writer": _on(
            "container_registry",
            "dataActions repositories/content/read+write, metadata/read+write (ABAC-enabled)",
            "pull_images",
            "push_images",
        ),
        "Azure Kubernetes Service Cluster User Role": _on(
            "aks", "actions managedClusters/listClusterUserCredential/action: a kubeconfig, no Kubernetes rights"
        ),
        "Azure Kubernetes Service RBAC Admin": _on(
            "aks", "dataActions managedClusters/* (namespaces)", "read_data", "write_data"
        ),
        "Azure Kubernetes Service RBAC Writer": _on(
            "aks", "dataActions apps, batch, core objects read/write", "read_data", "write_data"
        ),
        "Azure Kubernetes Service RBAC Reader": _on("aks", "dataActions most objects read (no secrets)", "read_data"),
        "Container Apps Contributor": _on(
            "container_apps", "actions Microsoft.App/*: environments and apps, ingress included", *_EVERYTHING_BUT_ROLES
        ),
        "Container Apps Operator": _on("container_apps", "actions Microsoft.App/*/read, logstream, exec", "read_data"),
        # AI + machine learning (built-in-roles/ai-machine-learning)
        "AzureML Data Scientist": _on(
            "machine_learning",
            "actions workspaces/*/read, */action, */write; notActions workspace write/delete, computes write/delete",
            "read_data",
            "write_data",
        ),
        "AzureML Compute Operator": _on(
            "machine_learning",
            "actions workspaces/computes/*: creates computes, which may carry public IPs and SSH",
            "write_data",
            "change_network",
            "delete_resources",
        ),
        "AzureML Registry User": _on("machine_learning", "actions registries/assets read/write", "read_data"),
        "Azure AI Developer": _on(
            frozenset({"ai_foundry", "machine_learning"}),
            "dataActions Microsoft.CognitiveServices/*",
            "read_data",
            "write_data",
        ),
        "Foundry User": _on(
            frozenset({"ai_foundry", "ai_foundry_project"}),
            "dataActions Microsoft.CognitiveServices/*",
            "read_data",
            "write_data",
        ),
        "Foundry Project Manager": _on(
            frozenset({"ai_foundry", "ai_foundry_project"}),
            "dataActions Microsoft.CognitiveServices/*; roleAssignments/write, its own condition: Foundry User only",
            "read_data",
            "write_data",
            "assign_roles",
        ),
        "Cognitive Services OpenAI User": _on(
            frozenset({"ai_foundry", "openai"}), "dataActions OpenAI/*/read, chat/completions", "read_data"
        ),
        "Cognitive Services OpenAI Contributor": _on(
            frozenset({"ai_foundry", "openai"}),
            "actions accounts/deployments/*; dataActions OpenAI/*: deploys and fine-tunes models, no network settings",
            "read_data",
            "write_data",
        ),
        "Cognitive Services User": _on(
            _AI_ACCOUNTS, "dataActions Microsoft.CognitiveServices/*; listKeys", "read_data", "write_data"
        ),
        "Cognitive Services Speech User": _on(
            "speech", "dataActions SpeechServices/*/read, transcriptions and synthesis", "read_data"
        ),
        "Cognitive Services Speech Contributor": _on(
            "speech",
            "dataActions SpeechServices/*, CustomVoice/*: custom speech and voice models",
            "read_data",
            "write_data",
        ),
        "Search Index Data Contributor": _on("ai_search", "dataActions indexes/documents/*", "read_data", "write_data"),
        "Search Index Data Reader": _on("ai_search", "dataActions indexes/documents/read", "read_data"),
        "Search Service Contributor": _on(
            "ai_search",
            "actions Microsoft.Search/searchServices/*: network rules and shared private links included",
            "change_network",
            "delete_resources",
        ),
        # Analytics, databases, web, networking, identity, monitoring
        "Data Factory Contributor": _on(
            "data_factory",
            "actions Microsoft.DataFactory/factories/*: public access, managed private endpoints",
            "read_data",
            "write_data",
            "change_network",
            "delete_resources",
        ),
        "Azure Event Hubs Data Owner": _on("event_hubs", "dataActions Microsoft.EventHub/*", "read_data", "write_data"),
        "Azure Event Hubs Data Sender": _on("event_hubs", "dataActions namespaces/messages/send/action", "write_data"),
        "Azure Event Hubs Data Receiver": _on(
            "event_hubs", "dataActions namespaces/messages/receive/action", "read_data"
        ),
        "Cosmos DB Operator": _on(
            "cosmos_db",
            "actions Microsoft.DocumentDb/databaseAccounts/* except keys: network settings included",
            "change_network",
            "delete_resources",
        ),
        "Cosmos DB Account Reader Role": _on("cosmos_db", "actions readonlykeys/action", "read_data"),
        "SQL DB Contributor": _on(
            "sql",
            "actions Microsoft.Sql/servers/databases/* except auditing and security policies: manages and deletes "
            "databases, no server firewall or data access",
            "delete_resources",
        ),
        "Website Contributor": _on(
            "web_app",
            "actions Microsoft.Web/sites/*: access restrictions and VNet integration included",
            "read_data",
            "write_data",
            "change_network",
            "delete_resources",
        ),
        "Network Contributor": _on(
            frozenset({"subnet", "vnet", "dns_zone"}),
            "actions Microsoft.Network/*",
            "change_network",
            "delete_resources",
        ),
        "Private DNS Zone Contributor": _on("dns_zone", "actions privateDnsZones/*", "change_network"),
        "Managed Identity Operator": _on("managed_identity", "actions userAssignedIdentities/*/assign/action, read"),
        "Monitoring Metrics Publisher": _on("application_insights", "dataActions metrics/write", "write_data"),
        "Monitoring Reader": _on(None, "actions */read (monitoring)"),
        "Log Analytics Reader": _on("log_analytics", "actions workspaces/query/*/read", "read_data"),
        "Virtual Machine Administrator Login": _on(
            "jump_host", "dataActions virtualMachines/login*", "read_data", "write_data"
        ),
        "Virtual Machine User Login": _on("jump_host", "dataActions virtualMachines/login/action", "read_data"),
        "Cost Management Reader": _on(None, "actions Microsoft.CostManagement/*/read"),
    }
)
"""Each built-in role the factory may assign, by name, with the actions it grants."""


def actions_of(role_name: str) -> RoleActions:
    """The row of ``role_name``; a ``KeyError`` naming the role when the table lacks it."""
    try:
        return ROLE_ACTIONS[role_name]
    except KeyError:
        msg = f"{role_name!r} has no row in aifactory.plan.rbac.actions.ROLE_ACTIONS; add what it grants"
        raise KeyError(msg) from None


_UNKNOWN = set(ROLE_ACTIONS) - set(ROLES)
if _UNKNOWN:  # pragma: no cover - a programming error caught at import
    msg = f"ROLE_ACTIONS names roles the catalogue does not know: {sorted(_UNKNOWN)}"
    raise RuntimeError(msg)
