"""Text, Markdown (pull-request comment) and JSON views of a diff, and how they stay readable."""

from __future__ import annotations

import json

from aifactory.diff import render
from aifactory.diff.engine import diff_plans
from aifactory.diff.model import ChangedFile, PlanDiff
from tests.diff.plans import plan, storage


def _leak(projects: int) -> PlanDiff:
    """A shared default changes every project's storage account; none of their files changed."""
    keys = [f"p{n:03d}" for n in range(1, projects + 1)]
    base = plan(*(storage(k) for k in keys))
    head = plan(*(storage(k, minimumTlsVersion="TLS1_2", isHnsEnabled=k == "p001") for k in keys))
    files = (ChangedFile("modified", "aifactory/config/defaults.py"),)
    return diff_plans(base, head, changed_files=files, base_label="main (abc1234)", head_label="working tree")


def test_markdown_has_a_summary_table_then_flags_then_collapsed_details() -> None:
    comment = render.render_markdown(_leak(2))
    assert "### aifactory diff `stage`" in comment
    assert "**3 flagged**" in comment
    assert "| p001 | not changed | 0 | 1 | 0 | **2** |" in comment
    flags_at = comment.index("<summary><b>Flags (3)</b></summary>")
    details_at = comment.index("<summary>p001 (project file not changed): 1 changed, **2 flagged**</summary>")
    assert flags_at < details_at
    assert "- p002: 1 resource changes, but the change does not touch its project file" in comment
    assert "`isHnsEnabled`: `false` -> `true`  [replace: schema, force-new-map]" in comment
    assert "changed files: M `aifactory/config/defaults.py`" in comment


def test_markdown_for_300_projects_stays_under_the_comment_limit_and_says_what_it_left_out() -> None:
    comment = render.render_markdown(_leak(300))
    assert len(comment) < 65_536
    assert comment.count("\n| p") == 300  # every workload keeps its summary row
    assert "more workloads left out to keep this comment under GitHub's size limit" in comment
    assert "more lines (see --format json)" in comment  # the flag list is capped too


def test_markdown_and_text_say_when_nothing_is_flagged() -> None:
    same = plan(storage("p001"))
    diff = diff_plans(same, same)
    assert "**Nothing flagged.**" in render.render_markdown(diff)
    assert "No resource changes (1 resources unchanged)." in render.render_text(diff)


def test_text_caps_inputs_per_resource() -> None:
    base = plan(storage("p001", tags={f"t{n:02d}": "a" for n in range(20)}))
    head = plan(storage("p001", tags={f"t{n:02d}": "b" for n in range(20)}))
    text = render.render_text(diff_plans(base, head, touched_projects={"p001"}))
    assert text.count("tags.t") == render.MAX_INPUTS
    assert f"... {20 - render.MAX_INPUTS} more input changes (see --format json)" in text


def test_json_carries_everything() -> None:
    document = render.diff_document(_leak(2))
    assert json.loads(json.dumps(document)) == document
    assert document["flagged"] is True
    assert [row["workload"] for row in document["summary"]] == ["p001", "p002"]
    change = document["workloads"][0]["changes"][0]
    hns = next(i for i in change["inputs"] if i["path"] == "isHnsEnabled")
    assert hns["create_only"] == {"path": "isHnsEnabled", "effect": "replace", "source": "schema, force-new-map"}
    assert {f["kind"] for f in document["flags"]} == {"untouched-project", "replacement"}
