"""ProjectBaseline: what every project gets in each environment, whatever its type.

The resource group (protected in stage and prod), the project's identities (``ProjectIdentity``),
its folders in the environment's lake with their ACLs (``ProjectLakeFolders``), a monthly budget
with actual and forecast alerts, workspace-based Application Insights on the environment's Log
Analytics, and - through its :class:`ServiceSite` - the services every project type may have: its
storage account and Key Vault (always), a dedicated registry (``container_registry``) and an Event
Hubs namespace (``event_hubs``). The site builds each from its declaration and applies private
endpoints, diagnostics, locks and scope registration uniformly.

Type components (``EsmlProject``, ``GenAIProject``) build their own services on the same site with
:meth:`ProjectBaseline.deploy_type_services`, then call :meth:`complete` once. Role assignments come
in two steps because services need their identity's roles before they are created (an ML workspace
checks its identity's access to its storage, key vault and registry; AKS its identity's access to
its subnet), while roles on a service need the service: the baseline assigns every planned role
whose scope it owns (its resources, the project identity, the project's subnets and the common
scopes) and whose principal exists (not a service's system-assigned identity) before the type's
services, :meth:`complete` assigns the rest after them.

Application Insights is project plumbing, not a declared service: workspace-based, its telemetry
already lands in the Log Analytics workspace (no diagnostic setting), and it has no private
endpoint of its own (Azure Monitor's private link scope belongs in the hub, see docs/network.md).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any, TypeVar

import pulumi
from pulumi_azure_native import applicationinsights, authorization, consumption, eventhub, keyvault, resources, storage

from aifactory.catalog.naming_rules import ResourceKind
from aifactory.components.base import FactoryComponent
from aifactory.components.datalake import ProjectLakeFolders, ProjectLakeFoldersArgs
from aifactory.components.identity import ProjectIdentity, ProjectIdentityArgs
from aifactory.components.interfaces import CommonOutputs
from aifactory.components.protection import Protection
from aifactory.components.role_assignments import assign_roles
from aifactory.components.service_site import Deployed, ServiceSite, workload_subnets
from aifactory.plan.factory import FactoryPlan, ProjectPlan
from aifactory.plan.rbac.model import PrincipalRef, scope_key
from aifactory.plan.services import PlannedService
from aifactory.services.container_registry import CONTAINER_REGISTRY
from aifactory.services.context import ProjectResources
from aifactory.services.event_hubs import EVENT_HUBS
from aifactory.services.key_vault import KEY_VAULT
from aifactory.services.model import Built, ServiceDeclaration
from aifactory.services.registry import ServiceKey
from aifactory.services.storage import STORAGE

__all__ = ["ProjectBaseline", "ProjectBaselineArgs", "ProjectTypeComponent", "budget_start"]

B = TypeVar("B", bound=Built[Any])


@dataclass(frozen=True)
class ProjectBaselineArgs:
    """The environment's plan, the project's plan and what the common part provides.

    Every project component takes the same three inputs; the type components' ``EsmlProjectArgs``
    and ``GenAIProjectArgs`` are this class under their own names.
    """

    plan: FactoryPlan
    project: ProjectPlan
    common: CommonOutputs


def budget_start(today: datetime.date) -> str:
    """Azure accepts a monthly budget starting on the first day of the current month, not earlier."""
    return f"{today:%Y-%m}-01T00:00:00Z"


class ProjectBaseline(FactoryComponent):
    """The part of a project that does not depend on its type.

    Attributes for type components: ``resource_group``/``resource_group_name``, ``identity``
    (``identity_id`` is the user-assigned identity every service runs as), ``principals``
    (common and project principals by RBAC key), ``lake_folders`` (the project's folders in the
    environment's lake), ``site`` (the project's :class:`ServiceSite`), ``storage``, ``key_vault``,
    ``app_insights``, ``container_registry_id`` (dedicated or shared), ``event_hubs`` (or None),
    ``scopes`` (RBAC scope key -> resource id: ``p007/storage``, ``p007/managed_identity``,
    ``p007/network/aks``, the common scopes, and the type's services after :meth:`complete`),
    ``role_assignments`` (those made before the type's services), ``protection`` (of the resource
    group), ``tags`` and ``location``.
    """

    def __init__(self, name: str, args: ProjectBaselineArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:baseline:ProjectBaseline", name, opts)
        self.plan, self.project, self.common = args.plan, args.project, args.common
        self.key = args.project.key
        self.location = args.plan.stack.location
        self.tags = dict(args.project.tags)
        self.protection = Protection(args.plan.stack.protect)
        self._completed = False

        self.resource_group = resources.ResourceGroup(
            f"{self.key}-rg",
            resource_group_name=self.azure_name("resource_group"),
            location=self.location,
            tags=self.tags,
            opts=self.protection.options(self),
        )
        self.resource_group_name: pulumi.Output[str] = self.resource_group.name
        self.identity = ProjectIdentity(
            f"{self.key}-identity",
            ProjectIdentityArgs(
                plan=self.plan,
                project=self.project,
                resource_group_name=self.resource_group_name,
                common_principals=self.common.principals,
            ),
            self.child_opts(),
        )
        self.principals: dict[str, pulumi.Input[str]] = {**self.common.principals, **self.identity.principals}
        self.lake_folders = ProjectLakeFolders(
            f"{self.key}-lake",
            ProjectLakeFoldersArgs(
                plan=self.plan, project=self.project, lake=self.common.lake, principals=self.principals
            ),
            self.child_opts(),
        )
        self.budget = self._budget()
        self.app_insights = self._app_insights()
        subnets = workload_subnets(self.common.subnet_ids, self.key)
        self._resources = ProjectResources(
            plan=self.project,
            identity=self.identity,
            common=self.common,
            principals=self.principals,
            app_insights_id=self.app_insights.id,
            app_insights_connection_string=self.app_insights.connection_string,
        )
        self.site = ServiceSite(
            plan=self.plan,
            parent=self,
            resource_group_name=self.resource_group_name,
            tags=self.tags,
            subscription_id=self.project.subscription_id,
            subnet_ids=subnets,
            zone_ids=self.common.zone_ids,
            workspace_id=self.common.log_analytics_workspace_id,
            vnet_id=self.common.vnet_ids.get(self.project.network.vnet_key),
            project=self._resources,
        )
        for service in self.project.services:
            if service.declaration.for_every_project_type:
                self.site.deploy(service)
        self.storage: storage.StorageAccount = self._every_project_has(STORAGE).built.resource
        self.key_vault: keyvault.Vault = self._every_project_has(KEY_VAULT).built.resource
        registry = self.site.get(CONTAINER_REGISTRY)
        self.container_registry_id: pulumi.Input[str] = (
            registry.resource.id if registry is not None else self.common.container_registry_id
        )
        event_hubs = self.site.get(EVENT_HUBS)
        self.event_hubs: eventhub.Namespace | None = event_hubs.built.resource if event_hubs is not None else None
        self.scopes: dict[str, pulumi.Input[str]] = {
            **self.common.scopes,
            self.scope_key("resource_group"): self.resource_group.id,
            self.scope_key("application_insights"): self.app_insights.id,
            self.scope_key("managed_identity"): self.identity.identity_id,
            **{
                self.scope_key(f"managed_identity/{name}"): created.id
                for name, created in self.identity.workload_identities.items()
            },
            **{self.scope_key(f"network/{key}"): subnet_id for key, subnet_id in subnets.items()},
            **self.site.scopes,
        }

        planned = self.plan.access.projects[self.project.spec.id].role_assignments
        ready = [a for a in planned if a.scope.key in self.scopes and self._resolvable(a.principal)]
        self.role_assignments = assign_roles(self, ready, principals=self.principals, scopes=self.scopes)
        self._pending = [a for a in planned if a not in ready]
        self.site.with_project(dataclasses.replace(self._resources, identity_ready=tuple(self.role_assignments)))
        self.register_outputs(
            {
                "resource_group_name": self.resource_group_name,
                "storage_account_id": self.storage.id,
                "key_vault_id": self.key_vault.id,
                "application_insights_id": self.app_insights.id,
            }
        )

    # --- for type components -----------------------------------------------------------------

    def azure_name(self, kind: ResourceKind, qualifier: str = "") -> str:
        """The Azure name of this project's ``kind`` resource (from the environment's namer)."""
        spec = self.project.spec
        return self.plan.namer.project(kind, spec.id, spec.name, qualifier)

    def scope_key(self, resource: str) -> str:
        """The RBAC scope key of one of this project's resources: ``p007/storage``."""
        return scope_key(self.key, resource)

    def type_services(self) -> tuple[PlannedService, ...]:
        """The project's instances its type component builds (those not every project type has)."""
        return tuple(s for s in self.project.services if not s.declaration.for_every_project_type)

    def deploy_type_services(self, parent: pulumi.Resource) -> dict[ServiceKey, Deployed[Any]]:
        """Build the type's services on the project's site, parented to the type component."""
        return {service.key: self.site.deploy(service, parent) for service in self.type_services()}

    def complete(self, parent: pulumi.Resource) -> list[authorization.RoleAssignment]:
        """Check every planned service was built completely, then assign the planned roles on the type's services.

        Call once, after the services exist.
        """
        if self._completed:
            msg = f"{self.key}: ProjectBaseline.complete() was already called"
            raise RuntimeError(msg)
        self._completed = True
        self.site.check_complete(self.project.services)
        self.scopes.update(self.site.scopes)
        self.principals.update(self.site.principals)
        return assign_roles(parent, self._pending, principals=self.principals, scopes=self.scopes)

    def _resolvable(self, principal: PrincipalRef) -> bool:
        """Whether the principal's object id is known before the type's services (not a service's own identity)."""
        return principal.object_id is not None or principal.key in self.principals

    # --- what every project gets ---------------------------------------------------------------

    def _every_project_has(self, service: ServiceDeclaration[Any, B]) -> Deployed[B]:
        deployed = self.site.get(service)
        if deployed is None:
            msg = f"{self.key}: every project has {service.name}, but the plan has none"
            raise RuntimeError(msg)
        return deployed

    def _budget(self) -> consumption.Budget:
        spec = self.project.spec
        emails = spec.budget.alert_emails or spec.owners
        notifications = {
            f"{kind.lower()}-{threshold}": consumption.NotificationArgs(
                enabled=True,
                operator=consumption.OperatorType.GREATER_THAN_OR_EQUAL_TO,
                threshold=threshold,
                threshold_type=kind,
                contact_emails=list(emails),
            )
            for kind, thresholds in (
                (consumption.ThresholdType.ACTUAL, spec.budget.thresholds),
                (consumption.ThresholdType.FORECASTED, spec.budget.forecast_thresholds),
            )
            for threshold in thresholds
        }
        return consumption.Budget(
            f"{self.key}-budget",
            budget_name=self.azure_name("budget"),
            scope=self.resource_group.id,
            amount=spec.budget.monthly_amount,
            category=consumption.CategoryType.COST,
            time_grain=consumption.TimeGrainType.MONTHLY,
            time_period=consumption.BudgetTimePeriodArgs(start_date=budget_start(datetime.datetime.now(datetime.UTC))),
            notifications=notifications,
            # The start date is only valid in the month of creation; later runs must not move it.
            opts=self.child_opts(ignore_changes=["timePeriod"]),
        )

    def _app_insights(self) -> applicationinsights.Component:
        return applicationinsights.Component(
            f"{self.key}-appi",
            resource_name_=self.azure_name("application_insights"),
            resource_group_name=self.resource_group_name,
            location=self.location,
            kind="web",
            application_type=applicationinsights.ApplicationType.WEB,
            ingestion_mode=applicationinsights.IngestionMode.LOG_ANALYTICS,
            workspace_resource_id=self.common.log_analytics_workspace_id,
            disable_local_auth=True,
            tags=self.tags,
            opts=self.child_opts(),
        )


class ProjectTypeComponent(FactoryComponent):
    """What a project type component (``EsmlProject``, ``GenAIProject``) starts from: its key and baseline."""

    def __init__(
        self, type_token: str, name: str, args: ProjectBaselineArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(type_token, name, opts)
        self.key = args.project.key
        self.baseline = ProjectBaseline(f"{self.key}-baseline", args, self.child_opts())
        self.resource_group_name: pulumi.Output[str] = self.baseline.resource_group_name
