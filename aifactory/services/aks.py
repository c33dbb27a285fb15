"""Private AKS for model serving in an ESML project.

A private cluster (no public API server FQDN, AKS-managed private DNS), Azure CNI overlay in the
project's ``aks`` subnet with the factory's pod and service ranges, Entra ID with Azure RBAC,
workload identity, patch auto-upgrade, an autoscaling system pool sized per environment, and
user-defined routing when a hub firewall takes the egress.

Identities are separated. The control plane runs as the project identity (the AKS resource
provider uses it; pods cannot reach it): Network Contributor on the project's ``aks`` subnet and
Managed Identity Operator on the kubelet identity, which it hands to the nodes. The **kubelet**
runs as its own user-assigned identity (``aks-kubelet``) holding only AcrPull on the project's
registry (the shared one when the project has none): any pod can fetch the node's tokens from the
instance metadata endpoint, so the node identity must not carry the project's data roles (AKS:
"Use a managed identity in AKS", pre-created kubelet identity). Pods that need Azure access use
workload identity federation instead.

Pod traffic is policed: Azure CNI powered by Cilium (``networkDataplane`` and ``networkPolicy``
``cilium``; AKS: "Configure Azure CNI Overlay networking" lists Azure, Calico and Cilium policies for
overlay, and Cilium's needs the Cilium dataplane). The Azure Policy add-on (``azurepolicy``) lets the
platform's Azure Policy assignments govern what runs in the cluster. Both are create-only: adding them
to an existing cluster replaces it (a stateless serving cluster, not protected).

Local accounts are off, except when the cluster is attached to the ML workspace
(``attach_to_workspace``): Azure ML does not support clusters without local accounts; access is still
governed by Entra ID RBAC.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from aifactory.catalog.diagnostics import AUDIT_AND_METRICS
from aifactory.config.defaults import ENVIRONMENT_DEFAULTS
from aifactory.errors import Invalid
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.model import Built, NoPrivateEndpoint, ProjectUse, ServiceDeclaration, SubnetNeeds, resolved
from aifactory.services.settings import ServiceSettings

if TYPE_CHECKING:
    from pulumi_azure_native import containerservice

    from aifactory.config.types import EnvironmentName
    from aifactory.services.context import ServiceContext
    from aifactory.services.registry import ServiceName

__all__ = ["AKS", "DEPLOY_TO_AKS", "KUBELET", "RUN_AKS", "VIEW_AKS", "Aks"]

KUBELET = "aks-kubelet"
"""The nodes' own user-assigned identity (a workload identity of the AKS service)."""


class Aks(ServiceSettings):
    """Private AKS cluster for model serving, attachable to the ML workspace."""

    node_vm_size: str | None = Field(
        default=None,
        pattern=r"^Standard_[A-Za-z0-9_]+$",
        description="Optional. Node size. Default: Standard_D4s_v5.",
    )
    min_nodes: int = Field(default=1, ge=1, le=100, description="Optional. Autoscaler minimum. Default: 1.")
    max_nodes: int | None = Field(
        default=None, ge=1, le=100, description="Optional. Autoscaler maximum. Default: 3 dev, 3 stage, 6 prod."
    )
    kubernetes_version: str | None = Field(
        default=None, pattern=r"^\d+\.\d+(\.\d+)?$", description="Optional. Default: the region's default version."
    )
    sku_tier: Literal["Free", "Standard", "Premium"] | None = Field(
        default=None, description="Optional. Control plane tier. Default: Free in dev, Standard in stage and prod."
    )
    attach_to_workspace: bool = Field(
        default=False,
        description="Optional. Attach the cluster to the ML workspace as a Kubernetes compute for online endpoints "
        "(installs the Azure ML cluster extension; inference router on an internal load balancer). Azure ML "
        "needs the cluster's local accounts for this, so they stay enabled; Entra ID RBAC still governs access. "
        "Requires machine_learning. Default: false (Entra-only cluster, no local accounts).",
    )


