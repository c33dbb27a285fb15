"""Render a project's starter kit with copier, or update an existing kit in place.

The template is the factory repository itself: ``copier.yml`` at its root points at
``templates/project/``. Copier records a template's version (``_commit``) only when the template
source is the root of a git repository, and ``copier update`` needs that version to re-render the
old kit and merge the difference into the team's repository. So the kit is rendered from the
repository root at its current commit (``vcs_ref`` = the HEAD commit id), and ``.copier-answers.yml``
records that source and commit. Uncommitted edits of the template are refused: copier would render
them from a throw-away commit and record that commit, which no later update could find. Uncommitted
project files are fine — the kit's values come from the files as they are, through the plan.

A kit that exists already (it has ``.copier-answers.yml``) is updated with ``copier update``: files the
team added are never touched, its edits of generated files are kept (conflicts are marked inline),
and generated values follow the factory's plan.
"""

from __future__ import annotations

import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from aifactory.errors import ConfigError, ConfigProblem
from aifactory.starter.context import KitContext, kit_context

__all__ = ["ANSWERS_FILE", "TEMPLATE_CONFIG", "KitResult", "render_kit"]

ANSWERS_FILE = ".copier-answers.yml"
TEMPLATE_CONFIG = "copier.yml"
TEMPLATE_FILES = (TEMPLATE_CONFIG, "templates/project")


@dataclass(frozen=True)
class KitResult:
    """What happened: the kit's folder, whether it was created or updated, and from which template version."""

    out: Path
    action: Literal["created", "updated"]
    context: KitContext
    template: Path
    commit: str | None
    warnings: tuple[str, ...]


def render_kit(project_dir: Path, project: str, out: Path, data: dict[str, Any] | None = None) -> KitResult:
    """Render (or update) the starter kit of ``project`` into ``out``; raises :class:`ConfigError` on bad input."""
    import copier
    from copier.errors import CopierError

    template = project_dir.resolve()
    if not (template / TEMPLATE_CONFIG).is_file():
        raise ConfigError(
            [
                ConfigProblem(
                    str(project_dir / TEMPLATE_CONFIG),
                    "",
                    str(project_dir),
                    "is not a factory repository with the starter-kit template",
                    "run the command in (or with -C pointing at) the factory repository: it holds copier.yml and "
                    "templates/project/",
                )
            ]
        )
    context = kit_context(project_dir, project)
    answers = {"factory": context.as_answer(), **(data or {})}
    notes: list[str] = []
    commit = _template_commit(template)
    if commit is None:
        notes.append(
            f"{template} is not the root of a git repository: the kit records no template version, so "
            "`copier update` cannot update it later"
        )
    existing = out / ANSWERS_FILE
    out_display = str(out)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if existing.is_file():
                _check_same_project(existing, context)
                _check_source(existing, template)
                _check_kit_repository(out)
                copier.run_update(
                    out, data=answers, defaults=True, overwrite=True, quiet=True, vcs_ref=commit, conflict="inline"
                )
                action: Literal["created", "updated"] = "updated"
            else:
                if out.exists() and any(out.iterdir()):
                    raise ConfigError(
                        [
                            ConfigProblem(
                                out_display,
                                "",
                                out_display,
                                f"is not empty and holds no starter kit (no {ANSWERS_FILE})",
                                "choose an empty or new folder, or a kit rendered before to update it",
                            )
                        ]
                    )
                copier.run_copy(str(template), out, data=answers, defaults=True, quiet=True, vcs_ref=commit)
                action = "created"
        except (CopierError, ValueError) as exc:
            # copier raises ValueError for a recorded template commit the repository does not hold
            raise ConfigError([ConfigProblem(out_display, "", out_display, str(exc).strip(), _fix(str(exc)))]) from None
    notes.extend(str(w.message) for w in caught if issubclass(w.category, UserWarning) and "copier" in w.filename)
    recorded = yaml.safe_load((out / ANSWERS_FILE).read_text(encoding="utf-8")) or {}
    return KitResult(out, action, context, template, recorded.get("_commit"), tuple(notes))


