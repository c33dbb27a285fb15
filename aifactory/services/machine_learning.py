"""Azure Machine Learning (v2): an ESML project's workspace, its CPU cluster and personal compute instances.

The workspace is private (public network access off, also behind the VNet), uses identity-based
system datastores, runs as the project's user-assigned identity, and uses the project's storage,
Key Vault, Application Insights and the project's own registry (a workspace never shares one: it
needs Contributor on it to push the environment images it builds on the CPU cluster). The cluster
lives in the project's ``compute`` subnet, scales to zero, has no public IP, SSH and local auth off;
serverless compute uses the same subnet without public IPs. With ``compute_instances`` each
data-scientist and ml-engineer *user* gets a personal instance (no public IP, SSH off, idle
shutdown); who gets one and its name are plan data (:mod:`aifactory.plan.compute_instances`).

The workspace checks its identity's access to storage, Key Vault and registry when it is created,
so it waits for the identity's baseline role assignments. It is protected in stage and prod but not
locked: a lock would also block deleting its computes and endpoints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field, model_validator

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
from aifactory.config.base import ConfigModel
from aifactory.config.defaults import ENVIRONMENT_DEFAULTS
from aifactory.errors import Invalid
from aifactory.services.access import ASSIGN_PROJECT_IDENTITY, RoleSet, ServiceRoles
from aifactory.services.model import Built, PrivateEndpoints, ProjectUse, ServiceDeclaration, SubnetNeeds, resolved
from aifactory.services.settings import ServiceSettings

if TYPE_CHECKING:
    import pulumi
    from pulumi_azure_native import machinelearningservices

    from aifactory.config.types import EnvironmentName
    from aifactory.services.context import ServiceContext
    from aifactory.services.registry import ServiceName

__all__ = [
    "BUILD_MODELS",
    "CLUSTER_NAME",
    "COMPUTE_INSTANCE_IDLE_SHUTDOWN",
    "MACHINE_LEARNING",
    "RUN_ML_COMPUTE",
    "ComputeCluster",
    "MachineLearning",
    "ml_identity",
]

CLUSTER_NAME = "cpu-cluster"
"""The training cluster's name: scoped to its workspace, and AmlCompute names allow only 2-16 characters."""
COMPUTE_INSTANCE_IDLE_SHUTDOWN = "PT60M"


class ComputeCluster(ConfigModel):
    """The workspace's CPU training cluster: no public IP, SSH off, scales to zero."""

    vm_size: str | None = Field(
        default=None,
        pattern=r"^Standard_[A-Za-z0-9_]+$",
        description="Optional. VM size. Default: Standard_DS3_v2 in dev and stage, Standard_DS4_v2 in prod.",
    )
    min_nodes: int = Field(default=0, ge=0, le=100, description="Optional. Minimum nodes. Default: 0.")
    max_nodes: int | None = Field(
        default=None, ge=1, le=100, description="Optional. Maximum nodes. Default: 2 dev, 4 stage, 8 prod."
    )
    idle_minutes_before_scale_down: int = Field(
        default=15, ge=1, le=1440, description="Optional. Idle time before nodes are released. Default: 15."
    )

    @model_validator(mode="after")
    def _nodes(self) -> ComputeCluster:
        if self.max_nodes is not None and self.min_nodes > self.max_nodes:
            raise Invalid(
                f"is above max_nodes {self.max_nodes}",
                "lower min_nodes (0 lets the cluster scale to zero) or raise max_nodes",
                field="min_nodes",
                value=self.min_nodes,
            )
        return self


class MachineLearning(ServiceSettings):
    """Azure Machine Learning workspace (v2), private, identity-based datastores."""

    compute: ComputeCluster = Field(default_factory=ComputeCluster, description="Optional. Training cluster.")
    compute_instances: bool = Field(
        default=False,
        description="Optional. One personal compute instance per data-scientist and ml-engineer user. Default: false.",
    )
    compute_instance_vm_size: str = Field(
        default="Standard_DS3_v2", pattern=r"^Standard_[A-Za-z0-9_]+$", description="Optional. Instance size."
    )


def _environment_defaults(settings: MachineLearning, environment: EnvironmentName) -> MachineLearning:
    """The cluster's size where the project leaves it open: smaller in dev, larger in prod."""
    defaults = ENVIRONMENT_DEFAULTS[environment]
    compute = settings.compute
    compute = compute.model_copy(
        update={
            "vm_size": compute.vm_size or defaults.compute_vm_size,
            "max_nodes": compute.max_nodes or max(defaults.compute_max_nodes, compute.min_nodes),
        }
    )
    return settings.model_copy(update={"compute": compute})


