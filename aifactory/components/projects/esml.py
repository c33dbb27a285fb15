"""EsmlProject: a machine-learning project workspace in one environment.

The :class:`ProjectBaseline` (resource group, identities, budget, Application Insights, storage,
Key Vault, optional dedicated registry and Event Hubs) plus the machine-learning services the
project enables, each built from its declaration on the project's site (Azure ML, Databricks, Data
Factory, AKS: :mod:`aifactory.services`), which also gives each its private endpoints, diagnostics,
protection and scope. This component adds what is a relationship between services: with
``aks.attach_to_workspace`` the AKS cluster is attached to the ML workspace as a Kubernetes compute
for online endpoints (the Azure ML cluster extension, inference router on an internal load
balancer; Azure ML does not support clusters without local accounts, so those stay enabled then,
access is still governed by Entra ID RBAC).
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi_azure_native import kubernetesconfiguration, machinelearningservices

from aifactory.components.projects.baseline import ProjectBaselineArgs, ProjectTypeComponent
from aifactory.services.aks import AKS, Aks
from aifactory.services.machine_learning import MACHINE_LEARNING, ml_identity
from aifactory.services.model import resolved

__all__ = ["AKS_COMPUTE_NAME", "EsmlProject", "EsmlProjectArgs"]

AKS_COMPUTE_NAME = "aks-serving"
"""The AKS cluster's name in the ML workspace (compute names allow 2-16 characters)."""
AKS_ML_NAMESPACE = "azureml"
"""The Kubernetes namespace the Azure ML extension and its inference workloads run in."""


EsmlProjectArgs = ProjectBaselineArgs
"""The environment's plan, the project's plan and what the common part provides."""


class EsmlProject(ProjectTypeComponent):
    """An ESML project: the baseline and its enabled machine-learning and data services.

    Attribute ``workspace`` is the ML workspace (None when machine_learning is off).
    """

    def __init__(self, name: str, args: EsmlProjectArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:projects:EsmlProject", name, args, opts)
        base = self.baseline
        base.deploy_type_services(self)
        workspace = base.site.get(MACHINE_LEARNING)
        cluster = base.site.get(AKS)
        self.workspace: machinelearningservices.Workspace | None = workspace.built.resource if workspace else None
        settings = args.project.spec.services.get(AKS)
        if cluster is not None and self.workspace is not None and settings is not None and settings.attach_to_workspace:
            self._attach_aks(cluster.built.resource, self.workspace, settings)
        self.role_assignments = base.complete(self)
        self.register_outputs({"resource_group_name": self.resource_group_name})

    def _attach_aks(self, cluster: Any, workspace: machinelearningservices.Workspace, settings: Aks) -> None:
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
        machinelearningservices.Compute(
            f"{self.key}-mlw-aks",
            compute_name=AKS_COMPUTE_NAME,
            workspace_name=workspace.name,
            resource_group_name=base.resource_group_name,
            location=base.location,
            identity=ml_identity(base.identity.identity_id),
            properties=machinelearningservices.KubernetesArgs(
                compute_type="Kubernetes",
                resource_id=cluster.id,
                description="AKS for online endpoints (private, internal load balancer)",
                properties=machinelearningservices.KubernetesPropertiesArgs(namespace=AKS_ML_NAMESPACE),
            ),
            tags=base.tags,
            opts=self.child_opts(depends_on=[extension]),
        )
