"""Which projects a change touches: project files added, edited, deleted, renamed or untracked."""

from __future__ import annotations

from aifactory.diff.changes import project_key_of, touched_projects
from aifactory.diff.model import ChangedFile


def test_project_files_map_to_their_workload_key() -> None:
    assert project_key_of("projects/007-fraud-detection.yaml", "projects") == "p007"
    assert project_key_of("infra/projects/123-x.yml", "infra/projects") == "p123"
    assert project_key_of("projects/README.md", "projects") is None
    assert project_key_of("other/007-fraud-detection.yaml", "projects") is None
    assert project_key_of("Pulumi.dev.yaml", "projects") is None


def test_renames_count_for_both_ids_and_other_files_for_none() -> None:
    files = [
        ChangedFile("modified", "Pulumi.dev.yaml"),
        ChangedFile("renamed", "projects/012-new-name.yaml", "projects/011-old-name.yaml"),
        ChangedFile("deleted", "projects/003-gone.yaml"),
        ChangedFile("untracked", "projects/020-draft.yaml"),
        ChangedFile("modified", "aifactory/config/defaults.py"),
    ]
    assert touched_projects(files, "projects") == {"p003", "p011", "p012", "p020"}
