"""The engine on the shipped stacks' real plan documents (the stack runs are shared with tests/stack)."""

from __future__ import annotations

from typing import Any

from aifactory.diff.engine import diff_plans
from aifactory.offline.report import plan_document
from tests.support import shipped_stack


def _document(stack: str) -> dict[str, Any]:
    return plan_document(shipped_stack(stack))


def test_a_shipped_plan_against_itself_changes_nothing() -> None:
    document = _document("prod")
    diff = diff_plans(document, document)
    assert diff.workloads == () and diff.unchanged == document["summary"]["custom"]


def test_removing_a_project_from_stage_flags_each_protected_resource_it_would_delete() -> None:
    base = _document("stage")
    head = {**base, "resources": [r for r in base["resources"] if r["workload"] != "p001"]}
    protected = {r["name"] for r in base["resources"] if r["workload"] == "p001" and r["custom"] and r["protect"]}
    assert protected, "stage protects the stateful resources of project 001"
    diff = diff_plans(base, head, touched_projects={"p001"})
    assert {f.name for f in diff.flags} == protected
    assert {f.kind for f in diff.flags} == {"protected-delete"}
    assert [w.workload for w in diff.workloads] == ["p001"]
