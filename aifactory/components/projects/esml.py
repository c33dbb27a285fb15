"""EsmlProject: a machine-learning project workspace in one environment.

The :class:`ProjectBaseline` (resource group, identities, budget, Application Insights, storage,
Key Vault, optional dedicated registry and Event Hubs) plus, as the project enables them:

- Azure Machine Learning (v2): private, identity-based system datastores, the project's identity,
  a CPU cluster in the project's ``compute`` subnet that scales to zero with no public IP and SSH
  off (it also builds images), and optional personal compute instances;
- Azure Databricks (premium): VNet-injected into the project's host/container subnets, no public
  IP, private front end, and an access connector running as the project's identity;
- Azure Data Factory: managed VNet and integration runtime, managed private endpoints to the
  project's storage and key vault and to the datalake, identity-based linked services;
- a private AKS cluster for model serving: Azure CNI overlay in the ``aks`` subnet, Entra ID
  RBAC, no local accounts, workload identity. With ``aks.attach_to_workspace`` it is attached to
  the ML workspace as a Kubernetes compute (the Azure ML cluster extension, inference router on an
  internal load balancer); Azure ML does not support clusters without local accounts, so those
  stay enabled then (access is still governed by Entra ID RBAC).

Every service runs as the project's user-assigned identity, is private, sends diagnostics, and
gets its planned role assignments. Workspaces that hold authored work (ML, Databricks, Data
Factory) are protected in stage and prod but not locked: a lock would also block deleting
their computes, clusters and pipelines.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import (
    containerservice,
    databricks,
    datafactory,
    kubernetesconfiguration,
    machinelearningservices,
)

from aifactory.components.data_factory import MANAGED_VNET, RUNTIME, managed_vnet_factory
from aifactory.components.databricks_workspace import injected_databricks_workspace
from aifactory.components.projects.baseline import ProjectBaselineArgs, ProjectTypeComponent, resolved
from aifactory.config.project import Member
from aifactory.config.services import Aks, MachineLearning
from aifactory.plan.naming import stable_suffix
from aifactory.plan.rbac.principals import member_ref

__all__ = [
    "CLUSTER_NAME",
    "COMPUTE_INSTANCE_PERSONAS",
    "EsmlProject",
    "EsmlProjectArgs",
]

CLUSTER_NAME = "cpu-cluster"
AKS_COMPUTE_NAME = "aks-serving"
"""The AKS cluster's name in the ML workspace (compute names allow 2-16 characters)."""
AKS_ML_NAMESPACE = "azureml"
"""The training cluster's name: scoped to its workspace, and AmlCompute names allow only 2-16 characters."""
COMPUTE_INSTANCE_PERSONAS = frozenset({"data-scientist", "ml-engineer"})
"""Personas whose user members get a personal compute instance when ``compute_instances`` is on."""
COMPUTE_INSTANCE_IDLE_SHUTDOWN = "PT60M"
ADF_CREDENTIAL = "project-identity"


EsmlProjectArgs = ProjectBaselineArgs
"""The environment's plan, the project's plan and what the common part provides."""


