"""DataLake: the environment's ADLS Gen2 account, its container and the lake template with its ACLs.

The account is the common instance of the storage service (``services/storage.py``: private and
keyless, hierarchical namespace), reached through private endpoints for blob, dfs, file, queue and
table, with diagnostics, and protection in stage and prod; this component
adds blob and container soft delete, the container (CanNotDelete-locked in stage and prod), and the
folders with their ACLs.

Folders and ACLs are data-plane objects that azure-native cannot manage. They are
``pulumi-azure`` (classic) ``DataLakeGen2Filesystem`` / ``DataLakeGen2Path`` resources through one
explicit provider per stack, configured for Entra ID on the data plane (``storage_use_azuread``)
because shared keys are off. The deploying agent therefore needs network line of sight to the
account's private dfs endpoint and the Storage Blob Data Owner role (see docs/datalake.md).

:class:`DataLake` creates the common folders; each project's component creates its own folders
with :class:`ProjectLakeFolders`, so adding a project adds only its folders.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import pulumi
import pulumi_azure as azure_classic
from pulumi_azure_native import storage

from aifactory.components.base import FactoryComponent
from aifactory.components.private_endpoints import PrivateEndpointSet
from aifactory.components.protection import Protection
from aifactory.components.service_site import ServiceSite
from aifactory.plan.factory import FactoryPlan, ProjectPlan
from aifactory.plan.lake import AclScope, LakeFolder
from aifactory.plan.rbac.model import PrincipalRef
from aifactory.services.storage import DATALAKE, STORAGE

__all__ = [
    "DATAPLANE_PROVIDER",
    "DataLake",
    "DataLakeArgs",
    "LakeRef",
    "ProjectLakeFolders",
    "ProjectLakeFoldersArgs",
    "dataplane_provider",
    "lake_aces",
]

_SCOPES: tuple[AclScope, ...] = ("access", "default")
PathAce = azure_classic.storage.DataLakeGen2PathAceArgs
FilesystemAce = azure_classic.storage.DataLakeGen2FilesystemAceArgs
_Ace = TypeVar("_Ace", PathAce, FilesystemAce)


@dataclass(frozen=True)
class DataLakeArgs:
    """The environment's plan and what the common network, DNS, shared services and identities provide.

    ``principals`` maps principal keys (the lake traverse group, ...) to Entra object ids.
    """

    plan: FactoryPlan
    resource_group_name: pulumi.Input[str]
    private_endpoint_subnet_id: pulumi.Input[str]
    zone_ids: Mapping[str, pulumi.Input[str]]
    log_analytics_workspace_id: pulumi.Input[str]
    principals: Mapping[str, pulumi.Input[str]]
    dataplane_provider: pulumi.ProviderResource


@dataclass(frozen=True)
class LakeRef:
    """What a project needs to create its folders: the account, the container and the data-plane provider.

    ``projects_folder`` is the ``projects/`` directory resource; project folders depend on it so
    it exists (with its own ACL) before any project folder is created below it. It is None in a
    project stack of the sharded layout, where the common stack has created it already.
    ``provider`` is the stack's data-plane provider (see :func:`dataplane_provider`).
    """

    account_id: pulumi.Output[str]
    account_name: str
    filesystem_name: pulumi.Output[str]
    dfs_endpoint: pulumi.Output[str]
    provider: pulumi.ProviderResource
    projects_folder: pulumi.Resource | None


def _object_id(principal: PrincipalRef, principals: Mapping[str, pulumi.Input[str]], where: str) -> pulumi.Input[str]:
    if principal.object_id:
        return principal.object_id
    if principal.key not in principals:
        msg = f"no principal {principal.key!r} for the ACL of {where} (the lake plan and the identities disagree)"
        raise KeyError(msg)
    return principals[principal.key]


def lake_aces(folder: LakeFolder, principals: Mapping[str, pulumi.Input[str]]) -> list[PathAce]:
    """The folder's full ACL as ACEs: owner, owning group, other, mask and named entries, per scope.

    The base entries are always sent because a set-ACL call replaces the whole ACL and ADLS rejects
    one without them; the mask is sent whenever there are named entries.
    """
    return _aces(folder, principals, PathAce)


def _aces(folder: LakeFolder, principals: Mapping[str, pulumi.Input[str]], ace: Callable[..., _Ace]) -> list[_Ace]:
    aces: list[_Ace] = []
    for scope in _SCOPES:
        entries = folder.entries(scope)
        if scope == "default" and not folder.has_default:
            continue
        aces.append(ace(scope=scope, type="user", permissions=folder.owner_permissions))
        aces.append(ace(scope=scope, type="group", permissions=folder.group_permissions))
        aces.append(ace(scope=scope, type="other", permissions=folder.other_permissions))
        if entries:
            aces.append(ace(scope=scope, type="mask", permissions=folder.mask(scope)))
        aces.extend(
            ace(
                scope=scope,
                type=entry.tag,
                id=_object_id(entry.principal, principals, folder.display),
                permissions=entry.permissions,
            )
            for entry in entries
        )
    return aces


def _paths(
    parent: pulumi.Resource,
    logical_names: Callable[[LakeFolder], str],
    folders: Sequence[LakeFolder],
    *,
    account_id: pulumi.Input[str],
    filesystem_name: pulumi.Input[str],
    provider: pulumi.ProviderResource,
    after: pulumi.Resource | None,
    principals: Mapping[str, pulumi.Input[str]],
    protection: Protection,
) -> dict[str, azure_classic.storage.DataLakeGen2Path]:
    """One directory resource per folder, each created after its parent directory."""
    created: dict[str, azure_classic.storage.DataLakeGen2Path] = {}
    for folder in folders:
        above = folder.path.rsplit("/", 1)[0] if "/" in folder.path else ""
        created[folder.path] = azure_classic.storage.DataLakeGen2Path(
            logical_names(folder),
            path=folder.path,
            filesystem_name=filesystem_name,
            storage_account_id=account_id,
            resource="directory",
            owner=folder.owner,
            group=folder.group,
            aces=lake_aces(folder, principals),
            opts=protection.options(parent, provider=provider, depends_on=_present(created.get(above, after))),
        )
    return created


def _present(resource: pulumi.Resource | None) -> list[pulumi.Resource]:
    return [] if resource is None else [resource]


DATAPLANE_PROVIDER = "common-datalake-dataplane"
"""Logical name of the data-plane provider; the same in every stack, so state moves keep it."""


def dataplane_provider(plan: FactoryPlan, opts: pulumi.ResourceOptions) -> azure_classic.Provider:
    """The stack's provider for lake folders and ACLs: Entra ID on the data plane, in the lake's subscription.

    The root component of every stack creates it (one per stack), so a project's folders keep the
    same provider name whichever stack holds them. It was a child of the ``DataLake`` component
    before; the alias keeps such stacks' provider (and every folder using it) unchanged.
    """
    stack = plan.stack
    former = (
        f"urn:pulumi:{pulumi.get_stack()}::{pulumi.get_project()}::aifactory:index:AIFactory"
        "$aifactory:index:CommonEnvironment$aifactory:datalake:DataLake$pulumi:providers:azure::"
        f"{DATAPLANE_PROVIDER}"
    )
    return azure_classic.Provider(
        DATAPLANE_PROVIDER,
        subscription_id=stack.subscription_id,
        tenant_id=stack.tenant_id,
        storage_use_azuread=True,
        resource_provider_registrations="none",
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(aliases=[former])),
    )


class DataLake(FactoryComponent):
    """The environment's datalake: account, endpoints, container and the common folders.

    The account is the common instance of the storage service (``services/storage.py``), built on
    the lake's own site, which applies its private endpoints, diagnostics, protection and lock.
    Attributes: ``account``, ``account_id``, ``account_name``, ``dfs_endpoint``, ``filesystem``,
    ``folders`` (path -> directory resource), ``provider`` (the data-plane provider), ``scopes``
    (``common/datalake``) and ``ref``.
    """

    def __init__(self, name: str, args: DataLakeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:datalake:DataLake", name, opts)
        plan = args.plan
        stack = plan.stack
        lake_plan = plan.lake
        protection = Protection(stack.protect)
        prefix = f"common-{name}"
        planned = plan.common_service(DATALAKE)
        site = ServiceSite(
            plan=plan,
            parent=self,
            resource_group_name=args.resource_group_name,
            tags=plan.common_tags,
            subscription_id=stack.subscription_id,
            subnet_ids={"private_endpoints": args.private_endpoint_subnet_id},
            zone_ids=args.zone_ids,
            workspace_id=args.log_analytics_workspace_id,
        )
        site.deploy(planned)
        site.check_complete([planned])  # the lake has its planned endpoints (blob, dfs, file, queue, table)
        deployed = site.get(STORAGE, DATALAKE)
        if deployed is None or deployed.endpoints is None:
            msg = "the datalake was not built with its private endpoints"
            raise RuntimeError(msg)
        self.scopes = site.scopes
        self.account = deployed.built.resource
        self.account_name = planned.azure_name
        self.account_id: pulumi.Output[str] = self.account.id
        self.endpoints: PrivateEndpointSet = deployed.endpoints
        name_for_endpoint = self.account_name
        self.dfs_endpoint: pulumi.Output[str] = self.account.primary_endpoints.apply(
            lambda endpoints: (
                (endpoints.dfs if endpoints is not None and endpoints.dfs else None)
                or f"https://{name_for_endpoint}.dfs.core.windows.net/"
            )
        )
        retention = stack.datalake.soft_delete_days
        self.blob_service = storage.BlobServiceProperties(
            f"{prefix}-blob",
            account_name=self.account.name,
            resource_group_name=args.resource_group_name,
            blob_services_name="default",
            delete_retention_policy=storage.DeleteRetentionPolicyArgs(enabled=True, days=retention),
            container_delete_retention_policy=storage.DeleteRetentionPolicyArgs(enabled=True, days=retention),
            opts=self.child_opts(),
        )

        self.provider = args.dataplane_provider
        root = lake_plan.root
        self.filesystem = azure_classic.storage.DataLakeGen2Filesystem(
            f"{prefix}-filesystem",
            name=lake_plan.container,
            storage_account_id=self.account.id,
            owner=root.owner,
            group=root.group,
            aces=_aces(root, args.principals, FilesystemAce),
            opts=protection.options(self, provider=self.provider, depends_on=[self.endpoints, self.blob_service]),
        )
        # The lock holds the container (the lake's data), not the account: a lock on the account would
        # also hold its endpoints, diagnostics and role assignments. It names the container's ARM id: the
        # filesystem's own id is its data-plane URL.
        container = lake_plan.container
        self.lock = protection.lock(
            f"{prefix}-filesystem",
            self.filesystem,
            f"{self.account_name}-{container}",
            scope=self.account.id.apply(lambda account_id: f"{account_id}/blobServices/default/containers/{container}"),
        )
        self.folders = _paths(
            self,
            lambda folder: f"{prefix}-dir-{folder.name}",
            lake_plan.common[1:],
            account_id=self.account.id,
            filesystem_name=self.filesystem.name,
            provider=self.provider,
            after=self.filesystem,
            principals=args.principals,
            protection=protection,
        )
        self.ref = LakeRef(
            account_id=self.account_id,
            account_name=self.account_name,
            filesystem_name=self.filesystem.name,
            dfs_endpoint=self.dfs_endpoint,
            provider=self.provider,
            projects_folder=self.folders["projects"],
        )
        self.register_outputs(
            {
                "account_id": self.account_id,
                "account_name": self.account_name,
                "dfs_endpoint": self.dfs_endpoint,
                "container": self.filesystem.name,
            }
        )


@dataclass(frozen=True)
class ProjectLakeFoldersArgs:
    """The environment's plan, the project, the lake and principal object ids by key (common and project)."""

    plan: FactoryPlan
    project: ProjectPlan
    lake: LakeRef
    principals: Mapping[str, pulumi.Input[str]]


class ProjectLakeFolders(FactoryComponent):
    """A project's folders in the lake (``projects/project<NNN>/`` and its areas) with their ACLs.

    Attribute ``folders`` maps each path to its directory resource.
    """

    def __init__(self, name: str, args: ProjectLakeFoldersArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:datalake:ProjectLakeFolders", name, opts)
        project_id = args.project.spec.id
        folders = args.plan.lake.for_project(project_id)
        if not folders:
            msg = f"{args.project.key} has no folders in the {args.plan.environment} lake plan"
            raise KeyError(msg)
        key, base = args.project.key, folders[0].path
        self.folders = _paths(
            self,
            lambda folder: f"{key}-lake-{folder.path.removeprefix(base).strip('/') or 'root'}",
            folders,
            account_id=args.lake.account_id,
            filesystem_name=args.lake.filesystem_name,
            provider=args.lake.provider,
            after=args.lake.projects_folder,
            principals=args.principals,
            protection=Protection(args.project.protected),
        )
        self.register_outputs({"folders": sorted(self.folders)})
