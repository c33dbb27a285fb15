"""Who may do what: role sets per persona, per identity and for the core team, by scope and service.

Each :class:`RoleSet` is one capability ("read and write the project's storage") as built-in roles
on scopes, with a one-line *why*. The tables map a persona (or identity) to the role sets it gets
for each *need* a project has: ``baseline`` (always), an enabled service (``machine_learning``,
``ai_search``, ...), ``shared_registry`` (the project has no registry of its own), or several of
these joined by ``+`` (all must be present).

Scopes are resource keys of the project (``storage`` becomes ``p007/storage``) or common scope
keys used as they are (``common/container_registry``); see :mod:`aifactory.plan.rbac.model`.
Project scopes beyond the model's list: ``managed_identity`` (the project's user-assigned
identity) and ``network/aks`` (the project's AKS subnet).

Least privilege, by construction: members never get Owner, User Access Administrator or
unconditioned Role Based Access Control Administrator; the team lead delegates through Role Based
Access Control Administrator with :data:`NO_PRIVILEGED_DELEGATION`. Grants follow what each
service documents for keyless operation (sources in ``docs/access.md``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from aifactory.catalog.personas import CorePersona, ProjectPersona
from aifactory.catalog.roles import PRIVILEGED, role
from aifactory.config.project import ProjectSpec

__all__ = [
    "CORE_COMMON_ROLE_SETS",
    "CORE_PROJECT_ROLE_SETS",
    "DEPLOYMENT_ROLE_SETS",
    "IDENTITY_ROLE_SETS",
    "LAKE_TRAVERSE_ROLE_SETS",
    "NO_PRIVILEGED_DELEGATION",
    "PERSONA_ROLE_SETS",
    "SUPERSEDES",
    "RoleSet",
    "RoleTable",
    "common_needs",
    "forbid_assigning",
    "project_needs",
    "role_sets_for",
]


def forbid_assigning(role_names: Iterable[str]) -> str:
    """An ABAC condition (version 2.0) that lets a delegate add and remove any role assignment except these roles.

    The documented "Allow most roles, but don't allow others to assign roles" condition of Azure
    ABAC: one clause for ``roleAssignments/write`` (the requested role) and one for
    ``roleAssignments/delete`` (the existing assignment's role).
    """
    ids = ", ".join(sorted(role(name).id for name in role_names))
    attribute = "[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAllValues:GuidNotEquals"
    return (
        "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
        f"(@Request{attribute} {{{ids}}}))"
        " AND "
        "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR "
        f"(@Resource{attribute} {{{ids}}}))"
    )


NO_PRIVILEGED_DELEGATION = forbid_assigning(PRIVILEGED)
"""The team lead may assign every role except Owner, User Access Administrator and RBAC Administrator."""


@dataclass(frozen=True, eq=False)
class RoleSet:
    """Built-in roles on scopes that together grant one capability.

    ``grants`` maps a scope to Azure roles; ``cosmos`` maps a scope to Cosmos DB data-plane roles
    (assigned inside the account, not through Azure RBAC).
    """

    why: str
    grants: Mapping[str, tuple[str, ...]]
    condition: str | None = None
    cosmos: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for names in self.grants.values():
            for name in names:
                role(name)  # fail at import on a role the catalogue does not know


RoleTable = Mapping[str, tuple[RoleSet, ...]]
"""Role sets by need (``baseline``, a service name, ``shared_registry``, or needs joined by ``+``)."""

# --- What people do -------------------------------------------------------------------------

SEE_PROJECT = RoleSet(
    "see every resource of the project, its settings, metrics and logs; change nothing",
    {"resource_group": ("Reader",)},
)
SEE_PROJECT_COST = RoleSet(
    "follow the project's spend against its budget",
    {"resource_group": ("Cost Management Reader",)},
)
DELEGATE_PROJECT_ACCESS = RoleSet(
    "grant colleagues day-to-day roles inside the project; never Owner, User Access Administrator or "
    "Role Based Access Control Administrator",
    {"resource_group": ("Role Based Access Control Administrator",)},
    condition=NO_PRIVILEGED_DELEGATION,
)
WORK_WITH_PROJECT_DATA = RoleSet(
    "read and write the project's storage with Entra ID (shared keys are off)",
    {"storage": ("Storage Blob Data Contributor",)},
)
READ_PROJECT_DATA = RoleSet(
    "read the project's storage with Entra ID",
    {"storage": ("Storage Blob Data Reader",)},
)
MANAGE_PROJECT_SECRETS = RoleSet(
    "keep the project's few unavoidable secrets (connections that cannot be keyless)",
    {"key_vault": ("Key Vault Secrets Officer",)},
)
USE_PROJECT_SECRETS = RoleSet(
    "read the secrets the project's code needs",
    {"key_vault": ("Key Vault Secrets User",)},
)
SEE_SECRET_NAMES = RoleSet(
    "see which secrets exist, never their values",
    {"key_vault": ("Key Vault Reader",)},
)
BUILD_MODELS = RoleSet(
    "run experiments, jobs, pipelines and endpoints in the ML workspace; no compute or workspace changes",
    {"machine_learning": ("AzureML Data Scientist",)},
)
RUN_ML_COMPUTE = RoleSet(
    "create, scale, start and stop the ML workspace's compute",
    {"machine_learning": ("AzureML Compute Operator",)},
)
USE_ML_NOTEBOOKS = RoleSet(
    "notebooks and compute instances keep files on the workspace's file share, reached with the user's identity",
    {"storage": ("Storage File Data Privileged Contributor",)},
)
READ_ML_NOTEBOOKS = RoleSet(
    "open the notebooks on the workspace's file share",
    {"storage": ("Storage File Data Privileged Reader",)},
)
ADMINISTER_DATABRICKS = RoleSet(
    "Contributor on the workspace makes a Databricks workspace admin, who adds colleagues and grants "
    "entitlements inside Databricks",
    {"databricks": ("Contributor",)},
)
AUTHOR_PIPELINES = RoleSet(
    "author, publish, run and monitor Data Factory pipelines",
    {"data_factory": ("Data Factory Contributor",)},
)
DEPLOY_TO_AKS = RoleSet(
    "get cluster credentials and deploy workloads under Entra ID-authorised Kubernetes RBAC",
    {"aks": ("Azure Kubernetes Service Cluster User Role", "Azure Kubernetes Service RBAC Writer")},
)
VIEW_AKS = RoleSet(
    "inspect the serving cluster's workloads (no secrets)",
    {"aks": ("Azure Kubernetes Service Cluster User Role", "Azure Kubernetes Service RBAC Reader")},
)
PRODUCE_AND_CONSUME_EVENTS = RoleSet(
    "send to and read from the project's event hubs",
    {"event_hubs": ("Azure Event Hubs Data Sender", "Azure Event Hubs Data Receiver")},
)
CONSUME_EVENTS = RoleSet(
    "read the project's event streams",
    {"event_hubs": ("Azure Event Hubs Data Receiver",)},
)
PRODUCE_EVENTS = RoleSet(
    "publish events from the project's apps",
    {"event_hubs": ("Azure Event Hubs Data Sender",)},
)
PUSH_PROJECT_IMAGES = RoleSet(
    "build and push images to the project's own registry",
    {"container_registry": ("AcrPush",)},
)
PULL_PROJECT_IMAGES = RoleSet(
    "pull images from the project's own registry",
    {"container_registry": ("AcrPull",)},
)
MANAGE_FOUNDRY_PROJECT = RoleSet(
    "manage the Foundry project and give colleagues Foundry User (the role's own condition allows no other role)",
    {"ai_foundry": ("Foundry Project Manager",)},
)
BUILD_WITH_FOUNDRY = RoleSet(
    "build agents and call the project's model deployments in Foundry",
    {"ai_foundry": ("Foundry User",)},
)
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
MANAGE_COSMOS_CONTAINERS = RoleSet(
    "create Cosmos DB databases and containers (control plane; no keys, no data)",
    {"cosmos_db": ("Cosmos DB Operator",)},
)
READ_WRITE_COSMOS_DATA = RoleSet(
    "read and write items in the project's Cosmos DB with Entra ID (local auth is off)",
    {},
    cosmos={"cosmos_db": ("Cosmos DB Built-in Data Contributor",)},
)
READ_COSMOS_DATA = RoleSet(
    "read and query items in the project's Cosmos DB",
    {},
    cosmos={"cosmos_db": ("Cosmos DB Built-in Data Reader",)},
)
OPERATE_CONTAINER_APPS = RoleSet(
    "read, stream logs of and exec into the project's container apps",
    {"resource_group": ("Container Apps Operator",)},
)
OPERATE_WEB_APP = RoleSet(
    "deploy, configure and restart the project's web app (not its plan)",
    {"web_app": ("Website Contributor",)},
)

# --- What the project's managed identity needs (it runs every service keylessly) ------------

SERVICE_DATA = RoleSet(
    "the project's services read and write its storage and read its secrets, keylessly",
    {"storage": ("Storage Blob Data Contributor",), "key_vault": ("Key Vault Secrets User",)},
)
SEND_TELEMETRY = RoleSet(
    "apps and services send telemetry with Entra ID instead of an instrumentation key",
    {"application_insights": ("Monitoring Metrics Publisher",)},
)
ML_WORKSPACE_IDENTITY = RoleSet(
    "what Azure ML documents for a workspace's user-assigned identity, each on the workspace's own resources",
    {
        "machine_learning": ("Contributor",),
        "storage": ("Contributor",),
        "key_vault": ("Contributor", "Key Vault Administrator"),
        "application_insights": ("Contributor",),
    },
)
ML_PARALLEL_JOBS = RoleSet(
    "parallel run steps keep their work queue and progress in the workspace storage's queues and tables",
    {"storage": ("Storage Queue Data Contributor", "Storage Table Data Contributor")},
)
ML_OWN_REGISTRY = RoleSet(
    "Azure ML documents Contributor on the workspace's registry for a user-assigned identity (the project's own)",
    {"container_registry": ("Contributor",)},
)
USE_OWN_REGISTRY = RoleSet(
    "pull service images and push the images the project builds, in its own registry",
    {"container_registry": ("AcrPush",)},
)
USE_SHARED_REGISTRY = RoleSet(
    "pull service images and push the images the project builds; never Contributor on the shared registry, "
    "so no project can reconfigure what every project uses",
    {"common/container_registry": ("AcrPush",)},
)
RUN_AKS = RoleSet(
    "AKS's control plane manages load balancers in the project's subnet and hands the same identity to the "
    "kubelet, which pulls images with it",
    {"network/aks": ("Network Contributor",), "managed_identity": ("Managed Identity Operator",)},
)
STREAM_EVENTS = RoleSet(
    "services send to and read from the project's event hubs",
    {"event_hubs": ("Azure Event Hubs Data Sender", "Azure Event Hubs Data Receiver")},
)
RUN_FOUNDRY = RoleSet(
    "the Foundry project's identity calls models and runs agents (Foundry's documented minimum)",
    {"ai_foundry": ("Foundry User",)},
)
AGENT_SEARCH = RoleSet(
    "Foundry agents create and query their vector indexes (standard agent setup)",
    {"ai_search": ("Search Service Contributor", "Search Index Data Contributor")},
)
AGENT_THREADS = RoleSet(
    "Foundry agents create their thread containers and apps read and write items (standard agent setup)",
    {"cosmos_db": ("Cosmos DB Operator",)},
    cosmos={"cosmos_db": ("Cosmos DB Built-in Data Contributor",)},
)

# --- What the project's CI (deployment service principal) needs -----------------------------

DEPLOY_BASELINE = RoleSet(
    "find the project's resources, upload artifacts and set the secrets its apps need",
    {
        "resource_group": ("Reader",),
        "storage": ("Storage Blob Data Contributor",),
        "key_vault": ("Key Vault Secrets Officer",),
    },
)
ASSIGN_PROJECT_IDENTITY = RoleSet(
    "attach the project's managed identity to what CI deploys (online endpoints, container apps)",
    {"managed_identity": ("Managed Identity Operator",)},
)
DEPLOY_CONTAINER_APPS = RoleSet(
    "create and update container apps in the project's environment",
    {"resource_group": ("Container Apps Contributor",)},
)
PUSH_SHARED_IMAGES = RoleSet(
    "push the project's images to the environment's shared registry",
    {"common/container_registry": ("AcrPush",)},
)

# --- The core team ---------------------------------------------------------------------------

RUN_COMMON = RoleSet(
    "operate the environment's shared resources (no role assignments: access changes go through code)",
    {"common/resource_group": ("Contributor",)},
)
MANAGE_COMMON_SECRETS = RoleSet(
    "keep the environment's shared secrets",
    {"common/key_vault": ("Key Vault Secrets Officer",)},
)
PUBLISH_BASE_IMAGES = RoleSet(
    "publish curated base images to the shared registry",
    {"common/container_registry": ("AcrPush",)},
)
SEE_COMMON = RoleSet(
    "see the environment's shared resources",
    {"common/resource_group": ("Reader",)},
)
ADMINISTER_JUMP_HOST = RoleSet(
    "sign in to the jump host with Entra ID as an administrator (sudo); there is no local account to use",
    {"common/resource_group": ("Virtual Machine Administrator Login",)},
)
USE_JUMP_HOST = RoleSet(
    "sign in to the jump host with Entra ID as a regular user, to reach private endpoints from inside",
    {"common/resource_group": ("Virtual Machine User Login",)},
)
AUTHOR_COMMON_PIPELINES = RoleSet(
    "author and run the environment's shared Data Factory pipelines",
    {"common/data_factory": ("Data Factory Contributor",)},
)
SUPPORT_PROJECT = RoleSet(
    "see every project's resources to support its team",
    {"resource_group": ("Reader",)},
)
FIND_LAKE = RoleSet(
    "every project principal can find the lake in the portal and Storage Explorer; data access comes only "
    "from folder ACLs",
    {"common/datalake": ("Reader",)},
)


def _table(entries: Mapping[str, tuple[RoleSet, ...]]) -> RoleTable:
    return MappingProxyType(dict(entries))


PERSONA_ROLE_SETS: Mapping[ProjectPersona, RoleTable] = MappingProxyType(
    {
        "team-lead": _table(
            {
                "baseline": (
                    SEE_PROJECT,
                    SEE_PROJECT_COST,
                    DELEGATE_PROJECT_ACCESS,
                    WORK_WITH_PROJECT_DATA,
                    MANAGE_PROJECT_SECRETS,
                ),
                "machine_learning": (BUILD_MODELS, RUN_ML_COMPUTE, USE_ML_NOTEBOOKS),
                "databricks": (ADMINISTER_DATABRICKS,),
                "data_factory": (AUTHOR_PIPELINES,),
                "aks": (DEPLOY_TO_AKS,),
                "event_hubs": (PRODUCE_AND_CONSUME_EVENTS,),
                "container_registry": (PUSH_PROJECT_IMAGES,),
                "ai_foundry": (MANAGE_FOUNDRY_PROJECT, BUILD_WITH_FOUNDRY),
                "ai_search": (BUILD_SEARCH_INDEXES,),
                "cosmos_db": (MANAGE_COSMOS_CONTAINERS, READ_WRITE_COSMOS_DATA),
                "container_apps": (OPERATE_CONTAINER_APPS,),
                "web_app": (OPERATE_WEB_APP,),
            }
        ),
        "data-scientist": _table(
            {
                "baseline": (SEE_PROJECT, WORK_WITH_PROJECT_DATA, USE_PROJECT_SECRETS),
                "machine_learning": (BUILD_MODELS, USE_ML_NOTEBOOKS),
                "event_hubs": (CONSUME_EVENTS,),
                "container_registry": (PULL_PROJECT_IMAGES,),
                "ai_foundry": (BUILD_WITH_FOUNDRY,),
                "ai_search": (QUERY_SEARCH_INDEXES,),
                "cosmos_db": (READ_COSMOS_DATA,),
            }
        ),
        "ml-engineer": _table(
            {
                "baseline": (SEE_PROJECT, WORK_WITH_PROJECT_DATA, USE_PROJECT_SECRETS),
                "machine_learning": (BUILD_MODELS, RUN_ML_COMPUTE, USE_ML_NOTEBOOKS),
                "aks": (DEPLOY_TO_AKS,),
                "event_hubs": (PRODUCE_AND_CONSUME_EVENTS,),
                "container_registry": (PUSH_PROJECT_IMAGES,),
                "ai_foundry": (BUILD_WITH_FOUNDRY,),
                "ai_search": (LOAD_SEARCH_INDEXES,),
                "cosmos_db": (READ_WRITE_COSMOS_DATA,),
            }
        ),
        "ai-developer": _table(
            {
                "baseline": (SEE_PROJECT, WORK_WITH_PROJECT_DATA, USE_PROJECT_SECRETS),
                "event_hubs": (CONSUME_EVENTS,),
                "container_registry": (PULL_PROJECT_IMAGES,),
                "ai_foundry": (BUILD_WITH_FOUNDRY,),
                "ai_search": (BUILD_SEARCH_INDEXES,),
                "cosmos_db": (READ_WRITE_COSMOS_DATA,),
            }
        ),
        "app-developer": _table(
            {
                "baseline": (SEE_PROJECT, READ_PROJECT_DATA, USE_PROJECT_SECRETS),
                "aks": (VIEW_AKS,),
                "event_hubs": (PRODUCE_EVENTS,),
                "container_registry": (PUSH_PROJECT_IMAGES,),
                "ai_foundry": (BUILD_WITH_FOUNDRY,),
                "ai_search": (QUERY_SEARCH_INDEXES,),
                "cosmos_db": (READ_WRITE_COSMOS_DATA,),
                "container_apps": (OPERATE_CONTAINER_APPS,),
                "web_app": (OPERATE_WEB_APP,),
            }
        ),
        "data-engineer": _table(
            {
                "baseline": (SEE_PROJECT, WORK_WITH_PROJECT_DATA, USE_PROJECT_SECRETS),
                "data_factory": (AUTHOR_PIPELINES,),
                "event_hubs": (PRODUCE_AND_CONSUME_EVENTS,),
                "container_registry": (PULL_PROJECT_IMAGES,),
                "ai_search": (LOAD_SEARCH_INDEXES,),
                "cosmos_db": (READ_WRITE_COSMOS_DATA,),
            }
        ),
        "reader": _table(
            {
                "baseline": (SEE_PROJECT, READ_PROJECT_DATA, SEE_SECRET_NAMES),
                "machine_learning": (READ_ML_NOTEBOOKS,),
                "ai_search": (QUERY_SEARCH_INDEXES,),
                "cosmos_db": (READ_COSMOS_DATA,),
            }
        ),
    }
)
"""Each project persona's role sets by need."""

IDENTITY_ROLE_SETS: RoleTable = _table(
    {
        "baseline": (SERVICE_DATA, SEND_TELEMETRY),
        "shared_registry": (USE_SHARED_REGISTRY,),
        "container_registry": (USE_OWN_REGISTRY,),
        "machine_learning": (ML_WORKSPACE_IDENTITY, ML_PARALLEL_JOBS),
        "machine_learning+container_registry": (ML_OWN_REGISTRY,),
        "aks": (RUN_AKS,),
        "event_hubs": (STREAM_EVENTS,),
        "ai_foundry": (RUN_FOUNDRY,),
        "ai_search": (AGENT_SEARCH,),
        "cosmos_db": (AGENT_THREADS,),
    }
)
"""The project's user-assigned managed identity: the identity of every service of the project."""

DEPLOYMENT_ROLE_SETS: RoleTable = _table(
    {
        "baseline": (DEPLOY_BASELINE,),
        "shared_registry": (PUSH_SHARED_IMAGES,),
        "container_registry": (PUSH_PROJECT_IMAGES,),
        "machine_learning": (BUILD_MODELS, ASSIGN_PROJECT_IDENTITY),
        "databricks": (ADMINISTER_DATABRICKS,),
        "data_factory": (AUTHOR_PIPELINES,),
        "aks": (DEPLOY_TO_AKS,),
        "ai_foundry": (BUILD_WITH_FOUNDRY,),
        "ai_search": (BUILD_SEARCH_INDEXES,),
        "cosmos_db": (MANAGE_COSMOS_CONTAINERS,),
        "container_apps": (DEPLOY_CONTAINER_APPS, ASSIGN_PROJECT_IDENTITY),
        "web_app": (OPERATE_WEB_APP,),
    }
)
"""The project's CI service principal (GitHub Actions OIDC): deploys code and models, not infrastructure."""

CORE_COMMON_ROLE_SETS: Mapping[CorePersona, RoleTable] = MappingProxyType(
    {
        "platform-admin": _table(
            {
                "baseline": (RUN_COMMON, MANAGE_COMMON_SECRETS, PUBLISH_BASE_IMAGES),
                "jump_host": (ADMINISTER_JUMP_HOST,),
            }
        ),
        "data-ops": _table(
            {
                # No data role on the lake: a data role at account scope bypasses every folder ACL (Storage
                # Blob Data Owner makes a super-user), so data-ops reach data through the lake ACLs only.
                "baseline": (SEE_COMMON, MANAGE_COMMON_SECRETS),
                "data_factory": (AUTHOR_COMMON_PIPELINES,),
                "jump_host": (USE_JUMP_HOST,),
            }
        ),
    }
)
"""The core team on the environment's shared resources (needs: ``baseline``, ``data_factory``, ``jump_host``)."""

CORE_PROJECT_ROLE_SETS: Mapping[CorePersona, RoleTable] = MappingProxyType(
    {
        "platform-admin": _table({"baseline": (SUPPORT_PROJECT,)}),
        "data-ops": _table({}),
    }
)
"""The core team on every project (data-ops reaches projects through the lake ACLs only)."""

LAKE_TRAVERSE_ROLE_SETS: RoleTable = _table({"baseline": (FIND_LAKE,)})
"""The lake traverse group (every project principal is a member): one assignment, not one per project."""

SUPERSEDES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "Contributor": frozenset({"Reader"}),
        "Storage Blob Data Owner": frozenset({"Storage Blob Data Contributor", "Storage Blob Data Reader"}),
        "Storage Blob Data Contributor": frozenset({"Storage Blob Data Reader"}),
        "Storage File Data Privileged Contributor": frozenset({"Storage File Data Privileged Reader"}),
        "Key Vault Administrator": frozenset(
            {"Key Vault Secrets Officer", "Key Vault Secrets User", "Key Vault Reader"}
        ),
        "Key Vault Secrets Officer": frozenset({"Key Vault Secrets User"}),
        "AcrPush": frozenset({"AcrPull"}),
        "Search Index Data Contributor": frozenset({"Search Index Data Reader"}),
        "Azure Event Hubs Data Owner": frozenset({"Azure Event Hubs Data Sender", "Azure Event Hubs Data Receiver"}),
        "Azure Kubernetes Service RBAC Writer": frozenset({"Azure Kubernetes Service RBAC Reader"}),
        "Azure Kubernetes Service RBAC Admin": frozenset(
            {"Azure Kubernetes Service RBAC Writer", "Azure Kubernetes Service RBAC Reader"}
        ),
        "Cosmos DB Built-in Data Contributor": frozenset({"Cosmos DB Built-in Data Reader"}),
    }
)
"""Roles whose permissions include other roles' on the same scope: the included role is not assigned again."""


def project_needs(project: ProjectSpec) -> frozenset[str]:
    """What a project needs access for: ``baseline``, its enabled services, and its registry."""
    services = project.enabled_services()
    registry = set() if "container_registry" in services else {"shared_registry"}
    return frozenset({"baseline", *services, *registry})


def common_needs(data_factory: bool, jump_host: bool = False) -> frozenset[str]:
    """What the environment's shared part needs access for."""
    needs = {"baseline"}
    if data_factory:
        needs.add("data_factory")
    if jump_host:
        needs.add("jump_host")
    return frozenset(needs)


def role_sets_for(table: RoleTable, needs: frozenset[str]) -> tuple[RoleSet, ...]:
    """The table's role sets whose need is met, in table order."""
    found: list[RoleSet] = []
    for need, role_sets in table.items():
        if set(need.split("+")) <= needs:
            found.extend(r for r in role_sets if r not in found)
    return tuple(found)
