"""Azure Data Factory: an ESML project's factory and the environment's optional common one, one body.

Public network access off, a managed VNet with its own integration runtime that reaches data only
through managed private endpoints. azure-native has no resource for a factory's managed VNet
(pulumi-azure-native#896) and the Data Factory API cannot delete one, so an incremental ARM
deployment creates it: deleting the deployment record leaves nothing behind, and deleting the
factory removes the managed VNet with it. The built-in AutoResolveIntegrationRuntime is not in the
managed VNet, so the factory gets its own runtime.

A project's factory runs as the project identity, with managed private endpoints to the project's
storage (blob) and Key Vault and to the datalake (dfs), and keyless linked services to them that
authenticate with the identity's credential; each managed endpoint waits for approval on its
target. The common factory (``shared_services.data_factory``) runs as its system identity.
Project factories hold authored pipelines: protected in stage and prod, not locked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.model import Built, CommonUse, PrivateEndpoints, ProjectUse, ServiceDeclaration, stack_switch
from aifactory.services.settings import ServiceSettings

if TYPE_CHECKING:
    import pulumi
    from pulumi_azure_native import datafactory, resources

    from aifactory.services.context import ServiceContext

__all__ = [
    "ADF_CREDENTIAL",
    "AUTHOR_PIPELINES",
    "DATA_FACTORY",
    "MANAGED_VNET",
    "RUNTIME",
    "DataFactory",
    "ManagedVnetFactory",
]

MANAGED_VNET = "default"
RUNTIME = "ir-managed-vnet"
"""Our own runtime name: the built-in AutoResolveIntegrationRuntime is not in the managed VNet."""
ADF_CREDENTIAL = "project-identity"
_API_VERSION = "2018-06-01"


class DataFactory(ServiceSettings):
    """Azure Data Factory with a managed VNet and managed private endpoints."""


AUTHOR_PIPELINES = RoleSet(
    "author, publish, run and monitor Data Factory pipelines",
    {"data_factory": ("Data Factory Contributor",)},
)
AUTHOR_COMMON_PIPELINES = RoleSet(
    "author and run the environment's shared Data Factory pipelines",
    {"common/data_factory": ("Data Factory Contributor",)},
)


@dataclass(frozen=True, kw_only=True)
class ManagedVnetFactory(Built["datafactory.Factory"]):
    """The factory, the deployment that creates its managed VNet, and the runtime in it."""

    managed_vnet: resources.Deployment
    runtime: datafactory.IntegrationRuntime


def _managed_vnet_template(factory_name: str) -> dict[str, Any]:
    return {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [
            {
                "type": "Microsoft.DataFactory/factories/managedVirtualNetworks",
                "apiVersion": _API_VERSION,
                "name": f"{factory_name}/{MANAGED_VNET}",
                "properties": {},
            }
        ],
    }


GIT_ENVIRONMENT = "dev"
"""The one environment whose factories are Git-connected (Microsoft's CI/CD model for Data Factory)."""
GIT_BRANCH = "main"
GIT_ROOT = "/dataops/adf"
"""Where the project starter kit keeps the factory's pipelines and datasets (``dataops/adf/``)."""


def _git(ctx: ServiceContext) -> datafactory.FactoryGitHubConfigurationArgs | None:
    """The project's repository as the development factory's source control (ALZ ``Deny-Adf-Git``).

    Microsoft's CI/CD model for Data Factory connects only the development factory to Git; the
    release pipeline publishes ARM templates to the test and production factories, which must not
    be Git-connected (the stage and prod stacks record the guardrail exception). A project without
    ``delivery.github.repository`` has no repository to connect: the guardrail reports it.
    """
    from pulumi_azure_native import datafactory

    if ctx.project is None or ctx.stack.environment != GIT_ENVIRONMENT:
        return None
    github = ctx.project.plan.spec.delivery.github
    if github is None:
        return None
    owner, repository = github.repository.split("/", 1)
    return datafactory.FactoryGitHubConfigurationArgs(
        type="FactoryGitHubConfiguration",
        account_name=owner,
        repository_name=repository,
        collaboration_branch=GIT_BRANCH,
        root_folder=GIT_ROOT,
    )


def _build(ctx: ServiceContext, _settings: DataFactory | None) -> ManagedVnetFactory:
    import pulumi
    from pulumi_azure_native import datafactory, resources

    from aifactory.plan.naming import DEPLOYMENT_NAME_MAX, suffixed_name

    logical, name = ctx.service.logical_name, ctx.service.azure_name
    if ctx.placement == "common":
        identity = datafactory.FactoryIdentityArgs(type=datafactory.FactoryIdentityType.SYSTEM_ASSIGNED)
    else:
        identity = datafactory.FactoryIdentityArgs(
            type=datafactory.FactoryIdentityType.USER_ASSIGNED,
            user_assigned_identities=ctx.require_project().identity.identity_id.apply(
                lambda identity_id: {identity_id: {}}
            ),
        )
    factory = datafactory.Factory(
        logical,
        factory_name=name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        identity=identity,
        public_network_access=datafactory.PublicNetworkAccess.DISABLED,
        repo_configuration=_git(ctx),
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    managed_vnet = resources.Deployment(
        f"{logical}-managed-vnet",
        deployment_name=suffixed_name(name, "managed-vnet", DEPLOYMENT_NAME_MAX),
        resource_group_name=ctx.resource_group_name,
        properties=resources.DeploymentPropertiesArgs(
            mode=resources.DeploymentMode.INCREMENTAL,
            template=_managed_vnet_template(name),
        ),
        tags=dict(ctx.tags),
        opts=pulumi.ResourceOptions(parent=factory, depends_on=[factory]),
    )
    runtime = datafactory.IntegrationRuntime(
        f"{logical}-runtime",
        factory_name=factory.name,
        integration_runtime_name=RUNTIME,
        resource_group_name=ctx.resource_group_name,
        properties=datafactory.ManagedIntegrationRuntimeArgs(
            type="Managed",
            description="Runs in the factory's managed VNet; reaches data through managed private endpoints",
            managed_virtual_network=datafactory.ManagedVirtualNetworkReferenceArgs(
                reference_name=MANAGED_VNET,
                type=datafactory.ManagedVirtualNetworkReferenceType.MANAGED_VIRTUAL_NETWORK_REFERENCE,
            ),
            compute_properties=datafactory.IntegrationRuntimeComputePropertiesArgs(location="AutoResolve"),
        ),
        opts=pulumi.ResourceOptions(parent=factory, depends_on=[managed_vnet]),
    )
    if ctx.placement != "common":
        _managed_private_endpoints(ctx, factory, managed_vnet)
        _linked_services(ctx, factory, runtime)
    return ManagedVnetFactory(resource=factory, managed_vnet=managed_vnet, runtime=runtime)


def _managed_private_endpoints(
    ctx: ServiceContext, factory: datafactory.Factory, managed_vnet: pulumi.Resource
) -> None:
    """Private paths from the managed VNet; each waits for approval on its target."""
    import pulumi
    from pulumi_azure_native import datafactory

    targets: list[tuple[str, pulumi.Input[str], str]] = [
        ("project-storage-blob", ctx.id_of("storage"), "blob"),
        ("project-key-vault", ctx.id_of("key_vault"), "vault"),
        ("datalake-dfs", ctx.require_project().common.lake.account_id, "dfs"),
    ]
    for endpoint_name, target_id, group in targets:
        datafactory.ManagedPrivateEndpoint(
            f"{ctx.service.logical_name}-mpe-{endpoint_name}",
            managed_private_endpoint_name=endpoint_name,
            managed_virtual_network_name=MANAGED_VNET,
            factory_name=factory.name,
            resource_group_name=ctx.resource_group_name,
            properties=datafactory.ManagedPrivateEndpointArgs(private_link_resource_id=target_id, group_id=group),
            opts=pulumi.ResourceOptions(parent=factory, depends_on=[managed_vnet]),
        )


def _linked_services(
    ctx: ServiceContext, factory: datafactory.Factory, runtime: datafactory.IntegrationRuntime
) -> None:
    """Keyless linked services: every one authenticates with the project identity's credential."""
    import pulumi
    from pulumi_azure_native import datafactory

    project = ctx.require_project()
    credential = datafactory.CredentialOperation(
        f"{ctx.service.logical_name}-credential",
        credential_name=ADF_CREDENTIAL,
        factory_name=factory.name,
        resource_group_name=ctx.resource_group_name,
        properties=datafactory.ManagedIdentityCredentialArgs(
            type="ManagedIdentity", resource_id=project.identity.identity_id
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
    services: Mapping[
        str,
        datafactory.AzureBlobStorageLinkedServiceArgs
        | datafactory.AzureKeyVaultLinkedServiceArgs
        | datafactory.AzureBlobFSLinkedServiceArgs,
    ] = {
        "ls-project-storage": datafactory.AzureBlobStorageLinkedServiceArgs(
            type="AzureBlobStorage",
            service_endpoint=f"https://{ctx.name('storage_account')}.blob.core.windows.net/",
            account_kind="StorageV2",
            credential=reference,
            connect_via=via,
        ),
        "ls-project-key-vault": datafactory.AzureKeyVaultLinkedServiceArgs(
            type="AzureKeyVault",
            base_url=f"https://{ctx.name('key_vault')}.vault.azure.net/",
            credential=reference,
            connect_via=via,
        ),
        "ls-datalake": datafactory.AzureBlobFSLinkedServiceArgs(
            type="AzureBlobFS", url=project.common.lake.dfs_endpoint, credential=reference, connect_via=via
        ),
    }
    for service_name, properties in services.items():
        datafactory.LinkedService(
            f"{ctx.service.logical_name}-{service_name}",
            linked_service_name=service_name,
            factory_name=factory.name,
            resource_group_name=ctx.resource_group_name,
            properties=properties,
            opts=pulumi.ResourceOptions(parent=factory, depends_on=[credential, runtime]),
        )


DATA_FACTORY: ServiceDeclaration[DataFactory, ManagedVnetFactory] = ServiceDeclaration(
    name="data_factory",
    title="Azure Data Factory",
    label="Data Factory",
    summary="A private factory on a managed VNet with its own integration runtime; a project's factory reaches its "
    "storage, Key Vault and the datalake through managed private endpoints with keyless linked services.",
    naming_kind="data_factory",
    logical_stem="adf",
    settings=DataFactory,
    projects=ProjectUse(types=("esml",)),
    common=CommonUse(
        when=stack_switch("shared_services.data_factory"),
        logical_name="common-adf",
        lifecycle="none",
        why="the core team's shared pipelines (data-ops publish master data with it)",
    ),
    endpoints=PrivateEndpoints("data_factory", ("dataFactory", "portal")),
    diagnostics=ALL_LOGS_AND_METRICS,
    lifecycle="protect",
    roles=ServiceRoles(
        personas={"team-lead": (AUTHOR_PIPELINES,), "data-engineer": (AUTHOR_PIPELINES,)},
        deployment=(AUTHOR_PIPELINES,),
        core={"data-ops": (AUTHOR_COMMON_PIPELINES,)},
    ),
    build=_build,
    scaffold={"full": {}},
    guardrails=(
        "AIF-PUBLIC-NETWORK",
        "AIF-PRIVATE-ENDPOINT",
        "AIF-DIAGNOSTICS",
        "AIF-REQUIRED-TAGS",
        "ALZ-DENY-PUBLIC-PAAS-DATA-FACTORY",
        "ALZ-ADF-GIT",
        "ALZ-ADF-LINKED-SERVICE-MSI",
        "ALZ-ADF-LINKED-SERVICE-KEY-VAULT",
        "ARM-NAME-LENGTH",
        "ARM-NAME-CHARACTERS",
    ),
)
