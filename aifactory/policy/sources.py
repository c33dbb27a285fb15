"""Links from a rule to what it encodes: ALZ initiatives, built-in definitions, Microsoft Learn.

Built-in definitions live in ``Azure/azure-policy`` (``built-in-policies/policyDefinitions/``),
ALZ's own in ``Azure/Enterprise-Scale`` (``src/resources/Microsoft.Authorization/``). Effects are
the defaults of ALZ's initiative parameters, which its assignments do not override.
"""

from __future__ import annotations

from urllib.parse import quote

from aifactory.policy.model import Source

__all__ = ["alz_custom", "builtin", "learn", "product"]

_BUILTIN = "https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/"
_ALZ = "https://github.com/Azure/Enterprise-Scale/blob/main/src/resources/Microsoft.Authorization/policyDefinitions/"


def builtin(initiative: str, member: str, guid: str, path: str, effect: str = "Deny") -> Source:
    """A built-in definition that an ALZ initiative assigns as ``member``."""
    return Source(f"{initiative} / {member}", _BUILTIN + quote(path), definition=guid, effect=effect)


def alz_custom(initiative: str, member: str, name: str, effect: str = "Deny") -> Source:
    """One of ALZ's own (custom) definitions; ``initiative`` is empty when ALZ ships it unassigned."""
    policy = f"{initiative} / {member}" if initiative else name
    return Source(policy, f"{_ALZ}{name}.json", definition=name, effect=effect)


def learn(title: str, url: str) -> Source:
    """A documented Azure constraint (Microsoft Learn, ARM schema or the provider's docs)."""
    return Source(title, url)


def product(promise: str, url: str) -> Source:
    """The factory's own promise (README), optionally backed by a Microsoft page."""
    return Source(promise, url)
