"""Members as code, the other way round: remove-member, and the core team of a stack file (add and remove)."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from aifactory.cli.app import app
from aifactory.config.loader import collect_projects, parse_stack_config, read_stack_file, stack_values
from aifactory.errors import ConfigError
from aifactory.project_files import add_core_member, add_member, remove_core_member, remove_member
from tests.support import READER_LINE, REPO, commented_project, write_project_file

PROJECT = commented_project(READER_LINE)
NEW_ADMIN = "11111111-0000-4000-8000-0000000000ab"


def _project(tmp_path: Path, text: str = PROJECT) -> Path:
    return write_project_file(tmp_path, text)


def _removed_lines(before: str, after: str) -> list[str]:
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line.startswith(("+ ", "- "))]
    assert all(line.startswith("- ") for line in changed), changed
    return [line[2:] for line in changed]


def _cli(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


# --- remove-member ----------------------------------------------------------------------------


def test_removing_a_member_removes_its_line_and_keeps_every_comment(tmp_path: Path) -> None:
    path = _project(tmp_path)
    member = remove_member(path, "2B3C4D5E-0000-4000-8000-000000000101")
    assert member.persona == "data-scientist" and member.kind == "group"
    after = path.read_text()
    assert _removed_lines(PROJECT, after) == [
        "  - {principal: 2b3c4d5e-0000-4000-8000-000000000101, kind: group, persona: data-scientist}  # DS group"
    ]
    assert "# until June" in after and "# the team" in after and "# small is enough" in after


def test_remove_is_the_inverse_of_add(tmp_path: Path) -> None:
    path = _project(tmp_path)
    add_member(path, "new.person@contoso.com", "user", "ml-engineer", ["dev"])
    remove_member(path, "New.Person@contoso.com")
    assert path.read_text() == PROJECT


def test_every_example_project_loses_only_the_removed_members_lines(tmp_path: Path) -> None:
    examples = sorted((REPO / "projects").glob("*.yaml"))
    assert examples
    for example in examples:
        folder = tmp_path / example.stem / "projects"
        folder.mkdir(parents=True)
        path = folder / example.name
        shutil.copy(example, path)
        members = yaml.safe_load(example.read_text()).get("members", [])
        removable = [m for m in members if m["persona"] != "team-lead"]
        assert removable, f"{example.name} has only team leads"
        remove_member(path, removable[0]["principal"])
        removed = _removed_lines(example.read_text(), path.read_text())
        assert removed and removable[0]["principal"] in removed[0], (example.name, removed)
        assert all(line.startswith("      ") or line.lstrip().startswith("- ") for line in removed[1:]), removed
        loaded, problems = collect_projects(folder, folder.parent)
        assert problems == [] and len(loaded[0].spec.members) == len(members) - 1


def test_a_member_that_is_not_there_is_an_error_and_the_file_is_untouched(tmp_path: Path) -> None:
    path = _project(tmp_path)
    with pytest.raises(ConfigError) as raised:
        remove_member(path, "nobody@contoso.com", display="projects/007-fraud.yaml")
    (problem,) = raised.value.problems
    assert problem.file == "projects/007-fraud.yaml" and problem.field == "members"
    assert "is not a member of project 7" in problem.message and "anna@contoso.com" in problem.message
    assert path.read_text() == PROJECT


def test_the_last_team_lead_stays_unless_forced(tmp_path: Path) -> None:
    path = _project(tmp_path)
    with pytest.raises(ConfigError, match="last team lead"):
        remove_member(path, "lead@contoso.com")
    assert path.read_text() == PROJECT
    remove_member(path, "lead@contoso.com", force=True)
    assert "lead@contoso.com, persona" not in path.read_text()


def test_a_second_team_lead_can_go_without_force(tmp_path: Path) -> None:
    path = _project(tmp_path)
    add_member(path, "second@contoso.com", "user", "team-lead")
    remove_member(path, "lead@contoso.com")
    assert "persona: team-lead" in path.read_text()


def test_cli_remove_member_and_its_errors(tmp_path: Path) -> None:
    path = _project(tmp_path)
    result = _cli("project", "remove-member", "fraud", "anna@contoso.com", "-C", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "removed anna@contoso.com (user, reader) from projects/007-fraud.yaml" in result.output
    refused = _cli("project", "remove-member", "7", "lead@contoso.com", "-C", str(tmp_path))
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    forced = _cli("project", "remove-member", "7", "lead@contoso.com", "--force", "-C", str(tmp_path))
    assert forced.exit_code == 0, forced.output
    assert "members: [" in path.read_text() or "members:" in path.read_text()


# --- core-team add|remove -----------------------------------------------------------------------


def _stack(tmp_path: Path, name: str = "dev") -> Path:
    target = tmp_path / f"Pulumi.{name}.yaml"
    shutil.copy(REPO / f"Pulumi.{name}.yaml", target)
    return target


def _core_team(tmp_path: Path, name: str = "dev") -> dict[str, list[str]]:
    config_map, display = read_stack_file(tmp_path, name)
    team = parse_stack_config(stack_values(config_map), display).core_team
    return {
        "platform_admins": [p.principal for p in team.platform_admins],
        "data_ops": [p.principal for p in team.data_ops],
    }


@pytest.mark.parametrize("stack", ["dev", "stage", "prod"])
def test_core_team_add_then_remove_round_trips_every_shipped_stack(tmp_path: Path, stack: str) -> None:
    path = _stack(tmp_path, stack)
    before = path.read_text()
    change = add_core_member(path, NEW_ADMIN.upper(), "platform-admin", display=path.name)
    assert change.principal == NEW_ADMIN and change.kind == "group"
    after = path.read_text()
    added = [d[2:] for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d.startswith(("+ ", "- "))]
    assert added == [f"      - principal: {NEW_ADMIN}"], added
    assert NEW_ADMIN in _core_team(tmp_path, stack)["platform_admins"]
    assert [line for line in before.splitlines() if "#" in line] == [line for line in after.splitlines() if "#" in line]
    remove_core_member(path, NEW_ADMIN, "platform-admin", display=path.name)
    assert path.read_text() == before


@pytest.mark.parametrize(
    ("principal", "persona", "message"),
    [
        ("not-a-guid", "data-ops", "is not an Entra object id"),
        ("11111111-0000-4000-8000-000000000002", "data-ops", "twice in data_ops"),
    ],
)
def test_bad_core_team_members_are_refused_before_writing(
    tmp_path: Path, principal: str, persona: str, message: str
) -> None:
    path = _stack(tmp_path)
    before = path.read_text()
    with pytest.raises(ConfigError, match=message):
        add_core_member(path, principal, persona)  # type: ignore[arg-type]
    assert path.read_text() == before


def test_removing_a_core_member_that_is_not_there_is_an_error(tmp_path: Path) -> None:
    path = _stack(tmp_path)
    before = path.read_text()
    with pytest.raises(ConfigError, match="is not a data-ops member"):
        remove_core_member(path, NEW_ADMIN, "data-ops")
    with pytest.raises(ConfigError, match="is not a platform-admin member"):
        remove_core_member(path, "11111111-0000-4000-8000-000000000002", "platform-admin")  # a data-ops member
    assert path.read_text() == before


def test_cli_core_team(tmp_path: Path) -> None:
    _stack(tmp_path)
    added = _cli("core-team", "add", "dev", NEW_ADMIN, "--persona", "data-ops", "--kind", "user", "-C", str(tmp_path))
    assert added.exit_code == 0, added.output
    assert f"added {NEW_ADMIN} (user) as data-ops to Pulumi.dev.yaml" in added.output
    assert NEW_ADMIN in _core_team(tmp_path)["data_ops"]
    removed = _cli("core-team", "remove", "dev", NEW_ADMIN, "--persona", "data-ops", "-C", str(tmp_path))
    assert removed.exit_code == 0, removed.output
    assert NEW_ADMIN not in _core_team(tmp_path)["data_ops"]
    missing = _cli("core-team", "remove", "dev", NEW_ADMIN, "--persona", "data-ops", "-C", str(tmp_path))
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    unknown = _cli("core-team", "add", "qa", NEW_ADMIN, "--persona", "data-ops", "-C", str(tmp_path))
    assert unknown.exit_code == 1 and "no such stack file" in unknown.output
    bad_persona = _cli("core-team", "add", "dev", NEW_ADMIN, "--persona", "wizard", "-C", str(tmp_path))
    assert bad_persona.exit_code == 2
