"""The whole environment's plan: every decision the components need, computed before any resource.

``build_factory_plan`` builds the environment's namer once, runs every planner over the validated
config with it and gathers all their problems into one :class:`ConfigError`, so nothing is
registered when anything is wrong. Components read the plan; they decide nothing it does not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aifactory.catalog.regions import REGION_CODES
from aifactory.config.loader import FactoryConfig
from aifactory.config.project import ProjectSpec, project_file
from aifactory.config.stack import StackConfig
from aifactory.config.types import EnvironmentName
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.plan.compute_instances import PlannedComputeInstance, plan_compute_instances
from aifactory.plan.cost import CostPlan, plan_cost
from aifactory.plan.dns import DnsPlan, plan_dns
from aifactory.plan.endpoints import PlannedEndpoint
from aifactory.plan.ipam import IpPlan, ProjectNetworkPlan, plan_network
from aifactory.plan.lake import LakePlan, plan_lake
from aifactory.plan.naming import Namer, Workload
from aifactory.plan.nsg import NsgPlan, plan_nsgs
from aifactory.plan.public_access import PublicAccess, public_access
from aifactory.plan.rbac import AccessPlan, plan_access
from aifactory.plan.services import PlannedService, common_services, project_protected, project_services
from aifactory.plan.tags import common_tags, project_tags
from aifactory.services.ai_foundry import AI_FOUNDRY
from aifactory.services.registry import ServiceKey

__all__ = ["FactoryPlan", "ProjectPlan", "build_factory_plan", "make_namer"]


@dataclass(frozen=True)
class ProjectPlan:
    """One project's decisions in this environment.

    ``services`` are its instances (storage and Key Vault, then what it enables, in registry order);
    ``public_access`` its ``network.allow_ips`` exception; ``protected`` whether its stateful resources
    are protected and its data locked here (:func:`project_protected`); ``compute_instances`` the
    personal ML compute instances its members get.
    """

    spec: ProjectSpec
    file: str
    network: ProjectNetworkPlan
    subscription_id: str
    tags: Mapping[str, str]
    services: tuple[PlannedService, ...]
    public_access: PublicAccess
    protected: bool
    compute_instances: tuple[PlannedComputeInstance, ...] = ()

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def workload(self) -> Workload:
        return Workload.project(self.spec.id, self.spec.name)

    @property
    def endpoints(self) -> tuple[PlannedEndpoint, ...]:
        """The private endpoints of the project's instances."""
        return tuple(s.endpoints for s in self.services if s.endpoints is not None)

    @property
    def agents(self) -> bool:
        """Whether the project runs private Foundry agents (the standard setup on its own stores)."""
        foundry = self.spec.services.get(AI_FOUNDRY)
        return "ai_foundry" in self.spec.enabled_services() and (foundry is None or foundry.agents)

    def service(self, key: ServiceKey) -> PlannedService:
        """The project's instance ``key`` (KeyError if it has none)."""
        for planned in self.services:
            if planned.key == key:
                return planned
        msg = f"{self.key} has no {key}"
        raise KeyError(msg)


@dataclass(frozen=True)
class FactoryPlan:
    """The environment's decisions: names, addresses, NSGs, DNS, tags, services and access, per project."""

    config: FactoryConfig
    namer: Namer
    ip_plan: IpPlan
    nsgs: NsgPlan
    dns: DnsPlan
    common_tags: Mapping[str, str]
    common_services: tuple[PlannedService, ...]
    projects: tuple[ProjectPlan, ...]
    lake: LakePlan
    access: AccessPlan
    cost: CostPlan

    @property
    def stack(self) -> StackConfig:
        return self.config.stack

    @property
    def environment(self) -> EnvironmentName:
        return self.config.stack.environment

    @property
    def common_endpoints(self) -> tuple[PlannedEndpoint, ...]:
        """The private endpoints of the common instances (datalake, shared Key Vault, registry, ...)."""
        return tuple(s.endpoints for s in self.common_services if s.endpoints is not None)

    def common_service(self, key: ServiceKey) -> PlannedService:
        """The common instance ``key`` (KeyError if the environment has none)."""
        for planned in self.common_services:
            if planned.key == key:
                return planned
        msg = f"the {self.environment} environment has no common {key}"
        raise KeyError(msg)

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
    namer = make_namer(stack)
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
        access = plan_access(config, namer)
    except ConfigError as exc:
        problems.extend(exc.problems)
    if problems or ip_plan is None or lake is None or access is None:
        raise ConfigError(problems)
    projects = tuple(
        ProjectPlan(
            spec=spec,
            file=project_file(spec, config.project_files),
            network=ip_plan.projects[spec.id],
            subscription_id=stack.subscription_for_project(spec.id),
            tags=project_tags(stack, spec),
            services=project_services(spec, namer, stack),
            public_access=public_access(spec),
            protected=project_protected(stack, spec),
            compute_instances=plan_compute_instances(spec, namer, stack.environment),
        )
        for spec in config.projects
    )
    cost = plan_cost(stack, config.stack_file, [(p.spec, p.subscription_id) for p in projects], namer)
    shared = common_services(stack, config.projects, namer)
    endpoints = [s.endpoints for s in shared if s.endpoints is not None]
    endpoints.extend(e for p in projects for e in p.endpoints)
    return FactoryPlan(
        config=config,
        namer=namer,
        ip_plan=ip_plan,
        nsgs=plan_nsgs(stack.network, ip_plan, namer, {p.spec.id: p.spec.name for p in projects}),
        dns=plan_dns(stack, endpoints),
        common_tags=common_tags(stack),
        common_services=shared,
        projects=projects,
        lake=lake,
        access=access,
        cost=cost,
    )
