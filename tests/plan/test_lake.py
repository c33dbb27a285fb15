"""The lake ACL plan as a permission model: who may do what where, evaluated the way ADLS Gen2 does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aifactory.catalog.personas import PROJECT_PERSONAS
from aifactory.config.loader import FactoryConfig
from aifactory.config.project import ProjectSpec
from aifactory.config.stack import StackConfig
from aifactory.errors import ConfigError
from aifactory.plan.factory import build_factory_plan
from aifactory.plan.lake import (
    MAX_NAMED_ENTRIES,
    PERSONA_LAKE_ACCESS,
    Acl,
    AclEntry,
    Caller,
    LakeFolder,
    LakePlan,
    Operation,
    access_check,
    acl_at,
    allows,
    permissions_at,
    plan_lake,
    project_folder,
)
from aifactory.plan.rbac.model import PrincipalRef
from aifactory.plan.rbac.principals import (
    LAKE_TRAVERSE_KEY,
    core_ref,
    deployment_ref,
    identity_ref,
    member_ref,
    persona_group_ref,
)
from tests.support import BASE_STACK, factory_config, project, stack_values

DATA_OPS = BASE_STACK["core_team"]["data_ops"][0]["principal"]
PLATFORM_ADMIN = BASE_STACK["core_team"]["platform_admins"][0]["principal"]
TEAM = [
    {"principal": "anna@contoso.com", "persona": "team-lead"},
    {"principal": "erik@contoso.com", "persona": "data-scientist"},
    {"principal": "rita@contoso.com", "persona": "reader"},
    {"principal": "alex@contoso.com", "persona": "app-developer"},
]
ALL_OPERATIONS: tuple[Operation, ...] = ("traverse", "list", "create", "read", "write", "delete")


def config(projects: list[dict[str, Any]], **stack: Any) -> FactoryConfig:
    """A validated config built in memory (fast enough for property tests)."""
    stack_config = StackConfig.model_validate(stack_values(**stack))
    specs = tuple(ProjectSpec.model_validate(p) for p in projects)
    files = {s.id: f"projects/{s.file_stem}.yaml" for s in specs}
    return FactoryConfig(stack=stack_config, stack_file="Pulumi.dev.yaml", projects=specs, project_files=files)


def lake(projects: list[dict[str, Any]], **stack: Any) -> LakePlan:
    return plan_lake(config(projects, **stack))


def spec_of(cfg: FactoryConfig, project_id: int) -> ProjectSpec:
    return cfg.project(project_id)


def person(cfg: FactoryConfig, project_id: int, principal: str) -> Caller:
    """A project member as ADLS sees them: themselves, their persona group (or none), the traverse group."""
    spec = cfg.project(project_id)
    member = next(m for m in spec.members if m.principal == principal)
    groups = {LAKE_TRAVERSE_KEY}
    if cfg.stack.identity.manage_groups:
        groups.add(persona_group_ref(spec, member.persona).key)
    return Caller(member_ref(spec, member).key, frozenset(groups))


def managed_identity(cfg: FactoryConfig, project_id: int) -> Caller:
    return Caller(identity_ref(cfg.project(project_id)).key, frozenset({LAKE_TRAVERSE_KEY}))


def data_ops_person() -> Caller:
    """Someone in the core team's data-ops group."""
    return Caller("core-engineer", frozenset({core_ref("data-ops", DATA_OPS, "group").key}))


def platform_admin_person() -> Caller:
    return Caller("platform-engineer", frozenset({core_ref("platform-admin", PLATFORM_ADMIN, "group").key}))


OUTSIDER = Caller("outsider")


@pytest.fixture(scope="module")
def two_projects() -> tuple[FactoryConfig, LakePlan]:
    cfg = config(
        [
            project(7, "fraud", members=TEAM),
            project(8, "churn", members=[{"principal": "bo@contoso.com", "persona": "team-lead"}]),
        ],
        datalake={"sources": ["crm", "erp"]},
    )
    return cfg, plan_lake(cfg)


