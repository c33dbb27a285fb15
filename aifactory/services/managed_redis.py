"""Azure Managed Redis for a project: private, Entra-only (access keys off), TLS only.

Azure Managed Redis (``Microsoft.Cache/redisEnterprise``) rather than Azure Cache for Redis:
Microsoft retires every Azure Cache for Redis tier (Enterprise and Enterprise Flash on 31 March
2027, Basic, Standard and Premium on 30 September 2028) and names Azure Managed Redis the successor
(Learn, "Azure Cache for Redis retirement FAQ"), and the installed provider has it in
``redisenterprise`` (API 2025-07-01).

The cluster has public network access disabled and one private endpoint (``redisEnterprise``, zone
``privatelink.redis.azure.net``), minimum TLS 1.2; its one database (``default``, the only name Azure
accepts) speaks TLS only (``clientProtocol: Encrypted``, port 10000) with access keys disabled, so
clients authenticate with Entra tokens. Who may connect is the database's access policy assignments
(policy ``default``, the only one Azure Managed Redis has): the project identity and the team lead,
AI and app developers. Azure Managed Redis refuses Entra groups there, so personas granted through
their group are admitted member by member (users and service principals).

A cache rebuilds its content, but apps find it by its host name: it is protected (not locked) in
stage and prod, so a change that would replace it stops the update instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from aifactory.catalog.diagnostics import ALL_LOGS, METRICS_ONLY
from aifactory.plan.naming import stable_suffix
from aifactory.services.access import NoRoles
from aifactory.services.data_access import DataAccess, data_principals
from aifactory.services.model import (
    NAME_GUARDRAILS,
    PRIVATE_SERVICE_GUARDRAILS,
    PROJECT_TYPES,
    Built,
    PrivateEndpoints,
    ProjectUse,
    ServiceDeclaration,
    resolved,
)
from aifactory.services.settings import ServiceSettings

if TYPE_CHECKING:
    from pulumi_azure_native import redisenterprise

    from aifactory.config.types import EnvironmentName
    from aifactory.services.context import ServiceContext

__all__ = ["DATABASE_NAME", "DATA_ACCESS", "MANAGED_REDIS", "ManagedRedis", "RedisCluster", "assignment_name"]

DATABASE_NAME = "default"
"""Azure Managed Redis has one database per cluster, and ``default`` is the only name it accepts."""
ACCESS_POLICY = "default"
"""The one access policy Azure Managed Redis offers (full data access)."""
TLS_PORT = 10000

RedisSku = Literal[
    "Balanced_B0",
    "Balanced_B1",
    "Balanced_B3",
    "Balanced_B5",
    "Balanced_B10",
    "Balanced_B20",
    "Balanced_B50",
    "MemoryOptimized_M10",
    "MemoryOptimized_M20",
    "MemoryOptimized_M50",
    "ComputeOptimized_X3",
    "ComputeOptimized_X5",
    "ComputeOptimized_X10",
    "ComputeOptimized_X20",
]

DATA_ACCESS = DataAccess(
    "read and write the project's cache with an Entra token (access keys are off)",
    personas=("team-lead", "ai-developer", "app-developer"),
    identity=True,
    groups=False,
    names=False,
)


@dataclass(frozen=True)
class _EnvironmentDefaults:
    sku: RedisSku
    high_availability: bool


_DEFAULTS: MappingProxyType[EnvironmentName, _EnvironmentDefaults] = MappingProxyType(
    {
        "dev": _EnvironmentDefaults("Balanced_B0", False),
        "stage": _EnvironmentDefaults("Balanced_B1", True),
        "prod": _EnvironmentDefaults("Balanced_B3", True),
    }
)


class ManagedRedis(ServiceSettings):
    """Azure Managed Redis, private, Entra-only, TLS only."""

    sku: RedisSku | None = Field(
        default=None,
        description="Optional. Azure Managed Redis SKU (Balanced, Memory Optimized or Compute Optimized). "
        "Default: Balanced_B0 in dev, Balanced_B1 in stage, Balanced_B3 in prod.",
    )
    high_availability: bool | None = Field(
        default=None,
        description="Optional. Replicate the data (Microsoft's SLA needs it). Default: false in dev, true in stage "
        "and prod.",
    )
    clustering_policy: Literal["OSSCluster", "EnterpriseCluster", "NoCluster"] = Field(
        default="OSSCluster",
        description="Optional. Clustering policy; Azure fixes it when the database is created. Default: OSSCluster.",
    )
    eviction_policy: Literal[
        "AllKeysLFU", "AllKeysLRU", "AllKeysRandom", "VolatileLRU", "VolatileLFU", "VolatileTTL", "NoEviction"
    ] = Field(
        default="VolatileLRU", description="Optional. What Redis evicts when memory is full. Default: VolatileLRU."
    )


def _environment_defaults(settings: ManagedRedis, environment: EnvironmentName) -> ManagedRedis:
    defaults = _DEFAULTS[environment]
    return settings.model_copy(
        update={
            "sku": settings.sku or defaults.sku,
            "high_availability": defaults.high_availability
            if settings.high_availability is None
            else settings.high_availability,
        }
    )


def assignment_name(principal_key: str) -> str:
    """An access policy assignment's name: alphanumerics only, stable per principal (``identity``, ``m3k9x...``)."""
    local = principal_key.split("/", 1)[1]
    if local == "identity":
        return "identity"
    return re.sub(r"[^a-z0-9]", "", local.split("/", 1)[0])[:8] + stable_suffix(principal_key, length=12)


