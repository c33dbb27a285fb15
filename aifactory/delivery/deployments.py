"""Pulumi Deployments as code: the decisions (which stacks, which filters, which schedules), pure.

``deployments/__main__.py`` turns a :class:`DeploymentsPlan` into ``pulumiservice`` resources and
nothing else. The plan has, for every stack of the factory (each environment stack and, in sharded
layout, each project stack):

- where the program is: this repository, the factory's folder, the environment's branch;
- OIDC to Azure: the environment's federated client id, its tenant and subscription (no secrets);
- triggers: an environment stack deploys on push to its branch when a file it depends on changes
  (path filters) and previews pull requests; a project stack previews pull requests that touch its
  files and is updated after every successful update of its environment stack (a deployment
  webhook), because it reads the environment stack's outputs and must never run before it;
- a drift detection schedule, optionally remediating;
- optionally a review-stack template: pull requests get their own stack from a factory stack file
  (``Pulumi.<template>.yaml``), destroyed when the pull request closes and, at the latest, when its
  time to live runs out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from aifactory.config.base import ConfigModel
from aifactory.config.types import Guid
from aifactory.delivery.affected import PROGRAM_PATHS
from aifactory.delivery.stacks import EnvironmentStacks, parse_project_stack
from aifactory.errors import ConfigError, ConfigProblem, Invalid

__all__ = [
    "OIDC_ISSUER",
    "OIDC_OPERATIONS",
    "AzureTarget",
    "DeploymentsConfig",
    "DeploymentsPlan",
    "DriftPlan",
    "EnvironmentDeployment",
    "ReviewStacks",
    "StackDeployment",
    "VcsProvider",
    "federated_subjects",
    "plan_deployments",
    "review_ttl_command",
]

VcsProvider = Literal["github", "azure_devops"]
_CRON_FIELD = re.compile(r"^[0-9*,/\-A-Za-z?]+$")


def _cron(value: str) -> str:
    fields = value.split()
    if len(fields) != 5 or not all(_CRON_FIELD.match(f) for f in fields):
        raise Invalid("is not a five-field cron expression", "use e.g. '0 5 * * *' (daily at 05:00 UTC)")
    return value


def _repository(value: str) -> str:
    if value.count("/") != 1 or value.startswith("/") or value.endswith("/"):
        raise Invalid("is not '<owner>/<repository>'", "use e.g. 'contoso/ai-factory' (Azure DevOps: 'Project/Repo')")
    return value


Cron = Annotated[str, AfterValidator(_cron)]
Repository = Annotated[str, AfterValidator(_repository)]


class EnvironmentDeployment(ConfigModel):
    """Required per environment stack. How Pulumi Deployments runs it (and its project stacks)."""

    azure_client_id: Guid = Field(
        description="Required. Client id of the Entra app (or user-assigned identity) whose federated credential "
        "trusts Pulumi Cloud's OIDC issuer for this environment's stacks."
    )
    branch: str = Field(default="main", description="Optional. Branch the stack deploys from. Default: main.")
    push_to_deploy: bool = Field(
        default=True,
        description="Optional. Run `pulumi up` when a push to the branch changes the stack's files. Default: true "
        "(set false for prod to deploy it by click or API after stage).",
    )
    drift_schedule: Cron = Field(
        default="0 5 * * *", description="Optional. Cron (UTC) of the drift detection run. Default: daily 05:00."
    )
    auto_remediate: bool = Field(
        default=False,
        description="Optional. Run `pulumi up --refresh` when drift is found. Default: false (report only).",
    )


class ReviewStacks(ConfigModel):
    """Optional. A review stack per pull request, from a factory stack file used as template."""

    template_stack: str = Field(
        default="pr",
        description="Optional. Factory stack whose Pulumi.<stack>.yaml review stacks copy. Default: pr.",
    )
    azure_client_id: Guid = Field(description="Required. Client id federated for the review stacks' subscription.")
    branch: str = Field(default="main", description="Optional. Pull requests against this branch. Default: main.")
    ttl_hours: int = Field(
        default=72, ge=1, le=720, description="Optional. Hours a review stack lives at most. Default: 72."
    )


class DeploymentsConfig(ConfigModel):
    """The Deployments program's config (``deployments/Pulumi.<stack>.yaml``)."""

    organization: str = Field(min_length=1, description="Required. Pulumi Cloud organization of the stacks.")
    repository: Repository = Field(description="Required. The repository holding the factory: owner/repo.")
    vcs: VcsProvider = Field(default="github", description="Optional. github | azure_devops. Default: github.")
    repo_dir: str = Field(
        default=".", description="Optional. Folder of the factory (its Pulumi.yaml) in the repository. Default: root."
    )
    environments: dict[str, EnvironmentDeployment] = Field(
        description="Required. One entry per environment stack of the factory, keyed by stack name."
    )
    review_stacks: ReviewStacks | None = Field(default=None, description="Optional. Default: no review stacks.")


