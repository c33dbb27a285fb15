"""Who receives a project's grants: persona groups, or each member directly.

With ``identity.manage_groups`` (the default) every persona present in a project gets one Entra
security group and all grants go to the groups; members are only group members. Without it,
grants go to each member. Both the RBAC and the lake planners grant through these references,
so removing a member removes exactly that member's membership (or grants) and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from aifactory.catalog.personas import ProjectPersona
from aifactory.config.project import Member, ProjectSpec
from aifactory.config.stack import StackConfig
from aifactory.config.types import EnvironmentName
from aifactory.plan.rbac.model import PrincipalRef, PrincipalType

__all__ = [
    "JUMP_HOST_USERS_KEY",
    "LAKE_READERS",
    "LAKE_TRAVERSE_KEY",
    "PersonaGrantee",
    "core_ref",
    "deployment_ref",
    "identity_ref",
    "lake_reader_ref",
    "master_readers",
    "member_ref",
    "persona_grantees",
    "persona_group_ref",
    "system_identity_ref",
    "workload_identity_ref",
]

LAKE_TRAVERSE_KEY = "common/lake-traverse"
JUMP_HOST_USERS_KEY = "common/jump-host-users"
"""The group of every project's persona groups that reach the jump host through Bastion (managed groups)."""
LAKE_READERS: tuple[ProjectPersona, ...] = ("data-engineer",)
"""The personas that read the master sources a project lists (with the project identity, which runs its pipelines)."""
_MEMBER_TYPES: dict[str, PrincipalType] = {"user": "User", "group": "Group", "service_principal": "ServicePrincipal"}


@dataclass(frozen=True)
class PersonaGrantee:
    """A principal that receives a persona's grants in a project."""

    persona: ProjectPersona
    principal: PrincipalRef


def persona_group_ref(project: ProjectSpec, persona: str) -> PrincipalRef:
    """The managed Entra group of ``persona`` in ``project``."""
    return PrincipalRef(f"{project.key}/group/{persona}", "Group", display=f"{project.key} {persona} group")


def member_ref(project: ProjectSpec, member: Member) -> PrincipalRef:
    """A member as a principal; its object id is known unless it is given by UPN."""
    object_id = None if "@" in member.principal else member.principal
    return PrincipalRef(
        f"{project.key}/member/{member.key}", _MEMBER_TYPES[member.kind], object_id=object_id, display=member.principal
    )


def identity_ref(project: ProjectSpec) -> PrincipalRef:
    """The project's user-assigned managed identity (used by its services)."""
    return PrincipalRef(f"{project.key}/identity", "ServicePrincipal", display=f"{project.key} managed identity")


def workload_identity_ref(project: ProjectSpec, name: str) -> PrincipalRef:
    """A service's own user-assigned identity in the project (``p007/workload/aks-kubelet``)."""
    return PrincipalRef(f"{project.key}/workload/{name}", "ServicePrincipal", display=f"{project.key} {name} identity")


def system_identity_ref(project: ProjectSpec, service: str) -> PrincipalRef:
    """An instance's system-assigned identity (``p009/system/ai_search``); its object id comes from the instance."""
    display = f"{project.key} {service} identity"
    return PrincipalRef(f"{project.key}/system/{service}", "ServicePrincipal", display=display)


def deployment_ref(project: ProjectSpec) -> PrincipalRef:
    """The project's CI service principal (GitHub Actions OIDC)."""
    return PrincipalRef(f"{project.key}/deployment", "ServicePrincipal", display=f"{project.key} deployment identity")


def core_ref(persona: str, object_id: str, kind: str) -> PrincipalRef:
    """A core-team principal from the stack config."""
    return PrincipalRef(f"common/{persona}/{object_id}", _MEMBER_TYPES[kind], object_id=object_id, display=persona)


def lake_reader_ref(source: str) -> PrincipalRef:
    """The group of every project principal that reads ``master/<source>`` (created when groups are managed)."""
    return PrincipalRef(f"common/lake-readers/{source}", "Group", display=f"readers of master/{source}")


def master_readers(stack: StackConfig, project: ProjectSpec, environment: EnvironmentName) -> list[PrincipalRef]:
    """The project principals that read its ``datalake.read_sources``: its identity and its data engineers."""
    if not project.datalake.read_sources:
        return []
    grantees = [g.principal for g in persona_grantees(stack, project, environment) if g.persona in LAKE_READERS]
    return [identity_ref(project), *grantees]


def persona_grantees(stack: StackConfig, project: ProjectSpec, environment: EnvironmentName) -> list[PersonaGrantee]:
    """Grantees per persona present in the project in ``environment``, in a stable order."""
    members = project.members_in(environment)
    if stack.identity.manage_groups:
        personas = sorted({m.persona for m in members})
        return [PersonaGrantee(p, persona_group_ref(project, p)) for p in personas]
    return sorted((PersonaGrantee(m.persona, member_ref(project, m)) for m in members), key=lambda g: g.principal.key)
