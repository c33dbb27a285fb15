"""GenAIProject: a generative-AI project workspace in one environment.

The :class:`ProjectBaseline` (resource group, identities, budget, Application Insights, storage,
Key Vault, optional dedicated registry and Event Hubs) plus, as the project enables them:

- AI Foundry (:mod:`.foundry`): a keyless, private account with the project's model deployments
  and a Foundry project; with agents on, the agent runtime injected into the project's ``agents``
  subnet and the standard setup wired to the project's own storage, AI Search and Cosmos DB;
- AI Search, Cosmos DB for NoSQL, an internal Container Apps environment and a Linux Web App
  (:mod:`.genai_services`), each private, keyless and behind its private endpoint.

Every service runs as the project's user-assigned identity, sends diagnostics and gets its planned
role assignments; the planned Cosmos DB data-plane roles are created inside the account. Order
matters for agents: the capability host comes last, after the identity's roles on the stores (the
baseline's on storage, :meth:`ProjectBaseline.complete`'s on AI Search and Cosmos DB), the Cosmos
DB data-plane roles and the stores' private endpoints.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import app, cosmosdb, resources, search, web

from aifactory.components.cosmos_data_roles import assign_cosmos_data_roles
from aifactory.components.private_endpoints import PrivateEndpointSet
from aifactory.components.projects.baseline import ProjectBaselineArgs, ProjectTypeComponent, resolved
from aifactory.components.projects.foundry import AgentStores, Foundry, build_foundry, connect_agents
from aifactory.components.projects.genai_services import (
    CosmosAccount,
    build_ai_search,
    build_container_apps,
    build_cosmos_db,
    build_web_app,
)

__all__ = ["GenAIProject", "GenAIProjectArgs"]


GenAIProjectArgs = ProjectBaselineArgs
"""The environment's plan, the project's plan and what the common part provides."""


class GenAIProject(ProjectTypeComponent):
    """A GenAI project: the baseline and its enabled Foundry, search, data and app services.

    Attributes (None when the service is off): ``foundry`` (account, project, deployments),
    ``search``, ``cosmos`` (account, endpoints, agents' database), ``container_apps``, ``web_app``,
    ``capability_host``, ``role_assignments`` (made after the services), ``cosmos_role_assignments``.
    """

    def __init__(self, name: str, args: GenAIProjectArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:projects:GenAIProject", name, args, opts)
        base = self.baseline
        spec = args.project.spec
        services = spec.services
        enabled = spec.enabled_services()
        scopes: dict[str, pulumi.Input[str]] = {}

        self.foundry: Foundry | None = None
        foundry_settings = resolved(services.ai_foundry, "ai_foundry") if "ai_foundry" in enabled else None
        if foundry_settings is not None:
            self.foundry = build_foundry(base, self, foundry_settings)
            scopes[base.scope_key("ai_foundry")] = self.foundry.account.id
            scopes[base.scope_key("ai_foundry_project")] = self.foundry.project.id
        agents = foundry_settings is not None and foundry_settings.agents

        self.search: search.Service | None = None
        self._search_endpoints: PrivateEndpointSet | None = None
        if "ai_search" in enabled:
            self.search, self._search_endpoints = build_ai_search(base, self, resolved(services.ai_search, "ai_search"))
            scopes[base.scope_key("ai_search")] = self.search.id

        self.cosmos: CosmosAccount | None = None
        self.cosmos_role_assignments: list[cosmosdb.SqlResourceSqlRoleAssignment] = []
        if "cosmos_db" in enabled:
            self.cosmos = build_cosmos_db(base, self, resolved(services.cosmos_db, "cosmos_db"), agents=agents)
            cosmos_scope = {base.scope_key("cosmos_db"): self.cosmos.account.id}
            scopes.update(cosmos_scope)
            # Data-plane roles are writes to the account: after its database, one at a time.
            self.cosmos_role_assignments = assign_cosmos_data_roles(
                self,
                args.plan.access.projects[spec.id].data_plane_assignments,
                principals=base.principals,
                scopes=cosmos_scope,
                after=[self.cosmos.agents_database] if self.cosmos.agents_database is not None else [],
            )

        self.container_apps: app.ManagedEnvironment | None = None
        if "container_apps" in enabled:
            self.container_apps = build_container_apps(base, self, resolved(services.container_apps, "container_apps"))
            scopes[base.scope_key("container_apps")] = self.container_apps.id

        self.web_app: web.WebApp | None = None
        if "web_app" in enabled:
            self.web_app = build_web_app(base, self, resolved(services.web_app, "web_app"))
            scopes[base.scope_key("web_app")] = self.web_app.id

        self.role_assignments = base.complete(self, scopes)
        self.capability_host: resources.Resource | None = None
        if agents and self.foundry is not None:
            self.capability_host = connect_agents(base, self.foundry, self._agent_stores())
        self.register_outputs(
            {
                "resource_group_name": self.resource_group_name,
                "ai_foundry_account_id": self.foundry.account.id if self.foundry else None,
                "ai_foundry_project_id": self.foundry.project.id if self.foundry else None,
            }
        )

    def _agent_stores(self) -> AgentStores:
        """The project's own stores for the agents, and what the capability host must wait for."""
        if self.foundry is None or self.search is None or self._search_endpoints is None or self.cosmos is None:
            msg = f"{self.key}: Foundry agents need the project's AI Search and Cosmos DB (the config requires both)"
            raise RuntimeError(msg)
        base = self.baseline
        ready: list[pulumi.Resource] = [
            *self.role_assignments,
            *self.cosmos_role_assignments,
            self.foundry.endpoints,
            self._search_endpoints,
            self.cosmos.endpoints,
        ]
        if self.cosmos.agents_database is not None:
            ready.append(self.cosmos.agents_database)
        return AgentStores(
            storage_name=base.azure_name("storage_account"),
            search_name=base.azure_name("search_service"),
            search_id=self.search.id,
            cosmos_name=base.azure_name("cosmos_account"),
            cosmos_id=self.cosmos.account.id,
            ready=ready,
        )
