"""AI Foundry for a GenAI project: the account, its project, model deployments and private agents.

Built the way Microsoft's Foundry baseline (Azure-Samples/microsoft-foundry-baseline) and the
"private network standard agent setup" template (microsoft-foundry/foundry-samples, sample 15) do:

- the **account** (``kind: AIServices``, S0) is keyless (``disableLocalAuth``), private (public
  network access off, ACLs deny), manages projects (``allowProjectManagement``), has its globally
  unique name as custom subdomain (Entra ID tokens need one), and runs as the project's
  user-assigned identity. With agents on, the agent runtime is injected into the project's
  ``agents`` subnet (``networkInjections``, scenario ``agent``, no Microsoft-managed network);
  Foundry then creates the account's capability host itself (``<account>@aml_aiagentservice``),
  so the factory never writes one: a second account capability host is rejected with a conflict;
- **model deployments** are created one after another (an account rejects concurrent deployment
  writes) and the Foundry project after them;
- the Foundry **project** runs as the project's user-assigned identity, the identity every planned
  role is granted to. Foundry only accepts a user-assigned identity when the project is created;
- **agents** (standard setup): keyless (Entra ID) project connections to the project's own
  storage, AI Search and Cosmos DB, created one after another, then the project capability host
  that binds threads (Cosmos DB), vector stores (AI Search) and files (storage). It waits for the
  identity's roles on those stores and for their private endpoints. Each project has its own
  account and stores, so no two projects ever share a capability host's resources.

The capability host is a generic resource: azure-native's ``ProjectCapabilityHost`` (API
2025-06-01) has no ``capabilityHostKind``, which Microsoft's templates always send as ``Agents``.
Foundry does not update capability hosts, so a changed host is deleted and created again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import cognitiveservices, resources

from aifactory.components.private_endpoints import PrivateEndpointSet
from aifactory.components.projects.baseline import ProjectBaseline
from aifactory.components.public_access import cognitive_services_access
from aifactory.config.services import AiFoundry, ModelDeployment

__all__ = [
    "AGENT_CONNECTIONS",
    "CAPABILITY_HOST_API_VERSION",
    "CAPABILITY_HOST_NAME",
    "AgentStores",
    "Foundry",
    "build_foundry",
    "connect_agents",
]

CAPABILITY_HOST_NAME = "agents"
CAPABILITY_HOST_API_VERSION = "2025-06-01"
AGENT_CONNECTIONS = {"storage": "project-storage", "search": "project-search", "threads": "project-cosmos"}
"""Connection names inside the Foundry project (3-33 characters): files, vector stores, threads."""


@dataclass(frozen=True)
class Foundry:
    """What :func:`build_foundry` created."""

    name: str
    account: cognitiveservices.Account
    project: cognitiveservices.Project
    deployments: tuple[cognitiveservices.Deployment, ...]
    endpoints: PrivateEndpointSet


@dataclass(frozen=True)
class AgentStores:
    """The project's own stores the agents keep their state in, and what must exist before the host."""

    storage_name: str
    search_name: str
    search_id: pulumi.Input[str]
    cosmos_name: str
    cosmos_id: pulumi.Input[str]
    ready: Sequence[pulumi.Resource]


def build_foundry(base: ProjectBaseline, parent: pulumi.Resource, settings: AiFoundry) -> Foundry:
    """The account with its deployments and project, private endpoint and diagnostics."""
    name = base.azure_name("ai_services")
    identity = base.identity.identity_id
    injections = (
        [
            cognitiveservices.NetworkInjectionArgs(
                scenario=cognitiveservices.ScenarioType.AGENT,
                subnet_arm_id=base.subnet_id("agents"),
                use_microsoft_managed_network=False,
            )
        ]
        if settings.agents
        else None
    )
    account = cognitiveservices.Account(
        f"{base.key}-aif",
        account_name=name,
        resource_group_name=base.resource_group_name,
        location=base.location,
        kind="AIServices",
        sku=cognitiveservices.SkuArgs(name="S0"),
        identity=cognitiveservices.IdentityArgs(
            type=cognitiveservices.ResourceIdentityType.USER_ASSIGNED, user_assigned_identities=[identity]
        ),
        properties=cognitiveservices.AccountPropertiesArgs(
            custom_sub_domain_name=name,
            allow_project_management=True,
            disable_local_auth=True,
            network_injections=injections,
            **cognitive_services_access(base.public_access),
        ),
        tags=base.tags,
        opts=base.protection.options(parent),
    )
    deployments = _deployments(base, account, settings.models)
    project = cognitiveservices.Project(
        f"{base.key}-aif-project",
        project_name=base.azure_name("ai_foundry_project"),
        account_name=account.name,
        resource_group_name=base.resource_group_name,
        location=base.location,
        identity=cognitiveservices.IdentityArgs(
            type=cognitiveservices.ResourceIdentityType.USER_ASSIGNED, user_assigned_identities=[identity]
        ),
        properties=cognitiveservices.ProjectPropertiesArgs(
            display_name=base.project.spec.name, description=base.project.spec.description or None
        ),
        tags=base.tags,
        # Its identity is fixed at creation and its agents' state is keyed by its id: protected like the account.
        opts=base.protection.options(account, depends_on=list(deployments[-1:])),
    )
    endpoints = base.private_endpoints("ai_foundry", account, name)
    base.diagnostics(f"{base.key}-aif", account, "ai_services")
    return Foundry(name=name, account=account, project=project, deployments=deployments, endpoints=endpoints)


