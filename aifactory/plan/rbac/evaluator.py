"""The access model as a model: can principal P do action A on resource R, under the planned role assignments?

Like the lake's ADLS Gen2 check (:func:`aifactory.plan.lake.allows`), this evaluates the plan the way
Azure would, so tests prove properties of the access model ("no identity of project A can write
anything of project B") instead of listing assignments:

- **who**: a principal key and, transitively, every group the access plan makes it a member of
  (a member is in its persona group, every project principal in the lake traverse group);
- **what**: the seven actions of :mod:`aifactory.plan.rbac.actions`, from each assigned role's row;
- **where**: scope containment over the plan's scope keys - a subscription contains its resource
  groups, ``<workload>/resource_group`` contains the workload's resources, and a project's subnets
  (``p007/network/aks``) sit in the common resource group's VNets but belong to the project;
- **conditions**: an assignment with a delegation (the team lead's) lets its holder assign exactly
  the allowlisted roles to the allowlisted principal types (:meth:`AccessModel.can_assign`).

Pure: built from a :class:`~aifactory.plan.factory.FactoryPlan`, nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from aifactory.catalog.roles import role
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.rbac.actions import Action, actions_of
from aifactory.plan.rbac.model import PlannedRoleAssignment
from aifactory.plan.rbac.planner import ProjectAccess

__all__ = ["AccessModel", "Resource", "project_principals"]


@dataclass(frozen=True)
class Resource:
    """Something a role can be assigned on: its scope key, kind, owning workload and containing scope."""

    key: str
    kind: str
    workload: str
    parent: str | None


def _subscription(subscription_id: str) -> str:
    return f"subscription/{subscription_id}"


def _kind(key: str) -> str:
    """``p007/storage`` -> ``storage``; ``p007/network/aks`` -> ``subnet``; ``common/network/shard-01`` -> ``vnet``."""
    workload, _, resource = key.partition("/")
    if resource.startswith("network/"):
        return "vnet" if workload == "common" else "subnet"
    return resource


class AccessModel:
    """The planned assignments of one environment, indexed for :meth:`can` (see the module docstring)."""

    def __init__(
        self,
        resources: Iterable[Resource],
        assignments: Iterable[PlannedRoleAssignment],
        memberships: Mapping[str, frozenset[str]],
    ) -> None:
        self.resources: dict[str, Resource] = {r.key: r for r in resources}
        self._children: dict[str, list[str]] = defaultdict(list)
        for resource in self.resources.values():
            if resource.parent is not None:
                self._children[resource.parent].append(resource.key)
        self._held: dict[str, list[PlannedRoleAssignment]] = defaultdict(list)
        for assignment in assignments:
            self._held[assignment.principal.key].append(assignment)
        self._memberships = memberships

    @classmethod
    def of(cls, plan: FactoryPlan) -> AccessModel:
        """The environment's access model: every planned scope as a resource, every assignment, every membership."""
        access = plan.access
        common_rg = "common/resource_group"
        resources = {
            _subscription(plan.stack.subscription_id): Resource(
                _subscription(plan.stack.subscription_id), "subscription", "common", None
            ),
            common_rg: Resource(common_rg, "resource_group", "common", _subscription(plan.stack.subscription_id)),
        }
        for service in plan.common_services:
            for key in service.scope_keys:
                resources[key] = Resource(key, _kind(key), "common", common_rg)
        for project in plan.projects:
            subscription = _subscription(project.subscription_id)
            resources.setdefault(subscription, Resource(subscription, "subscription", "common", None))
            group = f"{project.key}/resource_group"
            resources[group] = Resource(group, "resource_group", project.key, subscription)
            keys = [k for service in project.services for k in service.scope_keys]
            keys += [f"{project.key}/{r}" for r in ("managed_identity", "application_insights")]
            keys += [f"{project.key}/network/{s.key}" for s in project.network.needed_subnets]
            for key in keys:
                parent = common_rg if key.startswith(f"{project.key}/network/") else group
                resources[key] = Resource(key, _kind(key), project.key, parent)
        for assignment in access.all_assignments:  # scopes only an assignment names (e.g. extra identities)
            key = assignment.scope.key
            if key not in resources:
                workload = assignment.scope.workload
                parent = common_rg if workload == "common" else f"{workload}/resource_group"
                resources[key] = Resource(key, _kind(key), workload, parent)
        groups: dict[str, set[str]] = defaultdict(set)
        for project_access in access.projects.values():
            for membership in project_access.memberships:
                groups[membership.member.key].add(membership.group.key)
        return cls(resources.values(), access.all_assignments, _closure(groups))

    # --- questions -------------------------------------------------------------------------------

    def principals_of(self, key: str) -> frozenset[str]:
        """``key`` and every group it is a member of, directly or through other groups."""
        return frozenset({key, *self._memberships.get(key, frozenset())})

    def ancestors(self, key: str) -> list[str]:
        """The resource and every scope containing it, innermost first."""
        chain: list[str] = []
        current: str | None = key
        while current is not None and current not in chain:
            chain.append(current)
            resource = self.resources.get(current)
            current = resource.parent if resource is not None else None
        return chain

    def grants(self, principal: str, action: Action, resource: str) -> list[PlannedRoleAssignment]:
        """The assignments that let ``principal`` do ``action`` on ``resource`` (empty: it cannot)."""
        target = self.resources[resource]
        scopes = set(self.ancestors(resource))
        found = []
        for who in self.principals_of(principal):
            for assignment in self._held.get(who, ()):
                row = actions_of(assignment.role.name)
                if action not in row.actions or assignment.scope.key not in scopes:
                    continue
                if row.kinds is not None and target.kind not in row.kinds:
                    continue
                found.append(assignment)
        return found

    def can(self, principal: str, action: Action, resource: str) -> bool:
        """Whether ``principal`` (or a group it is in) may do ``action`` on ``resource``."""
        return bool(self.grants(principal, action, resource))

    def can_assign(self, principal: str, role_name: str, principal_type: str, scope: str) -> bool:
        """Whether ``principal`` may create (or remove) an assignment of ``role_name`` to that type at ``scope``.

        An assignment without a condition allows any role; one with a delegation only its allowlist.
        """
        role_id = role(role_name).id
        for assignment in self.grants(principal, "assign_roles", scope):
            if assignment.delegation is None and assignment.condition is None:
                return True
            if assignment.delegation is not None and assignment.delegation.allows(role_id, principal_type):
                return True
        return False

    def within(self, scope: str) -> list[str]:
        """``scope`` and every resource it contains."""
        found, pending = [], [scope]
        while pending:
            key = pending.pop()
            found.append(key)
            pending.extend(self._children.get(key, ()))
        return found

    def reach(self, principal: str, actions: Iterable[Action]) -> set[tuple[Action, str]]:
        """Every (action, resource) pair among ``actions`` that ``principal`` may do.

        Walks down from each held assignment's scope (not over every resource), so a whole fleet stays fast.
        """
        wanted = frozenset(actions)
        reached: set[tuple[Action, str]] = set()
        for who in self.principals_of(principal):
            for assignment in self._held.get(who, ()):
                row = actions_of(assignment.role.name)
                granted = row.actions & wanted
                if not granted:
                    continue
                for key in self.within(assignment.scope.key):
                    resource = self.resources.get(key)
                    if resource is not None and (row.kinds is None or resource.kind in row.kinds):
                        reached.update((action, key) for action in granted)
        return reached


def _closure(direct: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    """Each principal's groups, following groups that are members of other groups."""
    result: dict[str, frozenset[str]] = {}
    for principal in direct:
        seen: set[str] = set()
        pending = list(direct[principal])
        while pending:
            group = pending.pop()
            if group not in seen:
                seen.add(group)
                pending.extend(direct.get(group, ()))
        result[principal] = frozenset(seen)
    return result


def project_principals(access: ProjectAccess) -> tuple[str, ...]:
    """Every principal of a project: persona groups or members, each member, its identities and its CI."""
    keys = {g.principal.key for g in access.grantees} | {m.ref.key for m in access.members} | {access.identity.key}
    keys |= {a.principal.key for a in access.role_assignments if a.principal.key.startswith(f"{access.key}/")}
    if access.deployment is not None:
        keys.add(access.deployment.ref.key)
    return tuple(sorted(keys))