def can(plan: LakePlan, who: Caller, *checks: tuple[Operation, str]) -> list[bool]:
    return [allows(plan, who, operation, path) for operation, path in checks]


# --- the sharing model --------------------------------------------------------------------------


def test_a_project_writer_writes_its_out_and_work_and_only_reads_its_in(
    two_projects: tuple[FactoryConfig, LakePlan],
) -> None:
    cfg, plan = two_projects
    anna = person(cfg, 7, "anna@contoso.com")
    base = project_folder(7)
    assert (
        can(
            plan,
            anna,
            ("list", base),
            ("create", f"{base}/out"),
            ("write", f"{base}/out/scores.parquet"),
            ("delete", f"{base}/out/scores.parquet"),
            ("create", f"{base}/work"),
            ("read", f"{base}/work/experiment-1/model.pkl"),
            ("write", f"{base}/work/experiment-1/model.pkl"),
            ("list", f"{base}/in"),
            ("read", f"{base}/in/customers.csv"),
        )
        == [True] * 9
    )
    assert (
        can(
            plan,
            anna,
            ("create", f"{base}/in"),
            ("write", f"{base}/in/customers.csv"),
            ("delete", f"{base}/in/customers.csv"),
            ("create", base),
        )
        == [False] * 4
    )


def test_a_project_cannot_list_or_read_another_projects_folders(two_projects: tuple[FactoryConfig, LakePlan]) -> None:
    cfg, plan = two_projects
    other = project_folder(8)
    for who in (person(cfg, 7, "anna@contoso.com"), managed_identity(cfg, 7)):
        assert allows(plan, who, "traverse", "projects")
        for operation in ALL_OPERATIONS:
            for path in (other, f"{other}/in", f"{other}/out", f"{other}/work"):
                target = f"{path}/data.csv" if operation in ("read", "write", "delete") else path
                assert not allows(plan, who, operation, target), (who.key, operation, target)
        assert not allows(plan, who, "list", "projects"), "project names of others are not listed"


def test_the_project_identity_writes_like_a_writer(two_projects: tuple[FactoryConfig, LakePlan]) -> None:
    cfg, plan = two_projects
    base = project_folder(7)
    identity = managed_identity(cfg, 7)
    assert permissions_at(plan, identity, f"{base}/out") == "rwx"
    assert permissions_at(plan, identity, f"{base}/work") == "rwx"
    assert permissions_at(plan, identity, f"{base}/in") == "r-x"


@pytest.mark.parametrize("principal", ["rita@contoso.com", "alex@contoso.com"])
def test_reader_personas_only_read(two_projects: tuple[FactoryConfig, LakePlan], principal: str) -> None:
    cfg, plan = two_projects
    reader = person(cfg, 7, principal)
    base = project_folder(7)
    for area in ("in", "out", "work"):
        assert allows(plan, reader, "list", f"{base}/{area}")
        assert allows(plan, reader, "read", f"{base}/{area}/report.csv")
        assert not allows(plan, reader, "create", f"{base}/{area}")
        assert not allows(plan, reader, "write", f"{base}/{area}/report.csv")
        assert not allows(plan, reader, "delete", f"{base}/{area}/report.csv")


def test_core_data_ops_manage_master_publish_to_in_and_read_out(two_projects: tuple[FactoryConfig, LakePlan]) -> None:
    _, plan = two_projects
    ops = data_ops_person()
    for path in ("master", "master/crm", "master/crm/in", "master/erp/out/gold", "shared"):
        assert permissions_at(plan, ops, path) == "rwx", path
        assert all(allows(plan, ops, op, f"{path}/file.parquet") for op in ("read", "write", "delete"))
    base = project_folder(7)
    assert allows(plan, ops, "create", f"{base}/in")
    assert allows(plan, ops, "write", f"{base}/in/customers.csv")
    assert allows(plan, ops, "read", f"{base}/out/scores.parquet")
    assert not allows(plan, ops, "create", f"{base}/out")
    assert not allows(plan, ops, "write", f"{base}/out/scores.parquet")
    assert not allows(plan, ops, "list", f"{base}/work")
    assert not allows(plan, ops, "read", f"{base}/work/notes.txt")


