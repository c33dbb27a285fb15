"""Project and stack files as code: change a YAML file the way a person would, keeping comments and layout.

``add_member`` appends one member to a project's ``members:`` and ``remove_member`` takes one out;
``add_core_member`` and ``remove_core_member`` do the same for the core team of a stack file
(``aifactory:core_team``). Every edit uses ruamel.yaml's round-trip mode, so comments, key order,
flow style and quoting stay as they were; a new entry copies the style of the existing ones. The
file is first read by the same strict reader as ``aifactory validate`` (so a hostile file never
reaches the round-trip parser), and the text about to be written is validated exactly as
``aifactory validate`` would read it; a bad persona, a duplicate member, a malformed principal or a
member that is not there fails with the usual problem report and leaves the file untouched.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from aifactory.catalog.personas import CorePersona
from aifactory.config.loader import NAMESPACE, parse_stack_config, project_problems, stack_values
from aifactory.config.project import Member, ProjectSpec
from aifactory.config.stack import CorePrincipal, StackConfig
from aifactory.config.yaml_io import parse_yaml, read_text
from aifactory.errors import ConfigError, ConfigProblem

__all__ = [
    "CORE_TEAM_KEY",
    "CoreMemberChange",
    "add_core_member",
    "add_member",
    "find_project_file",
    "remove_core_member",
    "remove_member",
]

CORE_TEAM_KEY = f"{NAMESPACE}:core_team"
_CORE_LISTS: dict[CorePersona, str] = {"platform-admin": "platform_admins", "data-ops": "data_ops"}
C = TypeVar("C")
T = TypeVar("T")

_FIND_FIX = "pass a project id (7), a name (fraud-detection) or a path (projects/007-fraud-detection.yaml)"
_NAME = re.compile(r"^[a-z][a-z0-9-]{2,39}$")
_SEQUENCE_ITEM = re.compile(r"^( *)- ")
_KEY_LINE = re.compile(r"^[A-Za-z_][\w-]*:\s*(#.*)?$")


def add_member(
    path: Path,
    principal: str,
    kind: str = "user",
    persona: str = "reader",
    environments: Sequence[str] | None = None,
    *,
    display: str | None = None,
) -> Member:
    """Append a member to the project file at ``path`` and return it as validated.

    Raises :class:`ConfigError` (file unchanged) when the result would not be a valid project.
    """
    shown = display or str(path)

    def change(document: CommentedMap) -> int:
        members = document.get("members")
        if members is None:
            members = CommentedSeq()
            keys = list(document)
            position = keys.index("environments") + 1 if "environments" in keys else len(keys)
            document.insert(position, "members", members)
        if not isinstance(members, CommentedSeq):
            raise ConfigError([ConfigProblem(shown, "members", _plain(members), "is not a list", "use a YAML list")])
        members.append(_entry(principal, kind, persona, environments, flow=_uses_flow_style(members)))
        return len(members) - 1

    def canonical(document: CommentedMap, index: int) -> Member:
        spec = _project_spec(document, shown, path.name)
        member = spec.members[index]
        document["members"][index]["principal"] = member.principal  # as validated: lower-cased, canonical ids
        return member

    return _edit(path, shown, change, canonical, lambda document: _project_spec(document, shown, path.name))


def remove_member(path: Path, principal: str, *, force: bool = False, display: str | None = None) -> Member:
    """Remove the member ``principal`` (a sign-in name or object id, any case) from the project file at ``path``.

    Refuses (file unchanged) when the project has no such member, or when it is the project's last
    team lead and ``force`` is not given: without a lead nobody can delegate the project's roles.
    """
    shown = display or str(path)

    def change(document: CommentedMap) -> Member:
        spec = _project_spec(document, shown, path.name)
        wanted = principal.strip().lower()
        found = [i for i, m in enumerate(spec.members) if m.principal.lower() == wanted]
        if not found:
            listed = ", ".join(m.principal for m in spec.members) or "none"
            raise ConfigError(
                [
                    ConfigProblem(
                        shown,
                        "members",
                        principal,
                        f"is not a member of project {spec.id} ({spec.name}); its members: {listed}",
                        "pass the principal exactly as the project file lists it (sign-in name or object id)",
                    )
                ]
            )
        index = found[0]
        member = spec.members[index]
        leads = [m for m in spec.members if m.persona == "team-lead"]
        if member.persona == "team-lead" and len(leads) == 1 and not force:
            raise ConfigError(
                [
                    ConfigProblem(
                        shown,
                        f"members[{index}]",
                        member.principal,
                        "is the project's last team lead; without one nobody can grant the project's roles or follow "
                        "its budget",
                        "add another team lead first (aifactory project add-member ... --persona team-lead), or "
                        "pass --force",
                    )
                ]
            )
        members = document["members"]
        del members[index]  # ruamel shifts the comments of the following entries
        return member

    def removed(_document: CommentedMap, member: Member) -> Member:
        return member

    return _edit(path, shown, change, removed, lambda d: _project_spec(d, shown, path.name))


@dataclass(frozen=True)
class CoreMemberChange:
    """A core-team entry as written to (or removed from) a stack file."""

    principal: str
    kind: str
    persona: CorePersona


def add_core_member(
    path: Path, principal: str, persona: CorePersona, kind: str = "group", *, display: str | None = None
) -> CoreMemberChange:
    """Add a core-team principal under ``aifactory:core_team`` of the stack file at ``path``, validated first."""
    shown = display or str(path)
    listed = _CORE_LISTS[persona]

    def change(document: CommentedMap) -> int:
        team = _core_team(document, shown, create=True)
        entries = team.get(listed)
        if entries is None:
            entries = CommentedSeq()
            team[listed] = entries
        if not isinstance(entries, CommentedSeq):
            raise ConfigError(
                [ConfigProblem(shown, f"{CORE_TEAM_KEY}.{listed}", _plain(entries), "is not a list", "use a list")]
            )
        entry = CommentedMap()
        entry["principal"] = principal.strip()
        if kind != "group":
            entry["kind"] = kind
        if _uses_flow_style(entries, default=False):
            entry.fa.set_flow_style()
        entries.append(entry)
        return len(entries) - 1

    def canonical(document: CommentedMap, index: int) -> CoreMemberChange:
        entry: CorePrincipal = getattr(_stack_config(document, shown).core_team, listed)[index]
        document["config"][CORE_TEAM_KEY][listed][index]["principal"] = entry.principal
        return CoreMemberChange(entry.principal, entry.kind, persona)

    return _edit(path, shown, change, canonical, lambda d: _stack_config(d, shown), aliases=True)


def remove_core_member(
    path: Path, principal: str, persona: CorePersona, *, display: str | None = None
) -> CoreMemberChange:
    """Remove a core-team principal of ``persona`` from the stack file at ``path``; an error when it is not there."""
    shown = display or str(path)
    listed = _CORE_LISTS[persona]

    def change(document: CommentedMap) -> CoreMemberChange:
        config = _stack_config(document, shown)
        entries: list[CorePrincipal] = getattr(config.core_team, listed)
        wanted = principal.strip().lower()
        found = [i for i, e in enumerate(entries) if e.principal.lower() == wanted]
        if not found:
            present = ", ".join(e.principal for e in entries) or "none"
            raise ConfigError(
                [
                    ConfigProblem(
                        shown,
                        f"{CORE_TEAM_KEY}.{listed}",
                        principal,
                        f"is not a {persona} member of this stack's core team; its {persona} members: {present}",
                        "pass an object id the stack file lists under that persona",
                    )
                ]
            )
        entry = entries[found[0]]
        del document["config"][CORE_TEAM_KEY][listed][found[0]]
        return CoreMemberChange(entry.principal, entry.kind, persona)

    return _edit(path, shown, change, lambda _document, entry: entry, lambda d: _stack_config(d, shown), aliases=True)


def _edit(
    path: Path,
    shown: str,
    change: Callable[[CommentedMap], C],
    result: Callable[[CommentedMap, C], T],
    validate: Callable[[Any], object],
    *,
    aliases: bool = False,
) -> T:
    """Round-trip ``path``: ``change`` the document, validate, ``result`` of the change, write only valid text.

    ``validate`` takes a plain document (as :func:`parse_yaml` reads it) and raises :class:`ConfigError`;
    ``aliases`` as the file's own reader allows them (stack files yes, project files no).
    """
    text, problems = read_text(path, shown)
    if text is None:
        raise ConfigError(problems)
    _, problems = parse_yaml(text, shown, aliases=aliases)
    if problems:
        raise ConfigError(problems)
    yaml = _round_trip(text)
    try:
        document = yaml.load(text)
    except YAMLError as exc:
        raise ConfigError([_yaml_problem(shown, exc)]) from None
    if not isinstance(document, CommentedMap):
        raise ConfigError(
            [ConfigProblem(shown, "", type(document).__name__, "is not a YAML mapping", "start from a shipped file")]
        )
    outcome = result(document, change(document))
    out = io.StringIO()
    yaml.dump(document, out)
    written = out.getvalue()
    raw, problems = parse_yaml(written, shown, aliases=aliases)
    if problems:  # what validate would read from the new text: never write a file it rejects
        raise ConfigError(problems)
    validate(raw)
    path.write_text(written, encoding="utf-8")
    return outcome


def _project_spec(document: Any, shown: str, file_name: str) -> ProjectSpec:
    loaded, problems = project_problems(_plain(document), shown, file_name)
    if problems or loaded is None:
        raise ConfigError(problems)
    return loaded.spec


def _stack_config(document: Any, shown: str) -> StackConfig:
    """The stack config the document holds, read as ``read_stack_file`` hands it to the program."""
    data = _plain(document)
    config = data.get("config") if isinstance(data, dict) else None
    if not isinstance(config, dict):
        raise ConfigError([ConfigProblem(shown, "config", config, "is not a mapping", "start the file with 'config:'")])
    as_engine = {k: v if isinstance(v, str) else json.dumps(v) for k, v in config.items()}
    return parse_stack_config(stack_values(as_engine), shown)


def _core_team(document: CommentedMap, shown: str, *, create: bool) -> CommentedMap:
    config = document.get("config")
    if not isinstance(config, CommentedMap):
        raise ConfigError([ConfigProblem(shown, "config", _plain(config), "is not a mapping", "start with 'config:'")])
    team = config.get(CORE_TEAM_KEY)
    if team is None and create:
        team = CommentedMap()
        config[CORE_TEAM_KEY] = team
    if not isinstance(team, CommentedMap):
        raise ConfigError(
            [
                ConfigProblem(
                    shown, CORE_TEAM_KEY, _plain(team), "is not a mapping", "use platform_admins: and data_ops:"
                )
            ]
        )
    return team


def find_project_file(projects_dir: Path, project: str, root: Path | None = None) -> Path:
    """The project file named by ``project``: a path (from here or from ``root``), an id (``7``) or a name."""
    for base in (Path(), root):
        if base is not None and project.endswith(".yaml"):
            candidate = base / project
            if candidate.is_file() or candidate.is_symlink():
                return candidate
    text = project.strip().lower()
    if text.isdigit():
        pattern, what = f"{int(text):03d}-*.yaml", f"project id {int(text)}"
    elif _NAME.match(text):
        pattern, what = f"[0-9][0-9][0-9]-{text}.yaml", f"project name {text}"
    else:
        raise ConfigError(
            [ConfigProblem(project, "", project, "is neither a project file nor a project id", _FIND_FIX)]
        )
    matches = sorted(projects_dir.glob(pattern))
    if len(matches) != 1:
        found = "no file" if not matches else f"{len(matches)} files ({', '.join(p.name for p in matches)})"
        raise ConfigError(
            [
                ConfigProblem(
                    str(projects_dir),
                    "",
                    project,
                    f"{found} for {what}",
                    "pass the project file's path, or keep one <id>-<name>.yaml per project",
                )
            ]
        )
    return matches[0]


def _yaml_problem(shown: str, exc: YAMLError) -> ConfigProblem:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return ConfigProblem(
        shown, "", where, f"is not valid YAML: {problem}", "fix the YAML syntax at that position, then retry"
    )


def _round_trip(text: str) -> YAML:
    """A round-trip YAML that writes back with the file's own indentation."""
    mapping, offset = _guess_indent(text)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long lines
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    return yaml


