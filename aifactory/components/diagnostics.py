"""Diagnostic settings to the environment's Log Analytics workspace: the only place that creates them.

What a resource sends is its :class:`~aifactory.catalog.diagnostics.DiagnosticProfile` (declared per
service in :mod:`aifactory.services`, per network resource in :mod:`aifactory.catalog.diagnostics`).
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import monitor

from aifactory.catalog.diagnostics import DiagnosticProfile

__all__ = ["DIAGNOSTIC_SETTING_NAME", "send_diagnostics"]

DIAGNOSTIC_SETTING_NAME = "aifactory-to-log-analytics"


def _logs(profile: DiagnosticProfile) -> list[monitor.DiagnosticsLogSettingsArgs] | None:
    if profile.log_category_group:
        return [monitor.DiagnosticsLogSettingsArgs(category_group=profile.log_category_group, enabled=True)]
    if profile.log_categories:
        return [monitor.DiagnosticsLogSettingsArgs(category=c, enabled=True) for c in profile.log_categories]
    return None


def _setting(
    logical_name: str,
    uri: pulumi.Input[str],
    profile: DiagnosticProfile,
    workspace_id: pulumi.Input[str],
    parent: pulumi.Resource,
) -> monitor.DiagnosticSetting:
    return monitor.DiagnosticSetting(
        logical_name,
        name=DIAGNOSTIC_SETTING_NAME,
        resource_uri=uri,
        workspace_id=workspace_id,
        logs=_logs(profile),
        metrics=[monitor.DiagnosticsMetricSettingsArgs(category="AllMetrics", enabled=True)]
        if profile.metrics
        else None,
        opts=pulumi.ResourceOptions(parent=parent),
    )


def send_diagnostics(
    logical_name: str,
    resource: pulumi.CustomResource,
    profile: DiagnosticProfile,
    workspace_id: pulumi.Input[str],
) -> list[monitor.DiagnosticSetting]:
    """Diagnostic settings for ``resource`` (and its log-bearing sub-resources), parented to it."""
    settings = []
    if profile.on_resource:
        settings.append(_setting(f"{logical_name}-diag", resource.id, profile, workspace_id, resource))
    for path in profile.sub_resources:
        settings.append(
            _setting(
                f"{logical_name}-{path.split('/', 1)[0].removesuffix('Services')}-diag",
                pulumi.Output.concat(resource.id, "/", path),
                profile.of_sub_resources,
                workspace_id,
                resource,
            )
        )
    return settings
