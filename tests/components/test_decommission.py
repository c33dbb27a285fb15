"""Under lifecycle: decommission a project's components are the same, unprotected, with their locks unprotected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from aifactory.policy.types import LOCK
from tests.support import REPO, run_projects

COPILOT: dict[str, Any] = yaml.safe_load((REPO / "projects" / "003-support-copilot.yaml").read_text())
"""A GenAI project with agents: a Cosmos DB database the factory locks."""


def _shape(resources: list[Any]) -> dict[str, tuple[str, Any]]:
    return {r.urn: (r.type, r.inputs) for r in resources}


def test_decommission_lifts_protection_and_lock_protection_and_changes_nothing_else(tmp_path: Path) -> None:
    active = run_projects(tmp_path / "active", [COPILOT], "stage").run.resources
    leaving = run_projects(tmp_path / "leaving", [{**COPILOT, "lifecycle": "decommission"}], "stage").run.resources
    assert _shape(active) == _shape(leaving)  # same resources, same URNs, same inputs
    locks = [r for r in active if r.type == LOCK]
    assert [r.name for r in locks] == ["p003-cosmos-enterprise_memory-lock"]
    assert all(r.protect for r in locks)
    assert {r.name for r in active if r.protect} >= {"p003-rg", "p003-storage", "p003-kv", "p003-cosmos"}
    assert [r.name for r in leaving if r.protect] == []


def test_decommission_in_one_environment_leaves_the_others_protected(tmp_path: Path) -> None:
    spec = {**COPILOT, "overrides": {**COPILOT["overrides"], "stage": {"lifecycle": "decommission"}}}
    stage = run_projects(tmp_path / "stage", [spec], "stage").run.resources
    prod = run_projects(tmp_path / "prod", [spec], "prod").run.resources
    assert not any(r.protect for r in stage)
    assert any(r.protect for r in prod if r.type == LOCK)
