"""Diagnostic settings to the environment's Log Analytics workspace, for every kind of resource.

What each kind sends is data in :mod:`aifactory.catalog.diagnostics`; this helper is the only
place that creates diagnostic settings.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import monitor

from aifactory.catalog.diagnostics import DIAGNOSTIC_PROFILES

__all__ = ["DIAGNOSTIC_SETTING_NAME", "send_diagnostics"]

DIAGNOSTIC_SETTING_NAME = "aifactory-to-log-analytics"


def send_diagnostics(
    logical_name: str,
    resource: pulumi.CustomResource,
    kind: str,
    workspace_id: pulumi.Input[str],
) -> list[monitor.DiagnosticSetting]:
    """Diagnostic settings for ``resource`` (and its log-bearing sub-resources), parented to it."""
    profile = DIAGNOSTIC_PROFILES[kind]
    settings = []
    targets: list[tuple[str, pulumi.Input[str], bool, str | None]] = [
        ("", resource.id, profile.metrics, profile.log_category_group)
    ]
    targets.extend(
        (
            f"-{path.split('/', 1)[0].removesuffix('Services')}",
            pulumi.Output.concat(resource.id, "/", path),
            True,
            "allLogs",
        )
        for path in profile.sub_resources
    )
    for suffix, target, metrics, log_group in targets:
        settings.append(
            monitor.DiagnosticSetting(
                f"{logical_name}{suffix}-diag",
                name=DIAGNOSTIC_SETTING_NAME,
                resource_uri=target,
                workspace_id=workspace_id,
                logs=[monitor.DiagnosticsLogSettingsArgs(category_group=log_group, enabled=True)]
                if log_group
                else None,
                metrics=[monitor.DiagnosticsMetricSettingsArgs(category="AllMetrics", enabled=True)]
                if metrics
                else None,
                opts=pulumi.ResourceOptions(parent=resource),
            )
        )
    return settings
