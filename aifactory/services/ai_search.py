"""Azure AI Search for a GenAI project: private, Entra-only, reaching private stores through its own identity.

Public network access off (``network.allow_ips`` opens it to those ranges), key (local) auth off so
only Entra ID works, the tier, replicas, partitions and semantic ranker from the settings. It holds
the indexes: protected in stage and prod.

Indexers and vectorizers reach the project's private storage and Foundry account through the
service's **system-assigned identity** and the trusted-service exception of those resources (their
firewalls let trusted Azure services through: ``bypass: AzureServices``). Azure AI Search: "Connect
a search service to other Azure resources using a managed identity" - only the system-assigned
identity passes a storage account's trusted-service exception or resource instance rules - and
"Make indexer connections to Azure Storage as a trusted service". That identity reads the project's
storage (Storage Blob Data Reader) and calls its embedding deployments (Cognitive Services OpenAI
User), nothing else. The project's user-assigned identity stays attached for the agents' connections.

``shared_private_links`` is the opt-in alternative for targets that must not rely on that exception:
one shared private link per listed target (storage ``blob``, the Foundry account's
``openai_account`` for vectorizers and embedding skills, Cosmos DB ``Sql`` for indexers), so
indexers running in the private execution environment reach targets that admit no public caller.
Azure creates each link's private endpoint connection on the target as *pending*; the target's owner
approves it. Azure names that connection when it creates it, so no resource the factory can declare
approves it: docs/services.md gives the approval command. The links are created by the GenAI
project (:mod:`aifactory.components.projects.search_links`) once every target exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
from aifactory.errors import Invalid
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.model import Built, PrivateEndpoints, ProjectUse, ServiceDeclaration, resolved
from aifactory.services.settings import ServiceSettings

if TYPE_CHECKING:
    import pulumi
    from pulumi_azure_native import search

    from aifactory.plan.public_access import PublicAccess
    from aifactory.services.context import ServiceContext
    from aifactory.services.registry import ServiceKey, ServiceName

__all__ = ["AI_SEARCH", "SHARED_LINK_TARGETS", "AiSearch", "SharedLink", "SharedLinkTarget", "search_access"]

SharedLinkTarget = Literal["storage", "ai_foundry", "cosmos_db"]


@dataclass(frozen=True)
class SharedLink:
    """One shared private link: the target instance, the sub-resource (group id) and the link's name."""

    target: ServiceKey
    group_id: str
    name: str
    why: str


SHARED_LINK_TARGETS: MappingProxyType[SharedLinkTarget, SharedLink] = MappingProxyType(
    {
        "storage": SharedLink("storage", "blob", "spl-storage-blob", "indexers read documents from blob containers"),
        "ai_foundry": SharedLink(
            "ai_foundry",
            "openai_account",
            "spl-foundry-openai",
            "vectorizers and embedding skills call the Foundry account's models",
        ),
        "cosmos_db": SharedLink("cosmos_db", "Sql", "spl-cosmos-sql", "indexers read the project's Cosmos DB items"),
    }
)
"""The targets a project's search service may link to privately, with Azure's group ids for shared private links
(Learn, "Make outbound connections through a shared private link", supported resource types)."""


class AiSearch(ServiceSettings):
    """Azure AI Search, private, Entra-only."""

    sku: Literal["basic", "standard", "standard2", "standard3"] = Field(
        default="standard", description="Optional. Tier. Default: standard."
    )
    replicas: int = Field(default=1, ge=1, le=12, description="Optional. Replicas. Default: 1.")
    partitions: Literal[1, 2, 3, 4, 6, 12] = Field(default=1, description="Optional. Partitions. Default: 1.")
    semantic_search: Literal["disabled", "free", "standard"] = Field(
        default="free", description="Optional. Semantic ranker plan. Default: free."
    )
    shared_private_links: list[SharedLinkTarget] = Field(
        default_factory=list,
        description="Optional. Private outbound links from the search service to the project's storage, ai_foundry "
        "and cosmos_db (each needs the target's owner to approve the connection). Default: none.",
    )

    def shared_links(self) -> tuple[SharedLink, ...]:
        """The planned shared private links, in a fixed order whatever the list's."""
        return tuple(link for key, link in SHARED_LINK_TARGETS.items() if key in self.shared_private_links)

    @model_validator(mode="after")
    def _tier_limits(self) -> AiSearch:
        if self.sku == "basic" and (self.replicas > 3 or self.partitions > 1):
            raise Invalid(
                f"the basic tier allows at most 3 replicas and 1 partition (got {self.replicas} and {self.partitions})",
                "lower replicas/partitions or use sku: standard",
                field="replicas" if self.replicas > 3 else "partitions",
                value=self.replicas if self.replicas > 3 else self.partitions,
            )
        if len(set(self.shared_private_links)) != len(self.shared_private_links):
            raise Invalid(
                "lists a target twice",
                "list each target once (Azure allows one link per target and group)",
                field="shared_private_links",
                value=self.shared_private_links,
            )
        if self.replicas * self.partitions > 36:
            raise Invalid(
                f"{self.replicas} replicas x {self.partitions} partitions exceed 36 search units",
                "keep replicas x partitions at 36 or below",
                field="replicas",
                value=self.replicas,
            )
        return self


