"""Azure SQL for a project: a logical server and one database, private, Entra-only, TLS 1.2, audited.

The logical server is created with Microsoft Entra-only authentication (``administrators`` with
``azureADOnlyAuthentication: true`` in the create request, which is what ALZ's "Azure SQL logical
servers should have Microsoft Entra-only authentication enabled during creation" checks, so no SQL
login or password ever exists), public network access off (the private endpoint ``sqlServer`` in
zone ``privatelink.database.windows.net`` is the only way in) and minimal TLS 1.2.

Its one Entra administrator is the team lead's group where the factory manages groups, else the
project's managed identity: a group, so people come and go without touching the server, and never a
single person. Azure only takes ``administrators`` when the server is created, so the server ignores
later changes to it and the separate ``administrators/ActiveDirectory`` and
``azureADOnlyAuthentications/Default`` resources keep the administrator and Entra-only
authentication as planned, in place. Other personas and the project identity become database users
inside the database (``CREATE USER [<name>] FROM EXTERNAL PROVIDER``), a data-plane step.

Auditing goes to the environment's Log Analytics workspace the way Microsoft documents it for the
REST API: the server's auditing policy with ``isAzureMonitorTargetEnabled`` and a diagnostic setting
on the ``master`` database with its audit logs (the server's own audit lands there); the user
database sends all its logs and metrics. The server runs as the project identity (its primary
identity). It holds data: protected and locked in stage and prod (the database with it).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS, AUDIT_LOGS, DiagnosticProfile
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.data_access import DataAccess, DataPrincipal, data_principals
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
    from pulumi_azure_native import sql

    from aifactory.config.types import EnvironmentName
    from aifactory.plan.rbac import ProjectAccess
    from aifactory.services.context import ServiceContext

__all__ = [
    "ADMINISTRATOR",
    "AUDIT_ACTIONS",
    "AZURE_SQL",
    "AzureSql",
    "SqlServer",
    "sql_administrator",
]

BackupRedundancy = Literal["Local", "Zone", "Geo"]

ADMINISTRATOR = DataAccess(
    "administer the server and its database with Entra ID and create the other personas' database users: the "
    "team lead's group, or the project identity where there is no managed group",
    personas=("team-lead",),
    identity=True,
)

AUDIT_ACTIONS = (
    "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP",
    "FAILED_DATABASE_AUTHENTICATION_GROUP",
    "BATCH_COMPLETED_GROUP",
)
"""Azure SQL's default audit action groups (Learn, "Auditing for Azure SQL Database")."""

SERVER_AUDIT = DiagnosticProfile(
    None, metrics=False, sub_resources=("databases/master",), sub_resource_profile=AUDIT_LOGS
)
"""No setting on the logical server (it has no logs of its own); the server's audit through ``master``."""

MANAGE_DATABASE = RoleSet(
    "scale, copy and restore the project's SQL database (control plane; no data access, no server security)",
    {"sql": ("SQL DB Contributor",)},
)


@dataclass(frozen=True)
class _EnvironmentDefaults:
    sku: str
    backup_retention_days: int
    backup_redundancy: BackupRedundancy
    zone_redundant: bool


_DEFAULTS: MappingProxyType[EnvironmentName, _EnvironmentDefaults] = MappingProxyType(
    {
        "dev": _EnvironmentDefaults("GP_S_Gen5_1", 7, "Local", False),
        "stage": _EnvironmentDefaults("GP_S_Gen5_2", 14, "Zone", False),
        "prod": _EnvironmentDefaults("GP_Gen5_2", 35, "Geo", True),
    }
)


class AzureSql(ServiceSettings):
    """Azure SQL logical server and database, private and Entra-only."""

    sku: str | None = Field(
        default=None,
        pattern=r"^(GP_S_Gen5_[0-9]+|GP_Gen5_[0-9]+|BC_Gen5_[0-9]+|HS_Gen5_[0-9]+|HS_S_Gen5_[0-9]+)$",
        description="Optional. Database SKU (vCore: GP_S_Gen5_<n> serverless, GP_Gen5_<n>, BC_Gen5_<n>, HS_Gen5_<n>). "
        "Default: GP_S_Gen5_1 in dev, GP_S_Gen5_2 in stage, GP_Gen5_2 in prod.",
    )
    max_size_gb: int = Field(default=32, ge=1, le=4096, description="Optional. Maximum database size. Default: 32.")
    database: str = Field(
        default="app",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$",
        description="Optional. Database name. Default: app.",
    )
    backup_retention_days: int | None = Field(
        default=None,
        ge=1,
        le=35,
        description="Optional. Point-in-time restore window (1-35 days). Default: 7 dev, 14 stage, 35 prod.",
    )
    backup_redundancy: BackupRedundancy | None = Field(
        default=None, description="Optional. Backup storage redundancy. Default: Local dev, Zone stage, Geo prod."
    )
    zone_redundant: bool | None = Field(
        default=None,
        description="Optional. Spread replicas across zones. Default: false in dev and stage, true in prod.",
    )


def _environment_defaults(settings: AzureSql, environment: EnvironmentName) -> AzureSql:
    defaults = _DEFAULTS[environment]
    return settings.model_copy(
        update={
            "sku": settings.sku or defaults.sku,
            "backup_retention_days": settings.backup_retention_days or defaults.backup_retention_days,
            "backup_redundancy": settings.backup_redundancy or defaults.backup_redundancy,
            "zone_redundant": defaults.zone_redundant if settings.zone_redundant is None else settings.zone_redundant,
        }
    )


def sql_administrator(project: ProjectAccess) -> DataPrincipal:
    """The server's one Entra administrator: the team lead's managed group, else the project identity."""
    principals = data_principals(project, ADMINISTRATOR)
    groups = [p for p in principals if p.kind == "group"]
    return groups[0] if groups else principals[0]


