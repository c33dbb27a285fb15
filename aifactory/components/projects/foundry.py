"""Private Foundry agents (standard setup): each Foundry project's connections, capability host and agent access.

The AI Foundry account, its deployments and its Foundry projects are a declared service
(:mod:`aifactory.services.ai_foundry`). With agents on, the agents keep their state in the team's
*own* stores, and binding them is a relationship between services, built here once the stores
exist, for every Foundry project that runs agents (names and grants from :mod:`aifactory.plan.foundry`):

- keyless (Entra ID) project connections to the team's storage, AI Search and Cosmos DB, created
  one after another (a project takes one connection write at a time);
- then the project capability host that binds threads (Cosmos DB), vector stores (AI Search) and
  files (storage). It waits for the identity's roles on those stores and for their private
  endpoints. The team's Foundry projects share the team's stores, as Microsoft's
  ``add-project.bicep`` does; Foundry keeps each project's data in containers named after its
  workspace id;
- after the capability hosts, what Microsoft's template grants only then: Storage Blob Data Owner
  on the storage with the ABAC condition on the agent containers, and the Cosmos DB data role on
  each project's three agent containers. Both key on the Foundry project's workspace id, read
  back from Azure once the project exists (``internalId``; azure-native's typed project output does
  not carry it, so a generic ``getResource`` reads it).

The capability host is a generic resource: azure-native's ``ProjectCapabilityHost`` (API
2025-06-01) has no ``capabilityHostKind``, which Microsoft's templates always send as ``Agents``.
Foundry does not update capability hosts, so a changed host is deleted and created again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import pulumi
from pulumi_azure_native import authorization, cognitiveservices, cosmosdb, resources

from aifactory.catalog.roles import cosmos_role, role
from aifactory.components.projects.baseline import ProjectBaseline
from aifactory.components.role_assignments import assign_conditioned_role
from aifactory.plan.foundry import (
    AGENT_BLOB_ROLE,
    AGENT_CONTAINER_SUFFIXES,
    AGENT_COSMOS_ROLE,
    PlannedFoundryProject,
    agent_assignment_name,
    agent_blob_condition,
    agent_cosmos_scopes,
    workspace_guid,
)
from aifactory.plan.rbac.model import scope_key
from aifactory.services.ai_foundry import Foundry

__all__ = [
    "AGENT_CONNECTIONS",
    "CAPABILITY_HOST_API_VERSION",
    "CAPABILITY_HOST_NAME",
    "AgentAccess",
    "AgentStores",
    "connect_agents",
    "grant_agent_access",
    "workspace_id_of",
]

CAPABILITY_HOST_NAME = "agents"
CAPABILITY_HOST_API_VERSION = "2025-06-01"
PROJECT_API_VERSION = "2025-06-01"
AGENT_CONNECTIONS = {"storage": "project-storage", "search": "project-search", "threads": "project-cosmos"}
"""Connection names inside each Foundry project (3-33 characters): files, vector stores, threads."""


@dataclass(frozen=True)
class AgentStores:
    """The team's own stores the agents keep their state in, and what must exist before a capability host."""

    storage_name: str
    search_name: str
    search_id: pulumi.Input[str]
    cosmos_name: str
    cosmos_id: pulumi.Input[str]
    ready: Sequence[pulumi.Resource]


@dataclass(frozen=True)
class AgentAccess:
    """The grants made after the capability hosts: the conditioned blob owner and the container-scoped data roles."""

    blob_owner: authorization.RoleAssignment
    cosmos: tuple[cosmosdb.SqlResourceSqlRoleAssignment, ...]


def connect_agents(
    base: ProjectBaseline,
    foundry: Foundry,
    planned: PlannedFoundryProject,
    project: cognitiveservices.Project,
    stores: AgentStores,
) -> resources.Resource:
    """Keyless connections to the team's stores and the capability host of one Foundry project."""
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
                planned.connection_logical_name(connection_name),
                connection_name=connection_name,
                account_name=foundry.resource.name,
                project_name=project.name,
                resource_group_name=base.resource_group_name,
                properties=cognitiveservices.AADAuthTypeConnectionPropertiesArgs(
                    auth_type="AAD",
                    category=category,
                    target=target,
                    metadata={"ApiType": "Azure", "ResourceId": resource_id, "location": location},
                ),
                # A project takes one connection write at a time; parallel writes fail with conflicts.
                opts=pulumi.ResourceOptions(parent=project, depends_on=connections[-1:]),
            )
        )
    return resources.Resource(
        planned.capability_host_logical_name,
        resource_provider_namespace="Microsoft.CognitiveServices",
        parent_resource_path=pulumi.Output.all(foundry.resource.name, project.name).apply(
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
            parent=project,
            depends_on=[*connections, base.storage, *base.role_assignments, *stores.ready],
            replace_on_changes=["properties"],
            delete_before_replace=True,
        ),
    )


