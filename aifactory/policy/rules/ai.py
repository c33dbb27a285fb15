"""The factory's promise for AI accounts and the agents' access, as rules.

- ``AIF-COGNITIVE-CUSTOM-SUBDOMAIN``: every Cognitive Services account (Foundry and the standalone
  OpenAI, Content Safety, Document Intelligence, Speech and Vision accounts) has its own name as
  custom subdomain. Entra ID tokens and private endpoints work only on the custom-subdomain
  endpoint (Microsoft Learn, "Custom subdomain names for Azure AI services"), so a keyless,
  private account without one cannot be called at all.
- ``AIF-BLOB-OWNER-CONDITIONED``: Storage Blob Data Owner is only ever assigned with an ABAC
  condition (version 2.0). Unconditioned, it is a storage super-user that bypasses every ACL of a
  hierarchical namespace; the factory's only Owner grant is the Foundry agents' one, conditioned
  as Microsoft's standard agent setup conditions it.
"""

from __future__ import annotations

from collections.abc import Iterable

from aifactory.policy import types as rt
from aifactory.policy.fields import equals, shown
from aifactory.policy.model import UNKNOWN, GuardrailContext, ResourceRule, ResourceView
from aifactory.policy.sources import product

__all__ = ["AI_RULES", "BLOB_DATA_OWNER_ID"]

BLOB_DATA_OWNER_ID = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
"""Storage Blob Data Owner's built-in role id (aifactory.catalog.roles)."""

_SUBDOMAIN_URL = "https://learn.microsoft.com/azure/ai-services/cognitive-services-custom-subdomains"
_CONDITIONS_URL = "https://learn.microsoft.com/azure/role-based-access-control/conditions-overview"


def _custom_subdomain(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    name = view.get("accountName")
    subdomain = view.get("properties.customSubDomainName")
    if UNKNOWN in (name, subdomain):
        return []
    if not subdomain:
        return [f"properties.customSubDomainName is {shown(subdomain)}: set it to the account name {shown(name)}"]
    if name is not None and not equals(subdomain, name):
        return [f"properties.customSubDomainName is {shown(subdomain)}, not the account name: set it to {shown(name)}"]
    return []


def _blob_owner_conditioned(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    definition = view.get("roleDefinitionId")
    if definition is UNKNOWN or not isinstance(definition, str) or not definition.lower().endswith(BLOB_DATA_OWNER_ID):
        return []
    condition, version = view.get("condition"), view.get("conditionVersion")
    if UNKNOWN in (condition, version):
        return []
    if not condition:
        return [
            "Storage Blob Data Owner without a condition: grant Storage Blob Data Contributor, or add an ABAC "
            "condition that limits what Owner adds"
        ]
    if not equals(version, "2.0"):
        return [f"conditionVersion is {shown(version)}: set it to 2.0"]
    return []


AI_RULES: tuple[ResourceRule, ...] = (
    ResourceRule(
        "AIF-COGNITIVE-CUSTOM-SUBDOMAIN",
        "Cognitive Services accounts have their name as custom subdomain (Entra ID and private endpoints need it)",
        "mandatory",
        (rt.COGNITIVE_ACCOUNT,),
        product("aifactory: keyless by default", _SUBDOMAIN_URL),
        _custom_subdomain,
    ),
    ResourceRule(
        "AIF-BLOB-OWNER-CONDITIONED",
        "Storage Blob Data Owner is only assigned with an ABAC condition",
        "mandatory",
        (rt.ROLE_ASSIGNMENT,),
        product("aifactory: least privilege", _CONDITIONS_URL),
        _blob_owner_conditioned,
    ),
)
