"""Scaffold a new project file: the shortest valid YAML for a profile, with comments that teach.

The text is validated exactly as ``aifactory validate`` reads project files (the same reader,
the same per-file checks, ids and names against the files already there) before it is written;
an existing file is never replaced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Literal, get_args

import yaml

from aifactory.config.loader import claimed_ids, collect_projects, next_free_id, project_problems
from aifactory.config.yaml_io import parse_yaml
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.services.model import PROJECT_TYPES, ProjectType, ScaffoldLevel
from aifactory.services.registry import OPTIONAL_SERVICES

__all__ = ["PROFILES", "NewProject", "next_free_id", "render_project", "write_new_project"]

Profile = Literal["esml-basic", "esml-full", "genai-basic", "genai-full"]
"""``<type>-<level>``: a project type and a scaffold level of the services' declarations."""


def _profile(profile: Profile) -> tuple[ProjectType, dict[str, dict[str, object]]]:
    """The profile's type and its services with their starting settings, from the declarations' ``scaffold``."""
    type_name, level_name = profile.split("-", 1)
    project_type = next(t for t in PROJECT_TYPES if t == type_name)
    level = next(lv for lv in get_args(ScaffoldLevel) if lv == level_name)
    services: dict[str, dict[str, object]] = {
        s.name: dict(s.scaffold[level])
        for s in OPTIONAL_SERVICES
        if level in s.scaffold and s.projects is not None and project_type in s.projects.types
    }
    return project_type, services


PROFILES: Mapping[Profile, tuple[ProjectType, dict[str, dict[str, object]]]] = MappingProxyType(
    {profile: _profile(profile) for profile in get_args(Profile)}
)


_PROFILE_NOTES: dict[Profile, str] = {
    "genai-basic": "# Private Foundry agents keep their data in the project's own Cosmos DB: to turn them on, add\n"
    "# cosmos_db: {} under services and drop agents: false (or start from --profile genai-full).\n",
}


@dataclass(frozen=True)
class NewProject:
    """What the user told ``aifactory project new``."""

    name: str
    profile: Profile
    owner: str
    cost_center: str
    monthly_budget: float
    environments: tuple[str, ...] = ("dev", "stage", "prod")
    project_id: int | None = None
    description: str = ""


def render_project(new: NewProject, project_id: int) -> str:
    """The YAML text of the new project."""
    type_, services = PROFILES[new.profile]
    body = {
        "id": project_id,
        "name": new.name,
        "type": type_,
        "description": new.description or f"{new.name.replace('-', ' ').capitalize()} ({type_} project)",
        "cost_center": new.cost_center,
        "owners": [new.owner],
        "budget": {"monthly_amount": new.monthly_budget},
        "environments": list(new.environments),
        "members": [{"principal": new.owner, "persona": "team-lead"}],
        "services": services,
    }
    header = (
        "# yaml-language-server: $schema=../schemas/project.schema.json\n"
        f"# Project {project_id:03d} - created with `aifactory project new --profile {new.profile}`.\n"
        "# Add members with `aifactory project add-member`; see README for personas, services and overrides.\n"
        + _PROFILE_NOTES.get(new.profile, "")
    )
    return header + yaml.safe_dump(body, sort_keys=False, default_flow_style=None, width=100)


def write_new_project(projects_dir: Path, new: NewProject, display_root: Path) -> Path:
    """Validate and write ``projects/<id>-<name>.yaml``; raises :class:`ConfigError` instead of writing bad YAML."""
    loaded, _ = collect_projects(projects_dir, display_root) if projects_dir.is_dir() else ([], [])
    used = claimed_ids(projects_dir) | {p.spec.id for p in loaded}
    names = {p.spec.name for p in loaded}
    project_id = new.project_id if new.project_id is not None else next_free_id(used)
    file_name = f"{project_id:03d}-{new.name}.yaml"
    folder = projects_dir.name or "projects"
    display = f"{folder}/{file_name}"
    path = projects_dir / file_name
    problems: list[ConfigProblem] = []
    if project_id in used:
        problems.append(
            ConfigProblem(display, "id", project_id, "is already used", f"omit --id to take {next_free_id(used)}")
        )
    if new.name in names:
        problems.append(ConfigProblem(display, "name", new.name, "is already used", "choose another name"))
    if path.exists() or path.is_symlink():
        problems.append(ConfigProblem(display, "", file_name, "already exists", "choose another id or name"))
    text = render_project(new, project_id)
    raw, read_problems = parse_yaml(text, display, aliases=False)
    problems.extend(read_problems or project_problems(raw, display, file_name)[1])
    if problems:
        raise ConfigError(problems)
    projects_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
