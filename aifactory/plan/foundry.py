"""A team's Foundry projects and the agents' conditioned access, decided before any resource exists (pure).

A GenAI project's AI Foundry account holds one Foundry project by default, or the list the
project file gives (``services.ai_foundry.projects``). The first project is the team's default and
keeps the names a single-project team has always had; every other one is named after its entry
(logical names ``<key>-aif-project-<name>``, Azure name with the entry's name as qualifier), so
adding a Foundry project never renames another.

Each Foundry project with agents gets its own keyless connections to the team's storage, AI Search
and Cosmos DB and its own capability host (Microsoft's ``add-project.bicep`` in the private-network
standard agent setup binds further projects to the same stores). After a project's capability
host exists, its identity gets what Microsoft's template grants then, keyed on the Foundry
project's **workspace id** (the project's ``internalId``, formatted as a GUID):

- **Storage Blob Data Owner** on the team's storage account with the template's ABAC condition:
  blob tag reads, writes and tag filtering only inside the agent containers Foundry creates
  (``<workspace id>...-azureml-agent``). The team's projects share one identity, so a team has one
  such assignment whose condition admits the agent containers of each of its agent projects;
- **Cosmos DB Built-in Data Contributor** on each of the three containers Foundry creates in the
  ``enterprise_memory`` database (``<workspace id>-thread-message-store``,
  ``-system-thread-message-store``, ``-agent-entity-store``), not on the account.

The workspace id is only known once the Foundry project exists: these functions take it as a
string and the GenAI component applies them to the project's output.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from aifactory.catalog.personas import ProjectPersona
from aifactory.config.project import ProjectSpec
from aifactory.plan.naming import Namer
from aifactory.services.ai_foundry import (
    FOUNDRY_BUILDERS,
    PROJECT_SCOPE,
    AiFoundry,
    FoundryProjectSettings,
    foundry_project_scope,
)
from aifactory.services.cosmos_db import AGENTS_DATABASE

__all__ = [
    "AGENT_BLOB_ROLE",
    "AGENT_CONTAINER_SUFFIXES",
    "AGENT_COSMOS_ROLE",
    "PlannedFoundryProject",
    "agent_assignment_name",
    "agent_blob_condition",
    "agent_cosmos_scopes",
    "plan_foundry_projects",
    "workspace_guid",
]

AGENT_BLOB_ROLE = "Storage Blob Data Owner"
AGENT_COSMOS_ROLE = "Cosmos DB Built-in Data Contributor"
AGENT_CONTAINER_SUFFIXES: tuple[str, ...] = (
    "thread-message-store",
    "system-thread-message-store",
    "agent-entity-store",
)
"""The Cosmos DB containers Foundry creates per project in ``enterprise_memory`` when its capability host is made."""

_NAMESPACE = uuid.UUID("7d3a9c41-5b2e-4f60-8e1d-2a4c6b8f0e13")
_HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class PlannedFoundryProject:
    """One Foundry project of a team: its names, whether it runs agents, and who builds in it."""

    name: str
    default: bool
    logical_name: str
    azure_name: str
    display_name: str
    description: str | None
    agents: bool
    builders: tuple[ProjectPersona, ...]
    scope: str

    resource_prefix: str
    """The start of its connections' and capability host's logical names (``p003-aif`` for the default)."""

    def connection_logical_name(self, connection: str) -> str:
        return f"{self.resource_prefix}-connection-{connection}"

    @property
    def capability_host_logical_name(self) -> str:
        return f"{self.resource_prefix}-capability-host"


def plan_foundry_projects(
    spec: ProjectSpec, settings: AiFoundry, namer: Namer, account_logical_name: str
) -> tuple[PlannedFoundryProject, ...]:
    """The team's Foundry projects, the default first (see the module docstring)."""
    entries = settings.projects or [FoundryProjectSettings(name="default")]
    planned = []
    for index, entry in enumerate(entries):
        default = index == 0
        planned.append(
            PlannedFoundryProject(
                name=entry.name,
                default=default,
                logical_name=f"{account_logical_name}-project" + ("" if default else f"-{entry.name}"),
                azure_name=namer.project("ai_foundry_project", spec.id, spec.name, "" if default else entry.name),
                display_name=entry.display_name or (spec.name if default else f"{spec.name} {entry.name}"),
                description=entry.description or (spec.description or None if default else None),
                agents=settings.agents and entry.agents,
                builders=tuple(entry.personas) if entry.personas is not None else FOUNDRY_BUILDERS,
                scope=PROJECT_SCOPE if default else foundry_project_scope(entry.name),
                resource_prefix=account_logical_name if default else f"{account_logical_name}-{entry.name}",
            )
        )
    return tuple(planned)


def workspace_guid(internal_id: str) -> str:
    """A Foundry project's workspace id as a GUID: Microsoft's ``format-project-workspace-id.bicep``.

    Foundry reports ``internalId`` as 32 hex digits; the agent containers start with the
    8-4-4-4-12 form. A value already in that form is returned lower-cased.
    """
    value = internal_id.strip()
    if _GUID.match(value):
        return value.lower()
    if not _HEX32.match(value):
        msg = f"a Foundry project's internalId is 32 hex digits, got {internal_id!r}"
        raise ValueError(msg)
    value = value.lower()
    return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"


_TAG_ACTIONS = (
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/read",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/filter/action",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/write",
)
_CONTAINER_NAME = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]"


def agent_blob_condition(workspace_guids: Sequence[str]) -> str:
    """The ABAC condition (version 2.0) of the agents' Storage Blob Data Owner assignment.

    Microsoft's condition for one project (``blob-storage-container-role-assignments.bicep``):
    every action except reading, writing and filtering by blob tags, which are allowed only in
    containers whose name starts with the project's workspace id and ends in ``-azureml-agent``.
    With several agent projects the container clause admits each project's containers.
    """
    if not workspace_guids:
        msg = "the agents' blob condition needs the workspace id of at least one Foundry project"
        raise ValueError(msg)
    not_tags = " AND ".join(f"!(ActionMatches{{'{action}'}})" for action in _TAG_ACTIONS)
    containers = [
        f"({_CONTAINER_NAME} StringStartsWithIgnoreCase '{guid}' AND "
        f"{_CONTAINER_NAME} StringLikeIgnoreCase '*-azureml-agent')"
        for guid in sorted(set(workspace_guids))
    ]
    allowed = containers[0] if len(containers) == 1 else "(" + " OR ".join(containers) + ")"
    return f"(({not_tags}) OR {allowed})"


def agent_cosmos_scopes(account_id: str, workspace: str) -> tuple[str, ...]:
    """The data-plane scopes of one Foundry project's agent containers in the account's agents' database."""
    return tuple(
        f"{account_id}/dbs/{AGENTS_DATABASE}/colls/{workspace}-{suffix}" for suffix in AGENT_CONTAINER_SUFFIXES
    )


def agent_assignment_name(seed: str, environment: str, principal_key: str, role_id: str, scope: str) -> str:
    """A deterministic assignment name (GUID) for an agents' grant; ``scope`` is a stable key, never a runtime id."""
    return str(uuid.uuid5(_NAMESPACE, f"{seed}/{environment}/{principal_key}/{role_id}/{scope}"))
