"""Entra ID and managed identities from the access plan: groups, memberships, project identities.

``CommonIdentity`` creates the lake traverse group (or uses the configured one) and exposes the
common principals by key. ``ProjectIdentity`` creates a project's persona groups with their members
(object ids, or sign-in names looked up in Entra ID), the project's user-assigned managed identity
(the identity of every service of the project) and the services' own identities (the AKS
kubelet's), the deployment application and service principal
with GitHub Actions federated credentials (never a client secret), and adds the project's
principals to the lake traverse group.

Persona groups list their members inline, so the group is the one authoritative place for its
membership; the lake traverse group is shared by every project, so each project adds its own
principals with separate ``GroupMember`` resources and never touches another project's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_azuread as azuread
from pulumi_azure_native import managedidentity

from aifactory.catalog.personas import ProjectPersona
from aifactory.components.base import FactoryComponent
from aifactory.plan.factory import FactoryPlan, ProjectPlan
from aifactory.plan.naming import stable_suffix
from aifactory.plan.rbac import (
    LAKE_TRAVERSE_KEY,
    PlannedDeployment,
    PlannedGroup,
    PlannedMember,
    PrincipalRef,
    ProjectAccess,
)

__all__ = ["CommonIdentity", "CommonIdentityArgs", "ProjectIdentity", "ProjectIdentityArgs"]


def security_group(
    logical_name: str,
    planned: PlannedGroup,
    opts: pulumi.ResourceOptions,
    members: Sequence[pulumi.Input[str]] | None = None,
) -> azuread.Group:
    """A planned Entra security group: not mail-enabled, unique display name, authoritative members if given."""
    return azuread.Group(
        logical_name,
        azuread.GroupArgs(
            display_name=planned.display_name,
            description=planned.description,
            security_enabled=True,
            mail_enabled=False,
            prevent_duplicate_names=True,
            members=members,
        ),
        opts,
    )


@dataclass(frozen=True)
class CommonIdentityArgs:
    """The environment's plan."""

    plan: FactoryPlan


