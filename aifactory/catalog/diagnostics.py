"""What each kind of resource sends to Log Analytics through its diagnostic settings.

``sub_resources`` are child paths that carry their own settings, each with all logs and metrics (a
storage account's logs live on its blob/file/queue/table services; the account itself only has
metrics).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["DIAGNOSTIC_PROFILES", "DiagnosticProfile"]


@dataclass(frozen=True)
class DiagnosticProfile:
    """Log category group (or none) and whether metrics are exported, per target path."""

    log_category_group: str | None
    metrics: bool
    sub_resources: tuple[str, ...] = ()


_ALL = DiagnosticProfile("allLogs", metrics=True)
_STORAGE = DiagnosticProfile(
    None,
    metrics=True,
    sub_resources=("blobServices/default", "fileServices/default", "queueServices/default", "tableServices/default"),
)

DIAGNOSTIC_PROFILES: MappingProxyType[str, DiagnosticProfile] = MappingProxyType(
    {
        "storage": _STORAGE,
        "key_vault": _ALL,
        "container_registry": _ALL,
        "machine_learning": _ALL,
        "databricks": DiagnosticProfile("allLogs", metrics=False),
        "data_factory": _ALL,
        "aks": DiagnosticProfile("audit", metrics=True),
        "event_hubs": _ALL,
        "ai_services": _ALL,
        "ai_search": _ALL,
        "cosmos_db": _ALL,
        "container_apps": _ALL,
        "web_app": _ALL,
        "bastion": _ALL,
        "network_security_group": DiagnosticProfile("allLogs", metrics=False),
        "virtual_network": _ALL,
        "application_insights": _ALL,
        "virtual_machine": DiagnosticProfile(None, metrics=True),
        "log_analytics": _ALL,
        "public_ip": _ALL,
    }
)
