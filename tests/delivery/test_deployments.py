"""Pulumi Deployments as code: the pure decisions, and the ``deployments/`` program under the offline mocks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pulumi
import pytest

from aifactory.config.loader import read_stack_file
from aifactory.delivery import EnvironmentStacks
from aifactory.delivery.deployments import AzureTarget, DeploymentsConfig, plan_deployments, review_ttl_command
from aifactory.delivery.pulumi_cloud import build, load_config
from aifactory.errors import ConfigError
from aifactory.offline.runner import OfflineRun, main_program, run_offline
from tests.support import REPO, shipped_project_ids

DEPLOYMENTS = REPO / "deployments"
CLIENT = "3d0c7a51-0000-4000-8000-0000000000c1"
TENANT = "9a8b7c6d-0000-4000-8000-0000000000aa"


def _config(**extra: Any) -> DeploymentsConfig:
    environments = {name: {"azure_client_id": CLIENT} for name in ("dev", "prod")}
    return DeploymentsConfig.model_validate(
        {"organization": "contoso", "repository": "contoso/ai-factory", "environments": environments, **extra}
    )


SHARDED = (
    EnvironmentStacks("dev", "dev", "single", (1, 2)),
    EnvironmentStacks("prod", "prod", "sharded", (1, 3)),
)
TARGETS = {
    name: AzureTarget(TENANT, f"00000000-0000-4000-8000-00000000000{index}")
    for index, name in enumerate(("dev", "prod", "prod-p001", "prod-p003", "pr"))
}


def test_sharded_project_stacks_get_their_own_paths_and_follow_their_environment_stack() -> None:
    plan = plan_deployments(_config(repo_dir="infra"), "aifactory", SHARDED, TARGETS)
    assert [s.stack for s in plan.stacks] == ["dev", "prod", "prod-p001", "prod-p003"]
    prod, p003 = plan.stack("prod"), plan.stack("prod-p003")
    assert "infra/projects/**" in prod.paths and "infra/Pulumi.prod.yaml" in prod.paths
    assert p003.paths[-3:] == ("infra/Pulumi.prod.yaml", "infra/Pulumi.prod-p003.yaml", "infra/projects/003-*.yaml")
    assert "infra/projects/**" not in p003.paths
    # a project stack reads its environment stack's outputs: never deployed by a push, always after it
    assert p003.deploy_commits is False and p003.after_stack == "prod" and p003.preview_pull_requests
    assert prod.after_stack is None and prod.deploy_commits is True
    assert p003.azure.subscription_id == TARGETS["prod-p003"].subscription_id
    assert all(s.drift is not None for s in plan.stacks)


def test_every_factory_stack_needs_an_entry_and_unknown_entries_are_refused() -> None:
    with pytest.raises(ConfigError) as caught:
        plan_deployments(
            _config(environments={"dev": {"azure_client_id": CLIENT}, "qa": {"azure_client_id": CLIENT}}),
            "aifactory",
            SHARDED,
            TARGETS,
        )
    problems = {(p.field, p.message.split(" (")[0]) for p in caught.value.problems}
    assert ("environments", "has no entry for the factory's stack 'prod'") in problems
    assert ("environments.qa", "is not an environment stack of the factory") in problems


def test_review_stacks_need_a_stack_file_of_their_own() -> None:
    plan = plan_deployments(
        _config(review_stacks={"azure_client_id": CLIENT, "ttl_hours": 48}), "aifactory", SHARDED, TARGETS
    )
    template = plan.stack("pr")
    assert template.pull_request_template and not template.deploy_commits and template.drift is None
    assert template.pre_run_commands == (review_ttl_command(48),)
    assert '"+48 hours"' in template.pre_run_commands[0] and "--kind ttl" in template.pre_run_commands[0]
    for name, fix in (("prod", "use a stack of its own"), ("preview", "create Pulumi.preview.yaml")):
        with pytest.raises(ConfigError) as caught:
            plan_deployments(
                _config(review_stacks={"azure_client_id": CLIENT, "template_stack": name}), "f", SHARDED, TARGETS
            )
        assert caught.value.problems[0].field == "review_stacks.template_stack"
        assert caught.value.problems[0].fix.startswith(fix)


def test_config_errors_name_the_key_the_value_and_the_fix() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(
            {
                "aifactory-deployments:organization": "contoso",
                "aifactory-deployments:repository": "ai-factory",
                "aifactory-deployments:environments": json.dumps(
                    {"dev": {"azure_client_id": "x", "drift_schedule": "daily"}}
                ),
            },
            "Pulumi.contoso.yaml",
        )
    fields = {p.field for p in caught.value.problems}
    assert fields == {
        "aifactory-deployments:repository",
        "aifactory-deployments:environments.dev.azure_client_id",
        "aifactory-deployments:environments.dev.drift_schedule",
    }


def _run_shipped(factory: Path = REPO) -> OfflineRun:
    config, _ = read_stack_file(DEPLOYMENTS, "contoso")
    program = main_program(DEPLOYMENTS if factory == REPO else factory / "deployments")
    return run_offline(program, project="aifactory-deployments", stack="contoso", config=config)


def test_the_program_creates_settings_and_a_drift_schedule_for_each_shipped_stack() -> None:
    run = _run_shipped()
    settings = run.of_type("pulumiservice:index:DeploymentSettings")
    drifts = run.of_type("pulumiservice:index:DriftSchedule")
    # prod is sharded: its project stacks (prod-p001, prod-p003) get settings and drift runs of their own
    project_stacks = [f"prod-p{i:03d}" for i in shipped_project_ids("prod")]
    stacks = ["dev", "stage", "prod", *project_stacks]
    assert sorted(s.inputs["stack"] for s in settings) == sorted(stacks)
    assert sorted(d.inputs["stack"] for d in drifts) == sorted(stacks)
    assert run.outputs["stacks"] == stacks and run.outputs["drift_schedules"] == len(stacks)
    assert run.outputs["oidc_issuer"] == "https://api.pulumi.com/oidc"
    prod_subjects = run.outputs["federated_credentials"]["3d0c7a51-0000-4000-8000-00000000de03"]
    assert prod_subjects == [
        f"pulumi:deploy:org:contoso:project:aifactory:stack:{stack}:operation:{op}:scope:write"
        for stack in ("prod", *project_stacks)
        for op in ("preview", "update", "refresh", "destroy")
    ]
    prod = run.named("prod-settings").inputs
    assert prod["project"] == "aifactory" and prod["organization"] == "contoso"
    assert prod["vcs"]["deployCommits"] is False and prod["vcs"]["previewPullRequests"] is True
    assert prod["vcs"]["paths"][-2:] == ["Pulumi.prod.yaml", "projects/**"]
    assert prod["sourceContext"]["git"]["branch"] == "refs/heads/main"
    # OIDC to the stack's own tenant and common subscription, from Pulumi.prod.yaml; no secrets anywhere
    assert prod["operationContext"]["oidc"]["azure"] == {
        "clientId": "3d0c7a51-0000-4000-8000-00000000de03",
        "tenantId": TENANT,
        "subscriptionId": "6f1d2c3b-0000-4000-8000-00000000f001",
    }
    assert run.named("dev-settings").inputs["vcs"]["deployCommits"] is True
    assert run.named("dev-drift").inputs == {
        "organization": "contoso",
        "project": "aifactory",
        "stack": "dev",
        "scheduleCron": "0 5 * * *",
        "autoRemediate": True,
    }
    # schedules are created after their stack's settings (Pulumi Cloud refuses them before)
    assert run.named("prod-settings").urn in run.named("prod-drift").dependencies


def test_the_program_stops_with_every_problem_before_registering(tmp_path: Path) -> None:
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.stage.yaml"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "projects", tmp_path / "projects")
    shutil.copytree(DEPLOYMENTS, tmp_path / "deployments", ignore=shutil.ignore_patterns("venv", "__pycache__"))
    with pytest.raises(pulumi.RunError, match=r"environments\.prod[\s\S]*is not an environment stack"):
        _run_shipped(tmp_path)


def test_sharded_plan_registers_a_deployment_webhook_per_project_stack() -> None:
    plan = plan_deployments(_config(), "aifactory", SHARDED, TARGETS)
    run = run_offline(lambda: build(plan), project="aifactory-deployments", stack="contoso", config={})
    hooks = run.of_type("pulumiservice:index:Webhook")
    assert sorted(h.name for h in hooks) == ["prod-p001-after-prod", "prod-p003-after-prod"]
    hook = run.named("prod-p003-after-prod").inputs
    assert hook["stackName"] == "prod" and hook["payloadUrl"] == "aifactory/prod-p003"
    assert hook["format"] == "pulumi_deployments" and hook["filters"] == ["update_succeeded"]
    assert len(run.of_type("pulumiservice:index:DriftSchedule")) == 4