def test_projects_never_see_master_and_only_read_shared(two_projects: tuple[FactoryConfig, LakePlan]) -> None:
    cfg, plan = two_projects
    anna = person(cfg, 7, "anna@contoso.com")
    assert not allows(plan, anna, "list", "master")
    assert not allows(plan, anna, "read", "master/crm/in/customers.csv")
    assert allows(plan, anna, "list", "shared")
    assert allows(plan, anna, "read", "shared/calendar.csv")
    assert not allows(plan, anna, "write", "shared/calendar.csv")
    assert not allows(plan, anna, "create", "shared")


@pytest.mark.parametrize("who", [OUTSIDER, platform_admin_person()], ids=["outsider", "platform-admin"])
def test_other_and_the_platform_team_get_no_data_access(
    two_projects: tuple[FactoryConfig, LakePlan], who: Caller
) -> None:
    _, plan = two_projects
    assert plan.for_project(7) and plan.common
    for folder in plan.folders:
        assert permissions_at(plan, who, folder.path) == "---", folder.display
        assert folder.other_permissions == "---"


def test_super_users_may_do_everything(two_projects: tuple[FactoryConfig, LakePlan]) -> None:
    _, plan = two_projects
    admin = Caller("deployer", superuser=True)
    assert all(allows(plan, admin, op, f"{project_folder(8)}/work/x") for op in ("read", "write", "delete"))


def test_files_created_later_inherit_the_folder_defaults_without_other(
    two_projects: tuple[FactoryConfig, LakePlan],
) -> None:
    _, plan = two_projects
    out = plan.folder(f"{project_folder(7)}/out")
    inherited = acl_at(plan, f"{project_folder(7)}/out/run-1/scores.parquet")
    assert inherited.named == out.default
    assert inherited.mask == out.mask("default")
    assert inherited.other == "---"


# --- the plan's shape ---------------------------------------------------------------------------


def test_layout_parents_first_and_traversal_folders_have_no_default(
    two_projects: tuple[FactoryConfig, LakePlan],
) -> None:
    _, plan = two_projects
    paths = [f.path for f in plan.folders]
    assert paths[0] == ""
    assert {"master/crm/in", "master/crm/out/bronze", "master/erp/out/gold", "shared", "projects"} <= set(paths)
    assert [f.path for f in plan.for_project(7)] == [f"projects/project007{s}" for s in ("", "/in", "/out", "/work")]
    for index, path in enumerate(paths):
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        assert not path or parent in paths[:index], path
    for folder in plan.folders:
        assert folder.owner == folder.group == "$superuser"
        traversal = folder.path in ("", "projects", project_folder(7), project_folder(8))
        assert folder.has_default is not traversal, folder.display
        if folder.has_default:
            assert folder.default == folder.access


def test_folder_names_stay_unique_when_source_names_look_like_paths() -> None:
    plan = lake([project(7, "fraud")], datalake={"sources": ["crm", "crm-in", "crm-out"]})
    names = [f.name for f in plan.folders]
    assert len(names) == len(set(names))
    assert plan.folder("master/crm-in").name != plan.folder("master/crm/in").name


def test_groups_are_group_entries_and_identities_user_entries(two_projects: tuple[FactoryConfig, LakePlan]) -> None:
    cfg, plan = two_projects
    out = plan.folder(f"{project_folder(7)}/out")
    tags = {e.principal.key: e.tag for e in out.access}
    spec = spec_of(cfg, 7)
    assert tags[persona_group_ref(spec, "team-lead").key] == "group"
    assert tags[identity_ref(spec).key] == "user"
    assert tags[core_ref("data-ops", DATA_OPS, "group").key] == "group"
    assert out.mask("access") == "rwx"
    assert plan.root.mask("access") == "r-x"


