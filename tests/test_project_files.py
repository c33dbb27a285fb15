"""Members as code: add-member edits a project file like a person would, or refuses with the usual problems."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner, Result

from aifactory.cli.project_cmd import project_app as _project_app
from aifactory.config.loader import collect_projects
from aifactory.errors import ConfigError
from aifactory.project_files import add_member, find_project_file
from tests.support import COMMENTED_PROJECT, REPO, write_project_file


def _project(tmp_path: Path, text: str = COMMENTED_PROJECT, name: str = "007-fraud.yaml") -> Path:
    return write_project_file(tmp_path, text, name)


def _added_lines(before: str, after: str) -> list[str]:
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    changed = [line for line in diff if line.startswith(("+ ", "- "))]
    assert all(line.startswith("+ ") for line in changed), changed
    return [line[2:] for line in changed]


def test_adding_a_member_adds_one_line_and_keeps_everything_else(tmp_path: Path) -> None:
    path = _project(tmp_path)
    member = add_member(path, "Anna@Contoso.com", "user", "ml-engineer")
    after = path.read_text()
    assert _added_lines(COMMENTED_PROJECT, after) == ["  - {principal: anna@contoso.com, persona: ml-engineer}"]
    assert member.principal == "anna@contoso.com" and member.persona == "ml-engineer"
    assert after.index("anna@contoso.com") > after.index("# DS group")


def test_group_members_and_environments_are_written_in_the_same_style(tmp_path: Path) -> None:
    path = _project(tmp_path)
    add_member(path, "2B3C4D5E00004000800000000000AAAA", "group", "reader", ["dev", "stage"])
    (line,) = _added_lines(COMMENTED_PROJECT, path.read_text())
    expected = (
        "{principal: 2b3c4d5e-0000-4000-8000-00000000aaaa, kind: group, persona: reader, environments: [dev, stage]}"
    )
    assert line == f"  - {expected}"


def test_block_style_files_get_a_block_style_entry(tmp_path: Path) -> None:
    text = COMMENTED_PROJECT.replace(
        "  - {principal: lead@contoso.com, persona: team-lead}\n",
        "  - principal: lead@contoso.com\n    persona: team-lead\n",
    )
    path = _project(tmp_path, text)
    add_member(path, "anna@contoso.com", "user", "reader")
    assert _added_lines(text, path.read_text()) == ["  - principal: anna@contoso.com", "    persona: reader"]


def test_a_file_without_members_gets_the_list_after_environments(tmp_path: Path) -> None:
    text = COMMENTED_PROJECT.split("members:", maxsplit=1)[0] + "network:\n  size: small\n"
    path = _project(tmp_path, text)
    add_member(path, "lead@contoso.com", "user", "team-lead")
    lines = path.read_text().splitlines()
    at = lines.index("members:")
    assert lines[at - 1].startswith("environments:")
    assert lines[at + 1] == "  - {principal: lead@contoso.com, persona: team-lead}"


def test_the_edited_file_still_loads(tmp_path: Path) -> None:
    path = _project(tmp_path)
    add_member(path, "anna@contoso.com", "user", "data-engineer", ["dev"])
    loaded, problems = collect_projects(tmp_path / "projects", tmp_path)
    assert problems == []
    (project,) = loaded
    assert project.spec.members[-1].environments == ["dev"]
    assert yaml.safe_load(path.read_text())["members"][-1]["persona"] == "data-engineer"


def test_every_example_project_round_trips_with_only_the_new_line(tmp_path: Path) -> None:
    examples = sorted((REPO / "projects").glob("*.yaml"))
    assert examples
    for example in examples:
        path = tmp_path / example.name
        shutil.copy(example, path)
        add_member(path, "new.person@contoso.com", "user", "reader")
        (line,) = _added_lines(example.read_text(), path.read_text())
        assert "new.person@contoso.com" in line, example.name


BAD_MEMBERS = [
    # (principal, kind, persona, environments, the same member as a person would write it)
    ("anna@contoso.com", "user", "wizard", None, "{principal: anna@contoso.com, persona: wizard}"),
    ("lead@contoso.com", "user", "reader", None, "{principal: lead@contoso.com, persona: reader}"),
    ("LEAD@contoso.com", "user", "reader", None, "{principal: LEAD@contoso.com, persona: reader}"),
    ("not a principal", "user", "reader", None, "{principal: not a principal, persona: reader}"),
    ("anna@contoso.com", "group", "reader", None, "{principal: anna@contoso.com, kind: group, persona: reader}"),
    ("anna@contoso.com", "robot", "reader", None, "{principal: anna@contoso.com, kind: robot, persona: reader}"),
    (
        "anna@contoso.com",
        "user",
        "reader",
        ["test"],
        "{principal: anna@contoso.com, persona: reader, environments: [test]}",
    ),
]


@pytest.mark.parametrize("case", BAD_MEMBERS, ids=lambda case: f"{case[0]}-{case[1]}-{case[2]}-{case[3]}")
def test_bad_members_are_refused_with_the_validators_problems(
    tmp_path: Path, case: tuple[str, str, str, list[str] | None, str]
) -> None:
    principal, kind, persona, environments, by_hand = case
    hand_edited = COMMENTED_PROJECT.replace("network:", f"  - {by_hand}\nnetwork:")
    _project(tmp_path / "by-hand", hand_edited)
    _, expected = collect_projects(tmp_path / "by-hand" / "projects", tmp_path / "by-hand")
    assert expected, "the hand-edited file must be invalid too"

    path = _project(tmp_path)
    with pytest.raises(ConfigError) as raised:
        add_member(path, principal, kind, persona, environments, display="projects/007-fraud.yaml")
    assert path.read_text() == COMMENTED_PROJECT
    assert raised.value.problems == sorted(expected, key=lambda p: (p.file, p.field, p.message))
    assert all(p.field.startswith("members[2]") for p in raised.value.problems)


def test_environments_the_project_does_not_list_are_refused(tmp_path: Path) -> None:
    path = _project(tmp_path, COMMENTED_PROJECT.replace("[dev, stage, prod]", "[dev]"))
    with pytest.raises(ConfigError, match="limited to prod, which the project does not list"):
        add_member(path, "anna@contoso.com", "user", "reader", ["prod"])


def test_invalid_yaml_is_reported_not_raised(tmp_path: Path) -> None:
    path = _project(tmp_path, "id: 7\nname: [unclosed\n")
    with pytest.raises(ConfigError) as raised:
        add_member(path, "anna@contoso.com", "user", "reader")
    assert "is not valid YAML" in raised.value.problems[0].message


def test_find_project_file_by_id_or_path(tmp_path: Path) -> None:
    path = _project(tmp_path)
    assert find_project_file(tmp_path / "projects", "7") == path
    assert find_project_file(tmp_path / "projects", str(path)) == path
    with pytest.raises(ConfigError, match="no file for project id 8"):
        find_project_file(tmp_path / "projects", "8")
    assert find_project_file(tmp_path / "projects", "fraud") == path  # by name, as --project accepts
    with pytest.raises(ConfigError, match="no file for project name fraud-x"):
        find_project_file(tmp_path / "projects", "fraud-x")
    with pytest.raises(ConfigError, match="neither a project file nor a project id"):
        find_project_file(tmp_path / "projects", "Fraud Detection!")


def _cli(*args: str) -> Result:
    """The sub-app as the root CLI mounts it: ``aifactory project ...``."""
    root = typer.Typer()
    root.add_typer(_project_app, name="project")
    return CliRunner().invoke(root, ["project", *args])


def test_cli_add_member(tmp_path: Path) -> None:
    path = _project(tmp_path)
    result = _cli("add-member", "7", "anna@contoso.com", "--persona", "reader", "--env", "dev", "-C", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "added anna@contoso.com (user) as reader to projects/007-fraud.yaml (dev)" in result.output
    assert "{principal: anna@contoso.com, persona: reader, environments: [dev]}" in path.read_text()


def test_cli_reports_problems_with_exit_code_1(tmp_path: Path) -> None:
    path = _project(tmp_path)
    result = _cli("add-member", "7", "anna@contoso.com", "--persona", "wizard", "-C", str(tmp_path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert path.read_text() == COMMENTED_PROJECT
