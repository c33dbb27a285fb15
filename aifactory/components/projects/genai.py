"""GenAIProject: a generative-AI project workspace in one environment.

The :class:`ProjectBaseline` (resource group, identities, budget, Application Insights, storage,
Key Vault, optional dedicated registry and Event Hubs) plus the services the project enables, each
built from its declaration on the project's site (AI Foundry, AI Search, Cosmos DB for NoSQL,
Container Apps, Web App: :mod:`aifactory.services`), which also gives each its private endpoint,
diagnostics, protection and scope.

This component adds what is a relationship between services: the planned Cosmos DB data-plane
role assignments inside the account, and with agents on, for every Foundry project that runs them,
the connections and the project capability host that bind Foundry's agents to the project's own
storage, AI Search and Cosmos DB (:mod:`.foundry`). Order matters for agents: the capability hosts
come after the identity's roles on the stores (the baseline's on storage,
:meth:`ProjectBaseline.complete`'s on AI Search and Cosmos DB), the Cosmos DB data-plane roles and
the stores' private endpoints; the agents' conditioned blob owner and their container-scoped Cosmos
DB data roles come after the capability hosts, as Microsoft's template orders them.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import cosmosdb, resources

from aifactory.components.cosmos_data_roles import assign_cosmos_data_roles
from aifactory.components.projects.baseline import ProjectBaselineArgs, ProjectTypeComponent
from aifactory.components.projects.foundry import (
    AgentAccess,
    AgentStores,
    connect_agents,
    grant_agent_access,
    workspace_id_of,
)
from aifactory.components.projects.search_links import link_search_privately
from aifactory.components.service_site import Deployed
from aifactory.services.ai_foundry import AI_FOUNDRY, Foundry
from aifactory.services.ai_search import AI_SEARCH
from aifactory.services.cosmos_db import COSMOS_DB, CosmosAccount

__all__ = ["GenAIProject", "GenAIProjectArgs"]


GenAIProjectArgs = ProjectBaselineArgs
"""The environment's plan, the project's plan and what the common part provides."""


class GenAIProject(ProjectTypeComponent):
    """A GenAI project: the baseline and its enabled Foundry, search, data and app services.

    Attributes (None when the service is off): ``foundry`` (account, projects, deployments), ``cosmos``
    (account and agents' database), ``capability_hosts`` (by Foundry project name; ``capability_host``
    is the default project's), ``agent_access`` (the grants made after them), ``role_assignments``
    (made after the services), ``cosmos_role_assignments``, ``search_links`` (AI Search's shared
    private links).
    """

    def __init__(self, name: str, args: GenAIProjectArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:projects:GenAIProject", name, args, opts)
        base = self.baseline
        base.deploy_type_services(self)
        foundry = base.site.get(AI_FOUNDRY)
        cosmos = base.site.get(COSMOS_DB)
        self.foundry: Foundry | None = foundry.built if foundry is not None else None
        self.cosmos: CosmosAccount | None = cosmos.built if cosmos is not None else None

        self.cosmos_role_assignments: list[cosmosdb.SqlResourceSqlRoleAssignment] = []
        if cosmos is not None:
            # Data-plane roles are writes to the account: after its database, one at a time.
            agents_database = cosmos.built.agents_database
            self.cosmos_role_assignments = assign_cosmos_data_roles(
                self,
                args.plan.access.projects[args.project.spec.id].data_plane_assignments,
                principals=base.principals,
                scopes={cosmos.service.scope_keys[0]: cosmos.resource.id},
                after=[agents_database] if agents_database is not None else [],
            )

        self.role_assignments = base.complete(self)
        self.search_links = link_search_privately(base.site, args.project.spec.services.get(AI_SEARCH))
        self.capability_hosts: dict[str, resources.Resource] = {}
        self.agent_access: AgentAccess | None = None
        if args.project.agents and foundry is not None and cosmos is not None:
            stores = self._agent_stores(foundry)
            agent_projects = []
            for planned, project in foundry.built.projects:
                if not planned.agents:
                    continue
                host = connect_agents(base, foundry.built, planned, project, stores)
                self.capability_hosts[planned.name] = host
                agent_projects.append((planned, workspace_id_of(base, foundry.built, project), host))
            self.agent_access = grant_agent_access(
                base,
                self,
                agent_projects,
                cosmos_id=cosmos.resource.id,
                after=self.cosmos_role_assignments[-1:],
            )
        self.capability_host: resources.Resource | None = next(iter(self.capability_hosts.values()), None)
        self.register_outputs(
            {
                "resource_group_name": self.resource_group_name,
                "ai_foundry_account_id": self.foundry.resource.id if self.foundry else None,
                "ai_foundry_project_id": self.foundry.project.id if self.foundry else None,
            }
        )

    def _agent_stores(self, foundry: Deployed[Foundry]) -> AgentStores:
        """The project's own stores for the agents, and what the capability host must wait for."""
        base = self.baseline
        search = base.site.get(AI_SEARCH)
        cosmos = base.site.get(COSMOS_DB)
        if search is None or cosmos is None:
            msg = f"{self.key}: Foundry agents need the project's AI Search and Cosmos DB (the config requires both)"
            raise RuntimeError(msg)
        ready: list[pulumi.Resource] = [*self.role_assignments, *self.cosmos_role_assignments]
        ready.extend(d.endpoints for d in (foundry, search, cosmos) if d.endpoints is not None)
        if cosmos.built.agents_database is not None:
            ready.append(cosmos.built.agents_database)
        return AgentStores(
            storage_name=base.project.service("storage").azure_name,
            search_name=search.service.azure_name,
            search_id=search.resource.id,
            cosmos_name=cosmos.service.azure_name,
            cosmos_id=cosmos.resource.id,
            ready=ready,
        )