def test_shared_folders_name_one_traverse_group_however_many_projects() -> None:
    plan = lake([project(i, f"proj{i}") for i in range(1, 61)])
    for path in ("", "projects", "shared"):
        assert len(plan.folder(path).access) == 2  # the traverse group and the data-ops group


def test_the_ci_identity_writes_only_when_the_project_delivers_from_github() -> None:
    cfg = config([project(7, "fraud", delivery={"github": {"repository": "contoso/fraud"}}), project(8, "churn")])
    plan = plan_lake(cfg)
    ci = Caller(deployment_ref(cfg.project(7)).key, frozenset({LAKE_TRAVERSE_KEY}))
    assert allows(plan, ci, "write", f"{project_folder(7)}/out/x")
    assert deployment_ref(cfg.project(8)).key not in {p.key for f in plan.for_project(8) for p in f.principals()}


def test_an_existing_traverse_group_is_named_by_its_object_id() -> None:
    group = "22222222-0000-4000-8000-000000000009"
    plan = lake([project(7, "fraud")], identity={"manage_groups": False, "lake_traverse_group": group})
    traverse = next(e for e in plan.root.access if e.principal.key == LAKE_TRAVERSE_KEY)
    assert traverse.principal.object_id == group
    assert traverse.permissions == "--x"


def test_a_principal_listed_twice_gets_one_entry_with_the_wider_permissions() -> None:
    shared_group = {"principal": DATA_OPS, "kind": "group", "persona": "reader"}
    plan = lake(
        [project(7, "fraud", members=[*TEAM, shared_group])],
        identity={"manage_groups": False, "lake_traverse_group": DATA_OPS},
    )
    entries = [e for e in plan.folder(f"{project_folder(7)}/in").access if e.principal.object_id == DATA_OPS]
    assert len(entries) == 1
    assert entries[0].permissions == "rwx"


def test_persona_lake_access_covers_every_persona() -> None:
    assert set(PERSONA_LAKE_ACCESS) == set(PROJECT_PERSONAS)
    assert PERSONA_LAKE_ACCESS["reader"] == "read"


# --- ADLS Gen2's check itself --------------------------------------------------------------------


def _acl(*named: AclEntry, mask: str = "rwx", other: str = "---", group: str = "---") -> Acl:
    return Acl("owner-1", "rwx", "owning-group", group, named, mask, other)


def test_access_check_follows_adls_order_and_mask() -> None:
    user = AclEntry(PrincipalRef("u1", "User"), "rwx")
    reader_group = AclEntry(PrincipalRef("g-read", "Group"), "r-x")
    writer_group = AclEntry(PrincipalRef("g-write", "Group"), "-wx")
    acl = _acl(user, reader_group, writer_group, mask="r-x")
    assert access_check(acl, Caller("owner-1"), "rwx"), "the owner is not masked"
    assert not access_check(acl, Caller("u1"), "-w-"), "named users are masked"
    assert access_check(acl, Caller("u1"), "r-x")
    both = Caller("p", frozenset({"g-read", "g-write"}))
    assert access_check(_acl(reader_group, writer_group), both, "r--")
    assert access_check(_acl(reader_group, writer_group), both, "-w-")
    assert not access_check(_acl(reader_group, writer_group), both, "rw-"), "no single group grants rw"
    all_group = AclEntry(PrincipalRef("g-all", "Group"), "rwx")
    assert not access_check(_acl(all_group, mask="r-x"), Caller("m", frozenset({"g-all"})), "-w-"), "groups are masked"
    assert access_check(_acl(other="r--", mask="r--"), Caller("nobody"), "r--")
    assert access_check(_acl(group="r--"), Caller("m", frozenset({"owning-group"})), "r--")
    as_user = AclEntry(PrincipalRef("g-read", "User"), "r-x")
    assert not access_check(_acl(as_user), Caller("m", frozenset({"g-read"})), "r--"), (
        "a group named as user grants nothing"
    )


