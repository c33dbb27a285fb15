"""What a resource sends to Log Analytics through its diagnostic setting: Azure's log categories and metrics.

A profile names the logs either by *category group* (``allLogs``, ``audit``: Azure expands the group
to every category the resource type has, including ones added later) or, for resource types that
offer no category group, by explicit *categories*; ``metrics`` exports the platform metrics
(``AllMetrics``) and must stay off for types that have none, which Azure rejects.
``sub_resources`` are child paths that carry their own settings, each with all logs and metrics (a
storage account's logs live on its blob/file/queue/table services; the account itself only has
metrics).

Each service declares its profile (:mod:`aifactory.services`); the profiles here are the shapes
several declarations share and those of the network, which is not a service:

- network security groups: the ``NetworkSecurityGroupEvent`` and ``NetworkSecurityGroupRuleCounter``
  logs and no metrics (Microsoft Learn, "Supported logs for Microsoft.Network/networksecuritygroups";
  the third category there, ``NetworkSecurityGroupFlowEvent``, is not exported by diagnostic settings:
  flow logs are a Network Watcher feature);
- virtual networks: the ``VMProtectionAlerts`` log and the platform metrics.

A profile with only ``sub_resources`` creates no setting on the resource itself: for types whose
own resource has neither logs nor metrics (an Azure SQL logical server, whose audit goes through
its ``master`` database: "for server level audit you should use the 'master' database", Microsoft's
REST reference of ``isAzureMonitorTargetEnabled``). ``sub_resource_profile`` says what each
sub-resource sends when it is not all its logs and metrics (``master``: its audit logs).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ALL_LOGS",
    "ALL_LOGS_AND_METRICS",
    "AUDIT_AND_METRICS",
    "AUDIT_LOGS",
    "METRICS_ONLY",
    "NETWORK_SECURITY_GROUP",
    "STORAGE",
    "VIRTUAL_NETWORK",
    "DiagnosticProfile",
]


@dataclass(frozen=True)
class DiagnosticProfile:
    """Logs (one category group, or explicit categories, or none) and whether metrics are exported."""

    log_category_group: str | None
    metrics: bool
    sub_resources: tuple[str, ...] = ()
    log_categories: tuple[str, ...] = ()
    sub_resource_profile: DiagnosticProfile | None = None

    def __post_init__(self) -> None:
        if self.log_category_group and self.log_categories:
            msg = "a diagnostic profile names logs by category group or by categories, not both"
            raise ValueError(msg)
        if not (self.log_category_group or self.log_categories or self.metrics or self.sub_resources):
            msg = "a diagnostic profile that sends nothing is not a profile; declare the reason instead"
            raise ValueError(msg)

    @property
    def on_resource(self) -> bool:
        """Whether the resource itself gets a setting (not when only its sub-resources carry logs and metrics)."""
        return bool(self.log_category_group or self.log_categories or self.metrics)

    @property
    def setting_count(self) -> int:
        """How many diagnostic settings the profile creates: the resource's own, and one per sub-resource."""
        return int(self.on_resource) + len(self.sub_resources)

    @property
    def summary(self) -> str:
        """One line for the docs: what the setting sends."""
        parts = []
        if self.log_category_group:
            parts.append(f"logs: category group {self.log_category_group}")
        if self.log_categories:
            parts.append(f"logs: {', '.join(self.log_categories)}")
        if self.metrics:
            parts.append("metrics")
        if self.sub_resources:
            sent = self.sub_resource_profile.summary if self.sub_resource_profile else "all logs and metrics"
            parts.append(f"{sent} of {', '.join(self.sub_resources)}")
        return "; ".join(parts)

    @property
    def of_sub_resources(self) -> DiagnosticProfile:
        """What each sub-resource sends: all its logs and metrics unless the profile says otherwise."""
        return self.sub_resource_profile or ALL_LOGS_AND_METRICS


ALL_LOGS_AND_METRICS = DiagnosticProfile("allLogs", metrics=True)
ALL_LOGS = DiagnosticProfile("allLogs", metrics=False)
AUDIT_AND_METRICS = DiagnosticProfile("audit", metrics=True)
METRICS_ONLY = DiagnosticProfile(None, metrics=True)
AUDIT_LOGS = DiagnosticProfile("audit", metrics=False)
STORAGE = DiagnosticProfile(
    None,
    metrics=True,
    sub_resources=("blobServices/default", "fileServices/default", "queueServices/default", "tableServices/default"),
)
NETWORK_SECURITY_GROUP = DiagnosticProfile(
    None, metrics=False, log_categories=("NetworkSecurityGroupEvent", "NetworkSecurityGroupRuleCounter")
)
VIRTUAL_NETWORK = DiagnosticProfile(None, metrics=True, log_categories=("VMProtectionAlerts",))