def _environment_defaults(settings: Aks, environment: EnvironmentName) -> Aks:
    """Node size, pool maximum and control plane tier where the project leaves them open."""
    defaults = ENVIRONMENT_DEFAULTS[environment]
    return settings.model_copy(
        update={
            "node_vm_size": settings.node_vm_size or defaults.aks_node_vm_size,
            "max_nodes": settings.max_nodes or max(defaults.aks_max_nodes, settings.min_nodes),
            "sku_tier": settings.sku_tier or defaults.aks_sku_tier,
        }
    )


def _project_checks(settings: Aks, enabled: frozenset[ServiceName]) -> list[Invalid]:
    if settings.attach_to_workspace and "machine_learning" not in enabled:
        return [
            Invalid(
                "attaches AKS to the ML workspace, but machine_learning is not enabled",
                "enable machine_learning or set aks.attach_to_workspace: false",
                field="services.aks.attach_to_workspace",
                value=True,
            )
        ]
    return []


DEPLOY_TO_AKS = RoleSet(
    "get cluster credentials and deploy workloads under Entra ID-authorised Kubernetes RBAC",
    {"aks": ("Azure Kubernetes Service Cluster User Role", "Azure Kubernetes Service RBAC Writer")},
)
VIEW_AKS = RoleSet(
    "inspect the serving cluster's workloads (no secrets)",
    {"aks": ("Azure Kubernetes Service Cluster User Role", "Azure Kubernetes Service RBAC Reader")},
)
RUN_AKS = RoleSet(
    "AKS's control plane (the project identity) manages load balancers in the project's subnet and hands the "
    "kubelet identity to the nodes",
    {"network/aks": ("Network Contributor",), f"managed_identity/{KUBELET}": ("Managed Identity Operator",)},
)
NODES_PULL_OWN_IMAGES = RoleSet(
    "the nodes pull images from the project's registry, and do nothing else (pods can reach the node's tokens)",
    {"container_registry": ("AcrPull",)},
)
NODES_PULL_SHARED_IMAGES = RoleSet(
    "the nodes pull the platform's images from the shared registry, and do nothing else",
    {"common/container_registry": ("AcrPull",)},
)


def _build(ctx: ServiceContext, settings: Aks | None) -> Built[containerservice.ManagedCluster]:
    from pulumi_azure_native import containerservice

    settings = resolved(settings, "aks")
    project = ctx.require_project()
    identity = project.identity
    kubelet = identity.workload_identity(KUBELET)
    private_dns = ctx.plan.dns.aks_private_dns
    name = ctx.service.azure_name
    network = ctx.stack.network
    hub = network.hub
    outbound = (
        containerservice.OutboundType.USER_DEFINED_ROUTING
        if hub is not None and hub.firewall_ip
        else containerservice.OutboundType.LOAD_BALANCER
    )
    cluster = containerservice.ManagedCluster(
        ctx.service.logical_name,
        resource_name_=name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        dns_prefix=name[:54].rstrip("-"),
        kubernetes_version=settings.kubernetes_version,
        sku=containerservice.ManagedClusterSKUArgs(
            name=containerservice.ManagedClusterSKUName.BASE, tier=resolved(settings.sku_tier, "aks.sku_tier")
        ),
        identity=containerservice.ManagedClusterIdentityArgs(
            type=containerservice.ResourceIdentityType.USER_ASSIGNED,
            user_assigned_identities=[identity.identity_id],
        ),
        # The nodes run as their own identity (AcrPull only): pods can fetch the node's tokens.
        identity_profile={
            "kubeletidentity": containerservice.UserAssignedIdentityArgs(
                resource_id=kubelet.id, client_id=kubelet.client_id, object_id=kubelet.principal_id
            )
        },
        node_resource_group=ctx.name("resource_group", "aks"),
        # "system" where the VNet uses Azure DNS; "none" (public FQDN of the private IP) with custom DNS or a hub
        # (plan/dns.py says why not a custom zone): Azure refuses "none" without the public FQDN.
        api_server_access_profile=containerservice.ManagedClusterAPIServerAccessProfileArgs(
            enable_private_cluster=True,
            enable_private_cluster_public_fqdn=private_dns == "none",
            private_dns_zone=private_dns,
        ),
        disable_local_accounts=not settings.attach_to_workspace,
        enable_rbac=True,
        aad_profile=containerservice.ManagedClusterAADProfileArgs(
            managed=True, enable_azure_rbac=True, tenant_id=ctx.stack.tenant_id
        ),
        network_profile=containerservice.ContainerServiceNetworkProfileArgs(
            network_plugin=containerservice.NetworkPlugin.AZURE,
            network_plugin_mode=containerservice.NetworkPluginMode.OVERLAY,
            network_dataplane=containerservice.NetworkDataplane.CILIUM,
            network_policy=containerservice.NetworkPolicy.CILIUM,
            load_balancer_sku=containerservice.LoadBalancerSku.STANDARD,
            outbound_type=outbound,
            pod_cidr=network.aks_pod_cidr,
            service_cidr=network.aks_service_cidr,
            dns_service_ip=network.aks_dns_service_ip,
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
                vnet_subnet_id=ctx.subnet_id("aks"),
                enable_node_public_ip=False,
                # Temp disks and caches encrypted on the host (ALZ Deny-Aks-Temp-Disk-Encryption); needs the
                # subscription feature Microsoft.Compute/EncryptionAtHost registered (docs/guardrails.md).
                enable_encryption_at_host=True,
            )
        ],
        addon_profiles={"azurepolicy": containerservice.ManagedClusterAddonProfileArgs(enabled=True)},
        oidc_issuer_profile=containerservice.ManagedClusterOIDCIssuerProfileArgs(enabled=True),
        security_profile=containerservice.ManagedClusterSecurityProfileArgs(
            workload_identity=containerservice.ManagedClusterSecurityProfileWorkloadIdentityArgs(enabled=True)
        ),
        auto_upgrade_profile=containerservice.ManagedClusterAutoUpgradeProfileArgs(
            upgrade_channel=containerservice.UpgradeChannel.PATCH
        ),
        tags=dict(ctx.tags),
        # Created after the identity's roles on the subnet and the kubelet identity; the autoscaler owns the count.
        opts=ctx.options(depends_on=list(project.identity_ready), ignore_changes=["agentPoolProfiles[0].count"]),
    )
    return Built(resource=cluster)


