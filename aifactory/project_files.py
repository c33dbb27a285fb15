"""Project files as code: change a project YAML the way a person would, keeping comments and layout.

``add_member`` appends one member to ``members:`` with ruamel.yaml's round-trip mode, so comments,
key order, flow style and quoting stay as they were; the new entry copies the style of the
existing ones. The file is first read by the same strict reader as ``aifactory validate`` (so a
hostile file never reaches the round-trip parser), and the text about to be written is validated
exactly as ``aifactory validate`` would read it; a bad persona, a duplicate member or a malformed
principal fails with the usual problem report and leaves the file untouched.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from aifactory.config.loader import project_problems
from aifactory.config.project import Member
from aifactory.config.yaml_io import parse_yaml, read_text
from aifactory.errors import ConfigError, ConfigProblem

__all__ = ["add_member", "find_project_file"]

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
    text, problems = read_text(path, shown)
    if text is None:
        raise ConfigError(problems)
    _, problems = parse_yaml(text, shown, aliases=False)
    if problems:
        raise ConfigError(problems)
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
    loaded, problems = project_problems(_plain(document), shown, path.name)
    if problems or loaded is None:
        raise ConfigError(problems)
    member = loaded.spec.members[len(members) - 1]
    entry["principal"] = member.principal  # as validated: sign-in names lower-cased, object ids canonical
    out = io.StringIO()
    yaml.dump(document, out)
    written = out.getvalue()
    raw, problems = parse_yaml(written, shown, aliases=False)
    loaded, more = project_problems(raw, shown, path.name) if not problems else (None, problems)
    if more or loaded is None:  # what validate would read from the new text: never write a file it rejects
        raise ConfigError(more)
    path.write_text(written, encoding="utf-8")
    return member


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
