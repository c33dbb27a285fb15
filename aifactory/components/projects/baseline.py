"""ProjectBaseline: what every project gets in each environment, whatever its type.

The resource group (protected in stage and prod), the project's identities (``ProjectIdentity``),
its folders in the environment's lake with their ACLs (``ProjectLakeFolders``), a monthly budget
with actual and forecast alerts, workspace-based Application Insights on the environment's Log
Analytics, a private and keyless storage account and an RBAC-mode Key Vault (both behind private
endpoints, protected and locked in stage and prod), and the services both project types may
switch on: a dedicated Premium registry (``container_registry``) and an Event Hubs namespace
(``event_hubs``).

Type components (``EsmlProject``, ``GenAIProject``) build their services on it with
:meth:`ProjectBaseline.azure_name`, :meth:`private_endpoints`, :meth:`diagnostics`,
:meth:`subnet_id` and :attr:`protection`, then call :meth:`complete` once with their services'
RBAC scopes. Role assignments come in two steps because services need their identity's roles
before they are created (an ML workspace checks its identity's access to its storage, key vault
and registry; AKS its identity's access to its subnet), while roles on a service need the service:
the baseline assigns every planned role whose scope it owns (its resources, the project identity,
the project's subnets and the common scopes), :meth:`complete` assigns the rest.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

import pulumi
from pulumi_azure_native import (
    applicationinsights,
    authorization,
    consumption,
    containerregistry,
    eventhub,
    keyvault,
    resources,
    storage,
)

from aifactory.catalog.naming_rules import ResourceKind
from aifactory.components.base import FactoryComponent
from aifactory.components.datalake import ProjectLakeFolders, ProjectLakeFoldersArgs
from aifactory.components.diagnostics import send_diagnostics
from aifactory.components.identity import ProjectIdentity, ProjectIdentityArgs
from aifactory.components.interfaces import CommonOutputs
from aifactory.components.private_endpoints import PrivateEndpointSet, PrivateEndpointSetArgs
from aifactory.components.protection import Protection
from aifactory.components.public_access import container_registry_access, key_vault_access, storage_access
from aifactory.components.role_assignments import assign_roles
from aifactory.plan.factory import FactoryPlan, ProjectPlan
from aifactory.plan.public_access import PublicAccess, public_access

__all__ = ["ProjectBaseline", "ProjectBaselineArgs", "ProjectTypeComponent", "budget_start", "resolved"]

DISABLED = "Disabled"


@dataclass(frozen=True)
class ProjectBaselineArgs:
    """The environment's plan, the project's plan and what the common part provides.

    Every project component takes the same three inputs; the type components' ``EsmlProjectArgs``
    and ``GenAIProjectArgs`` are this class under their own names.
    """

    plan: FactoryPlan
    project: ProjectPlan
    common: CommonOutputs


_T = TypeVar("_T")


def resolved(value: _T | None, setting: str) -> _T:
    """A setting the config loader always fills for an enabled service (``config/resolve.py``)."""
    if value is None:
        msg = f"{setting} was not resolved for the environment; load projects through the config loader"
        raise ValueError(msg)
    return value


def budget_start(today: datetime.date) -> str:
    """Azure accepts a monthly budget starting on the first day of the current month, not earlier."""
    return f"{today:%Y-%m}-01T00:00:00Z"


class ProjectBaseline(FactoryComponent):
    """The part of a project that does not depend on its type.

    Attributes for type components: ``resource_group``/``resource_group_name``, ``identity``
    (``identity_id`` is the user-assigned identity every service runs as), ``principals``
    (common and project principals by RBAC key), ``lake_folders`` (the project's folders in the
    environment's lake), ``storage``, ``key_vault``, ``app_insights``,
    ``container_registry_id`` (dedicated or shared), ``event_hubs`` (or None), ``scopes`` (RBAC
    scope key -> resource id: ``p007/storage``, ``p007/managed_identity``, ``p007/network/aks``,
    the common scopes, and the services' after :meth:`complete`), ``role_assignments`` (those
    made before the services), ``protection``, ``tags`` and ``location``.
    """

    def __init__(self, name: str, args: ProjectBaselineArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:baseline:ProjectBaseline", name, opts)
        self.plan, self.project, self.common = args.plan, args.project, args.common
        self.key = args.project.key
        self.location = args.plan.stack.location
        self.tags = dict(args.project.tags)
        self.protection = Protection(args.plan.stack.protect)
        self.public_access: PublicAccess = public_access(args.project.spec)
        self._endpoint_targets: set[str] = set()
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
        self.storage = self._storage()
        self.key_vault = self._key_vault()
        self.scopes: dict[str, pulumi.Input[str]] = {
            **self.common.scopes,
            self.scope_key("resource_group"): self.resource_group.id,
            self.scope_key("storage"): self.storage.id,
            self.scope_key("key_vault"): self.key_vault.id,
            self.scope_key("application_insights"): self.app_insights.id,
            self.scope_key("managed_identity"): self.identity.identity_id,
            **{
                self.scope_key(f"network/{key.split('/', 1)[1]}"): subnet_id
                for key, subnet_id in self.common.subnet_ids.items()
                if key.startswith(f"{self.key}/")
            },
        }
        self.container_registry_id: pulumi.Input[str] = self._container_registry()
        self.event_hubs = self._event_hubs()

        planned = self.plan.access.projects[self.project.spec.id].role_assignments
        self.role_assignments = assign_roles(
            self, [a for a in planned if a.scope.key in self.scopes], principals=self.principals, scopes=self.scopes
        )
        self._pending = [a for a in planned if a.scope.key not in self.scopes]
        self.register_outputs(
            {
                "resource_group_name": self.resource_group_name,
                "storage_account_id": self.storage.id,
                "key_vault_id": self.key_vault.id,
                "application_insights_id": self.app_insights.id,
            }
        )

    # --- helpers for type components -------------------------------------------------------

    def azure_name(self, kind: ResourceKind, qualifier: str = "") -> str:
        """The Azure name of this project's ``kind`` resource (from the environment's namer)."""
        spec = self.project.spec
        return self.plan.namer.project(kind, spec.id, spec.name, qualifier)

    def scope_key(self, resource: str) -> str:
        """The RBAC scope key of one of this project's resources: ``p007/storage``."""
        return f"{self.key}/{resource}"

    def subnet_id(self, subnet: str) -> pulumi.Output[str]:
        """The id of one of this project's subnets (``private_endpoints``, ``compute``, ``aks``, ...)."""
        return self.common.subnet_ids[f"{self.key}/{subnet}"]

    def private_endpoints(self, target: str, resource: pulumi.CustomResource, azure_name: str) -> PrivateEndpointSet:
        """The planned private endpoints of ``target`` (a ``project.endpoints`` target) in the PE subnet."""
        planned = {e.target: e for e in self.project.endpoints}
        if target not in planned:
            msg = f"{self.key} has no planned private endpoints for {target!r}; plan/endpoints.py decides them"
            raise KeyError(msg)
        endpoint = planned[target]
        self._endpoint_targets.add(target)
        return PrivateEndpointSet(
            f"{self.key}-{target}-pe",
            PrivateEndpointSetArgs(
                target_id=resource.id,
                target_name=azure_name,
                kind=endpoint.kind,
                group_ids=endpoint.group_ids,
                subnet_id=self.subnet_id("private_endpoints"),
                resource_group_name=self.resource_group_name,
                location=self.location,
                dns=self.plan.dns,
                zone_ids=self.common.zone_ids,
                tags=self.tags,
            ),
            pulumi.ResourceOptions(parent=resource),
        )

    def diagnostics(self, logical_name: str, resource: pulumi.CustomResource, kind: str) -> None:
        """Diagnostic settings of ``resource`` to the environment's Log Analytics workspace."""
        send_diagnostics(logical_name, resource, kind, self.common.log_analytics_workspace_id)

    def complete(
        self, parent: pulumi.Resource, service_scopes: Mapping[str, pulumi.Input[str]]
    ) -> list[authorization.RoleAssignment]:
        """Assign the planned roles on the type's services and check every planned endpoint exists.

        Call once, after the services exist.
        """
        if self._completed:
            msg = f"{self.key}: ProjectBaseline.complete() was already called"
            raise RuntimeError(msg)
        self._completed = True
        self.scopes.update(service_scopes)
        missing = {e.target for e in self.project.endpoints} - self._endpoint_targets
        if missing:
            msg = f"{self.key}: planned private endpoints were not created for {', '.join(sorted(missing))}"
            raise RuntimeError(msg)
        return assign_roles(parent, self._pending, principals=self.principals, scopes=self.scopes)

    # --- what every project gets -----------------------------------------------------------

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
            for kind in (consumption.ThresholdType.ACTUAL, consumption.ThresholdType.FORECASTED)
            for threshold in spec.budget.thresholds
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

    def _storage(self) -> storage.StorageAccount:
        name = self.azure_name("storage_account")
        account = storage.StorageAccount(
            f"{self.key}-storage",
            account_name=name,
            resource_group_name=self.resource_group_name,
            location=self.location,
            kind=storage.Kind.STORAGE_V2,
            sku=storage.SkuArgs(name=storage.SkuName.STANDARD_LRS),
            access_tier=storage.AccessTier.HOT,
            allow_shared_key_access=False,
            default_to_o_auth_authentication=True,
            allow_blob_public_access=False,
            allow_cross_tenant_replication=False,
            minimum_tls_version=storage.MinimumTlsVersion.TLS1_2,
            enable_https_traffic_only=True,
            **storage_access(self.public_access),
            tags=self.tags,
            opts=self.protection.options(self),
        )
        self.protection.lock(f"{self.key}-storage", account, name)
        self.private_endpoints("storage", account, name)
        self.diagnostics(f"{self.key}-storage", account, "storage")
        return account

    def _key_vault(self) -> keyvault.Vault:
        name = self.azure_name("key_vault")
        vault = keyvault.Vault(
            f"{self.key}-kv",
            vault_name=name,
            resource_group_name=self.resource_group_name,
            location=self.location,
            properties=keyvault.VaultPropertiesArgs(
                tenant_id=self.plan.stack.tenant_id,
                sku=keyvault.SkuArgs(family=keyvault.SkuFamily.A, name=keyvault.SkuName.STANDARD),
                enable_rbac_authorization=True,
                enable_purge_protection=True,
                enable_soft_delete=True,
                soft_delete_retention_in_days=self.plan.stack.shared_services.key_vault_soft_delete_days,
                **key_vault_access(self.public_access),
                enabled_for_deployment=False,
                enabled_for_disk_encryption=False,
                enabled_for_template_deployment=False,
            ),
            tags=self.tags,
            opts=self.protection.options(self),
        )
        self.protection.lock(f"{self.key}-kv", vault, name)
        self.private_endpoints("key_vault", vault, name)
        self.diagnostics(f"{self.key}-kv", vault, "key_vault")
        return vault

    # --- services both project types may switch on ------------------------------------------

    def _container_registry(self) -> pulumi.Input[str]:
        """A dedicated Premium registry when the project asks for one, else the shared registry's id."""
        if "container_registry" not in self.project.spec.enabled_services():
            return self.common.container_registry_id
        name = self.azure_name("container_registry")
        registry = containerregistry.Registry(
            f"{self.key}-cr",
            registry_name=name,
            resource_group_name=self.resource_group_name,
            location=self.location,
            sku=containerregistry.SkuArgs(name=containerregistry.SkuName.PREMIUM),
            admin_user_enabled=False,
            anonymous_pull_enabled=False,
            network_rule_bypass_options=containerregistry.NetworkRuleBypassOptions.AZURE_SERVICES,
            **container_registry_access(self.public_access),
            tags=self.tags,
            opts=self.protection.options(self),
        )
        self.private_endpoints("container_registry", registry, name)
        self.diagnostics(f"{self.key}-cr", registry, "container_registry")
        self.scopes[self.scope_key("container_registry")] = registry.id
        return registry.id

    def _event_hubs(self) -> eventhub.Namespace | None:
        """An Entra-only Event Hubs namespace with the configured hubs (Standard or above: private link)."""
        settings = self.project.spec.services.event_hubs
        if "event_hubs" not in self.project.spec.enabled_services() or settings is None:
            return None
        name = self.azure_name("event_hubs_namespace")
        namespace = eventhub.Namespace(
            f"{self.key}-evhns",
            namespace_name=name,
            resource_group_name=self.resource_group_name,
            location=self.location,
            sku=eventhub.SkuArgs(name=settings.sku, tier=settings.sku, capacity=settings.capacity),
            disable_local_auth=True,
            public_network_access=DISABLED,
            minimum_tls_version=eventhub.TlsVersion.TLS_VERSION_1_2,
            tags=self.tags,
            opts=self.child_opts(),
        )
        for hub in settings.hubs:
            eventhub.EventHub(
                f"{self.key}-evh-{hub.name}",
                event_hub_name=hub.name,
                namespace_name=namespace.name,
                resource_group_name=self.resource_group_name,
                partition_count=hub.partitions,
                retention_description=eventhub.RetentionDescriptionArgs(
                    cleanup_policy=eventhub.CleanupPolicyRetentionDescription.DELETE,
                    retention_time_in_hours=hub.retention_hours,
                ),
                opts=pulumi.ResourceOptions(parent=namespace),
            )
        self.private_endpoints("event_hubs", namespace, name)
        self.diagnostics(f"{self.key}-evhns", namespace, "event_hubs")
        self.scopes[self.scope_key("event_hubs")] = namespace.id
        return namespace


class ProjectTypeComponent(FactoryComponent):
    """What a project type component (``EsmlProject``, ``GenAIProject``) starts from: its key and baseline."""

    def __init__(
        self, type_token: str, name: str, args: ProjectBaselineArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(type_token, name, opts)
        self.key = args.project.key
        self.baseline = ProjectBaseline(f"{self.key}-baseline", args, self.child_opts())
        self.resource_group_name: pulumi.Output[str] = self.baseline.resource_group_name
