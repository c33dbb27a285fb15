"""A generated 300-project environment is compliant by default: every mandatory guardrail passes.

The environment is the benchmark's (``benchmarks/plan_benchmark.py``: half ESML, half GenAI, every
service mix, three sizes, five project subscriptions), in the sharded layout of a large factory.
All 300 project files are validated and planned (names, IP slots, access); the offline run covers
the complete common stack (what all 300 projects add to it) and one project stack of every distinct
shape - type, services, network size, repository - plus the first and last project of the
environment (the first and last VNet shard and project subscription). A project stack's resources
depend only on its own file and shape, so the sample judges every kind of project stack the fleet
has at a fraction of the cost of all 300 (about 30,000 registrations; ``aifactory check dev`` in a
prepared folder runs them all, see docs/guardrails.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aifactory.offline.stack_run import load_plan, run_stack
from aifactory.policy.offline import check_stack
from tests.support import load_benchmark

FLEET = 300


def _shape(spec: dict[str, Any]) -> str:
    return json.dumps([spec["type"], spec["services"], spec["network"]["size"], bool(spec["delivery"])], sort_keys=True)


def test_a_generated_300_project_environment_passes_every_mandatory_rule(tmp_path: Path) -> None:
    benchmark = load_benchmark()
    benchmark.prepare(tmp_path, FLEET, layout="sharded")
    plan = load_plan(tmp_path, "dev")
    assert len(plan.projects) == FLEET
    shapes: dict[str, int] = {}
    for project_id in range(1, FLEET + 1):
        shapes.setdefault(_shape(benchmark.generated_project(project_id)), project_id)
    sample = sorted({*shapes.values(), 1, FLEET})
    assert len(shapes) >= 6, "the generator's mix covers both types and every service set"

    planned = run_stack(tmp_path, "dev", jobs=2, only_projects=sample)
    assert [s.contents.stack for s in planned.stacks] == ["dev", *(f"dev-p{i:03d}" for i in sample)]
    report = check_stack(planned)
    blocking = [f"{v.rule} {v.name}: {v.message}" for v in report.violations if v.blocking]
    assert blocking == []
    assert not report.failed