class CommonIdentity(FactoryComponent):
    """The environment's shared identities.

    ``principals`` maps common principal keys to object ids: the lake traverse group
    (``common/lake-traverse``) and every core-team principal from the stack config.
    """

    def __init__(self, name: str, args: CommonIdentityArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:identity:CommonIdentity", name, opts)
        access = args.plan.access
        self.principals: dict[str, pulumi.Input[str]] = {
            ref.key: ref.object_id for ref in access.core_principals if ref.object_id
        }
        self.lake_traverse_group: azuread.Group | None = None
        if access.lake_traverse_group is not None:
            planned = access.lake_traverse_group
            self.lake_traverse_group = security_group("common-lake-traverse-group", planned, self.child_opts())
            self.principals[LAKE_TRAVERSE_KEY] = self.lake_traverse_group.object_id
        elif access.lake_traverse.object_id:
            self.principals[LAKE_TRAVERSE_KEY] = access.lake_traverse.object_id
        for shared in access.common_groups:
            logical = f"common-{shared.ref.key.removeprefix('common/').replace('/', '-')}-group"
            group = security_group(logical, shared, self.child_opts())
            self.principals[shared.ref.key] = group.object_id
        self.register_outputs({"lake_traverse_group_id": self.principals.get(LAKE_TRAVERSE_KEY)})


@dataclass(frozen=True)
class ProjectIdentityArgs:
    """The plans, the project's resource group (for its managed identity) and the common principals."""

    plan: FactoryPlan
    project: ProjectPlan
    resource_group_name: pulumi.Input[str]
    common_principals: Mapping[str, pulumi.Input[str]]


class ProjectIdentity(FactoryComponent):
    """One project's identities in one environment.

    Attributes: ``principals`` (every principal key the project's plan names, to its object id),
    ``identity_id`` / ``identity_principal_id`` / ``identity_client_id`` (the user-assigned managed
    identity), ``workload_identities`` (services' own identities by name, e.g. ``aks-kubelet``),
    ``groups`` (persona -> Entra group), ``deployment_client_id`` (the CI application's client id for
    ``azure/login``, or None without ``delivery.github``).
    """

    def __init__(self, name: str, args: ProjectIdentityArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:identity:ProjectIdentity", name, opts)
        plan, project = args.plan, args.project
        access = plan.access.projects[project.spec.id]
        key = access.key
        self.key = key
        self.principals: dict[str, pulumi.Output[str]] = {
            m.ref.key: self._member_object_id(key, m) for m in access.members
        }

        self.groups: dict[ProjectPersona, azuread.Group] = {}
        for planned in access.groups:
            members = [self.principals[m.member.key] for m in access.memberships if m.group.key == planned.ref.key]
            group = security_group(f"{key}-group-{planned.persona}", planned, self.child_opts(), members)
            self.groups[planned.persona] = group
            self.principals[planned.ref.key] = group.object_id

        self.managed_identity = self._user_assigned(f"{key}-managed-identity", access.identity_name, args)
        self.identity_id: pulumi.Output[str] = self.managed_identity.id
        self.identity_principal_id: pulumi.Output[str] = self.managed_identity.principal_id
        self.identity_client_id: pulumi.Output[str] = self.managed_identity.client_id
        self.principals[access.identity.key] = self.identity_principal_id
        self.workload_identities: dict[str, managedidentity.UserAssignedIdentity] = {}
        for workload in access.workload_identities:
            created = self._user_assigned(f"{key}-workload-identity-{workload.name}", workload.resource_name, args)
            self.workload_identities[workload.name] = created
            self.principals[workload.ref.key] = created.principal_id

        self.deployment_client_id: pulumi.Output[str] | None = None
        if access.deployment is not None:
            self._deployment(key, access.deployment)

        self._join_lake_traverse_group(key, access, args.common_principals)
        self.register_outputs(
            {
                "identity_id": self.identity_id,
                "identity_principal_id": self.identity_principal_id,
                "identity_client_id": self.identity_client_id,
                "deployment_client_id": self.deployment_client_id,
            }
        )

    def _user_assigned(
        self, logical_name: str, azure_name: str, args: ProjectIdentityArgs
    ) -> managedidentity.UserAssignedIdentity:
        """A user-assigned identity in the project's resource group, with the project's tags."""
        # Keyword form: the typed Args form collides with the resource's own ``resource_name`` parameter.
        return managedidentity.UserAssignedIdentity(
            logical_name,
            resource_name_=azure_name,
            resource_group_name=args.resource_group_name,
            location=args.plan.stack.location,
            tags=dict(args.project.tags),
            opts=self.child_opts(),
        )

    def workload_identity(self, name: str) -> managedidentity.UserAssignedIdentity:
        """A service's own identity the plan gives the project (a programming error when it has none)."""
        if name not in self.workload_identities:
            msg = f"{self.key}: the access plan gives the project no {name!r} identity"
            raise KeyError(msg)
        return self.workload_identities[name]

    def _member_object_id(self, key: str, member: PlannedMember) -> pulumi.Output[str]:
        """A member's object id: given in the project file, or looked up by sign-in name."""
        if member.ref.object_id is not None:
            return pulumi.Output.from_input(member.ref.object_id)
        user = azuread.get_user_output(user_principal_name=member.upn, opts=pulumi.InvokeOutputOptions(parent=self))
        return user.object_id

    def _deployment(self, key: str, planned: PlannedDeployment) -> None:
        """The CI application and its service principal, trusted through federated credentials only.

        The deploying identity owns both, so Microsoft Graph's least-privileged application role
        (``Application.ReadWrite.OwnedBy``) is enough to manage them.
        """
        deployer = azuread.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self)).object_id
        application = azuread.Application(
            f"{key}-deployment-app",
            azuread.ApplicationArgs(
                display_name=planned.display_name,
                sign_in_audience="AzureADMyOrg",
                prevent_duplicate_names=True,
                owners=[deployer],
                notes=f"CI identity of {planned.repository}; signs in with GitHub OIDC tokens, has no secrets.",
            ),
            self.child_opts(),
        )
        service_principal = azuread.ServicePrincipal(
            f"{key}-deployment-sp",
            azuread.ServicePrincipalArgs(
                client_id=application.client_id, owners=[deployer], description=planned.display_name
            ),
            self.child_opts(),
        )
        for credential in planned.credentials:
            azuread.ApplicationFederatedIdentityCredential(
                f"{key}-deployment-{credential.name}",
                azuread.ApplicationFederatedIdentityCredentialArgs(
                    application_id=application.id,
                    display_name=credential.name,
                    description=credential.description,
                    issuer=credential.issuer,
                    subject=credential.subject,
                    audiences=list(credential.audiences),
                ),
                self.child_opts(),
            )
        self.deployment_application = application
        self.deployment_service_principal = service_principal
        self.deployment_client_id = application.client_id
        self.principals[planned.ref.key] = service_principal.object_id

    def _join_lake_traverse_group(
        self, key: str, access: ProjectAccess, common_principals: Mapping[str, pulumi.Input[str]]
    ) -> None:
        """Each project principal joins the lake's shared groups it belongs to (one resource each).

        The lake traverse group (every project principal) and the readers group of each master source
        the project reads; shared groups are never authoritative, so a project adds only its own members.
        """
        for membership in access.memberships:
            group_key = membership.group.key
            if not group_key.startswith("common/"):
                continue
            group_id = common_principals.get(group_key) or membership.group.object_id
            if group_id is None:
                msg = f"no principal {group_key!r} for {key}'s memberships"
                raise KeyError(msg)
            shared = group_key.removeprefix("common/").replace("/", "-")
            stem = "lake-traverse" if group_key == LAKE_TRAVERSE_KEY else shared
            azuread.GroupMember(
                f"{key}-{stem}-{_member_label(key, membership.member)}",
                azuread.GroupMemberArgs(group_object_id=group_id, member_object_id=self._object_id(membership.member)),
                self.child_opts(),
            )

    def _object_id(self, ref: PrincipalRef) -> pulumi.Input[str]:
        if ref.object_id is not None:
            return ref.object_id
        return self.principals[ref.key]


def _member_label(key: str, ref: PrincipalRef) -> str:
    """A short, stable logical-name part for a principal of the project (``identity``, ``group-reader``)."""
    local = ref.key.removeprefix(f"{key}/")
    if local.startswith("member/"):
        return f"member-{stable_suffix(local, length=8)}"
    return local.replace("/", "-")
