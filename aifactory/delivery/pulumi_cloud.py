"""The thin Pulumi shell of ``deployments/``: a :class:`DeploymentsPlan` as ``pulumiservice`` resources.

Every decision is in :mod:`aifactory.delivery.deployments`; this module only maps each planned stack
to its ``DeploymentSettings``, its ``DriftSchedule`` and (project stacks in sharded layout) the
deployment ``Webhook`` that updates it after its environment stack. Schedules and webhooks take the
settings' outputs as inputs: Pulumi Cloud refuses a schedule for a stack without settings, so they
must be created after them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pulumi
import pulumi_pulumiservice as service
from pydantic import ValidationError

from aifactory.config.problems import problems_from_validation
from aifactory.delivery.deployments import (
    OIDC_ISSUER,
    DeploymentsConfig,
    DeploymentsPlan,
    StackDeployment,
    federated_subjects,
    plan_deployments,
)
from aifactory.delivery.factory_stacks import validated_stacks
from aifactory.errors import ConfigError
from aifactory.offline.stack_run import pulumi_project_name

__all__ = ["NAMESPACE", "build", "load_config", "run"]

NAMESPACE = "aifactory-deployments"


def load_config(config_map: Mapping[str, Any], source: str) -> DeploymentsConfig:
    """The ``aifactory-deployments:`` keys as a validated :class:`DeploymentsConfig`."""
    values: dict[str, Any] = {}
    for key, raw in config_map.items():
        namespace, _, name = key.partition(":")
        if namespace != NAMESPACE or not name:
            continue
        try:
            values[name] = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            values[name] = raw
    try:
        return DeploymentsConfig.model_validate(values)
    except ValidationError as exc:
        problems = problems_from_validation(exc, source, DeploymentsConfig, prefix=f"{NAMESPACE}:")
        # the stack key is aifactory-deployments:environments, then .dev.azure_client_id
        raise ConfigError(
            [replace(p, field=p.field.replace(f"{NAMESPACE}:.", f"{NAMESPACE}:", 1)) for p in problems]
        ) from None


def _settings(plan: DeploymentsPlan, stack: StackDeployment) -> service.DeploymentSettings:
    operation = service.DeploymentSettingsOperationContextArgs(
        oidc=service.OperationContextOIDCArgs(
            azure=service.AzureOIDCConfigurationArgs(
                client_id=stack.azure_client_id,
                tenant_id=stack.azure.tenant_id,
                subscription_id=stack.azure.subscription_id,
            )
        ),
        options=service.OperationContextOptionsArgs(skip_intermediate_deployments=True),
        pre_run_commands=list(stack.pre_run_commands) or None,
    )
    return service.DeploymentSettings(
        f"{stack.resource_key}-settings",
        organization=plan.organization,
        project=plan.project,
        stack=stack.stack,
        vcs=service.DeploymentSettingsVcsArgs(
            provider=plan.vcs,
            repository=plan.repository,
            deploy_commits=stack.deploy_commits,
            preview_pull_requests=stack.preview_pull_requests,
            pull_request_template=stack.pull_request_template,
            paths=list(stack.paths) or None,
        ),
        source_context=service.DeploymentSettingsSourceContextArgs(
            git=service.DeploymentSettingsGitSourceArgs(
                branch=f"refs/heads/{stack.branch}",
                repo_dir=None if stack.repo_dir in ("", ".") else stack.repo_dir,
            )
        ),
        operation_context=operation,
    )


def build(plan: DeploymentsPlan) -> dict[str, service.DeploymentSettings]:
    """Register every stack's resources; returns the settings by stack name."""
    settings = {stack.stack: _settings(plan, stack) for stack in plan.stacks}
    for stack in plan.stacks:
        own = settings[stack.stack]
        if stack.drift is not None:
            service.DriftSchedule(
                f"{stack.resource_key}-drift",
                organization=own.organization,
                project=own.project,
                stack=own.stack,
                schedule_cron=stack.drift.cron,
                auto_remediate=stack.drift.auto_remediate,
            )
        if stack.after_stack is not None:
            upstream = settings[stack.after_stack]
            service.Webhook(
                f"{stack.resource_key}-after-{stack.after_stack}",
                active=True,
                display_name=f"deploy {stack.stack} after {stack.after_stack}",
                organization_name=upstream.organization,
                project_name=upstream.project,
                stack_name=upstream.stack,
                payload_url=pulumi.Output.concat(own.project, "/", own.stack),
                format=service.WebhookFormat.PULUMI_DEPLOYMENTS,
                filters=[service.WebhookFilters.UPDATE_SUCCEEDED],
            )
    return settings


def run(factory_dir: Path) -> DeploymentsPlan:
    """The whole program: read this stack's config and the factory, plan, register, export."""
    from aifactory.program import engine_config

    source = f"Pulumi.{pulumi.get_stack()}.yaml"
    try:
        config = load_config(engine_config(), source)
        template = config.review_stacks.template_stack if config.review_stacks else None
        factory = validated_stacks(factory_dir, templates=(template,) if template else ())
        plan = plan_deployments(
            config,
            pulumi_project_name(factory_dir),
            factory.environments,
            factory.targets,
            projects_dir=factory.projects_dir,
            source=source,
        )
    except ConfigError as exc:
        raise pulumi.RunError(str(exc)) from None
    build(plan)
    pulumi.export("stacks", [stack.stack for stack in plan.stacks])
    pulumi.export("drift_schedules", sum(1 for stack in plan.stacks if stack.drift is not None))
    pulumi.export("oidc_issuer", OIDC_ISSUER)
    pulumi.export("federated_credentials", federated_subjects(plan))
    return plan
