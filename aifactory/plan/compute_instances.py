"""Personal compute instances: who gets one in an ESML project's ML workspace, and under which names.

With ``machine_learning.compute_instances`` every data-scientist and ml-engineer *user* present in
the environment gets one instance assigned to them (groups and service principals cannot sign in to
one). Names depend only on the member: the logical name carries a hash of the member's key, and the
Azure name (unique in the region: the namer's ``compute_instance`` kind has a suffix) the same hash,
so adding or removing one member never renames another member's instance.
"""

from __future__ import annotations

from dataclasses import dataclass

from aifactory.catalog.personas import ProjectPersona
from aifactory.config.project import ProjectSpec
from aifactory.config.types import EnvironmentName
from aifactory.plan.naming import Namer, stable_suffix
from aifactory.plan.rbac.model import PrincipalRef
from aifactory.plan.rbac.principals import member_ref
from aifactory.services.machine_learning import MACHINE_LEARNING

__all__ = ["COMPUTE_INSTANCE_PERSONAS", "PlannedComputeInstance", "plan_compute_instances"]

COMPUTE_INSTANCE_PERSONAS: frozenset[ProjectPersona] = frozenset({"data-scientist", "ml-engineer"})
"""Personas whose user members get a personal compute instance when ``compute_instances`` is on."""


@dataclass(frozen=True)
class PlannedComputeInstance:
    """One member's instance: its logical name, its compute name and its owner (object id known unless a UPN)."""

    logical_name: str
    compute_name: str
    owner: PrincipalRef


def plan_compute_instances(
    spec: ProjectSpec, namer: Namer, environment: EnvironmentName
) -> tuple[PlannedComputeInstance, ...]:
    """The project's personal instances in ``environment`` (none unless the workspace has them on)."""
    settings = spec.services.get(MACHINE_LEARNING)
    if "machine_learning" not in spec.enabled_services() or settings is None or not settings.compute_instances:
        return ()
    workspace = f"{spec.key}-{MACHINE_LEARNING.logical_stem}"
    planned = []
    for member in spec.members_in(environment):
        if member.kind != "user" or member.persona not in COMPUTE_INSTANCE_PERSONAS:
            continue
        qualifier = stable_suffix(member.key)
        planned.append(
            PlannedComputeInstance(
                logical_name=f"{workspace}-ci-{qualifier}",
                compute_name=namer.project("compute_instance", spec.id, spec.name, qualifier),
                owner=member_ref(spec, member),
            )
        )
    return tuple(planned)