def _deployments(
    base: ProjectBaseline, account: cognitiveservices.Account, models: Sequence[ModelDeployment]
) -> tuple[cognitiveservices.Deployment, ...]:
    """One deployment per configured model, in config order, each after the previous one."""
    created: list[cognitiveservices.Deployment] = []
    for model in models:
        created.append(
            cognitiveservices.Deployment(
                f"{base.key}-aif-deployment-{model.name}",
                deployment_name=model.name,
                account_name=account.name,
                resource_group_name=base.resource_group_name,
                sku=cognitiveservices.SkuArgs(name=model.sku, capacity=model.capacity),
                properties=cognitiveservices.DeploymentPropertiesArgs(
                    model=cognitiveservices.DeploymentModelArgs(
                        format=model.format, name=model.model, version=model.version
                    ),
                    # The configured version stays until Azure retires it; then Azure moves on rather than fail.
                    version_upgrade_option=cognitiveservices.DeploymentModelVersionUpgradeOption.ONCE_CURRENT_VERSION_EXPIRED,
                ),
                opts=pulumi.ResourceOptions(parent=account, depends_on=created[-1:]),
            )
        )
    return tuple(created)


def connect_agents(base: ProjectBaseline, foundry: Foundry, stores: AgentStores) -> resources.Resource:
    """Keyless connections to the project's stores and the project capability host that binds them."""
    location = base.location
    targets: list[tuple[str, str, str, pulumi.Input[str]]] = [
        (
            AGENT_CONNECTIONS["storage"],
            "AzureStorageAccount",
            f"https://{stores.storage_name}.blob.core.windows.net/",
            base.storage.id,
        ),
        (
            AGENT_CONNECTIONS["search"],
            cognitiveservices.ConnectionCategory.COGNITIVE_SEARCH,
            f"https://{stores.search_name}.search.windows.net",
            stores.search_id,
        ),
        (
            AGENT_CONNECTIONS["threads"],
            cognitiveservices.ConnectionCategory.COSMOS_DB,
            f"https://{stores.cosmos_name}.documents.azure.com:443/",
            stores.cosmos_id,
        ),
    ]
    connections: list[cognitiveservices.ProjectConnection] = []
    for connection_name, category, target, resource_id in targets:
        connections.append(
            cognitiveservices.ProjectConnection(
                f"{base.key}-aif-connection-{connection_name}",
                connection_name=connection_name,
                account_name=foundry.account.name,
                project_name=foundry.project.name,
                resource_group_name=base.resource_group_name,
                properties=cognitiveservices.AADAuthTypeConnectionPropertiesArgs(
                    auth_type="AAD",
                    category=category,
                    target=target,
                    metadata={"ApiType": "Azure", "ResourceId": resource_id, "location": location},
                ),
                # A project takes one connection write at a time; parallel writes fail with conflicts.
                opts=pulumi.ResourceOptions(parent=foundry.project, depends_on=connections[-1:]),
            )
        )
    return resources.Resource(
        f"{base.key}-aif-capability-host",
        resource_provider_namespace="Microsoft.CognitiveServices",
        parent_resource_path=pulumi.Output.all(foundry.account.name, foundry.project.name).apply(
            lambda names: f"accounts/{names[0]}/projects/{names[1]}"
        ),
        resource_type="capabilityHosts",
        resource_name_=CAPABILITY_HOST_NAME,
        resource_group_name=base.resource_group_name,
        api_version=CAPABILITY_HOST_API_VERSION,
        properties={
            "capabilityHostKind": "Agents",
            "storageConnections": [AGENT_CONNECTIONS["storage"]],
            "vectorStoreConnections": [AGENT_CONNECTIONS["search"]],
            "threadStorageConnections": [AGENT_CONNECTIONS["threads"]],
        },
        opts=pulumi.ResourceOptions(
            parent=foundry.project,
            depends_on=[*connections, base.storage, *base.role_assignments, *stores.ready],
            replace_on_changes=["properties"],
            delete_before_replace=True,
        ),
    )