def test_execute_is_needed_on_the_root_too() -> None:
    team = AclEntry(PrincipalRef("team", "Group"), "rwx")
    folder = LakeFolder("data", "common", "data", (team,), (team,))
    member = Caller("m", frozenset({"team"}))
    closed = LakePlan("c", (LakeFolder("", "common", "root", ()), folder), {})
    opened = LakePlan("c", (LakeFolder("", "common", "root", (AclEntry(team.principal, "--x"),)), folder), {})
    assert not allows(closed, member, "list", "data")
    assert allows(opened, member, "list", "data")
    assert allows(opened, member, "write", "data/deep/er/file")


def test_allows_needs_execute_on_every_parent(two_projects: tuple[FactoryConfig, LakePlan]) -> None:
    cfg, plan = two_projects
    spec = spec_of(cfg, 7)
    outsider_in_team = Caller("someone", frozenset({persona_group_ref(spec, "team-lead").key}))
    assert permissions_at(plan, outsider_in_team, f"{project_folder(7)}/out") == "---", "not in the traverse group"
    with pytest.raises(ValueError, match="file path"):
        allows(plan, outsider_in_team, "read", "/")
    with pytest.raises(ValueError, match="rwx-form"):
        access_check(plan.root.acl("access"), outsider_in_team, "rw")


# --- membership changes -------------------------------------------------------------------------

_PERSONAS = sorted(PROJECT_PERSONAS)
_members = st.lists(
    st.tuples(st.sampled_from(["ann", "bo", "cy", "di", "ed", "flo", "gus", "hal"]), st.sampled_from(_PERSONAS)),
    min_size=1,
    max_size=8,
    unique_by=lambda m: m[0],
)


def _team(members: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"principal": f"{name}@contoso.com", "persona": persona} for name, persona in members]


def _entries_by_folder(plan: LakePlan) -> dict[str, set[tuple[str, str, str]]]:
    return {
        f.path: {(scope, e.principal.key, e.permissions) for scope in ("access", "default") for e in f.entries(scope)}
        for f in plan.folders
    }


@settings(max_examples=40, deadline=None)
@given(members=_members, data=st.data())
def test_removing_a_member_in_direct_mode_removes_exactly_their_entries(
    members: list[tuple[str, str]], data: st.DataObject
) -> None:
    identity = {"manage_groups": False, "lake_traverse_group": "22222222-0000-4000-8000-000000000009"}
    gone = data.draw(st.sampled_from(members))
    before_cfg = config([project(7, "fraud", members=_team(members))], identity=identity)
    after = lake([project(7, "fraud", members=_team([m for m in members if m != gone]))], identity=identity)
    spec = before_cfg.project(7)
    gone_key = member_ref(spec, next(m for m in spec.members if m.principal == f"{gone[0]}@contoso.com")).key
    before_entries, after_entries = _entries_by_folder(plan_lake(before_cfg)), _entries_by_folder(after)
    assert before_entries.keys() == after_entries.keys()
    for path, entries in before_entries.items():
        assert after_entries[path] == {e for e in entries if e[1] != gone_key}, path
    assert any(gone_key in {e[1] for e in entries} for entries in before_entries.values())


@settings(max_examples=40, deadline=None)
@given(members=_members, data=st.data())
def test_removing_a_member_in_group_mode_changes_no_acl_unless_their_persona_leaves(
    members: list[tuple[str, str]], data: st.DataObject
) -> None:
    gone = data.draw(st.sampled_from(members))
    before_cfg = config([project(7, "fraud", members=_team(members))])
    after = _entries_by_folder(lake([project(7, "fraud", members=_team([m for m in members if m != gone]))]))
    before = _entries_by_folder(plan_lake(before_cfg))
    persona_key = persona_group_ref(before_cfg.project(7), gone[1]).key
    persona_stays = any(p == gone[1] for m, p in members if m != gone[0])
    assert before
    for path, entries in before.items():
        expected = entries if persona_stays else {e for e in entries if e[1] != persona_key}
        assert after[path] == expected, path