@dataclass(frozen=True, kw_only=True)
class RedisCluster(Built["redisenterprise.RedisEnterprise"]):
    """The cluster (``resource``), its ``default`` database and the database's access policy assignments."""

    database: redisenterprise.Database
    assignments: tuple[redisenterprise.AccessPolicyAssignment, ...]


def _build(ctx: ServiceContext, settings: ManagedRedis | None) -> RedisCluster:
    import pulumi
    from pulumi_azure_native import redisenterprise

    settings = resolved(settings, "redis")
    project = ctx.require_project()
    cluster = redisenterprise.RedisEnterprise(
        ctx.service.logical_name,
        cluster_name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        sku=redisenterprise.SkuArgs(name=resolved(settings.sku, "redis.sku")),
        high_availability=redisenterprise.HighAvailability.ENABLED
        if resolved(settings.high_availability, "redis.high_availability")
        else redisenterprise.HighAvailability.DISABLED,
        minimum_tls_version=redisenterprise.TlsVersion.TLS_VERSION_1_2,
        public_network_access=redisenterprise.PublicNetworkAccess.DISABLED,
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    database = redisenterprise.Database(
        f"{ctx.service.logical_name}-db",
        cluster_name=cluster.name,
        database_name=DATABASE_NAME,
        resource_group_name=ctx.resource_group_name,
        client_protocol=redisenterprise.Protocol.ENCRYPTED,
        port=TLS_PORT,
        clustering_policy=settings.clustering_policy,
        eviction_policy=settings.eviction_policy,
        access_keys_authentication=redisenterprise.AccessKeysAuthentication.DISABLED,
        opts=ctx.protected(cluster),
    )
    access = ctx.plan.access.projects[project.plan.spec.id]
    assignments: list[redisenterprise.AccessPolicyAssignment] = []
    for principal in data_principals(access, DATA_ACCESS):
        name = assignment_name(principal.key)
        assignments.append(
            redisenterprise.AccessPolicyAssignment(
                f"{ctx.service.logical_name}-access-{name}",
                access_policy_assignment_name=name,
                access_policy_name=ACCESS_POLICY,
                cluster_name=cluster.name,
                database_name=DATABASE_NAME,
                resource_group_name=ctx.resource_group_name,
                user=redisenterprise.AccessPolicyAssignmentPropertiesUserArgs(
                    object_id=project.principals[principal.key]
                ),
                # The database takes one access policy change at a time.
                opts=pulumi.ResourceOptions(parent=database, depends_on=assignments[-1:]),
            )
        )
    return RedisCluster(
        resource=cluster, children={"database": database}, database=database, assignments=tuple(assignments)
    )


MANAGED_REDIS: ServiceDeclaration[ManagedRedis, RedisCluster] = ServiceDeclaration(
    name="redis",
    title="Azure Managed Redis",
    label="Managed Redis",
    summary="A private Azure Managed Redis cache, TLS only, with access keys off: the project identity and its "
    "developers connect with Entra tokens.",
    naming_kind="managed_redis",
    logical_stem="redis",
    settings=ManagedRedis,
    projects=ProjectUse(types=PROJECT_TYPES),
    common=None,
    endpoints=PrivateEndpoints("managed_redis", ("redisEnterprise",)),
    diagnostics=METRICS_ONLY,
    child_diagnostics={"database": ALL_LOGS},
    lifecycle="protect",
    roles=NoRoles(
        "data access is the cache's own access policy assignments (the project identity and the team lead, AI and "
        "app developers, see data access); Reader on the resource group already shows the cache"
    ),
    build=_build,
    environment_defaults=_environment_defaults,
    data_access=DATA_ACCESS,
    guardrails=(*PRIVATE_SERVICE_GUARDRAILS, *NAME_GUARDRAILS),
)
