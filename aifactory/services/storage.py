"""Storage accounts: every project's own account and the environment's ADLS Gen2 datalake, one body.

Both are private and keyless: StorageV2, TLS 1.2, HTTPS only, shared keys off (Entra ID by
default, also in the portal), no public blob access, no cross-tenant replication, public network
access off and a default-deny firewall without the trusted-services bypass (the project's ML
workspace, AI Search and AI accounts get resource-instance rules), Microsoft-managed keys with
infrastructure (double) encryption and account-scoped keys for every service, copies only within
the tenant. A project's
``network.allow_ips`` exception opens its own account to exactly those ranges. The datalake adds a
hierarchical namespace and the configured redundancy, and turns local users and SFTP off
explicitly; its container, folders and ACLs are the datalake component's (``components/datalake.py``).

Projects get private endpoints for blob and file (GenAI) or blob, file, queue and table (ESML:
Azure ML's parallel jobs keep their queues and tables in the workspace storage); the datalake for
blob, dfs, file, queue and table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from aifactory.catalog.diagnostics import STORAGE as STORAGE_DIAGNOSTICS
from aifactory.services.access import NoRoles
from aifactory.services.model import (
    ALWAYS,
    PROJECT_TYPES,
    Built,
    CommonUse,
    PrivateEndpoints,
    ProjectUse,
    ServiceDeclaration,
)

if TYPE_CHECKING:
    from pulumi_azure_native import storage

    from aifactory.plan.public_access import PublicAccess
    from aifactory.services.context import ServiceContext

__all__ = ["DATALAKE", "DATALAKE_QUALIFIER", "STORAGE", "storage_access"]

DATALAKE: Literal["datalake"] = "datalake"
"""The datalake's key in the common environment (its scope is ``common/datalake``)."""
DATALAKE_QUALIFIER = "dl"


def storage_access(access: PublicAccess) -> dict[str, Any]:
    """Public network access and the firewall: deny by default, the exception's ranges allowed.

    No trusted-services bypass (the ALZ ``Deny-Storage-NetworkAclsBypass`` guardrail allows
    ``None`` only): the Azure services that reach the account from outside its network get a
    resource-instance rule each (:func:`aifactory.plan.trusted_access.storage_resource_access`).
    """
    from pulumi_azure_native import storage

    return {
        "public_network_access": "Enabled" if access.enabled else "Disabled",
        "network_rule_set": storage.NetworkRuleSetArgs(
            default_action=storage.DefaultAction.DENY,
            bypass=storage.Bypass.NONE,
            ip_rules=[
                storage.IPRuleArgs(i_p_address_or_range=r, action=storage.Action.ALLOW) for r in access.storage_rules
            ]
            or None,
        ),
    }


def _encryption() -> storage.EncryptionArgs:
    """Microsoft-managed keys, double encrypted, every service on account-scoped keys.

    Infrastructure encryption and the queue/table key type can only be chosen when the account
    is created (ALZ ``Deny-Storage-Infra-Encryption``, ``Deny-Storage-ServicesEncryption``).
    """
    from pulumi_azure_native import storage

    def service() -> storage.EncryptionServiceArgs:
        return storage.EncryptionServiceArgs(enabled=True, key_type=storage.KeyType.ACCOUNT)

    return storage.EncryptionArgs(
        key_source=storage.KeySource.MICROSOFT_STORAGE,
        require_infrastructure_encryption=True,
        services=storage.EncryptionServicesArgs(blob=service(), file=service(), queue=service(), table=service()),
    )