# --- stability and limits -----------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(ids=st.sets(st.integers(min_value=1, max_value=999), min_size=1, max_size=6), extra=st.integers(1, 999))
def test_adding_a_project_changes_no_other_folder(ids: set[int], extra: int) -> None:
    before = lake([project(i, f"proj{i}") for i in sorted(ids)])
    after = lake([project(i, f"proj{i}") for i in sorted(ids | {extra})])
    assert before.common == after.common
    for project_id in ids:
        assert before.for_project(project_id) == after.for_project(project_id)
    for folder in after.folders:
        assert max(len(folder.access), len(folder.default)) <= MAX_NAMED_ENTRIES


def _users(count: int) -> list[dict[str, str]]:
    return [{"principal": f"user{i:02d}@contoso.com", "persona": "data-scientist"} for i in range(count)]


def test_direct_mode_accepts_exactly_28_named_entries_and_refuses_29() -> None:
    identity = {"manage_groups": False, "lake_traverse_group": "22222222-0000-4000-8000-000000000009"}
    # members + the project's managed identity + one data-ops group
    plan = lake([project(7, "fraud", members=_users(MAX_NAMED_ENTRIES - 2))], identity=identity)
    assert len(plan.folder(f"{project_folder(7)}/in").access) == MAX_NAMED_ENTRIES
    with pytest.raises(ConfigError) as error:
        lake([project(7, "fraud", members=_users(MAX_NAMED_ENTRIES - 1)), project(8, "churn")], identity=identity)
    [problem] = error.value.problems
    assert problem.file == "projects/007-fraud.yaml"
    assert problem.field == "members"
    assert "29 named entries" in problem.message
    assert "manage_groups" in problem.fix


def test_group_mode_keeps_big_teams_far_below_the_limit() -> None:
    plan = lake([project(7, "fraud", members=_users(200))])
    assert len(plan.folder(f"{project_folder(7)}/out").access) == 3  # one persona group, identity, data-ops


def test_too_many_individual_data_ops_principals_is_a_stack_problem() -> None:
    data_ops = [{"principal": f"33333333-0000-4000-8000-{i:012d}", "kind": "user"} for i in range(MAX_NAMED_ENTRIES)]
    core_team = {"data_ops": data_ops}
    with pytest.raises(ConfigError) as error:
        lake([], core_team=core_team)
    [problem] = error.value.problems
    assert (problem.file, problem.field) == ("Pulumi.dev.yaml", "aifactory:core_team.data_ops")
    assert "one Entra group" in problem.fix


def test_the_factory_plan_carries_the_lake_and_reports_its_problems(tmp_path: Path) -> None:
    plan = build_factory_plan(factory_config(tmp_path / "ok", [project(7, "fraud")], datalake={"container": "data"}))
    assert plan.lake.container == "data"
    assert plan.lake.for_project(7)[0].path == "projects/project007"
    identity = {"manage_groups": False, "lake_traverse_group": "22222222-0000-4000-8000-000000000009"}
    cfg = factory_config(tmp_path / "bad", [project(7, "fraud", members=_users(40))], identity=identity)
    with pytest.raises(ConfigError) as error:
        build_factory_plan(cfg)
    assert [p.field for p in error.value.problems] == ["members"]


# --- master sources a project reads (datalake.read_sources) ----------------------------------------------

READING_TEAM = [
    {"principal": "anna@contoso.com", "persona": "team-lead"},
    {"principal": "dana@contoso.com", "persona": "data-engineer"},
]


def _reader(cfg: FactoryConfig, project_id: int, principal: str | None = None) -> Caller:
    """A project principal as ADLS sees it, with the readers groups the access plan puts it in.

    The project identity and the data engineers join the readers group of every source the project lists.
    """
    spec = cfg.project(project_id)
    if principal is None:
        caller, reads = managed_identity(cfg, project_id), True
    else:
        caller = person(cfg, project_id, principal)
        reads = next(m for m in spec.members if m.principal == principal).persona == "data-engineer"
    readers = {f"common/lake-readers/{s}" for s in spec.datalake.read_sources} if reads else set()
    return Caller(caller.key, caller.groups | frozenset(readers))