class EsmlProject(ProjectTypeComponent):
    """An ESML project: the baseline and its enabled machine-learning and data services."""

    def __init__(self, name: str, args: EsmlProjectArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:projects:EsmlProject", name, args, opts)
        base = self.baseline
        spec = args.project.spec
        enabled = spec.enabled_services()
        scopes: dict[str, pulumi.Input[str]] = {}
        self.workspace: machinelearningservices.Workspace | None = None
        if "machine_learning" in enabled:
            self.workspace = self._machine_learning(resolved(spec.services.machine_learning, "machine_learning"))
            scopes[base.scope_key("machine_learning")] = self.workspace.id
        if "databricks" in enabled:
            scopes[base.scope_key("databricks")] = self._databricks().id
        if "data_factory" in enabled:
            scopes[base.scope_key("data_factory")] = self._data_factory().id
        if "aks" in enabled:
            aks = resolved(spec.services.aks, "aks")
            cluster = self._aks(aks)
            scopes[base.scope_key("aks")] = cluster.id
            if aks.attach_to_workspace and self.workspace is not None:
                self._attach_aks(cluster, self.workspace, aks)
        self.role_assignments = base.complete(self, scopes)
        self.register_outputs({"resource_group_name": self.resource_group_name})

    def _ml_identity(self) -> machinelearningservices.ManagedServiceIdentityArgs:
        """The workspace and every compute run as the project's user-assigned identity."""
        return machinelearningservices.ManagedServiceIdentityArgs(
            type=machinelearningservices.ManagedServiceIdentityType.USER_ASSIGNED,
            user_assigned_identities=[self.baseline.identity.identity_id],
        )

    # --- Azure Machine Learning ------------------------------------------------------------

    def _machine_learning(self, settings: MachineLearning) -> machinelearningservices.Workspace:
        base = self.baseline
        name = base.azure_name("machine_learning_workspace")
        identity = base.identity.identity_id
        workspace = machinelearningservices.Workspace(
            f"{self.key}-mlw",
            workspace_name=name,
            resource_group_name=base.resource_group_name,
            location=base.location,
            kind="Default",
            sku=machinelearningservices.SkuArgs(name="Basic", tier=machinelearningservices.SkuTier.BASIC),
            friendly_name=base.project.spec.name,
            description=base.project.spec.description or None,
            identity=self._ml_identity(),
            primary_user_assigned_identity=identity,
            storage_account=base.storage.id,
            key_vault=base.key_vault.id,
            application_insights=base.app_insights.id,
            container_registry=base.container_registry_id,
            image_build_compute=CLUSTER_NAME,
            public_network_access=machinelearningservices.PublicNetworkAccessType.DISABLED,
            allow_public_access_when_behind_vnet=False,
            system_datastores_auth_mode=machinelearningservices.SystemDatastoresAuthMode.IDENTITY,
            v1_legacy_mode=False,
            managed_network=machinelearningservices.ManagedNetworkSettingsArgs(
                isolation_mode=machinelearningservices.IsolationMode.DISABLED
            ),
            serverless_compute_settings=machinelearningservices.ServerlessComputeSettingsArgs(
                serverless_compute_custom_subnet=base.subnet_id("compute"),
                serverless_compute_no_public_ip=True,
            ),
            tags=base.tags,
            # The workspace checks its identity's access to storage, key vault and registry on creation.
            opts=base.protection.options(self, depends_on=list(base.role_assignments)),
        )
        base.private_endpoints("machine_learning", workspace, name)
        base.diagnostics(f"{self.key}-mlw", workspace, "machine_learning")
        self._compute_cluster(workspace, settings)
        if settings.compute_instances:
            for member in base.project.spec.members_in(base.plan.stack.environment):
                if member.kind == "user" and member.persona in COMPUTE_INSTANCE_PERSONAS:
                    self._compute_instance(workspace, settings, member)
        return workspace

    def _compute_cluster(self, workspace: machinelearningservices.Workspace, settings: MachineLearning) -> None:
        base = self.baseline
        compute = settings.compute
        machinelearningservices.Compute(
            f"{self.key}-mlw-cluster",
            compute_name=CLUSTER_NAME,
            workspace_name=workspace.name,
            resource_group_name=base.resource_group_name,
            location=base.location,
            identity=self._ml_identity(),
            properties=machinelearningservices.AmlComputeArgs(
                compute_type="AmlCompute",
                disable_local_auth=True,
                properties=machinelearningservices.AmlComputePropertiesArgs(
                    os_type=machinelearningservices.OsType.LINUX,
                    vm_size=resolved(compute.vm_size, "machine_learning.compute.vm_size"),
                    vm_priority=machinelearningservices.VmPriority.DEDICATED,
                    scale_settings=machinelearningservices.ScaleSettingsArgs(
                        min_node_count=compute.min_nodes,
                        max_node_count=resolved(compute.max_nodes, "machine_learning.compute.max_nodes"),
                        node_idle_time_before_scale_down=f"PT{compute.idle_minutes_before_scale_down}M",
                    ),
                    enable_node_public_ip=False,
                    remote_login_port_public_access=machinelearningservices.RemoteLoginPortPublicAccess.DISABLED,
                    subnet=machinelearningservices.ResourceIdArgs(id=base.subnet_id("compute")),
                ),
            ),
            tags=base.tags,
            opts=pulumi.ResourceOptions(parent=workspace),
        )

    def _compute_instance(
        self, workspace: machinelearningservices.Workspace, settings: MachineLearning, member: Member
    ) -> None:
        """A personal instance for one user; its name is unique in the region (namer suffix)."""
        base = self.baseline
        qualifier = stable_suffix(member.key)
        machinelearningservices.Compute(
            f"{self.key}-mlw-ci-{qualifier}",
            compute_name=base.azure_name("compute_instance", qualifier),
            workspace_name=workspace.name,
            resource_group_name=base.resource_group_name,
            location=base.location,
            properties=machinelearningservices.ComputeInstanceArgs(
                compute_type="ComputeInstance",
                disable_local_auth=True,
                properties=machinelearningservices.ComputeInstancePropertiesArgs(
                    vm_size=settings.compute_instance_vm_size,
                    subnet=machinelearningservices.ResourceIdArgs(id=base.subnet_id("compute")),
                    enable_node_public_ip=False,
                    ssh_settings=machinelearningservices.ComputeInstanceSshSettingsArgs(
                        ssh_public_access=machinelearningservices.SshPublicAccess.DISABLED
                    ),
                    idle_time_before_shutdown=COMPUTE_INSTANCE_IDLE_SHUTDOWN,
                    application_sharing_policy=machinelearningservices.ApplicationSharingPolicy.PERSONAL,
                    compute_instance_authorization_type=machinelearningservices.ComputeInstanceAuthorizationType.PERSONAL,
                    personal_compute_instance_settings=machinelearningservices.PersonalComputeInstanceSettingsArgs(
                        assigned_user=machinelearningservices.AssignedUserArgs(
                            object_id=self._user_object_id(member), tenant_id=base.plan.stack.tenant_id
                        )
                    ),
                ),
            ),
            tags=base.tags,
            opts=pulumi.ResourceOptions(parent=workspace),
        )

    def _user_object_id(self, member: Member) -> pulumi.Input[str]:
        """The member's object id: from config, or as the identity component resolved its sign-in name."""
        if "@" not in member.principal:
            return member.principal
        return self.baseline.principals[member_ref(self.baseline.project.spec, member).key]

    # --- Azure Databricks ------------------------------------------------------------------

    def _databricks(self) -> databricks.Workspace:
        base = self.baseline
        name = base.azure_name("databricks_workspace")
        managed_group = base.azure_name("resource_group", "dbw")
        workspace = injected_databricks_workspace(
            f"{self.key}-dbw",
            workspace_name=name,
            resource_group_name=base.resource_group_name,
            location=base.location,
            managed_resource_group_id=f"/subscriptions/{base.project.subscription_id}/resourceGroups/{managed_group}",
            vnet_id=base.common.vnet_ids[base.project.network.vnet_key],
            host_subnet_id=base.subnet_id("databricks_host"),
            container_subnet_id=base.subnet_id("databricks_container"),
            tags=base.tags,
            opts=base.protection.options(self),
        )
        databricks.AccessConnector(
            f"{self.key}-dbac",
            connector_name=base.azure_name("databricks_access_connector"),
            resource_group_name=base.resource_group_name,
            location=base.location,
            identity=databricks.ManagedServiceIdentityArgs(
                type=databricks.ManagedServiceIdentityType.USER_ASSIGNED,
                user_assigned_identities=[base.identity.identity_id],
            ),
            tags=base.tags,
            opts=pulumi.ResourceOptions(parent=workspace),
        )
        base.private_endpoints("databricks", workspace, name)
        base.diagnostics(f"{self.key}-dbw", workspace, "databricks")
        return workspace

    # --- Azure Data Factory ----------------------------------------------------------------

    def _data_factory(self) -> datafactory.Factory:
        base = self.baseline
        name = base.azure_name("data_factory")
        built = managed_vnet_factory(
            f"{self.key}-adf",
            factory_name=name,
            resource_group_name=base.resource_group_name,
            location=base.location,
            identity=datafactory.FactoryIdentityArgs(
                type=datafactory.FactoryIdentityType.USER_ASSIGNED,
                user_assigned_identities=base.identity.identity_id.apply(lambda identity: {identity: {}}),
            ),
            tags=base.tags,
            opts=base.protection.options(self),
        )
        factory, managed_vnet, runtime = built.factory, built.managed_vnet, built.runtime
        self._managed_private_endpoints(factory, managed_vnet)
        self._linked_services(factory, runtime)
        base.private_endpoints("data_factory", factory, name)
        base.diagnostics(f"{self.key}-adf", factory, "data_factory")
        return factory

    def _managed_private_endpoints(self, factory: datafactory.Factory, managed_vnet: pulumi.Resource) -> None:
        """Private paths from the managed VNet; each waits for approval on its target."""
        base = self.baseline
        targets: list[tuple[str, pulumi.Input[str], str]] = [
            ("project-storage-blob", base.storage.id, "blob"),
            ("project-key-vault", base.key_vault.id, "vault"),
            ("datalake-dfs", base.common.lake.account_id, "dfs"),
        ]
        for endpoint_name, target_id, group in targets:
            datafactory.ManagedPrivateEndpoint(
                f"{self.key}-adf-mpe-{endpoint_name}",
                managed_private_endpoint_name=endpoint_name,
                managed_virtual_network_name=MANAGED_VNET,
                factory_name=factory.name,
                resource_group_name=base.resource_group_name,
                properties=datafactory.ManagedPrivateEndpointArgs(private_link_resource_id=target_id, group_id=group),
                opts=pulumi.ResourceOptions(parent=factory, depends_on=[managed_vnet]),
            )

    def _linked_services(self, factory: datafactory.Factory, runtime: datafactory.IntegrationRuntime) -> None:
        """Keyless linked services: every one authenticates with the project identity's credential."""
        base = self.baseline
        credential = datafactory.CredentialOperation(
            f"{self.key}-adf-credential",
            credential_name=ADF_CREDENTIAL,
            factory_name=factory.name,
            resource_group_name=base.resource_group_name,
            properties=datafactory.ManagedIdentityCredentialArgs(
                type="ManagedIdentity", resource_id=base.identity.identity_id
            ),
            opts=pulumi.ResourceOptions(parent=factory),
        )
        reference = datafactory.CredentialReferenceArgs(
            reference_name=ADF_CREDENTIAL, type=datafactory.CredentialReferenceType.CREDENTIAL_REFERENCE
        )
        via = datafactory.IntegrationRuntimeReferenceArgs(
            reference_name=RUNTIME,
            type=datafactory.IntegrationRuntimeReferenceType.INTEGRATION_RUNTIME_REFERENCE,
        )
        services: dict[
            str,
            datafactory.AzureBlobStorageLinkedServiceArgs
            | datafactory.AzureKeyVaultLinkedServiceArgs
            | datafactory.AzureBlobFSLinkedServiceArgs,
        ] = {
            "ls-project-storage": datafactory.AzureBlobStorageLinkedServiceArgs(
                type="AzureBlobStorage",
                service_endpoint=f"https://{base.azure_name('storage_account')}.blob.core.windows.net/",
                account_kind="StorageV2",
                credential=reference,
                connect_via=via,
            ),
            "ls-project-key-vault": datafactory.AzureKeyVaultLinkedServiceArgs(
                type="AzureKeyVault",
                base_url=f"https://{base.azure_name('key_vault')}.vault.azure.net/",
                credential=reference,
                connect_via=via,
            ),
            "ls-datalake": datafactory.AzureBlobFSLinkedServiceArgs(
                type="AzureBlobFS", url=base.common.lake.dfs_endpoint, credential=reference, connect_via=via
            ),
        }
        for service_name, properties in services.items():
            datafactory.LinkedService(
                f"{self.key}-adf-{service_name}",
                linked_service_name=service_name,
                factory_name=factory.name,
                resource_group_name=base.resource_group_name,
                properties=properties,
                opts=pulumi.ResourceOptions(parent=factory, depends_on=[credential, runtime]),
            )

    # --- AKS for model serving -------------------------------------------------------------

    def _aks(self, settings: Aks) -> containerservice.ManagedCluster:
        base = self.baseline
        name = base.azure_name("kubernetes_cluster")
        hub = base.plan.stack.network.hub
        outbound = (
            containerservice.OutboundType.USER_DEFINED_ROUTING
            if hub is not None and hub.firewall_ip
            else containerservice.OutboundType.LOAD_BALANCER
        )
        cluster = containerservice.ManagedCluster(
            f"{self.key}-aks",
            resource_name_=name,
            resource_group_name=base.resource_group_name,
            location=base.location,
            dns_prefix=name[:54].rstrip("-"),
            kubernetes_version=settings.kubernetes_version,
            sku=containerservice.ManagedClusterSKUArgs(
                name=containerservice.ManagedClusterSKUName.BASE, tier=resolved(settings.sku_tier, "aks.sku_tier")
            ),
            identity=containerservice.ManagedClusterIdentityArgs(
                type=containerservice.ResourceIdentityType.USER_ASSIGNED,
                user_assigned_identities=[base.identity.identity_id],
            ),
            # The kubelet runs as the project identity too: it pulls images with the identity's registry role.
            identity_profile={
                "kubeletidentity": containerservice.UserAssignedIdentityArgs(
                    resource_id=base.identity.identity_id,
                    client_id=base.identity.identity_client_id,
                    object_id=base.identity.identity_principal_id,
                )
            },
            node_resource_group=base.azure_name("resource_group", "aks"),
            api_server_access_profile=containerservice.ManagedClusterAPIServerAccessProfileArgs(
                enable_private_cluster=True, enable_private_cluster_public_fqdn=False, private_dns_zone="system"
            ),
            disable_local_accounts=not settings.attach_to_workspace,
            enable_rbac=True,
            aad_profile=containerservice.ManagedClusterAADProfileArgs(
                managed=True, enable_azure_rbac=True, tenant_id=base.plan.stack.tenant_id
            ),
            network_profile=containerservice.ContainerServiceNetworkProfileArgs(
                network_plugin=containerservice.NetworkPlugin.AZURE,
                network_plugin_mode=containerservice.NetworkPluginMode.OVERLAY,
                load_balancer_sku=containerservice.LoadBalancerSku.STANDARD,
                outbound_type=outbound,
                pod_cidr=base.plan.stack.network.aks_pod_cidr,
                service_cidr=base.plan.stack.network.aks_service_cidr,
                dns_service_ip=base.plan.stack.network.aks_dns_service_ip,
            ),
            agent_pool_profiles=[
                containerservice.ManagedClusterAgentPoolProfileArgs(
                    name="system",
                    mode=containerservice.AgentPoolMode.SYSTEM,
                    type=containerservice.AgentPoolType.VIRTUAL_MACHINE_SCALE_SETS,
                    os_type=containerservice.OSType.LINUX,
                    vm_size=resolved(settings.node_vm_size, "aks.node_vm_size"),
                    enable_auto_scaling=True,
                    count=settings.min_nodes,
                    min_count=settings.min_nodes,
                    max_count=resolved(settings.max_nodes, "aks.max_nodes"),
                    vnet_subnet_id=base.subnet_id("aks"),
                    enable_node_public_ip=False,
                )
            ],
            oidc_issuer_profile=containerservice.ManagedClusterOIDCIssuerProfileArgs(enabled=True),
            security_profile=containerservice.ManagedClusterSecurityProfileArgs(
                workload_identity=containerservice.ManagedClusterSecurityProfileWorkloadIdentityArgs(enabled=True)
            ),
            auto_upgrade_profile=containerservice.ManagedClusterAutoUpgradeProfileArgs(
                upgrade_channel=containerservice.UpgradeChannel.PATCH
            ),
            tags=base.tags,
            # Created after the identity's roles on the subnet and on itself (kubelet); the autoscaler owns the count.
            opts=self.child_opts(depends_on=list(base.role_assignments), ignore_changes=["agentPoolProfiles[0].count"]),
        )
        base.diagnostics(f"{self.key}-aks", cluster, "aks")
        return cluster

    def _attach_aks(
        self, cluster: containerservice.ManagedCluster, workspace: machinelearningservices.Workspace, settings: Aks
    ) -> machinelearningservices.Compute:
        """The Azure ML extension on the cluster and the workspace's Kubernetes compute for online endpoints."""
        base = self.baseline
        max_nodes = resolved(settings.max_nodes, "aks.max_nodes")
        extension = kubernetesconfiguration.Extension(
            f"{self.key}-aks-azureml",
            extension_name="azureml",
            extension_type="Microsoft.AzureML.Kubernetes",
            cluster_rp="Microsoft.ContainerService",
            cluster_resource_name="managedClusters",
            cluster_name=base.azure_name("kubernetes_cluster"),
            resource_group_name=base.resource_group_name,
            auto_upgrade_minor_version=True,
            release_train="stable",
            scope=kubernetesconfiguration.ScopeArgs(
                cluster=kubernetesconfiguration.ScopeClusterArgs(release_namespace=AKS_ML_NAMESPACE)
            ),
            configuration_settings={
                "enableInference": "True",
                "enableTraining": "False",
                # Scoring stays inside the VNet: an internal load balancer, never a public IP.
                "inferenceRouterServiceType": "internalLoadBalancer",
                "internalLoadBalancerProvider": "azure",
                # TLS needs a certificate the factory does not hold; traffic never leaves the private network.
                "allowInsecureConnections": "True",
                "inferenceRouterHA": "True" if max_nodes >= 3 else "False",
            },
            opts=self.child_opts(depends_on=[cluster]),
        )
        return machinelearningservices.Compute(
            f"{self.key}-mlw-aks",
            compute_name=AKS_COMPUTE_NAME,
            workspace_name=workspace.name,
            resource_group_name=base.resource_group_name,
            location=base.location,
            identity=self._ml_identity(),
            properties=machinelearningservices.KubernetesArgs(
                compute_type="Kubernetes",
                resource_id=cluster.id,
                description="AKS for online endpoints (private, internal load balancer)",
                properties=machinelearningservices.KubernetesPropertiesArgs(namespace=AKS_ML_NAMESPACE),
            ),
            tags=base.tags,
            opts=self.child_opts(depends_on=[extension]),
        )
