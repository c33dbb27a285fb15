"""Network access arguments per service, from a project's :class:`PublicAccess`: one place for all.

Without an exception every service gets public network access disabled and a deny-all firewall;
with one, public access is enabled and the firewall admits exactly the listed ranges.
"""

from __future__ import annotations

from typing import Any

from pulumi_azure_native import cognitiveservices, containerregistry, cosmosdb, keyvault, search, storage, web

from aifactory.plan.public_access import PublicAccess

__all__ = [
    "cognitive_services_access",
    "container_registry_access",
    "cosmos_db_access",
    "key_vault_access",
    "search_access",
    "storage_access",
    "web_app_access",
]


def _state(access: PublicAccess) -> str:
    return "Enabled" if access.enabled else "Disabled"


def storage_access(access: PublicAccess) -> dict[str, Any]:
    return {
        "public_network_access": _state(access),
        "network_rule_set": storage.NetworkRuleSetArgs(
            default_action=storage.DefaultAction.DENY,
            bypass=storage.Bypass.AZURE_SERVICES,
            ip_rules=[
                storage.IPRuleArgs(i_p_address_or_range=r, action=storage.Action.ALLOW) for r in access.storage_rules
            ]
            or None,
        ),
    }


def key_vault_access(access: PublicAccess) -> dict[str, Any]:
    return {
        "public_network_access": _state(access),
        "network_acls": keyvault.NetworkRuleSetArgs(
            default_action=keyvault.NetworkRuleAction.DENY,
            bypass=keyvault.NetworkRuleBypassOptions.AZURE_SERVICES,
            ip_rules=[keyvault.IPRuleArgs(value=r) for r in access.ranges] or None,
        ),
    }


def container_registry_access(access: PublicAccess) -> dict[str, Any]:
    return {
        "public_network_access": _state(access),
        "network_rule_set": containerregistry.NetworkRuleSetArgs(
            default_action=containerregistry.DefaultAction.DENY,
            ip_rules=[
                containerregistry.IPRuleArgs(i_p_address_or_range=r, action=containerregistry.Action.ALLOW)
                for r in access.ranges
            ]
            or None,
        ),
    }


def cognitive_services_access(access: PublicAccess) -> dict[str, Any]:
    return {
        "public_network_access": _state(access),
        "network_acls": cognitiveservices.NetworkRuleSetArgs(
            default_action=cognitiveservices.NetworkRuleAction.DENY,
            bypass=cognitiveservices.ByPassSelection.AZURE_SERVICES,
            ip_rules=[cognitiveservices.IpRuleArgs(value=r) for r in access.ranges] or None,
        ),
    }


def search_access(access: PublicAccess) -> dict[str, Any]:
    return {
        "public_network_access": search.PublicNetworkAccess.ENABLED
        if access.enabled
        else search.PublicNetworkAccess.DISABLED,
        "network_rule_set": search.NetworkRuleSetArgs(
            bypass=search.SearchBypass.AZURE_SERVICES, ip_rules=[search.IpRuleArgs(value=r) for r in access.ranges]
        ),
    }


def cosmos_db_access(access: PublicAccess) -> dict[str, Any]:
    return {
        "public_network_access": _state(access),
        "ip_rules": [cosmosdb.IpAddressOrRangeArgs(ip_address_or_range=r) for r in access.ranges] or None,
    }


def web_app_access(access: PublicAccess) -> dict[str, Any]:
    """Site-level access and the site config's IP restrictions (deny by default)."""
    return {
        "public_network_access": _state(access),
        "ip_security_restrictions": [
            web.IpSecurityRestrictionArgs(
                ip_address=r,
                action="Allow",
                priority=100 + index,
                name=f"allow-ips-{index}",
                tag=web.IpFilterTag.DEFAULT,
            )
            for index, r in enumerate(access.ranges)
        ]
        or None,
        "ip_security_restrictions_default_action": web.DefaultAction.DENY,
    }