@pytest.fixture(scope="module")
def reading() -> tuple[FactoryConfig, LakePlan]:
    cfg = config(
        [
            project(7, "fraud", members=READING_TEAM, datalake={"read_sources": ["crm"]}),
            project(8, "churn", members=[{"principal": "bo@contoso.com", "persona": "team-lead"}]),
        ],
        datalake={"sources": ["crm", "erp"]},
    )
    return cfg, plan_lake(cfg)


def test_a_project_reads_the_master_sources_it_lists_and_never_writes_them(
    reading: tuple[FactoryConfig, LakePlan],
) -> None:
    cfg, plan = reading
    for who in (_reader(cfg, 7), _reader(cfg, 7, "dana@contoso.com")):
        assert allows(plan, who, "list", "master/crm/out/gold")
        assert allows(plan, who, "read", "master/crm/out/gold/customers.parquet")
        assert allows(plan, who, "read", "master/crm/in/raw.csv")
        assert not allows(plan, who, "write", "master/crm/out/gold/customers.parquet")
        assert not allows(plan, who, "create", "master/crm/out/gold")
        assert not allows(plan, who, "list", "master/erp")  # a source it does not list
        assert not allows(plan, who, "list", "master")  # traverse only, no listing of sources
        assert allows(plan, who, "create", f"{project_folder(7)}/in")  # where its pipeline copies the source


def test_only_readers_of_the_project_get_master_and_other_projects_get_nothing(
    reading: tuple[FactoryConfig, LakePlan],
) -> None:
    cfg, plan = reading
    lead = _reader(cfg, 7, "anna@contoso.com")  # a team lead is no data engineer
    assert not allows(plan, lead, "read", "master/crm/out/gold/customers.parquet")
    assert not allows(plan, lead, "create", f"{project_folder(7)}/in")
    for who in (managed_identity(cfg, 8), person(cfg, 8, "bo@contoso.com")):
        assert not allows(plan, who, "read", "master/crm/out/gold/customers.parquet")
        assert not allows(plan, who, "list", "master/crm")
    assert not allows(plan, managed_identity(cfg, 8), "create", f"{project_folder(8)}/in")


def test_master_folders_name_one_readers_group_however_many_projects_read() -> None:
    projects = [project(i, f"proj-{i}", datalake={"read_sources": ["crm"]}) for i in range(1, 41)]
    plan = lake(projects, datalake={"sources": ["crm"]})
    gold = plan.folder("master/crm/out/gold")
    assert {e.principal.key for e in gold.access} == {
        core_ref("data-ops", DATA_OPS, "group").key,
        "common/lake-readers/crm",
    }
    assert gold.default == gold.access
    assert plan.common == lake([], datalake={"sources": ["crm"]}).common  # readers come and go as group members


def test_direct_mode_names_each_reader_on_the_source() -> None:
    direct = {"manage_groups": False, "lake_traverse_group": "44444444-0000-4000-8000-000000000001"}
    cfg = config(
        [project(7, "fraud", members=READING_TEAM, datalake={"read_sources": ["crm"]})],
        datalake={"sources": ["crm"]},
        identity=direct,
    )
    plan = plan_lake(cfg)
    names = {e.principal.key for e in plan.folder("master/crm").access}
    assert {identity_ref(cfg.project(7)).key, "p007/member/user:dana@contoso.com"} <= names
    assert "p007/member/user:anna@contoso.com" not in names


def test_a_source_the_stack_does_not_have_is_refused() -> None:
    cfg = config([project(7, "fraud", datalake={"read_sources": ["crm", "hr"]})], datalake={"sources": ["crm"]})
    with pytest.raises(ConfigError) as refused:
        plan_lake(cfg)
    (problem,) = refused.value.problems
    assert (problem.file, problem.field, problem.value) == ("projects/007-fraud.yaml", "datalake.read_sources[1]", "hr")
    assert "use one of crm" in problem.fix
