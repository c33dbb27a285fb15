"""The team lead's delegation: which roles a lead may hand out in the project, and to which principal types.

A lead grants colleagues day-to-day access through Role Based Access Control Administrator. Forbidding
only the privileged roles is not enough: Contributor (or any role that can reconfigure a resource) lets
whoever gets it re-enable public network access, delete private endpoints or widen a firewall, which
undoes the project's isolation. So the condition is Microsoft's "Constrain roles and principal types"
form (Microsoft Learn, "Examples to delegate Azure role assignment management with conditions"): an
*allowlist*, derived here and never written by hand:

- every role the persona catalogue hands out in this project (each persona's role sets for the
  project's services, whether or not the persona has members yet),
- minus every role whose actions include changing network settings, deleting resources or assigning
  roles (:data:`~aifactory.plan.rbac.actions.ROLE_ACTIONS`) and the privileged roles;
- to principals of the types the project grants to (its persona groups, or its members' kinds when
  groups are not managed).

Both clauses are constrained: ``roleAssignments/write`` checks the requested role and principal type
(``@Request``), ``roleAssignments/delete`` the existing assignment's (``@Resource``), so a lead can
neither add nor remove anything outside the allowlist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from aifactory.catalog.roles import PRIVILEGED, BuiltInRole, role
from aifactory.plan.rbac.actions import Action, actions_of
from aifactory.plan.rbac.model import PrincipalType

__all__ = ["NOT_DELEGABLE", "Delegation", "plan_delegation"]

NOT_DELEGABLE: frozenset[Action] = frozenset({"change_network", "delete_resources", "assign_roles"})
"""A role that can do any of these can undo isolation; a lead never hands it out."""

_ATTRIBUTE = "[Microsoft.Authorization/roleAssignments:{name}]"


@dataclass(frozen=True, order=True)
class Delegation:
    """What a lead may assign: ``roles`` (by name order) to principals of ``principal_types``.

    ``withheld`` are the persona roles left out, each because of what it can do.
    """

    roles: tuple[BuiltInRole, ...]
    principal_types: tuple[PrincipalType, ...]
    withheld: tuple[str, ...] = ()

    def allows(self, role_id: str, principal_type: str) -> bool:
        """Whether the condition lets the lead add (or remove) an assignment of ``role_id`` to that type."""
        return role_id in {r.id for r in self.roles} and principal_type.lower() in {
            t.lower() for t in self.principal_types
        }

    @property
    def condition(self) -> str:
        """The ABAC condition (version 2.0) of the lead's Role Based Access Control Administrator assignment."""
        return f"{self._clause('write', '@Request')} AND {self._clause('delete', '@Resource')}"

    def _clause(self, action: str, source: str) -> str:
        ids = ", ".join(r.id for r in sorted(self.roles, key=lambda r: r.id))
        types = ", ".join(f"'{t}'" for t in self.principal_types)
        role_id, principal_type = _ATTRIBUTE.format(name="RoleDefinitionId"), _ATTRIBUTE.format(name="PrincipalType")
        roles = f"{source}{role_id} ForAnyOfAnyValues:GuidEquals {{{ids}}}"
        principals = f"{source}{principal_type} ForAnyOfAnyValues:StringEqualsIgnoreCase {{{types}}}"
        return (
            f"((!(ActionMatches{{'Microsoft.Authorization/roleAssignments/{action}'}})) OR ({roles} AND {principals}))"
        )


def plan_delegation(persona_roles: Iterable[str], principal_types: Iterable[PrincipalType]) -> Delegation:
    """The allowlist from the roles the personas get in the project and the principal types it grants to."""
    allowed: dict[str, BuiltInRole] = {}
    withheld: set[str] = set()
    for name in persona_roles:
        granted = actions_of(name).actions
        if name in PRIVILEGED or granted & NOT_DELEGABLE:
            withheld.add(name)
        else:
            allowed[name] = role(name)
    return Delegation(
        roles=tuple(allowed[n] for n in sorted(allowed)),
        principal_types=tuple(sorted(set(principal_types))),
        withheld=tuple(sorted(withheld)),
    )