def workspace_id_of(base: ProjectBaseline, foundry: Foundry, project: cognitiveservices.Project) -> pulumi.Output[str]:
    """The Foundry project's workspace id (its ``internalId`` as a GUID), read once the project exists.

    The read waits for the project's id, so a preview of a project not created yet never asks
    Azure for it (the value is simply unknown until the update).
    """
    found = resources.get_resource_output(
        resource_provider_namespace="Microsoft.CognitiveServices",
        parent_resource_path=foundry.resource.name.apply(lambda name: f"accounts/{name}"),
        resource_type="projects",
        resource_name=pulumi.Output.all(project.id, project.name).apply(lambda values: str(values[1])),
        resource_group_name=base.resource_group_name,
        api_version=PROJECT_API_VERSION,
        opts=pulumi.InvokeOutputOptions(parent=project),
    )
    return found.properties.apply(lambda properties: workspace_guid(str(properties["internalId"])))


def _container_scope(index: int, values: Sequence[object]) -> str:
    """The ``index``-th agent container scope from ``[account id, workspace id]``."""
    return agent_cosmos_scopes(str(values[0]), str(values[1]))[index]


def grant_agent_access(
    base: ProjectBaseline,
    parent: pulumi.Resource,
    agent_projects: Sequence[tuple[PlannedFoundryProject, pulumi.Output[str], resources.Resource]],
    *,
    cosmos_id: pulumi.Output[str],
    after: Sequence[pulumi.Resource],
) -> AgentAccess:
    """After the capability hosts: the identity's conditioned blob owner and its data role on each agent container.

    ``agent_projects`` are the Foundry projects with agents, each with its workspace id and its
    capability host; ``after`` are the Cosmos DB data-plane writes made before (one at a time).
    """
    plan = base.plan
    identity = plan.access.projects[base.project.spec.id].identity
    principal_id = base.principals[identity.key]
    hosts = [host for _, _, host in agent_projects]
    blob_role = role(AGENT_BLOB_ROLE)
    storage_scope = scope_key(base.key, "storage")
    blob_owner = assign_conditioned_role(
        f"{base.key}-agents-blob-owner",
        name=agent_assignment_name(plan.namer.seed, plan.stack.environment, identity.key, blob_role.id, storage_scope),
        role=blob_role,
        scope=base.storage.id,
        principal_id=principal_id,
        condition=pulumi.Output.all(*(workspace for _, workspace, _ in agent_projects)).apply(
            lambda workspaces: agent_blob_condition([str(w) for w in workspaces])
        ),
        reason="Foundry agents own the blobs of their agent containers (Microsoft's condition: blob tags only "
        "in <workspace id>*-azureml-agent containers)",
        opts=pulumi.ResourceOptions(parent=parent, depends_on=hosts),
    )
    data_role = cosmos_role(AGENT_COSMOS_ROLE)
    created: list[cosmosdb.SqlResourceSqlRoleAssignment] = []
    previous: list[pulumi.Resource] = [*after, blob_owner]
    for planned, workspace, host in agent_projects:
        for index, suffix in enumerate(AGENT_CONTAINER_SUFFIXES):
            stable_scope = scope_key(base.key, f"cosmos_db/{planned.name}/{suffix}")
            assignment = cosmosdb.SqlResourceSqlRoleAssignment(
                f"{planned.resource_prefix}-agents-{suffix}",
                role_assignment_id=agent_assignment_name(
                    plan.namer.seed, plan.stack.environment, identity.key, data_role.id, stable_scope
                ),
                account_name=cosmos_id.apply(lambda value: value.split("/")[8]),
                resource_group_name=cosmos_id.apply(lambda value: value.split("/")[4]),
                role_definition_id=cosmos_id.apply(data_role.definition_id),
                principal_id=principal_id,
                scope=pulumi.Output.all(cosmos_id, workspace).apply(partial(_container_scope, index)),
                # Cosmos DB takes one role assignment write per account at a time.
                opts=pulumi.ResourceOptions(parent=parent, depends_on=[*previous, host]),
            )
            created.append(assignment)
            previous = [assignment]
    return AgentAccess(blob_owner=blob_owner, cosmos=tuple(created))
