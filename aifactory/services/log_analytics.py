"""Log Analytics: the environment's workspace, where every diagnostic setting sends logs and metrics.

Entra-only (local auth off), resource-context access only (a reader of a project's resources sees
exactly their logs), pay-per-GB with the configured retention. Its own audit (who queried what)
goes to itself. It keeps public ingestion and query: Azure Monitor's private link (AMPLS) rewrites
DNS for every Azure Monitor endpoint of the whole network it is linked to and belongs in the hub,
not in one spoke (see docs/network.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
from aifactory.services.access import NoRoles
from aifactory.services.model import ALWAYS, Built, CommonUse, NoPrivateEndpoint, ServiceDeclaration

if TYPE_CHECKING:
    from pulumi_azure_native import operationalinsights

    from aifactory.services.context import ServiceContext

__all__ = ["LOG_ANALYTICS"]


def _build(ctx: ServiceContext, _settings: None) -> Built[operationalinsights.Workspace]:
    from pulumi_azure_native import operationalinsights as loganalytics

    workspace = loganalytics.Workspace(
        ctx.service.logical_name,
        workspace_name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        sku=loganalytics.WorkspaceSkuArgs(name="PerGB2018"),
        retention_in_days=ctx.stack.shared_services.log_retention_days,
        features=loganalytics.WorkspaceFeaturesArgs(
            disable_local_auth=True, enable_log_access_using_only_resource_permissions=True
        ),
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    return Built(resource=workspace)


LOG_ANALYTICS: ServiceDeclaration[None, Built[operationalinsights.Workspace]] = ServiceDeclaration(
    name="log_analytics",
    title="Log Analytics workspace",
    label="Log Analytics",
    summary="The environment's workspace: every diagnostic setting of the factory sends its logs and metrics here.",
    naming_kind="log_analytics",
    logical_stem="log",
    settings=None,
    projects=None,
    common=CommonUse(when=ALWAYS, logical_name="common-log", why="the destination of every diagnostic setting"),
    endpoints=NoPrivateEndpoint(
        "Azure Monitor's private link scope (AMPLS) rewrites DNS for every Azure Monitor endpoint of the network it "
        "is linked to: it belongs in the hub, not in one spoke"
    ),
    diagnostics=ALL_LOGS_AND_METRICS,
    lifecycle="protect",
    roles=NoRoles(
        "resource-context access only: whoever may read a resource reads its logs; the core team reaches the "
        "workspace through its roles on the common resource group"
    ),
    build=_build,
    guardrails=(
        "AIF-LOCAL-AUTH",
        "AIF-DIAGNOSTICS",
        "AIF-REQUIRED-TAGS",
        "ARM-NAME-LENGTH",
        "ARM-NAME-CHARACTERS",
    ),
)
