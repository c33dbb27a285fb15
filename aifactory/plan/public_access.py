"""Public network exceptions: the only way a project's service becomes reachable from outside.

Private by default. A project lists ``network.allow_ips`` (public client ranges: an office, a
partner); then - and only then - the services declared with an IP firewall
(:data:`aifactory.services.registry.IP_FIREWALL_SERVICES`) open their public endpoint to exactly
those ranges, with everything else denied. The other services stay private whatever the list says;
the plan shows which services an exception opens. How each service turns the exception into its
own access arguments is in its module (``storage_access``, ``key_vault_access``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

import netaddr

from aifactory.config.project import ProjectSpec
from aifactory.services.registry import IP_FIREWALL_SERVICES, ServiceName, project_declarations

__all__ = ["IP_FIREWALL_SERVICES", "PublicAccess", "opened_services", "public_access"]


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


def opened_services(project: ProjectSpec) -> tuple[ServiceName, ...]:
    """The project's services an exception opens, for the plan's report (registry order)."""
    if not project.network.allow_ips:
        return ()
    present = {s.name for s in project_declarations(project)}
    return tuple(name for name in IP_FIREWALL_SERVICES if name in present)
