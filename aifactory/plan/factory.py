"""The whole environment's plan: every decision the components need, computed before any resource.

``build_factory_plan`` runs every planner over the validated config and gathers all their
problems into one :class:`ConfigError`, so nothing is registered when anything is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aifactory.catalog.regions import REGION_CODES
from aifactory.config.loader import FactoryConfig
from aifactory.config.project import ProjectSpec
from aifactory.config.stack import StackConfig
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.plan.dns import DnsPlan, plan_dns
from aifactory.plan.endpoints import PlannedEndpoint, common_endpoints, project_endpoints
from aifactory.plan.ipam import IpPlan, ProjectNetworkPlan, plan_network, uses_databricks
from aifactory.plan.lake import LakePlan, plan_lake
from aifactory.plan.naming import Namer, Workload
from aifactory.plan.rbac import AccessPlan, plan_access
from aifactory.plan.tags import common_tags, project_tags

__all__ = ["FactoryPlan", "ProjectPlan", "build_factory_plan"]


@dataclass(frozen=True)
class ProjectPlan:
    """One project's decisions in this environment."""

    spec: ProjectSpec
    file: str
    network: ProjectNetworkPlan
    subscription_id: str
    tags: Mapping[str, str]
    endpoints: tuple[PlannedEndpoint, ...]

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def workload(self) -> Workload:
        return Workload.project(self.spec.id, self.spec.name)


@dataclass(frozen=True)
class FactoryPlan:
    """The environment's decisions: names, addresses, DNS, tags, endpoints, per project."""

    config: FactoryConfig
    namer: Namer
    ip_plan: IpPlan
    dns: DnsPlan
    common_tags: Mapping[str, str]
    common_endpoints: tuple[PlannedEndpoint, ...]
    projects: tuple[ProjectPlan, ...]
    lake: LakePlan
    access: AccessPlan

    @property
    def stack(self) -> StackConfig:
        return self.config.stack

    @property
    def environment(self) -> str:
        return self.config.stack.environment

    def project(self, project_id: int) -> ProjectPlan:
        for project in self.projects:
            if project.spec.id == project_id:
                return project
        msg = f"project {project_id} is not in the {self.environment} plan"
        raise KeyError(msg)


def make_namer(stack: StackConfig) -> Namer:
    """The environment's namer (seed defaults to the common subscription id)."""
    return Namer(
        prefix=stack.prefix,
        environment=stack.environment,
        region_code=stack.naming.region_code or REGION_CODES[stack.location],
        seed=stack.naming.seed or stack.subscription_id,
    )


def build_factory_plan(config: FactoryConfig) -> FactoryPlan:
    """Every planner over the config; raises :class:`ConfigError` with all their problems."""
    stack = config.stack
    problems: list[ConfigProblem] = []
    ip_plan: IpPlan | None = None
    try:
        ip_plan = plan_network(stack, config.projects, config.project_files)
    except ConfigError as exc:
        problems.extend(exc.problems)
    lake: LakePlan | None = None
    try:
        lake = plan_lake(config)
    except ConfigError as exc:
        problems.extend(exc.problems)
    access: AccessPlan | None = None
    try:
        access = plan_access(config)
    except ConfigError as exc:
        problems.extend(exc.problems)
    if problems or ip_plan is None or lake is None or access is None:
        raise ConfigError(problems)
    projects = tuple(
        ProjectPlan(
            spec=spec,
            file=config.project_files.get(spec.id, f"projects/{spec.file_stem}.yaml"),
            network=ip_plan.projects[spec.id],
            subscription_id=stack.subscription_for_project(spec.id),
            tags=project_tags(stack, spec),
            endpoints=project_endpoints(spec),
        )
        for spec in config.projects
    )
    shared_endpoints = common_endpoints(stack, uses_databricks(config.projects))
    dns = plan_dns(stack, [*shared_endpoints, *(e for p in projects for e in p.endpoints)])
    return FactoryPlan(
        config=config,
        namer=make_namer(stack),
        ip_plan=ip_plan,
        dns=dns,
        common_tags=common_tags(stack),
        common_endpoints=shared_endpoints,
        projects=projects,
        lake=lake,
        access=access,
    )