def _project_checks(_settings: MachineLearning, enabled: frozenset[ServiceName]) -> list[Invalid]:
    """The workspace builds environment images into its registry, which must be the project's own."""
    if "container_registry" in enabled:
        return []
    return [
        Invalid(
            "an ML workspace pushes the environment images it builds to its registry and needs Contributor on it "
            "(Azure ML's identity table); on the shared registry that would let the project overwrite every other "
            "project's images and reconfigure the registry",
            "remove container_registry: {enabled: false} (ESML projects have their own registry by default)",
            field="services.container_registry.enabled",
            value=False,
        )
    ]


BUILD_MODELS = RoleSet(
    "run experiments, jobs, pipelines and endpoints in the ML workspace; no compute or workspace changes",
    {"machine_learning": ("AzureML Data Scientist",)},
)
RUN_ML_COMPUTE = RoleSet(
    "create, scale, start and stop the ML workspace's compute",
    {"machine_learning": ("AzureML Compute Operator",)},
)
USE_ML_NOTEBOOKS = RoleSet(
    "notebooks and compute instances keep files on the workspace's file share, reached with the user's identity",
    {"storage": ("Storage File Data Privileged Contributor",)},
)
READ_ML_NOTEBOOKS = RoleSet(
    "open the notebooks on the workspace's file share",
    {"storage": ("Storage File Data Privileged Reader",)},
)
ML_WORKSPACE_IDENTITY = RoleSet(
    "what Azure ML documents for a workspace's user-assigned identity, each on the workspace's own resources",
    {
        "machine_learning": ("Contributor",),
        "storage": ("Contributor",),
        "key_vault": ("Contributor", "Key Vault Administrator"),
        "application_insights": ("Contributor",),
    },
)
ML_PARALLEL_JOBS = RoleSet(
    "parallel run steps keep their work queue and progress in the workspace storage's queues and tables",
    {"storage": ("Storage Queue Data Contributor", "Storage Table Data Contributor")},
)
ML_OWN_REGISTRY = RoleSet(
    "Azure ML documents Contributor on the workspace's registry for a user-assigned identity (the project's own)",
    {"container_registry": ("Contributor",)},
)


def ml_identity(identity_id: pulumi.Input[str]) -> machinelearningservices.ManagedServiceIdentityArgs:
    """The workspace and every compute run as the project's user-assigned identity."""
    from pulumi_azure_native import machinelearningservices

    return machinelearningservices.ManagedServiceIdentityArgs(
        type=machinelearningservices.ManagedServiceIdentityType.USER_ASSIGNED, user_assigned_identities=[identity_id]
    )


def _build(ctx: ServiceContext, settings: MachineLearning | None) -> Built[machinelearningservices.Workspace]:
    from pulumi_azure_native import machinelearningservices

    settings = resolved(settings, "machine_learning")
    project = ctx.require_project()
    spec = project.plan.spec
    workspace = machinelearningservices.Workspace(
        ctx.service.logical_name,
        workspace_name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        kind="Default",
        sku=machinelearningservices.SkuArgs(name="Basic", tier=machinelearningservices.SkuTier.BASIC),
        friendly_name=spec.name,
        description=spec.description or None,
        identity=ml_identity(ctx.require_project().identity.identity_id),
        primary_user_assigned_identity=project.identity.identity_id,
        storage_account=ctx.id_of("storage"),
        key_vault=ctx.id_of("key_vault"),
        application_insights=project.app_insights_id,
        container_registry=ctx.container_registry_id,
        image_build_compute=CLUSTER_NAME,
        public_network_access=machinelearningservices.PublicNetworkAccessType.DISABLED,
        allow_public_access_when_behind_vnet=False,
        system_datastores_auth_mode=machinelearningservices.SystemDatastoresAuthMode.IDENTITY,
        # v1LegacyMode would keep the v2 API (jobs, endpoints, the MLOps starter kit's SDK v2) off
        # the workspace: an explicit, reasoned guardrail exception in the stack files instead.
        v1_legacy_mode=False,
        # High business impact: less diagnostic data sent to Microsoft, encrypted scratch disks on
        # the computes (ALZ Deny-MachineLearning-HbiWorkspace). Fixed when the workspace is created.
        hbi_workspace=True,
        managed_network=machinelearningservices.ManagedNetworkSettingsArgs(
            isolation_mode=machinelearningservices.IsolationMode.DISABLED
        ),
        serverless_compute_settings=machinelearningservices.ServerlessComputeSettingsArgs(
            serverless_compute_custom_subnet=ctx.subnet_id("compute"),
            serverless_compute_no_public_ip=True,
        ),
        tags=dict(ctx.tags),
        # The workspace checks its identity's access to storage, key vault and registry on creation.
        opts=ctx.options(depends_on=list(project.identity_ready)),
    )
    _compute_cluster(ctx, workspace, settings)
    if settings.compute_instances:
        _compute_instances(ctx, workspace, settings)
    return Built(resource=workspace)


