"""Event Hubs: a project's namespace with the event hubs its settings list.

Standard or Premium (the tiers with private link), local (SAS) authentication off so only Entra ID
works, TLS 1.2, public network access off; each configured hub is an intrinsic child of the
namespace with its partition count and retention. ``network.allow_ips`` does not open it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
from aifactory.config.base import ConfigModel, raise_all
from aifactory.errors import Invalid
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.model import (
    NAME_GUARDRAILS,
    PRIVATE_SERVICE_GUARDRAILS,
    PROJECT_TYPES,
    Built,
    PrivateEndpoints,
    ProjectUse,
    ServiceDeclaration,
    resolved,
)
from aifactory.services.settings import ServiceSettings

if TYPE_CHECKING:
    from pulumi_azure_native import eventhub

    from aifactory.services.context import ServiceContext

__all__ = [
    "CONSUME_EVENTS",
    "EVENT_HUBS",
    "PRODUCE_AND_CONSUME_EVENTS",
    "PRODUCE_EVENTS",
    "STREAM_EVENTS",
    "EventHub",
    "EventHubs",
]


class EventHub(ConfigModel):
    """One event hub in the namespace."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,49}$", description="Required. Hub name.")
    partitions: int = Field(default=2, ge=1, le=32, description="Optional. Partition count. Default: 2.")
    retention_hours: int = Field(default=24, ge=1, le=168, description="Optional. Retention. Default: 24.")


class EventHubs(ServiceSettings):
    """Event Hubs namespace, Entra-only (local auth off), private."""

    sku: Literal["Standard", "Premium"] = Field(
        default="Standard", description="Optional. Standard or above (private link). Default: Standard."
    )
    capacity: int = Field(default=1, ge=1, le=40, description="Optional. Throughput/processing units. Default: 1.")
    hubs: list[EventHub] = Field(default_factory=list, description="Optional. Event hubs to create. Default: none.")

    @model_validator(mode="after")
    def _hubs_fit_the_namespace(self) -> EventHubs:
        """Every hub named once, and no more hubs than the tier holds; every problem reported together.

        "Azure Event Hubs quotas and limits": 10 event hubs per Standard namespace, 100 per
        processing unit in Premium. A repeated name would be one hub created twice (two resources, one URN).
        """
        problems: list[Invalid] = []
        first_hub: dict[str, int] = {}
        for index, hub in enumerate(self.hubs):
            if first_hub.setdefault(hub.name, index) != index:
                problems.append(
                    Invalid(
                        f"names event hub {hub.name!r} twice (first in hubs[{first_hub[hub.name]}]); each entry is "
                        "one hub of the namespace",
                        "give every event hub its own name",
                        field=f"hubs[{index}].name",
                        value=hub.name,
                    )
                )
        limit = 10 if self.sku == "Standard" else 100 * self.capacity
        if len(self.hubs) > limit:
            problems.append(
                Invalid(
                    f"lists {len(self.hubs)} event hubs; a {self.sku} namespace of capacity {self.capacity} holds "
                    f"{limit}",
                    "split the hubs over projects, or use sku: Premium (100 event hubs per processing unit)",
                    field="hubs",
                    value=len(self.hubs),
                )
            )
        raise_all(EventHubs, problems)
        return self


PRODUCE_AND_CONSUME_EVENTS = RoleSet(
    "send to and read from the project's event hubs",
    {"event_hubs": ("Azure Event Hubs Data Sender", "Azure Event Hubs Data Receiver")},
)
CONSUME_EVENTS = RoleSet(
    "read the project's event streams",
    {"event_hubs": ("Azure Event Hubs Data Receiver",)},
)
PRODUCE_EVENTS = RoleSet(
    "publish events from the project's apps",
    {"event_hubs": ("Azure Event Hubs Data Sender",)},
)
STREAM_EVENTS = RoleSet(
    "services send to and read from the project's event hubs",
    {"event_hubs": ("Azure Event Hubs Data Sender", "Azure Event Hubs Data Receiver")},
)


def _build(ctx: ServiceContext, settings: EventHubs | None) -> Built[eventhub.Namespace]:
    import pulumi
    from pulumi_azure_native import eventhub

    settings = resolved(settings, "event_hubs")
    namespace = eventhub.Namespace(
        ctx.service.logical_name,
        namespace_name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        sku=eventhub.SkuArgs(name=settings.sku, tier=settings.sku, capacity=settings.capacity),
        disable_local_auth=True,
        public_network_access="Disabled",
        minimum_tls_version=eventhub.TlsVersion.TLS_VERSION_1_2,
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    for hub in settings.hubs:
        eventhub.EventHub(
            f"{ctx.workload}-evh-{hub.name}",
            event_hub_name=hub.name,
            namespace_name=namespace.name,
            resource_group_name=ctx.resource_group_name,
            partition_count=hub.partitions,
            retention_description=eventhub.RetentionDescriptionArgs(
                cleanup_policy=eventhub.CleanupPolicyRetentionDescription.DELETE,
                retention_time_in_hours=hub.retention_hours,
            ),
            opts=pulumi.ResourceOptions(parent=namespace),
        )
    return Built(resource=namespace)


EVENT_HUBS: ServiceDeclaration[EventHubs, Built[eventhub.Namespace]] = ServiceDeclaration(
    name="event_hubs",
    title="Event Hubs",
    label="Event Hubs",
    summary="An Entra-only Event Hubs namespace with the project's event hubs, for streaming ingestion.",
    naming_kind="event_hubs_namespace",
    logical_stem="evhns",
    settings=EventHubs,
    projects=ProjectUse(types=PROJECT_TYPES),
    common=None,
    endpoints=PrivateEndpoints("event_hubs", ("namespace",)),
    diagnostics=ALL_LOGS_AND_METRICS,
    lifecycle="none",
    roles=ServiceRoles(
        personas={
            "team-lead": (PRODUCE_AND_CONSUME_EVENTS,),
            "data-scientist": (CONSUME_EVENTS,),
            "ml-engineer": (PRODUCE_AND_CONSUME_EVENTS,),
            "ai-developer": (CONSUME_EVENTS,),
            "app-developer": (PRODUCE_EVENTS,),
            "data-engineer": (PRODUCE_AND_CONSUME_EVENTS,),
        },
        identity=(STREAM_EVENTS,),
    ),
    build=_build,
    guardrails=(
        *PRIVATE_SERVICE_GUARDRAILS,
        "ALZ-DENY-PUBLIC-PAAS-EVENT-HUBS",
        "ALZ-EVENT-HUBS-DOUBLE-ENCRYPTION",
        "ALZ-EVENT-HUBS-LOCAL-AUTH",
        "ALZ-EVENT-HUBS-TLS",
        *NAME_GUARDRAILS,
    ),
)
