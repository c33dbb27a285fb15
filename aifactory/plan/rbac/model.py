"""The RBAC plan as plain data: who (principal), what (role), where (scope), under which name.

Principals and scopes are symbolic keys; components resolve them to Azure object ids and
resource ids at deploy time. Keys are stable strings built only from the owning workload and a
fixed role of the principal or resource, so assignment names never change when other projects
come and go.

Scope keys: ``<workload>/<resource>``, where workload is ``common`` or a project key (``p007``)
and resource one of ``resource_group``, ``storage``, ``key_vault``, ``container_registry``,
``application_insights``, ``machine_learning``, ``databricks``, ``data_factory``, ``aks``,
``event_hubs``, ``ai_foundry``, ``ai_foundry_project``, ``ai_search``, ``cosmos_db``,
``container_apps``, ``web_app``, ``log_analytics``, ``datalake``, ``network``; projects also have
``managed_identity`` (the project's user-assigned identity) and ``network/<subnet key>`` (one of
the project's subnets, e.g. ``p007/network/aks``).

Principal keys: ``<workload>/<role of the principal>``, e.g. ``p007/group/data-scientist`` (a
managed persona group), ``p007/member/user:anna@contoso.com`` (a member granted directly when
groups are not managed), ``p007/identity`` (the project's managed identity),
``p007/deployment`` (the project's CI service principal), ``common/platform-admin/<object id>``,
``common/lake-traverse`` (the group every project principal belongs to).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from aifactory.catalog.roles import BuiltInRole

if TYPE_CHECKING:
    from aifactory.plan.rbac.delegation import Delegation

__all__ = ["PlannedRoleAssignment", "PrincipalRef", "PrincipalType", "ScopeRef", "assignment_name", "scope_key"]

PrincipalType = Literal["User", "Group", "ServicePrincipal"]
_NAMESPACE = uuid.UUID("3c4f6a2e-8d1b-4e5f-9a7c-1b2d3e4f5a6b")


@dataclass(frozen=True, order=True)
class PrincipalRef:
    """A principal by stable key; ``object_id`` is known up front for principals from config."""

    key: str
    principal_type: PrincipalType
    object_id: str | None = None
    display: str = ""


def scope_key(workload: str, resource: str) -> str:
    """The scope key of ``resource`` in ``workload`` (``p007/storage``); common keys stay as they are.

    The one place scope keys are built: role sets name scopes relative to the workload they are
    granted in (``storage``) or absolutely (``common/container_registry``), and components register
    their resources under the same keys.
    """
    return resource if resource.startswith("common/") else f"{workload}/{resource}"


@dataclass(frozen=True, order=True)
class ScopeRef:
    """A scope by stable key (see the module docstring for the vocabulary)."""

    key: str

    @property
    def workload(self) -> str:
        return self.key.split("/", 1)[0]

    @property
    def resource(self) -> str:
        return self.key.split("/", 1)[1]


def assignment_name(seed: str, environment: str, principal: PrincipalRef, role: BuiltInRole, scope: ScopeRef) -> str:
    """Deterministic role assignment name (a GUID), like Bicep's ``guid(scope, principal, role)``."""
    return str(uuid.uuid5(_NAMESPACE, f"{seed}/{environment}/{principal.key}/{role.id}/{scope.key}"))


@dataclass(frozen=True, order=True)
class PlannedRoleAssignment:
    """One role assignment the stack will create.

    ``delegation`` is set on the team lead's Role Based Access Control Administrator assignment: the
    allowlist its ``condition`` encodes, as data the access evaluator reads.
    """

    scope: ScopeRef
    principal: PrincipalRef
    role: BuiltInRole
    name: str
    reason: str = ""
    condition: str | None = None
    delegation: Delegation | None = None
