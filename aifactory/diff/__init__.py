"""``aifactory diff``: what a change does to every project, from two offline plans.

``engine`` compares two plan documents (pure), ``changes`` says which projects a change touches,
``render`` shows the result, ``revisions`` is the git and subprocess shell around them.
"""

from aifactory.diff.engine import diff_plans
from aifactory.diff.model import ChangedFile, Flag, InputChange, PlanDiff, ResourceChange, WorkloadDiff

__all__ = ["ChangedFile", "Flag", "InputChange", "PlanDiff", "ResourceChange", "WorkloadDiff", "diff_plans"]
