"""Who a data service admits inside itself, from the access plan: Entra administrators and data access policies.

Azure RBAC stops at a database's door: PostgreSQL and Azure SQL know their own Entra
administrators, Azure Managed Redis its own access policy assignments. Those grants are declared
here the way role sets are - per persona, with a *why* - and resolved against the project's access
plan (:class:`~aifactory.plan.rbac.ProjectAccess`) by pure functions, so what each database admits
is decided before any resource exists and reads like the rest of the access model.

Two facts of Azure shape the resolution:

- the service may refuse Entra *groups* (Azure Managed Redis: "Microsoft Entra groups aren't
  supported"), so a persona granted through its managed group is expanded to the group's members
  that are users or service principals (group members are left out, and said so in the docs);
- the service may need the principal's *name* as Entra shows it (PostgreSQL's and SQL's
  administrators: a group's display name, a user's sign-in name); a member given only by object id
  has no name the factory knows, and is left out rather than guessed.

The project's managed identity and its CI service principal always have a name (the identity's
resource name, the CI application's display name) and an object id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from aifactory.catalog.personas import ProjectPersona

if TYPE_CHECKING:  # the plan imports the registry: only its types here
    from aifactory.plan.rbac import PlannedMember, ProjectAccess
    from aifactory.plan.rbac.model import PrincipalRef

__all__ = ["DataAccess", "DataPrincipal", "DataPrincipalKind", "data_principals"]

DataPrincipalKind = Literal["user", "group", "service_principal"]


@dataclass(frozen=True)
class DataAccess:
    """A service's data-plane grantees: the personas it admits, whether the project identity and CI too, and why.

    ``groups``: whether the service accepts an Entra group as one principal; ``names``: whether it
    needs each principal's Entra name.
    """

    why: str
    personas: tuple[ProjectPersona, ...] = ()
    identity: bool = True
    deployment: bool = False
    groups: bool = True
    names: bool = True


@dataclass(frozen=True, order=True)
class DataPrincipal:
    """One principal a data service admits: its key in the access plan, its kind and its Entra name."""

    key: str
    kind: DataPrincipalKind
    name: str
    why: str


_KINDS: dict[str, DataPrincipalKind] = {"User": "user", "Group": "group", "ServicePrincipal": "service_principal"}


def _member_principal(member: PlannedMember, access: DataAccess) -> DataPrincipal | None:
    kind = _KINDS[member.ref.principal_type]
    if kind == "group" and not access.groups:
        return None
    name = member.upn or ("" if access.names else member.ref.display)
    if not name:
        return None
    return DataPrincipal(member.ref.key, kind, name, access.why)


def data_principals(project: ProjectAccess, access: DataAccess) -> tuple[DataPrincipal, ...]:
    """The principals ``access`` admits in ``project`` (identity first, then by key; see the module docstring)."""
    found: dict[str, DataPrincipal] = {}
    if access.identity:
        found[project.identity.key] = DataPrincipal(
            project.identity.key, "service_principal", project.identity_name, access.why
        )
    group_names = {g.ref.key: g.display_name for g in project.groups}
    for grantee in project.grantees:
        if grantee.persona not in access.personas:
            continue
        ref: PrincipalRef = grantee.principal
        if ref.key in group_names:
            if access.groups:
                found[ref.key] = DataPrincipal(ref.key, "group", group_names[ref.key], access.why)
                continue
            members = [m for m in project.members if m.persona == grantee.persona]
        else:
            members = [m for m in project.members if m.ref.key == ref.key]
        for member in members:
            principal = _member_principal(member, access)
            if principal is not None:
                found.setdefault(principal.key, principal)
    if access.deployment and project.deployment is not None:
        ref = project.deployment.ref
        found[ref.key] = DataPrincipal(ref.key, "service_principal", project.deployment.display_name, access.why)
    identity = found.pop(project.identity.key, None)
    return ((identity,) if identity else ()) + tuple(sorted(found.values()))
