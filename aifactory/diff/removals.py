"""``aifactory validate --against <ref>``: the projects a change removes from an environment that protects them.

The offline counterpart of the program's own check under ``pulumi up``
(:func:`aifactory.program.guard_removals`): the record of what was deployed is the plan of the base
revision (its project files and stack config, read with this version's loader), and the comparison
is the same pure :func:`~aifactory.plan.decommission.removal_problems`. A stack the base revision
does not have deploys nothing yet; a base the loader cannot read is a problem of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from aifactory.diff.revisions import revision_folder
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.offline.stack_run import load_plan
from aifactory.plan.decommission import DeployedProject, removal_problems
from aifactory.plan.factory import FactoryPlan

__all__ = ["removals_against"]


def removals_against(project_dir: Path, plans: Mapping[str, FactoryPlan], ref: str) -> list[ConfigProblem]:
    """Every protected project the working tree removes from one of ``plans``' stacks, compared with ``ref``."""
    problems: list[ConfigProblem] = []
    with revision_folder(project_dir, ref) as (base_dir, label):
        for stack, plan in plans.items():
            if not (base_dir / f"Pulumi.{stack}.yaml").is_file():
                continue
            try:
                base = load_plan(base_dir, stack)
            except ConfigError as exc:
                problems.append(
                    ConfigProblem(
                        "--against",
                        "",
                        ref,
                        f"stack {stack} at {label} cannot be read by this version ({len(exc.problems)} problems, "
                        f"first: {exc.problems[0].message})",
                        "compare against a revision whose configuration this version accepts, e.g. the last "
                        "deployed one",
                    )
                )
                continue
            previous = {p.key: DeployedProject.of(p) for p in base.projects}
            problems.extend(removal_problems(previous, plan))
    return problems