@dataclass(frozen=True, kw_only=True)
class SqlServer(Built["sql.Server"]):
    """The logical server (``resource``), its database and the administrator it has."""

    database: sql.Database
    administrator: DataPrincipal


def _build(ctx: ServiceContext, settings: AzureSql | None) -> SqlServer:
    import pulumi
    from pulumi_azure_native import sql

    settings = resolved(settings, "sql")
    project = ctx.require_project()
    identity = project.identity
    administrator = sql_administrator(ctx.plan.access.projects[project.plan.spec.id])
    object_id = project.principals[administrator.key]
    principal_type = sql.PrincipalType.GROUP if administrator.kind == "group" else sql.PrincipalType.APPLICATION
    server = sql.Server(
        ctx.service.logical_name,
        server_name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        version="12.0",
        administrators=sql.ServerExternalAdministratorArgs(
            administrator_type=sql.AdministratorType.ACTIVE_DIRECTORY,
            azure_ad_only_authentication=True,
            login=administrator.name,
            principal_type=principal_type,
            sid=object_id,
            tenant_id=ctx.stack.tenant_id,
        ),
        minimal_tls_version=sql.MinimalTlsVersion.MINIMAL_TLS_VERSION_1_2,
        public_network_access=sql.ServerPublicNetworkAccessFlag.DISABLED,
        identity=sql.ResourceIdentityArgs(
            type=sql.IdentityType.USER_ASSIGNED, user_assigned_identities=[identity.identity_id]
        ),
        primary_user_assigned_identity_id=identity.identity_id,
        tags=dict(ctx.tags),
        # Azure reads ``administrators`` on create only; the resources below keep it up to date in place.
        opts=ctx.options(ignore_changes=["administrators"]),
    )
    admin = sql.ServerAzureADAdministrator(
        f"{ctx.service.logical_name}-entra-admin",
        administrator_name="ActiveDirectory",
        administrator_type=sql.AdministratorType.ACTIVE_DIRECTORY,
        login=administrator.name,
        sid=object_id,
        tenant_id=ctx.stack.tenant_id,
        server_name=server.name,
        resource_group_name=ctx.resource_group_name,
        opts=pulumi.ResourceOptions(parent=server),
    )
    entra_only = sql.ServerAzureADOnlyAuthentication(
        f"{ctx.service.logical_name}-entra-only",
        authentication_name="Default",
        azure_ad_only_authentication=True,
        server_name=server.name,
        resource_group_name=ctx.resource_group_name,
        opts=pulumi.ResourceOptions(parent=server, depends_on=[admin]),
    )
    sql.ServerBlobAuditingPolicy(
        f"{ctx.service.logical_name}-audit",
        blob_auditing_policy_name="default",
        state=sql.BlobAuditingPolicyState.ENABLED,
        is_azure_monitor_target_enabled=True,
        audit_actions_and_groups=list(AUDIT_ACTIONS),
        server_name=server.name,
        resource_group_name=ctx.resource_group_name,
        opts=pulumi.ResourceOptions(parent=server, depends_on=[entra_only]),
    )
    sku = resolved(settings.sku, "sql.sku")
    serverless = "_S_" in sku
    database = sql.Database(
        f"{ctx.service.logical_name}-db",
        database_name=settings.database,
        server_name=server.name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        sku=sql.SkuArgs(name=sku),
        max_size_bytes=settings.max_size_gb * 1024**3,
        zone_redundant=resolved(settings.zone_redundant, "sql.zone_redundant"),
        requested_backup_storage_redundancy=resolved(settings.backup_redundancy, "sql.backup_redundancy"),
        auto_pause_delay=60 if serverless else None,
        min_capacity=0.5 if serverless else None,
        tags=dict(ctx.tags),
        opts=ctx.protected(server),
    )
    sql.BackupShortTermRetentionPolicy(
        f"{ctx.service.logical_name}-db-retention",
        policy_name="default",
        retention_days=resolved(settings.backup_retention_days, "sql.backup_retention_days"),
        database_name=database.name,
        server_name=server.name,
        resource_group_name=ctx.resource_group_name,
        opts=pulumi.ResourceOptions(parent=database),
    )
    return SqlServer(resource=server, children={"database": database}, database=database, administrator=administrator)


AZURE_SQL: ServiceDeclaration[AzureSql, SqlServer] = ServiceDeclaration(
    name="sql",
    title="Azure SQL Database",
    label="Azure SQL",
    summary="A private, Entra-only Azure SQL logical server with one database, TLS 1.2, audited to the "
    "environment's Log Analytics workspace.",
    naming_kind="sql_server",
    logical_stem="sql",
    settings=AzureSql,
    projects=ProjectUse(types=PROJECT_TYPES),
    common=None,
    endpoints=PrivateEndpoints("sql", ("sqlServer",)),
    diagnostics=SERVER_AUDIT,
    child_diagnostics={"database": ALL_LOGS_AND_METRICS},
    lifecycle="protect_lock",
    roles=ServiceRoles(personas={"team-lead": (MANAGE_DATABASE,)}, deployment=(MANAGE_DATABASE,)),
    build=_build,
    environment_defaults=_environment_defaults,
    data_access=ADMINISTRATOR,
    guardrails=(
        *PRIVATE_SERVICE_GUARDRAILS,
        "ALZ-DENY-PUBLIC-PAAS-SQL",
        "ALZ-SQL-ENTRA-ONLY-ON-CREATE",
        "ALZ-SQL-ENTRA-ONLY",
        "ALZ-SQL-TLS",
        *NAME_GUARDRAILS,
    ),
)
