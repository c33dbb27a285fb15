"""Removing a project whose data is protected: refused, with the decommission procedure in the message.

A project deployed with protected data (stage and prod, ``aifactory:protect_stateful``) may leave an
environment only after a ``pulumi up`` under ``lifecycle: decommission`` has lifted its protection and
locks. What was deployed comes from the previous deployment's record, :data:`DEPLOYED_OUTPUT`, which
every stack that holds projects exports (:func:`deployed_projects`):

- under ``pulumi preview`` / ``pulumi up`` the program reads its own stack's last outputs through a
  ``StackReference`` to itself and fails before the engine deletes anything;
- offline, ``aifactory validate --against <ref>`` builds the same record from the plan of the base
  revision (``aifactory diff`` flags every protected resource that would be deleted).

Both compare with :func:`removal_problems`, which is pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aifactory.errors import ConfigProblem
from aifactory.plan.factory import FactoryPlan, ProjectPlan

__all__ = ["DEPLOYED_OUTPUT", "DeployedProject", "deployed_projects", "parse_deployed", "removal_problems"]

DEPLOYED_OUTPUT = "deployed_projects"
"""Stack output: the projects the stack deployed, by key, with whether their data is protected."""

PROCEDURE = "docs/decommission.md"


@dataclass(frozen=True)
class DeployedProject:
    """One project as a deployment left it: identity, file, and whether its data is protected."""

    key: str
    id: int
    name: str
    file: str
    protected: bool

    @classmethod
    def of(cls, project: ProjectPlan) -> DeployedProject:
        """The record of a planned project (what its deployment leaves)."""
        return cls(project.key, project.spec.id, project.spec.name, project.file, project.protected)

    def document(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "file": self.file, "protected": self.protected}


def deployed_projects(projects: Iterable[ProjectPlan]) -> dict[str, dict[str, Any]]:
    """The :data:`DEPLOYED_OUTPUT` document of the projects a stack holds."""
    return {p.key: DeployedProject.of(p).document() for p in sorted(projects, key=lambda p: p.spec.id)}


def parse_deployed(value: Any) -> dict[str, DeployedProject]:
    """The record read back from a stack's outputs; anything unreadable counts as nothing deployed.

    A stack deployed before this output existed (or never) has no record: then only Pulumi's own
    protection stands between a removed file and its data.
    """
    if not isinstance(value, Mapping):
        return {}
    found = {}
    for key, entry in value.items():
        if not isinstance(entry, Mapping):
            continue
        project_id, name = _integer(entry.get("id")), entry.get("name")
        if project_id is not None and isinstance(name, str):
            file = entry.get("file")
            found[str(key)] = DeployedProject(
                str(key),
                project_id,
                name,
                file if isinstance(file, str) else f"projects/{project_id:03d}-{name}.yaml",
                bool(entry.get("protected")),
            )
    return found


def _integer(value: Any) -> int | None:
    """An id as stack outputs carry it: numbers come back from the engine as floats (``1.0``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def removal_problems(previous: Mapping[str, DeployedProject], plan: FactoryPlan) -> list[ConfigProblem]:
    """A problem for every previously deployed, still protected project this environment no longer plans.

    Projects are matched by id, so renaming a project is not a removal here (its resources are
    replaced, which ``aifactory diff`` flags). A project decommissioned by the previous deployment
    (its record says unprotected) and every project of an environment that protects nothing may go.
    """
    planned = {p.spec.id for p in plan.projects}
    environment = plan.environment
    problems = []
    for project in sorted(previous.values(), key=lambda p: p.id):
        if project.id in planned or not project.protected:
            continue
        problems.append(
            ConfigProblem(
                project.file,
                "environments",
                f"{project.id:03d} ({project.name})",
                f"project {project.key} ({project.name}) is deployed in {environment} with protected, CanNotDelete-"
                f"locked data, and this change removes it from {environment} (its file is gone or no longer lists "
                f"{environment}); Pulumi would refuse to delete its protected resources after removing the others",
                f"keep the project in {environment} and decommission it first: set 'lifecycle: decommission' (or "
                f"'overrides.{environment}.lifecycle: decommission'), run 'pulumi up' on the {environment} stack (it "
                f"lifts the protection and locks and changes nothing else), then remove the file or the environment "
                f"and run 'pulumi up' again ({PROCEDURE})",
            )
        )
    return problems
