"""Render a project's starter kit with copier, or update an existing kit in place.

The template is the factory repository itself: ``copier.yml`` at its root points at
``templates/project/``. Copier records a template's version (``_commit``) only when the template
source is the root of a git repository, and ``copier update`` needs that version to re-render the
old kit and merge the difference into the team's repository. Rendering from the repository root
with ``vcs_ref="HEAD"`` takes the checkout as it is (uncommitted template edits included) and
records where it came from in ``.copier-answers.yml``.

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
    if not _is_git_root(template):
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
                _check_source(existing, template)
                copier.run_update(
                    out, data=answers, defaults=True, overwrite=True, quiet=True, vcs_ref="HEAD", conflict="inline"
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
                copier.run_copy(str(template), out, data=answers, defaults=True, quiet=True, vcs_ref="HEAD")
                action = "created"
        except CopierError as exc:
            raise ConfigError(
                [ConfigProblem(out_display, "", out_display, str(exc).strip(), _fix(str(exc)))]
            ) from None
    notes.extend(str(w.message) for w in caught if "Dirty template changes" in str(w.message))
    recorded = yaml.safe_load((out / ANSWERS_FILE).read_text(encoding="utf-8")) or {}
    return KitResult(out, action, context, template, recorded.get("_commit"), tuple(notes))


def _is_git_root(path: Path) -> bool:
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return False
    return Path(top).resolve() == path.resolve()


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
    if "dirty" in message.lower():
        return "commit or stash the changes in the kit's repository, then run the command again"
    if "git-tracked" in message or "git" in message.lower():
        return "the kit must be a git repository (git init, commit), rendered from the factory's git repository"
    return "check the kit folder and the factory repository, then run the command again"