def _git(path: Path, *args: str) -> str | None:
    try:
        return subprocess.run(["git", *args], cwd=path, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def _template_commit(template: Path) -> str | None:
    """The factory repository's HEAD commit, or None when the folder is not a git repository's root.

    Raises :class:`ConfigError` when the template itself has uncommitted changes.
    """
    top = _git(template, "rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != template:
        return None
    dirty = _git(template, "status", "--porcelain", "--", *TEMPLATE_FILES)
    if dirty:
        changed = sorted({line[3:] for line in dirty.splitlines()})
        raise ConfigError(
            [
                ConfigProblem(
                    TEMPLATE_CONFIG if TEMPLATE_CONFIG in changed else "templates/project/",
                    "",
                    ", ".join(changed[:5]) + (" ..." if len(changed) > 5 else ""),
                    "the starter-kit template has uncommitted changes; a kit records the template's commit, and "
                    "copier update needs that commit to exist",
                    "commit (or stash) the changes to copier.yml and templates/project/, then run the command again",
                )
            ]
        )
    return _git(template, "rev-parse", "HEAD")


def _check_kit_repository(out: Path) -> None:
    """``copier update`` merges into a git repository with nothing uncommitted (so the team can review the diff)."""
    shown = str(out)
    if _git(out, "rev-parse", "--show-toplevel") is None:
        raise ConfigError(
            [
                ConfigProblem(
                    shown,
                    "",
                    shown,
                    "is a starter kit but not a git repository; an update merges into the kit's git history",
                    "make the kit a git repository (git init && git add -A && git commit -m 'starter kit'), then "
                    "run the command again",
                )
            ]
        )
    if _git(out, "status", "--porcelain"):
        raise ConfigError(
            [
                ConfigProblem(
                    shown,
                    "",
                    shown,
                    "has uncommitted changes; an update must start from a clean checkout",
                    "commit or stash the changes in the kit's repository, then run the command again",
                )
            ]
        )


def _check_same_project(answers_file: Path, context: KitContext) -> None:
    """An update keeps a kit's project: rendering another over it would turn one team's repository into another's."""
    recorded = (yaml.safe_load(answers_file.read_text(encoding="utf-8")) or {}).get("factory") or {}
    project = recorded.get("project") or {}
    if project and project.get("id") != context.project["id"]:
        raise ConfigError(
            [
                ConfigProblem(
                    str(answers_file.parent),
                    "",
                    str(answers_file.parent),
                    f"holds the starter kit of project {project.get('id')} ({project.get('name')}), not of project "
                    f"{context.project['id']} ({context.project['name']})",
                    "give --out the kit of this project, or a new folder",
                )
            ]
        )


def _check_source(answers_file: Path, template: Path) -> None:
    """An update re-renders the old kit from the recorded source; it must be this factory repository."""
    recorded = yaml.safe_load(answers_file.read_text(encoding="utf-8")) or {}
    source = recorded.get("_src_path")
    if source and Path(str(source)).expanduser().resolve() != template:
        raise ConfigError(
            [
                ConfigProblem(
                    str(answers_file),
                    "_src_path",
                    source,
                    f"the kit was rendered from another copy of the factory repository, not {template}",
                    f"set _src_path to {template} in {answers_file.name}, commit, and run the command again",
                )
            ]
        )


def _fix(message: str) -> str:
    if "revision" in message.lower():
        return (
            "the template commit recorded in .copier-answers.yml (_commit) is not in this factory repository: "
            "fetch it (git fetch), or render the kit into a new folder"
        )
    if "downgrad" in message.lower():
        return "update the factory repository (git pull) so its template is at least as new as the kit's"
    return "check the kit folder and the factory repository, then run the command again"