@dataclass(frozen=True)
class AzureTarget:
    """Where a stack deploys in Azure: its tenant and (common or project) subscription."""

    tenant_id: str
    subscription_id: str


@dataclass(frozen=True)
class DriftPlan:
    cron: str
    auto_remediate: bool


@dataclass(frozen=True)
class StackDeployment:
    """Everything Pulumi Deployments needs for one stack."""

    stack: str
    environment: str
    branch: str
    repo_dir: str
    paths: tuple[str, ...]
    deploy_commits: bool
    preview_pull_requests: bool
    pull_request_template: bool
    azure_client_id: str
    azure: AzureTarget
    drift: DriftPlan | None
    after_stack: str | None = None
    pre_run_commands: tuple[str, ...] = ()

    @property
    def resource_key(self) -> str:
        """Logical-name stem of its resources (stable: the stack name)."""
        return self.stack


@dataclass(frozen=True)
class DeploymentsPlan:
    organization: str
    project: str
    vcs: VcsProvider
    repository: str
    stacks: tuple[StackDeployment, ...]

    def stack(self, name: str) -> StackDeployment:
        for stack in self.stacks:
            if stack.stack == name:
                return stack
        msg = f"no stack {name} in the deployments plan"
        raise KeyError(msg)


OIDC_ISSUER = "https://api.pulumi.com/oidc"
OIDC_OPERATIONS = ("preview", "update", "refresh", "destroy")
"""Azure matches a federated credential's subject exactly, so each operation a stack runs needs its own."""


def federated_subjects(plan: DeploymentsPlan) -> dict[str, list[str]]:
    """The federated-credential subjects each Entra app (client id) must trust, issuer :data:`OIDC_ISSUER`,
    audience the Pulumi organization: one per stack and operation."""
    subjects: dict[str, list[str]] = {}
    for stack in plan.stacks:
        subjects.setdefault(stack.azure_client_id, []).extend(
            f"pulumi:deploy:org:{plan.organization}:project:{plan.project}:stack:{stack.stack}"
            f":operation:{operation}:scope:write"
            for operation in OIDC_OPERATIONS
        )
    return subjects


def _in_repo(repo_dir: str, path: str) -> str:
    folder = PurePosixPath(repo_dir.strip("/") or ".")
    return path if str(folder) == "." else str(folder / path)


def _environment_paths(repo_dir: str, stack: str, projects_dir: str) -> tuple[str, ...]:
    # The environment stack keeps every project's subnets and NSGs in both layouts, so every project file counts.
    own = (*PROGRAM_PATHS, f"Pulumi.{stack}.yaml", f"{projects_dir}/**")
    return tuple(_in_repo(repo_dir, p) for p in own)


def _project_paths(repo_dir: str, environment_stack: str, project_id: int, projects_dir: str) -> tuple[str, ...]:
    own = (
        *PROGRAM_PATHS,
        f"Pulumi.{environment_stack}.yaml",
        f"Pulumi.{environment_stack}-p{project_id:03d}.yaml",
        f"{projects_dir}/{project_id:03d}-*.yaml",
    )
    return tuple(_in_repo(repo_dir, p) for p in own)


def review_ttl_command(ttl_hours: int) -> str:
    """Pre-run command of review stacks: on a review stack's first deployment, schedule its destroy.

    Pulumi Cloud's time-to-live is a per-stack schedule and review stacks do not exist until a pull
    request opens, so each review stack sets its own: deployment number 1 is its creation, and the
    schedule destroys it (and deletes it from Pulumi Cloud) ``ttl_hours`` later unless the pull
    request closes first.
    """
    return (
        'if [ "$PULUMI_CI_BUILD_NUMBER" = "1" ] && [ "$PULUMI_CI_OPERATION" = "update" ]; then '
        'pulumi stack schedule new --stack "$PULUMI_CI_ORGANIZATION/$PULUMI_CI_PROJECT/$PULUMI_CI_STACK" '
        f'--kind ttl --once "$(date -u -d "+{ttl_hours} hours" +%Y-%m-%dT%H:%M:%SZ)" '
        "--delete-after-destroy --non-interactive; fi"
    )


