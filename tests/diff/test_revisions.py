"""The git layer of ``aifactory diff``: changed files, revisions, the base checkout, the plan subprocesses.

No factory is planned here: a stub ``aifactory`` package stands in for a revision's code, which
proves that the revision's own package runs, not the installed (editable) one.
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from aifactory.diff import revisions
from aifactory.diff.model import ChangedFile
from aifactory.errors import ConfigError
from tests.diff.repos import commit_all, git, init_repo

_STUB_APP = """
import json, sys, time
from pathlib import Path

def main():
    args = sys.argv[1:]
    behaviour = Path("behaviour").read_text().strip()
    if behaviour == "fail":
        print("1 configuration problem found")
        print("projects/001-x.yaml: members[0].persona = 'wizard' is not an allowed value")
        sys.exit(1)
    if behaviour == "slow":
        time.sleep(60)
    out = Path(args[args.index("--out") + 1])
    out.write_text(json.dumps({"planned_by": str(Path(__file__).resolve()), "args": args}))
    if behaviour == "guardrail":
        sys.exit(3)
"""


def _stub_revision(folder: Path, behaviour: str = "plan") -> Path:
    (folder / "aifactory" / "cli").mkdir(parents=True)
    (folder / "aifactory" / "__init__.py").write_text("")
    (folder / "aifactory" / "cli" / "__init__.py").write_text("")
    (folder / "aifactory" / "cli" / "app.py").write_text(textwrap.dedent(_STUB_APP))
    (folder / "behaviour").write_text(behaviour)
    return folder


def test_changed_files_include_renames_deletions_and_untracked_project_files(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    (repo / "projects").mkdir()
    for name in ("001-a.yaml", "002-b.yaml"):
        (repo / "projects" / name).write_text(f"id: {name[:3]}\nname: x\n" + "line\n" * 20)
    (repo / "Pulumi.dev.yaml").write_text("config: {}\n")
    base = commit_all(repo, "base")
    git(repo, "mv", "projects/002-b.yaml", "projects/002-c.yaml")
    (repo / "projects" / "001-a.yaml").unlink()
    (repo / "Pulumi.dev.yaml").write_text("config: {aifactory:prefix: acme}\n")
    (repo / "projects" / "003-new.yaml").write_text("id: 3\n")
    (repo / "notes.txt").write_text("not a project file, not tracked")
    files = revisions._changed_files(repo, base, "", "projects")
    assert files == (
        ChangedFile("modified", "Pulumi.dev.yaml"),
        ChangedFile("deleted", "projects/001-a.yaml"),
        ChangedFile("renamed", "projects/002-c.yaml", "projects/002-b.yaml"),
        ChangedFile("untracked", "projects/003-new.yaml"),
    )


def test_the_base_tree_is_exported_as_committed(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    (repo / "Pulumi.dev.yaml").write_text("old\n")
    base = commit_all(repo, "base")
    (repo / "Pulumi.dev.yaml").write_text("new\n")
    revisions._export(repo, base, tmp_path / "tree")
    assert (tmp_path / "tree" / "Pulumi.dev.yaml").read_text() == "old\n"
    assert not (tmp_path / "tree" / ".git").exists()


def test_an_unknown_revision_and_a_folder_outside_git_are_input_errors(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    (repo / "Pulumi.dev.yaml").write_text("config:\n  aifactory:environment: dev\n")
    commit_all(repo, "base")
    with pytest.raises(ConfigError) as unknown:
        revisions.diff_against(repo, "dev", "no-such-branch")
    assert unknown.value.problems[0].value == "no-such-branch"
    assert "is not a commit, branch or tag" in unknown.value.problems[0].message
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Pulumi.dev.yaml").write_text("config: {}\n")
    with pytest.raises(ConfigError) as not_git:
        revisions.diff_against(outside, "dev", "main")
    assert "is not inside a git repository" in not_git.value.problems[0].message


def test_each_side_is_planned_by_its_own_aifactory_package_not_the_installed_one(tmp_path: Path) -> None:
    base = _stub_revision(tmp_path / "base")
    head = _stub_revision(tmp_path / "head")
    sides = [revisions._side("main (abc)", base), revisions._side("working tree", head)]
    assert [side.code_root for side in sides] == [base, head]
    planned = revisions.plan_sides(sides, "dev", tmp_path)
    assert planned[0].document["planned_by"] == str(base / "aifactory" / "cli" / "app.py")
    assert planned[1].document["planned_by"] == str(head / "aifactory" / "cli" / "app.py")
    assert planned[0].document["args"][:2] == ["plan", "dev"]
    assert not planned[0].guardrails_failed


def test_a_plan_whose_guardrails_fail_is_still_compared_and_noted(tmp_path: Path) -> None:
    sides = [revisions._side("main (abc)", _stub_revision(tmp_path / "base", "guardrail"))]
    [planned] = revisions.plan_sides(sides, "dev", tmp_path)
    assert planned.guardrails_failed and planned.document["args"][:2] == ["plan", "dev"]
    assert revisions._notes(sides, [planned]) == ["main (abc): mandatory guardrails fail (see aifactory plan)"]


def test_a_failing_side_is_named_with_its_output_and_stops_the_other(tmp_path: Path) -> None:
    slow = _stub_revision(tmp_path / "base", "slow")
    broken = _stub_revision(tmp_path / "head", "fail")
    started = time.monotonic()
    with pytest.raises(revisions.PlanError) as failed:
        revisions.plan_sides(
            [revisions._side("main (abc)", slow), revisions._side("working tree", broken)], "dev", tmp_path
        )
    assert time.monotonic() - started < 30
    message = str(failed.value)
    assert message.startswith("planning working tree failed: `aifactory plan` exited with code 1")
    assert "members[0].persona = 'wizard' is not an allowed value" in message
