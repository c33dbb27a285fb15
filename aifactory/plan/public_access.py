"""Public network exceptions: the only way a project's service becomes reachable from outside.

Private by default. A project lists ``network.allow_ips`` (public client ranges: an office, a
partner); then - and only then - the services whose firewalls can restrict callers by IP open their
public endpoint to exactly those ranges, with everything else denied. Services whose Azure API has
no IP firewall (Azure ML workspace, Databricks, Data Factory, Event Hubs, Container Apps) stay
private whatever the list says; the plan shows which services an exception opens.
"""

from __future__ import annotations

from dataclasses import dataclass

import netaddr

from aifactory.config.project import ProjectSpec

__all__ = ["IP_FIREWALL_SERVICES", "PublicAccess", "opened_services", "public_access"]

IP_FIREWALL_SERVICES = ("storage", "key_vault", "container_registry", "ai_foundry", "ai_search", "cosmos_db", "web_app")
"""Services whose firewall restricts public callers by IP (the project's storage and key vault always exist)."""


@dataclass(frozen=True)
class PublicAccess:
    """A project's public exception: the allowed ranges (empty: private only)."""

    ranges: tuple[str, ...] = ()

    @property
    def enabled(self) -> bool:
        return bool(self.ranges)

    @property
    def storage_rules(self) -> tuple[str, ...]:
        """Ranges as Azure Storage takes them: single addresses without /32, no /31 (split in two)."""
        rules: list[str] = []
        for cidr in self.ranges:
            network = netaddr.IPNetwork(cidr)
            if network.prefixlen >= 31:
                rules.extend(str(address) for address in network)
            else:
                rules.append(str(network.cidr))
        return tuple(rules)


def public_access(project: ProjectSpec) -> PublicAccess:
    """The project's exception in its environment (``network.allow_ips`` may differ per environment)."""
    return PublicAccess(tuple(project.network.allow_ips))


def opened_services(project: ProjectSpec) -> tuple[str, ...]:
    """The project's services an exception opens, for the plan's report."""
    if not project.network.allow_ips:
        return ()
    enabled = project.enabled_services()
    return tuple(s for s in IP_FIREWALL_SERVICES if s in ("storage", "key_vault") or s in enabled)