def _build(ctx: ServiceContext, _settings: None) -> Built[storage.StorageAccount]:
    from pulumi_azure_native import storage

    from aifactory.plan.trusted_access import storage_trusted_instances

    if ctx.placement == "common":
        variant: dict[str, Any] = {
            "sku": storage.SkuArgs(name=f"Standard_{ctx.stack.datalake.redundancy}"),
            "is_hns_enabled": True,
            "is_local_user_enabled": False,
            "is_sftp_enabled": False,
        }
    else:
        variant = {"sku": storage.SkuArgs(name=storage.SkuName.STANDARD_LRS)}
    access = ctx.access_args()
    if ctx.project is not None:
        project = ctx.project.plan
        trusted = storage_trusted_instances(
            project_id=project.spec.id,
            project_name=project.spec.name,
            services=tuple((s.service, s.azure_name) for s in project.services),
            subscription_id=project.subscription_id,
            tenant_id=ctx.stack.tenant_id,
            namer=ctx.plan.namer,
        )
        access["network_rule_set"].resource_access_rules = [
            storage.ResourceAccessRuleArgs(resource_id=t.resource_id, tenant_id=t.tenant_id) for t in trusted
        ] or None
    account = storage.StorageAccount(
        ctx.service.logical_name,
        account_name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        kind=storage.Kind.STORAGE_V2,
        access_tier=storage.AccessTier.HOT,
        allow_shared_key_access=False,
        default_to_o_auth_authentication=True,
        allow_blob_public_access=False,
        allow_cross_tenant_replication=False,
        allowed_copy_scope=storage.AllowedCopyScope.AAD,
        encryption=_encryption(),
        minimum_tls_version=storage.MinimumTlsVersion.TLS1_2,
        enable_https_traffic_only=True,
        **variant,
        **access,
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    return Built(resource=account)


STORAGE: ServiceDeclaration[None, Built[storage.StorageAccount]] = ServiceDeclaration(
    name="storage",
    title="Storage account",
    label="storage",
    summary="The project's own private, keyless storage account (every project has one); in the common "
    "environment, the ADLS Gen2 datalake.",
    naming_kind="storage_account",
    logical_stem="storage",
    settings=None,
    projects=ProjectUse(types=PROJECT_TYPES, always=True),
    common=CommonUse(
        when=ALWAYS,
        key=DATALAKE,
        qualifier=DATALAKE_QUALIFIER,
        logical_name="common-datalake-account",
        attachment_name="common-datalake",
        groups=("blob", "dfs", "file", "queue", "table"),
        why="the environment's ADLS Gen2 datalake (hierarchical namespace): master data and every project's folders",
    ),
    endpoints=PrivateEndpoints(
        "storage",
        ("blob", "file"),
        by_type={"esml": ("blob", "file", "queue", "table")},
        why="Azure ML's parallel jobs keep their work queue and progress in the workspace storage's queues and tables",
    ),
    diagnostics=STORAGE_DIAGNOSTICS,
    # Protected, not locked: a lock on the account would also hold the role assignments at its scope (a
    # persona's or an identity's data access), its endpoint connections and its diagnostic settings. The
    # datalake locks the container that holds its data instead (components/datalake.py).
    lifecycle="protect",
    ip_firewall=storage_access,
    roles=NoRoles(
        "part of every project's baseline access: personas read or write it, the project identity and CI use it "
        "(see Baseline access)"
    ),
    build=_build,
    guardrails=(
        "AIF-PUBLIC-NETWORK",
        "AIF-LOCAL-AUTH",
        "AIF-TLS12",
        "AIF-HTTPS-ONLY",
        "AIF-PRIVATE-ENDPOINT",
        "AIF-DIAGNOSTICS",
        "AIF-REQUIRED-TAGS",
        "ALZ-DENY-PUBLIC-PAAS-STORAGE",
        "ALZ-DENY-PUBLIC-PAAS-STORAGE-BLOB",
        "ALZ-STORAGE-COPY-SCOPE",
        "ALZ-STORAGE-SERVICES-ENCRYPTION",
        "ALZ-STORAGE-SFTP",
        "ALZ-STORAGE-NETWORK-ACLS-BYPASS",
        "ALZ-STORAGE-RESOURCE-ACCESS-TENANT",
        "ALZ-STORAGE-RESOURCE-ACCESS-RESOURCE-ID",
        "ALZ-STORAGE-VNET-RULES",
        "ALZ-STORAGE-CROSS-TENANT",
        "ALZ-STORAGE-SHARED-KEY",
        "ALZ-STORAGE-INFRA-ENCRYPTION",
        "ALZ-STORAGE-RESTRICT-NETWORK",
        "ALZ-STORAGE-VNET-ONLY",
        "ALZ-STORAGE-TLS",
        "ARM-NAME-LENGTH",
        "ARM-NAME-CHARACTERS",
    ),
)
