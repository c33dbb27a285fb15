"""Key Vault: every project's vault and the core team's, one body.

RBAC permission model (no access policies), purge protection and soft delete (the retention of
``shared_services.key_vault_soft_delete_days``), not usable for VM deployment, disk encryption or
template deployment, public network access off and a default-deny firewall that lets trusted Azure
services through; a project's ``network.allow_ips`` exception opens its own vault to those ranges.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
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
    from pulumi_azure_native import keyvault

    from aifactory.plan.public_access import PublicAccess
    from aifactory.services.context import ServiceContext

__all__ = ["KEY_VAULT", "key_vault_access"]


def key_vault_access(access: PublicAccess) -> dict[str, Any]:
    """Public network access and the firewall: deny by default, the exception's ranges allowed."""
    from pulumi_azure_native import keyvault

    return {
        "public_network_access": "Enabled" if access.enabled else "Disabled",
        "network_acls": keyvault.NetworkRuleSetArgs(
            default_action=keyvault.NetworkRuleAction.DENY,
            bypass=keyvault.NetworkRuleBypassOptions.AZURE_SERVICES,
            ip_rules=[keyvault.IPRuleArgs(value=r) for r in access.ranges] or None,
        ),
    }


def _build(ctx: ServiceContext, _settings: None) -> Built[keyvault.Vault]:
    from pulumi_azure_native import keyvault

    vault = keyvault.Vault(
        ctx.service.logical_name,
        vault_name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        properties=keyvault.VaultPropertiesArgs(
            tenant_id=ctx.stack.tenant_id,
            sku=keyvault.SkuArgs(family=keyvault.SkuFamily.A, name=keyvault.SkuName.STANDARD),
            enable_rbac_authorization=True,
            enable_purge_protection=True,
            enable_soft_delete=True,
            soft_delete_retention_in_days=ctx.stack.shared_services.key_vault_soft_delete_days,
            **ctx.access_args(),
            enabled_for_deployment=False,
            enabled_for_disk_encryption=False,
            enabled_for_template_deployment=False,
        ),
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    return Built(resource=vault)


KEY_VAULT: ServiceDeclaration[None, Built[keyvault.Vault]] = ServiceDeclaration(
    name="key_vault",
    title="Key Vault",
    label="Key Vault",
    summary="The project's vault for the few secrets that cannot be keyless (every project has one); in the "
    "common environment, the core team's vault.",
    naming_kind="key_vault",
    logical_stem="kv",
    settings=None,
    projects=ProjectUse(types=PROJECT_TYPES, always=True),
    common=CommonUse(when=ALWAYS, logical_name="common-kv", why="the core team's shared secrets"),
    endpoints=PrivateEndpoints("key_vault", ("vault",)),
    diagnostics=ALL_LOGS_AND_METRICS,
    # Protected, not locked: a lock on the vault would also hold the role assignments at its scope (a
    # persona's or an identity's secrets access) and its endpoint connection. Purge protection (always on)
    # keeps a deleted vault and its secrets recoverable for the retention period instead.
    lifecycle="protect",
    ip_firewall=key_vault_access,
    roles=NoRoles(
        "part of every project's baseline access: the team lead keeps secrets, members read them, readers see their "
        "names (see Baseline access)"
    ),
    build=_build,
    guardrails=(
        "AIF-PUBLIC-NETWORK",
        "AIF-PRIVATE-ENDPOINT",
        "AIF-KEY-VAULT-PROTECTION",
        "AIF-DIAGNOSTICS",
        "AIF-REQUIRED-TAGS",
        "ALZ-DENY-PUBLIC-PAAS-KEYVAULT",
        "ALZ-KEYVAULT-SOFT-DELETE",
        "ALZ-KEYVAULT-PURGE-PROTECTION",
        "ALZ-KEYVAULT-RBAC",
        "ARM-NAME-LENGTH",
        "ARM-NAME-CHARACTERS",
    ),
)