BUILD_SEARCH_INDEXES = RoleSet(
    "define indexes, indexers and skillsets and load documents into them",
    {"ai_search": ("Search Service Contributor", "Search Index Data Contributor")},
)
LOAD_SEARCH_INDEXES = RoleSet(
    "load and update documents in the project's search indexes",
    {"ai_search": ("Search Index Data Contributor",)},
)
QUERY_SEARCH_INDEXES = RoleSet(
    "query the project's search indexes",
    {"ai_search": ("Search Index Data Reader",)},
)
INDEX_PROJECT_DOCUMENTS = RoleSet(
    "indexers read the project's documents from its private storage through the trusted-service exception",
    {"storage": ("Storage Blob Data Reader",)},
)
VECTORIZE_WITH_FOUNDRY = RoleSet(
    "vectorizers and embedding skills call the project's embedding deployments on its private Foundry account",
    {"ai_foundry": ("Cognitive Services OpenAI User",)},
)
AGENT_SEARCH = RoleSet(
    "Foundry agents create and query their vector indexes (standard agent setup)",
    {"ai_search": ("Search Service Contributor", "Search Index Data Contributor")},
)


def search_access(access: PublicAccess) -> dict[str, Any]:
    """Public network access and the IP rules (AI Search has no default action: no rule, no public caller)."""
    from pulumi_azure_native import search

    return {
        "public_network_access": search.PublicNetworkAccess.ENABLED
        if access.enabled
        else search.PublicNetworkAccess.DISABLED,
        "network_rule_set": search.NetworkRuleSetArgs(
            bypass=search.SearchBypass.AZURE_SERVICES, ip_rules=[search.IpRuleArgs(value=r) for r in access.ranges]
        ),
    }


def _project_checks(settings: AiSearch, enabled: frozenset[ServiceName]) -> list[Invalid]:
    """A shared private link needs its target: the Foundry account or Cosmos DB must be enabled too."""
    return [
        Invalid(
            f"links privately to {target}, which the project does not enable",
            f"enable services.{target} or remove it from shared_private_links",
            field="services.ai_search.shared_private_links",
            value=target,
        )
        for target in settings.shared_private_links
        if target != "storage" and target not in enabled
    ]


def _build(ctx: ServiceContext, settings: AiSearch | None) -> Built[search.Service]:
    from pulumi_azure_native import search

    settings = resolved(settings, "ai_search")
    service = search.Service(
        ctx.service.logical_name,
        search_service_name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        sku=search.SkuArgs(name=settings.sku),
        replica_count=settings.replicas,
        partition_count=settings.partitions,
        hosting_mode=search.HostingMode.DEFAULT,
        semantic_search=settings.semantic_search,
        disable_local_auth=True,
        **ctx.access_args(),
        identity=search.IdentityArgs(
            type=search.IdentityType.SYSTEM_ASSIGNED_USER_ASSIGNED,
            user_assigned_identities=[ctx.require_project().identity.identity_id],
        ),
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    principal: pulumi.Output[str] = service.identity.apply(lambda identity: identity.principal_id if identity else "")
    return Built(resource=service, system_principal=principal)


AI_SEARCH: ServiceDeclaration[AiSearch, Built[search.Service]] = ServiceDeclaration(
    name="ai_search",
    title="Azure AI Search",
    label="AI Search",
    summary="A private, Entra-only search service whose own identity reads the project's storage and embeddings "
    "through their trusted-service exception: the agents' vector store and the project's indexes.",
    naming_kind="search_service",
    logical_stem="srch",
    settings=AiSearch,
    projects=ProjectUse(types=("genai",), default=("genai",)),
    common=None,
    endpoints=PrivateEndpoints("ai_search", ("searchService",)),
    diagnostics=ALL_LOGS_AND_METRICS,
    lifecycle="protect",
    ip_firewall=search_access,
    roles=ServiceRoles(
        personas={
            "team-lead": (BUILD_SEARCH_INDEXES,),
            "data-scientist": (QUERY_SEARCH_INDEXES,),
            "ml-engineer": (LOAD_SEARCH_INDEXES,),
            "ai-developer": (BUILD_SEARCH_INDEXES,),
            "app-developer": (QUERY_SEARCH_INDEXES,),
            "data-engineer": (LOAD_SEARCH_INDEXES,),
            "reader": (QUERY_SEARCH_INDEXES,),
        },
        identity=(AGENT_SEARCH,),
        deployment=(BUILD_SEARCH_INDEXES,),
        system_identity=(INDEX_PROJECT_DOCUMENTS,),
        with_services={"ai_foundry": ServiceRoles(system_identity=(VECTORIZE_WITH_FOUNDRY,))},
    ),
    build=_build,
    project_checks=_project_checks,
    scaffold={"basic": {}, "full": {}},
    guardrails=(
        "AIF-PUBLIC-NETWORK",
        "AIF-LOCAL-AUTH",
        "AIF-PRIVATE-ENDPOINT",
        "AIF-DIAGNOSTICS",
        "AIF-REQUIRED-TAGS",
        "ALZ-DENY-PUBLIC-PAAS-SEARCH",
        "ALZ-DENY-PUBLIC-PAAS-AI-NETWORK",
        "ALZ-SEARCH-SKU-PRIVATE-LINK",
        "ALZ-SEARCH-LOCAL-AUTH",
        "ALZ-COGNITIVE-LOCAL-AUTH",
        "ARM-NAME-LENGTH",
        "ARM-NAME-CHARACTERS",
    ),
)