def _compute_cluster(
    ctx: ServiceContext, workspace: machinelearningservices.Workspace, settings: MachineLearning
) -> None:
    import pulumi
    from pulumi_azure_native import machinelearningservices

    compute = settings.compute
    machinelearningservices.Compute(
        f"{ctx.service.logical_name}-cluster",
        compute_name=CLUSTER_NAME,
        workspace_name=workspace.name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        identity=ml_identity(ctx.require_project().identity.identity_id),
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
                subnet=machinelearningservices.ResourceIdArgs(id=ctx.subnet_id("compute")),
            ),
        ),
        tags=dict(ctx.tags),
        opts=pulumi.ResourceOptions(parent=workspace),
    )


def _compute_instances(
    ctx: ServiceContext, workspace: machinelearningservices.Workspace, settings: MachineLearning
) -> None:
    """The planned personal instances, each assigned to its user (unique names in the region)."""
    import pulumi
    from pulumi_azure_native import machinelearningservices

    project = ctx.require_project()
    for instance in project.plan.compute_instances:
        owner = instance.owner
        object_id: pulumi.Input[str] = owner.object_id or project.principals[owner.key]
        machinelearningservices.Compute(
            instance.logical_name,
            compute_name=instance.compute_name,
            workspace_name=workspace.name,
            resource_group_name=ctx.resource_group_name,
            location=ctx.location,
            properties=machinelearningservices.ComputeInstanceArgs(
                compute_type="ComputeInstance",
                disable_local_auth=True,
                properties=machinelearningservices.ComputeInstancePropertiesArgs(
                    vm_size=settings.compute_instance_vm_size,
                    subnet=machinelearningservices.ResourceIdArgs(id=ctx.subnet_id("compute")),
                    enable_node_public_ip=False,
                    ssh_settings=machinelearningservices.ComputeInstanceSshSettingsArgs(
                        ssh_public_access=machinelearningservices.SshPublicAccess.DISABLED
                    ),
                    idle_time_before_shutdown=COMPUTE_INSTANCE_IDLE_SHUTDOWN,
                    application_sharing_policy=machinelearningservices.ApplicationSharingPolicy.PERSONAL,
                    compute_instance_authorization_type=machinelearningservices.ComputeInstanceAuthorizationType.PERSONAL,
                    personal_compute_instance_settings=machinelearningservices.PersonalComputeInstanceSettingsArgs(
                        assigned_user=machinelearningservices.AssignedUserArgs(
                            object_id=object_id, tenant_id=ctx.stack.tenant_id
                        )
                    ),
                ),
            ),
            tags=dict(ctx.tags),
            opts=pulumi.ResourceOptions(parent=workspace),
        )


MACHINE_LEARNING: ServiceDeclaration[MachineLearning, Built[machinelearningservices.Workspace]] = ServiceDeclaration(
    name="machine_learning",
    title="Azure Machine Learning workspace",
    label="Azure ML",
    summary="A private Azure ML (v2) workspace with identity-based datastores, a CPU cluster that scales to zero "
    "and optional personal compute instances.",
    naming_kind="machine_learning_workspace",
    logical_stem="mlw",
    settings=MachineLearning,
    projects=ProjectUse(types=("esml",), default=("esml",)),
    common=None,
    endpoints=PrivateEndpoints("machine_learning", ("amlworkspace",)),
    diagnostics=ALL_LOGS_AND_METRICS,
    lifecycle="protect",
    roles=ServiceRoles(
        personas={
            "team-lead": (BUILD_MODELS, RUN_ML_COMPUTE, USE_ML_NOTEBOOKS),
            "data-scientist": (BUILD_MODELS, USE_ML_NOTEBOOKS),
            "ml-engineer": (BUILD_MODELS, RUN_ML_COMPUTE, USE_ML_NOTEBOOKS),
            "reader": (READ_ML_NOTEBOOKS,),
        },
        identity=(ML_WORKSPACE_IDENTITY, ML_PARALLEL_JOBS),
        deployment=(BUILD_MODELS, ASSIGN_PROJECT_IDENTITY),
        with_services={"container_registry": ServiceRoles(identity=(ML_OWN_REGISTRY,))},
    ),
    build=_build,
    subnets=SubnetNeeds(("compute",), why="the CPU cluster, compute instances and serverless compute"),
    project_checks=_project_checks,
    environment_defaults=_environment_defaults,
    scaffold={"basic": {}, "full": {"compute_instances": True}},
    guardrails=(
        "AIF-PUBLIC-NETWORK",
        "AIF-LOCAL-AUTH",
        "AIF-PRIVATE-ENDPOINT",
        "AIF-DIAGNOSTICS",
        "AIF-REQUIRED-TAGS",
        "ALZ-DENY-PUBLIC-PAAS-ML",
        "ALZ-ML-COMPUTE-LOCAL-AUTH",
        "ALZ-ML-USER-ASSIGNED-IDENTITY",
        "ALZ-ML-IDLE-SHUTDOWN",
        "ALZ-ML-V1-LEGACY-MODE",
        "ALZ-ML-HBI-WORKSPACE",
        "ARM-NAME-LENGTH",
        "ARM-NAME-CHARACTERS",
    ),
)
