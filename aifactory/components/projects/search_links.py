"""Shared private links from a GenAI project's AI Search service to the project's own stores.

The option is part of AI Search's settings (``shared_private_links``, see
:mod:`aifactory.services.ai_search`); the links are built here because they join two services: the
search service and its targets (storage, the Foundry account, Cosmos DB), the last of which the
project builds after AI Search. One link per target, one at a time (a search service takes one
shared private link operation at a time), each a child of the search service.

Azure creates each link's private endpoint connection on the target as pending, and the target's
owner approves it (``az network private-endpoint-connection approve``). Azure names the connection
itself when it creates it, so there is no resource the factory could declare to approve it; the
approval is a documented step after the first ``pulumi up`` (docs/services.md).
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import search

from aifactory.components.service_site import ServiceSite
from aifactory.services.ai_search import AI_SEARCH, AiSearch

__all__ = ["link_search_privately"]


def link_search_privately(site: ServiceSite, settings: AiSearch | None) -> list[search.SharedPrivateLinkResource]:
    """The planned shared private links of the project's search service (none without AI Search or links)."""
    deployed = site.get(AI_SEARCH)
    if deployed is None or settings is None:
        return []
    links: list[search.SharedPrivateLinkResource] = []
    for link in settings.shared_links():
        target = site.deployed.get(link.target)
        if target is None:
            msg = f"{deployed.service.workload}: AI Search links to {link.target}, which is not built"
            raise RuntimeError(msg)
        links.append(
            search.SharedPrivateLinkResource(
                f"{deployed.service.logical_name}-{link.name}",
                shared_private_link_resource_name=link.name,
                search_service_name=deployed.service.azure_name,
                resource_group_name=site.resource_group_name,
                properties=search.SharedPrivateLinkResourcePropertiesArgs(
                    private_link_resource_id=target.resource.id,
                    group_id=link.group_id,
                    request_message=f"aifactory {deployed.service.workload}: AI Search {link.why}",
                ),
                opts=pulumi.ResourceOptions(parent=deployed.resource, depends_on=[target.resource, *links[-1:]]),
            )
        )
    return links
