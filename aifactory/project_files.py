"""Project files as code: change a project YAML the way a person would, keeping comments and layout.

``add_member`` appends one member to ``members:`` with ruamel.yaml's round-trip mode, so comments,
key order, flow style and quoting stay as they were; the new entry copies the style of the
existing ones. The changed document is validated with the same models as ``aifactory validate``
before anything is written, so a bad persona, a duplicate member or a malformed principal fails
with the usual problem report and leaves the file untouched.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from aifactory.config.problems import problems_from_validation
from aifactory.config.project import Member, ProjectSpec
from aifactory.errors import ConfigError, ConfigProblem

__all__ = ["add_member", "find_project_file"]

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
    text = _read(path, shown)
    yaml = _round_trip(text)
    try:
        document = yaml.load(text)
    except YAMLError as exc:
        raise ConfigError([_yaml_problem(shown, exc)]) from None
    if not isinstance(document, CommentedMap):
        raise ConfigError(
            [ConfigProblem(shown, "", type(document).__name__, "is not a YAML mapping", "start from a project file")]
        )
    members = document.get("members")
    if members is None:
        members = CommentedSeq()
        keys = list(document)
        position = keys.index("environments") + 1 if "environments" in keys else len(keys)
        document.insert(position, "members", members)
    if not isinstance(members, CommentedSeq):
        raise ConfigError([ConfigProblem(shown, "members", _plain(members), "is not a list", "use a YAML list")])
    entry = _entry(principal, kind, persona, environments, flow=_uses_flow_style(members))
    members.append(entry)
    try:
        spec = ProjectSpec.model_validate(_plain(document))
    except ValidationError as exc:
        raise ConfigError(problems_from_validation(exc, shown, ProjectSpec)) from None
    member = spec.members[len(members) - 1]
    entry["principal"] = member.principal  # as validated: sign-in names lower-cased, object ids canonical
    out = io.StringIO()
    yaml.dump(document, out)
    path.write_text(out.getvalue(), encoding="utf-8")
    return member


def find_project_file(projects_dir: Path, project: str) -> Path:
    """The project file named by ``project``: a path to a file, or a project id (``7`` -> ``007-*.yaml``)."""
    candidate = Path(project)
    if candidate.is_file():
        return candidate
    if not project.isdigit():
        raise ConfigError(
            [ConfigProblem(str(candidate), "", project, "is neither a project file nor a project id", _find_fix())]
        )
    matches = sorted(p for p in projects_dir.glob(f"{int(project):03d}-*.y*ml") if p.is_file())
    if len(matches) != 1:
        found = "no file" if not matches else f"{len(matches)} files ({', '.join(p.name for p in matches)})"
        raise ConfigError(
            [
                ConfigProblem(
                    str(projects_dir),
                    "",
                    project,
                    f"{found} for project id {int(project)}",
                    "pass the project file's path, or keep one <id>-<name>.yaml per project",
                )
            ]
        )
    return matches[0]


def _find_fix() -> str:
    return "pass a project id such as 7 or a path such as projects/007-fraud-detection.yaml"


def _read(path: Path, shown: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        problem = ConfigProblem(shown, "", str(path), f"cannot be read: {exc.strerror}", "check the path")
        raise ConfigError([problem]) from None


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


def _uses_flow_style(members: CommentedSeq) -> bool:
    """New entries follow the existing ones; one-line (flow) entries when there are none yet."""
    for existing in members:
        if isinstance(existing, CommentedMap):
            return bool(existing.fa.flow_style())
    return True


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