def _guess_indent(text: str) -> tuple[int, int]:
    """(mapping indent, block sequence dash offset) as the file uses them; 2 and 2 when it does not say."""
    mapping = offset = None
    previous = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if _KEY_LINE.match(previous):
            indent = len(line) - len(line.lstrip(" "))
            item = _SEQUENCE_ITEM.match(line)
            if item and offset is None:
                offset = len(item.group(1))
            elif not item and mapping is None and indent > 0:
                mapping = indent
        previous = line
    return mapping or 2, 2 if offset is None else offset


def _uses_flow_style(members: CommentedSeq, *, default: bool = True) -> bool:
    """New entries follow the existing ones; ``default`` (one-line, flow entries) when there are none yet."""
    for existing in members:
        if isinstance(existing, CommentedMap):
            return bool(existing.fa.flow_style())
    return default


def _entry(principal: str, kind: str, persona: str, environments: Sequence[str] | None, *, flow: bool) -> CommentedMap:
    entry = CommentedMap()
    entry["principal"] = principal
    if kind != "user":
        entry["kind"] = kind
    entry["persona"] = persona
    if environments:
        listed = CommentedSeq(environments)
        listed.fa.set_flow_style()
        entry["environments"] = listed
    if flow:
        entry.fa.set_flow_style()
    return entry


def _plain(value: Any) -> Any:
    """Round-trip containers and scalars as plain Python values, for validation."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)