AKS: ServiceDeclaration[Aks, Built[containerservice.ManagedCluster]] = ServiceDeclaration(
    name="aks",
    title="Azure Kubernetes Service",
    label="Private AKS for serving",
    summary="A private AKS cluster for model serving (Entra ID RBAC, workload identity, CNI overlay), optionally "
    "attached to the ML workspace for online endpoints.",
    naming_kind="kubernetes_cluster",
    logical_stem="aks",
    settings=Aks,
    projects=ProjectUse(types=("esml",)),
    common=None,
    endpoints=NoPrivateEndpoint(
        "a private cluster: AKS creates and manages its API server's private endpoint and DNS record itself "
        "(private_dns_zone: system, or none with custom DNS servers or a hub: see plan/dns.py)"
    ),
    diagnostics=AUDIT_AND_METRICS,
    lifecycle="none",
    roles=ServiceRoles(
        personas={
            "team-lead": (DEPLOY_TO_AKS,),
            "ml-engineer": (DEPLOY_TO_AKS,),
            "app-developer": (VIEW_AKS,),
        },
        identity=(RUN_AKS,),
        deployment=(DEPLOY_TO_AKS,),
        with_services={"container_registry": ServiceRoles(workload_identities={KUBELET: (NODES_PULL_OWN_IMAGES,)})},
        without_services={
            "container_registry": ServiceRoles(workload_identities={KUBELET: (NODES_PULL_SHARED_IMAGES,)})
        },
    ),
    build=_build,
    subnets=SubnetNeeds(("aks",), why="the node pool (Azure CNI overlay: pods take addresses from the pod range)"),
    project_checks=_project_checks,
    environment_defaults=_environment_defaults,
    guardrails=(
        "AIF-LOCAL-AUTH",
        "AIF-DIAGNOSTICS",
        "AIF-REQUIRED-TAGS",
        "ALZ-DENY-PUBLIC-PAAS-AKS",
        "ALZ-AKS-ENCRYPTION-AT-HOST",
        "ALZ-AKS-PRIVATE-CLUSTER",
        "ALZ-AKS-LOCAL-ACCOUNTS",
        "ARM-NAME-LENGTH",
        "ARM-NAME-CHARACTERS",
    ),
)
