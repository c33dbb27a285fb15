"""Identity and access: personas mapped to built-in roles, Entra groups, identities, role assignments.

``plan_access`` turns the validated config into an :class:`AccessPlan` (pure, no Pulumi); the
identity and role assignment components only create what it decided.
"""

from aifactory.plan.rbac.model import PlannedRoleAssignment, PrincipalRef, PrincipalType, ScopeRef, assignment_name
from aifactory.plan.rbac.planner import (
    GITHUB_AUDIENCE,
    GITHUB_ISSUER,
    ROLE_ASSIGNMENT_LIMIT,
    AccessPlan,
    FederatedCredential,
    PersonaGroup,
    PlannedDataPlaneAssignment,
    PlannedDeployment,
    PlannedGroup,
    PlannedMember,
    PlannedMembership,
    PlannedWorkloadIdentity,
    ProjectAccess,
    SubscriptionCount,
    plan_access,
)
from aifactory.plan.rbac.principals import LAKE_TRAVERSE_KEY

__all__ = [
    "GITHUB_AUDIENCE",
    "GITHUB_ISSUER",
    "LAKE_TRAVERSE_KEY",
    "ROLE_ASSIGNMENT_LIMIT",
    "AccessPlan",
    "FederatedCredential",
    "PersonaGroup",
    "PlannedDataPlaneAssignment",
    "PlannedDeployment",
    "PlannedGroup",
    "PlannedMember",
    "PlannedMembership",
    "PlannedRoleAssignment",
    "PlannedWorkloadIdentity",
    "PrincipalRef",
    "PrincipalType",
    "ProjectAccess",
    "ScopeRef",
    "SubscriptionCount",
    "assignment_name",
    "plan_access",
]
