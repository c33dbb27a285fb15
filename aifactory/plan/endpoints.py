"""Private endpoints as plan data: one decision, shared by the DNS plan, the components and the reports.

Which instance gets endpoints for which group ids is declared per service
(:class:`aifactory.services.model.PrivateEndpoints`) and planned per instance
(:mod:`aifactory.plan.services`); the DNS plan creates exactly the zones these endpoints need, and
the site that builds an instance creates exactly these endpoints (through ``PrivateEndpointSet``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aifactory.catalog.dns_zones import GroupId, PrivateLinkKind

if TYPE_CHECKING:
    from aifactory.services.registry import ServiceKey

__all__ = ["PlannedEndpoint"]


@dataclass(frozen=True)
class PlannedEndpoint:
    """Endpoints for one target instance: its private link kind and group ids.

    ``target`` is the instance's key in its workload (``storage``, ``datalake``, ...);
    ``logical_name`` names the ``PrivateEndpointSet`` (part of the endpoints' URNs).
    """

    target: ServiceKey
    kind: PrivateLinkKind
    group_ids: tuple[GroupId, ...]
    logical_name: str
