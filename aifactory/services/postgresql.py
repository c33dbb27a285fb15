"""Azure Database for PostgreSQL flexible server for a project: private, Entra-only, TLS 1.2.

Private access through a private endpoint (``postgresqlServer``, zone
``privatelink.postgres.database.azure.com``) with public network access disabled, so the server has
no public endpoint and no firewall the factory opens (``network.allow_ips`` leaves it private).
Authentication is Microsoft Entra only (password authentication off, so there is no administrator
login or password anywhere); the server parameters ``require_secure_transport=on`` and
``ssl_min_protocol_version=TLSv1.2`` are set explicitly so nobody turns TLS off without the plan
showing it.

Entra administrators (several are allowed, each a member of ``azure_pg_admin``): the project's
managed identity (the apps connect as it), the team lead's group and the project's CI identity
(schema migrations). Other personas get database roles *inside* PostgreSQL - a data-plane step an
administrator runs (``SELECT * FROM pgaadauth_create_principal('<group>', false, false)`` and
``GRANT``), which Azure Resource Manager cannot express; docs/services.md says how.

Compute tier, backup retention and high availability default per environment (small and
single-zone in dev, zone-redundant in prod); geo-redundant backup can only be chosen when the
server is created. It holds data: protected and locked in stage and prod (its databases with it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
from aifactory.errors import Invalid
from aifactory.services.access import NoRoles
from aifactory.services.data_access import DataAccess, DataPrincipalKind, data_principals
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
    import pulumi
    from pulumi_azure_native import dbforpostgresql

    from aifactory.config.types import EnvironmentName
    from aifactory.services.context import ServiceContext

__all__ = [
    "ENTRA_ADMINISTRATORS",
    "POSTGRESQL",
    "SECURE_TRANSPORT",
    "PostgreSql",
    "PostgreSqlServer",
    "compute_tier",
]

HighAvailability = Literal["Disabled", "SameZone", "ZoneRedundant"]
ComputeTier = Literal["Burstable", "GeneralPurpose", "MemoryOptimized"]

SECURE_TRANSPORT: MappingProxyType[str, str] = MappingProxyType(
    {"require_secure_transport": "on", "ssl_min_protocol_version": "TLSv1.2"}
)
"""Server parameters that enforce encrypted connections (both dynamic: no restart)."""

ENTRA_ADMINISTRATORS = DataAccess(
    "administer the server with Entra ID (member of azure_pg_admin): the apps as the project identity, schema "
    "migrations as CI, and the team lead, who creates database roles for the other personas",
    personas=("team-lead",),
    identity=True,
    deployment=True,
)


@dataclass(frozen=True)
class _EnvironmentDefaults:
    sku: str
    backup_retention_days: int
    high_availability: HighAvailability


_DEFAULTS: MappingProxyType[EnvironmentName, _EnvironmentDefaults] = MappingProxyType(
    {
        "dev": _EnvironmentDefaults("Standard_B1ms", 7, "Disabled"),
        "stage": _EnvironmentDefaults("Standard_D2ds_v5", 14, "Disabled"),
        "prod": _EnvironmentDefaults("Standard_D2ds_v5", 35, "ZoneRedundant"),
    }
)

_TIERS: dict[str, ComputeTier] = {"B": "Burstable", "D": "GeneralPurpose", "E": "MemoryOptimized"}
_DATABASE_NAME = r"^[a-z][a-z0-9_]{0,62}$"
_PRINCIPAL_TYPES: dict[DataPrincipalKind, str] = {
    "user": "user",
    "group": "group",
    "service_principal": "servicePrincipal",
}


def compute_tier(sku: str) -> ComputeTier:
    """The compute tier of a flexible server SKU: ``Standard_B*`` Burstable, ``D*`` General Purpose, ``E*`` Memory."""
    return _TIERS[sku.removeprefix("Standard_")[0]]


class PostgreSql(ServiceSettings):
    """PostgreSQL flexible server, private and Entra-only."""

    version: Literal["14", "15", "16", "17"] = Field(
        default="17", description="Optional. PostgreSQL major version. Default: 17."
    )
    sku: str | None = Field(
        default=None,
        pattern=r"^Standard_[BDE][0-9]+[a-z_0-9]*$",
        description="Optional. Compute size (Standard_B* Burstable, Standard_D* General Purpose, Standard_E* Memory "
        "Optimized). Default: Standard_B1ms in dev, Standard_D2ds_v5 in stage and prod.",
    )
    storage_gb: Literal[32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767] = Field(
        default=32, description="Optional. Storage size in GiB (grows automatically). Default: 32."
    )
    backup_retention_days: int | None = Field(
        default=None,
        ge=7,
        le=35,
        description="Optional. Backup retention (7-35 days). Default: 7 dev, 14 stage, 35 prod.",
    )
    geo_redundant_backup: bool = Field(
        default=False,
        description="Optional. Geo-redundant backups; Azure accepts this only when the server is created. "
        "Default: false.",
    )
    high_availability: HighAvailability | None = Field(
        default=None,
        description="Optional. High availability (not on Burstable). Default: Disabled in dev and stage, "
        "ZoneRedundant in prod unless the SKU is Burstable.",
    )
    databases: list[str] = Field(
        default_factory=lambda: ["app"],
        description="Optional. Databases to create (lowercase letters, digits, underscores). Default: app.",
    )

    @model_validator(mode="after")
    def _checks(self) -> PostgreSql:
        if self.sku and self.high_availability not in (None, "Disabled") and compute_tier(self.sku) == "Burstable":
            raise Invalid(
                f"high availability {self.high_availability} is not available on the Burstable tier ({self.sku})",
                "use a General Purpose or Memory Optimized SKU (e.g. Standard_D2ds_v5) or high_availability: Disabled",
                field="high_availability",
                value=self.high_availability,
            )
        for index, name in enumerate(self.databases):
            if not _matches(name) or name in ("postgres", "azure_maintenance", "azure_sys"):
                raise Invalid(
                    "is not a database name the factory may create",
                    "use lowercase letters, digits and underscores, starting with a letter (not postgres, azure_sys "
                    "or azure_maintenance)",
                    field=f"databases[{index}]",
                    value=name,
                )
        if len(set(self.databases)) != len(self.databases):
            raise Invalid("lists a database twice", "list each database once", field="databases", value=self.databases)
        return self


def _matches(name: str) -> bool:
    return re.fullmatch(_DATABASE_NAME, name) is not None


def _environment_defaults(settings: PostgreSql, environment: EnvironmentName) -> PostgreSql:
    """Size, retention and HA where the project leaves them open; never HA on a Burstable SKU."""
    defaults = _DEFAULTS[environment]
    sku = settings.sku or defaults.sku
    high_availability = settings.high_availability or (
        defaults.high_availability if compute_tier(sku) != "Burstable" else "Disabled"
    )
    return settings.model_copy(
        update={
            "sku": sku,
            "backup_retention_days": settings.backup_retention_days or defaults.backup_retention_days,
            "high_availability": high_availability,
        }
    )


@dataclass(frozen=True, kw_only=True)
class PostgreSqlServer(Built["dbforpostgresql.Server"]):
    """The server (``resource``), its Entra administrators and its databases."""

    administrators: tuple[dbforpostgresql.AdministratorsMicrosoftEntra, ...]
    databases: tuple[dbforpostgresql.Database, ...]


def _build(ctx: ServiceContext, settings: PostgreSql | None) -> PostgreSqlServer:
    import pulumi
    from pulumi_azure_native import dbforpostgresql

    settings = resolved(settings, "postgresql")
    sku = resolved(settings.sku, "postgresql.sku")
    project = ctx.require_project()
    server = dbforpostgresql.Server(
        ctx.service.logical_name,
        server_name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        version=settings.version,
        sku=dbforpostgresql.SkuArgs(name=sku, tier=compute_tier(sku)),
        storage=dbforpostgresql.StorageArgs(
            storage_size_gb=settings.storage_gb, auto_grow=dbforpostgresql.StorageAutoGrow.ENABLED
        ),
        backup=dbforpostgresql.BackupArgs(
            backup_retention_days=resolved(settings.backup_retention_days, "postgresql.backup_retention_days"),
            geo_redundant_backup="Enabled" if settings.geo_redundant_backup else "Disabled",
        ),
        high_availability=dbforpostgresql.HighAvailabilityArgs(
            mode=resolved(settings.high_availability, "postgresql.high_availability")
        ),
        auth_config=dbforpostgresql.AuthConfigArgs(
            active_directory_auth=dbforpostgresql.MicrosoftEntraAuth.ENABLED,
            password_auth=dbforpostgresql.PasswordBasedAuth.DISABLED,
            tenant_id=ctx.stack.tenant_id,
        ),
        network=dbforpostgresql.NetworkArgs(
            public_network_access=dbforpostgresql.ServerPublicNetworkAccessState.DISABLED
        ),
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    # One write at a time: a flexible server serialises its configuration, administrator and database updates.
    previous: list[pulumi.Resource] = []
    for name, value in SECURE_TRANSPORT.items():
        configuration = dbforpostgresql.Configuration(
            f"{ctx.service.logical_name}-{name.replace('_', '-')}",
            configuration_name=name,
            server_name=server.name,
            resource_group_name=ctx.resource_group_name,
            source="user-override",
            value=value,
            opts=pulumi.ResourceOptions(parent=server, depends_on=previous),
        )
        previous = [configuration]
    access = ctx.plan.access.projects[project.plan.spec.id]
    administrators = []
    for principal in data_principals(access, ENTRA_ADMINISTRATORS):
        label = principal.key.removeprefix(f"{ctx.workload}/").replace("/", "-").replace(":", "-").replace("@", "-")
        administrator = dbforpostgresql.AdministratorsMicrosoftEntra(
            f"{ctx.service.logical_name}-admin-{label}",
            object_id=project.principals[principal.key],
            principal_name=principal.name,
            principal_type=_PRINCIPAL_TYPES[principal.kind],
            tenant_id=ctx.stack.tenant_id,
            server_name=server.name,
            resource_group_name=ctx.resource_group_name,
            opts=pulumi.ResourceOptions(parent=server, depends_on=previous),
        )
        administrators.append(administrator)
        previous = [administrator]
    databases = []
    for name in settings.databases:
        database = dbforpostgresql.Database(
            f"{ctx.service.logical_name}-db-{name.replace('_', '-')}",
            database_name=name,
            server_name=server.name,
            resource_group_name=ctx.resource_group_name,
            charset="UTF8",
            collation="en_US.utf8",
            opts=ctx.protected(server, depends_on=previous),
        )
        databases.append(database)
        previous = [database]
    return PostgreSqlServer(resource=server, administrators=tuple(administrators), databases=tuple(databases))


POSTGRESQL: ServiceDeclaration[PostgreSql, PostgreSqlServer] = ServiceDeclaration(
    name="postgresql",
    title="Azure Database for PostgreSQL flexible server",
    label="PostgreSQL",
    summary="A private, Entra-only PostgreSQL flexible server with TLS 1.2 enforced; the project identity, CI and "
    "the team lead are its Entra administrators.",
    naming_kind="postgresql_server",
    logical_stem="psql",
    settings=PostgreSql,
    projects=ProjectUse(types=PROJECT_TYPES),
    common=None,
    endpoints=PrivateEndpoints("postgresql", ("postgresqlServer",)),
    diagnostics=ALL_LOGS_AND_METRICS,
    lifecycle="protect_lock",
    roles=NoRoles(
        "data access is inside the server: its Entra administrators (the project identity, CI and the team lead) "
        "create database roles for the other personas; Reader on the resource group already shows the server"
    ),
    build=_build,
    environment_defaults=_environment_defaults,
    data_access=ENTRA_ADMINISTRATORS,
    guardrails=(
        *PRIVATE_SERVICE_GUARDRAILS,
        "ALZ-DENY-PUBLIC-PAAS-POSTGRESQL-FLEX",
        "AIF-POSTGRESQL-SECURE-TRANSPORT",
        *NAME_GUARDRAILS,
    ),
)
