"""Azure Cosmos DB for NoSQL for a GenAI project: private and keyless.

Public network access off (``network.allow_ips`` opens it to those ranges), no ACL bypass, local
(key) auth off and no key-based metadata writes, so data access goes through the planned
data-plane roles (``sqlRoleAssignments``, created by the GenAI project) and databases and
containers through ARM (the project identity holds the account-wide data role only when the
project's apps run as it; Foundry agents get theirs on their own containers); TLS 1.2; serverless
unless the project asks for provisioned throughput.
With Foundry agents on it gets the ``enterprise_memory`` database, where Foundry's agent service
creates each project's thread and agent containers. It holds data: protected and locked in stage
and prod (the agents' database is protected with it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import Field

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.model import (
    NAME_GUARDRAILS,
    PRIVATE_SERVICE_GUARDRAILS,
    Built,
    PrivateEndpoints,
    ProjectUse,
    ServiceDeclaration,
    resolved,
)
from aifactory.services.settings import ServiceSettings

if TYPE_CHECKING:
    from pulumi_azure_native import cosmosdb

    from aifactory.plan.public_access import PublicAccess
    from aifactory.services.context import ServiceContext

__all__ = ["AGENTS_DATABASE", "COSMOS_DB", "CosmosAccount", "CosmosDb", "cosmos_db_access"]

AGENTS_DATABASE = "enterprise_memory"
"""The database Foundry's agent service (standard setup) keeps threads and agent definitions in."""


class CosmosDb(ServiceSettings):
    """Cosmos DB for NoSQL, private, Entra-only."""

    serverless: bool = Field(default=True, description="Optional. Serverless capacity mode. Default: true.")


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
AGENT_THREADS = RoleSet(
    "Foundry agents create their thread containers (standard agent setup; their data role is granted on those "
    "containers once the capability host has made them)",
    {"cosmos_db": ("Cosmos DB Operator",)},
)
APPS_READ_WRITE_COSMOS = RoleSet(
    "the project's apps, running as the project identity, read and write items in the project's Cosmos DB",
    {},
    cosmos={"cosmos_db": ("Cosmos DB Built-in Data Contributor",)},
)


def cosmos_db_access(access: PublicAccess) -> dict[str, Any]:
    """Public network access and the IP rules (no rule: no public caller)."""
    from pulumi_azure_native import cosmosdb

    return {
        "public_network_access": "Enabled" if access.enabled else "Disabled",
        "ip_rules": [cosmosdb.IpAddressOrRangeArgs(ip_address_or_range=r) for r in access.ranges] or None,
    }


@dataclass(frozen=True, kw_only=True)
class CosmosAccount(Built["cosmosdb.DatabaseAccount"]):
    """The account (``resource``) and, with agents on, the agents' database."""

    agents_database: cosmosdb.SqlResourceSqlDatabase | None


def _build(ctx: ServiceContext, settings: CosmosDb | None) -> CosmosAccount:
    from pulumi_azure_native import cosmosdb

    settings = resolved(settings, "cosmos_db")
    account = cosmosdb.DatabaseAccount(
        ctx.service.logical_name,
        account_name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        kind=cosmosdb.DatabaseAccountKind.GLOBAL_DOCUMENT_DB,
        database_account_offer_type=cosmosdb.DatabaseAccountOfferType.STANDARD,
        locations=[cosmosdb.LocationArgs(location_name=ctx.location, failover_priority=0, is_zone_redundant=False)],
        consistency_policy=cosmosdb.ConsistencyPolicyArgs(
            default_consistency_level=cosmosdb.DefaultConsistencyLevel.SESSION
        ),
        capabilities=[cosmosdb.CapabilityArgs(name="EnableServerless")] if settings.serverless else None,
        disable_local_auth=True,
        disable_key_based_metadata_write_access=True,
        network_acl_bypass=cosmosdb.NetworkAclBypass.NONE,
        **ctx.access_args(),
        is_virtual_network_filter_enabled=False,
        minimal_tls_version=cosmosdb.MinimalTlsVersion.TLS12,
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    database = None
    if ctx.require_project().plan.agents:
        database = cosmosdb.SqlResourceSqlDatabase(
            f"{ctx.service.logical_name}-{AGENTS_DATABASE}",
            database_name=AGENTS_DATABASE,
            account_name=account.name,
            resource_group_name=ctx.resource_group_name,
            resource=cosmosdb.SqlDatabaseResourceArgs(id=AGENTS_DATABASE),
            tags=dict(ctx.tags),
            opts=ctx.protected(account),
        )
    # The databases hold the data and are locked instead of the account: a lock on the account would
    # also hold its SQL role assignments (a member's data access) and its endpoint connection.
    data = {AGENTS_DATABASE: database} if database is not None else {}
    return CosmosAccount(resource=account, agents_database=database, data=data)


COSMOS_DB: ServiceDeclaration[CosmosDb, CosmosAccount] = ServiceDeclaration(
    name="cosmos_db",
    title="Azure Cosmos DB for NoSQL",
    label="Cosmos DB",
    summary="A private, keyless Cosmos DB for NoSQL account (serverless by default): the agents' thread store and "
    "the project's documents.",
    naming_kind="cosmos_account",
    logical_stem="cosmos",
    settings=CosmosDb,
    projects=ProjectUse(types=("genai",)),
    common=None,
    endpoints=PrivateEndpoints("cosmos_db", ("Sql",)),
    diagnostics=ALL_LOGS_AND_METRICS,
    lifecycle="protect_lock",
    ip_firewall=cosmos_db_access,
    roles=ServiceRoles(
        personas={
            "team-lead": (MANAGE_COSMOS_CONTAINERS, READ_WRITE_COSMOS_DATA),
            "data-scientist": (READ_COSMOS_DATA,),
            "ml-engineer": (READ_WRITE_COSMOS_DATA,),
            "ai-developer": (READ_WRITE_COSMOS_DATA,),
            "app-developer": (READ_WRITE_COSMOS_DATA,),
            "data-engineer": (READ_WRITE_COSMOS_DATA,),
            "reader": (READ_COSMOS_DATA,),
        },
        identity=(AGENT_THREADS,),
        deployment=(MANAGE_COSMOS_CONTAINERS,),
        # The identity reads and writes the whole account only for the apps that run as it; Foundry agents get
        # their own containers (components/projects/foundry.py).
        with_services={
            "container_apps": ServiceRoles(identity=(APPS_READ_WRITE_COSMOS,)),
            "web_app": ServiceRoles(identity=(APPS_READ_WRITE_COSMOS,)),
        },
    ),
    build=_build,
    scaffold={"full": {}},
    guardrails=(
        *PRIVATE_SERVICE_GUARDRAILS,
        "ALZ-DENY-PUBLIC-PAAS-COSMOS",
        "ALZ-COSMOS-FIREWALL",
        "ALZ-COSMOS-LOCAL-AUTH",
        *NAME_GUARDRAILS,
    ),
)