def plan_deployments(
    config: DeploymentsConfig,
    project: str,
    environments: Sequence[EnvironmentStacks],
    targets: Mapping[str, AzureTarget],
    *,
    projects_dir: str = "projects",
    source: str = "deployments config",
) -> DeploymentsPlan:
    """Settings and schedules for every stack; raises :class:`ConfigError` naming each mismatch.

    ``targets`` holds each stack's tenant and subscription (environment stacks, project stacks and
    the review template), read from the factory's validated config.
    """
    problems = _mismatches(config, environments, targets, source)
    if problems:
        raise ConfigError(problems)
    stacks: list[StackDeployment] = []
    for env in environments:
        settings = config.environments[env.stack]
        drift = DriftPlan(settings.drift_schedule, settings.auto_remediate)
        stacks.append(
            StackDeployment(
                stack=env.stack,
                environment=env.environment,
                branch=settings.branch,
                repo_dir=config.repo_dir,
                paths=_environment_paths(config.repo_dir, env.stack, projects_dir),
                deploy_commits=settings.push_to_deploy,
                preview_pull_requests=True,
                pull_request_template=False,
                azure_client_id=settings.azure_client_id,
                azure=targets[env.stack],
                drift=drift,
            )
        )
        for project_id, stack in env.project_stack_ids:
            stacks.append(
                StackDeployment(
                    stack=stack,
                    environment=env.environment,
                    branch=settings.branch,
                    repo_dir=config.repo_dir,
                    paths=_project_paths(config.repo_dir, env.stack, project_id, projects_dir),
                    deploy_commits=False,
                    preview_pull_requests=True,
                    pull_request_template=False,
                    azure_client_id=settings.azure_client_id,
                    azure=targets[stack],
                    drift=drift,
                    after_stack=env.stack,
                )
            )
    review = config.review_stacks
    if review is not None:
        stacks.append(
            StackDeployment(
                stack=review.template_stack,
                environment="review",
                branch=review.branch,
                repo_dir=config.repo_dir,
                paths=(),
                deploy_commits=False,
                preview_pull_requests=False,
                pull_request_template=True,
                azure_client_id=review.azure_client_id,
                azure=targets[review.template_stack],
                drift=None,
                pre_run_commands=(review_ttl_command(review.ttl_hours),),
            )
        )
    return DeploymentsPlan(config.organization, project, config.vcs, config.repository, tuple(stacks))


def _mismatches(
    config: DeploymentsConfig,
    environments: Sequence[EnvironmentStacks],
    targets: Mapping[str, AzureTarget],
    source: str,
) -> list[ConfigProblem]:
    problems = []
    known = {env.stack for env in environments}
    for env in environments:
        if env.stack not in config.environments:
            problems.append(
                ConfigProblem(
                    source,
                    "environments",
                    sorted(config.environments),
                    f"has no entry for the factory's stack {env.stack!r}",
                    f"add environments.{env.stack} with its azure_client_id",
                )
            )
    for name in sorted(set(config.environments) - known):
        problems.append(
            ConfigProblem(
                source,
                f"environments.{name}",
                name,
                "is not an environment stack of the factory (no Pulumi.<stack>.yaml)",
                f"use one of {', '.join(sorted(known)) or 'none'} or add Pulumi.{name}.yaml to the factory",
            )
        )
    review = config.review_stacks
    if review is not None:
        template = review.template_stack
        if template in known or parse_project_stack(template) is not None:
            problems.append(
                ConfigProblem(
                    source,
                    "review_stacks.template_stack",
                    template,
                    "is an environment or project stack; review stacks would share its Azure resources' names",
                    "use a stack of its own, e.g. 'pr', with Pulumi.pr.yaml pointing at a review subscription",
                )
            )
        elif template not in targets:
            problems.append(
                ConfigProblem(
                    source,
                    "review_stacks.template_stack",
                    template,
                    f"has no valid factory stack file Pulumi.{template}.yaml",
                    f"create Pulumi.{template}.yaml (a factory stack in a review subscription) or drop review_stacks",
                )
            )
    return problems
