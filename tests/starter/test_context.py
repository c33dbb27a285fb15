"""The kit's values are the factory's own: names the program registers, the access plan's identities, lake ACLs."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aifactory.errors import ConfigError
from aifactory.offline.stack_run import load_plan
from aifactory.plan.lake import AclEntry, Caller, LakePlan
from aifactory.starter.context import (
    DATA_FACTORY_CREDENTIAL,
    DATA_FACTORY_LINKED_SERVICES,
    DATA_FACTORY_RUNTIME,
    kit_context,
    plan_ingest,
)
from tests.stack.test_stacks import _stack
from tests.support import REPO

NOT_REGISTERED = {"container_app"}  # named for the kit's own app; the factory creates the environment only


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("project", ["1", "2", "3", "4"])
def test_every_name_is_a_name_the_program_registers(project: str) -> None:
    context = kit_context(REPO, project)
    assert context.environments
    for environment in context.environments:
        registered = {s for r in _stack(environment.stack).run.resources for s in _strings(r.inputs)}
        names = {k: v for k, v in environment.names.items() if k not in NOT_REGISTERED}
        assert names
        missing = {k: v for k, v in names.items() if v not in registered}
        assert not missing, f"{environment.name}: names the program does not register: {missing}"
        assert environment.lake["account"] in registered


def test_data_factory_names_match_the_project_factory() -> None:
    records = _stack("dev").run.resources
    linked = {r.inputs["linkedServiceName"] for r in records if r.type == "azure-native:datafactory:LinkedService"}
    runtimes = {
        r.inputs["integrationRuntimeName"] for r in records if r.type == "azure-native:datafactory:IntegrationRuntime"
    }
    credentials = {
        r.inputs["credentialName"] for r in records if r.type == "azure-native:datafactory:CredentialOperation"
    }
    assert set(DATA_FACTORY_LINKED_SERVICES.values()) <= linked
    assert DATA_FACTORY_RUNTIME in runtimes
    assert DATA_FACTORY_CREDENTIAL in credentials


def test_identities_and_federated_credentials_come_from_the_access_plan() -> None:
    context = kit_context(REPO, "fraud-detection")
    assert [e.name for e in context.environments] == ["dev", "stage", "prod"]
    for environment in context.environments:
        access = load_plan(REPO, environment.stack).access.projects[1]
        assert access.deployment is not None
        assert environment.identity["name"] == access.identity_name
        assert environment.ci is not None
        assert environment.ci["application"] == access.deployment.display_name
        assert environment.ci["subject"] == access.deployment.credentials[0].subject
        assert environment.ci["subject"] == f"repo:contoso/fraud-detection:environment:{environment.name}"
        assert environment.github_environment == environment.name


def test_a_project_without_github_delivery_has_no_ci_identity() -> None:
    context = kit_context(REPO, "2")
    assert all(e.ci is None and e.github_environment is None for e in context.environments)


def test_lake_permissions_follow_the_acl_plan() -> None:
    lake = kit_context(REPO, "1").environments[0].lake
    areas = lake["areas"]
    assert set(areas) == {"in", "out", "work"}
    assert areas["in"]["path"] == "projects/project001/in"
    # 001 reads master/crm (datalake.read_sources), so its identity may also fill in/ with it
    assert (areas["in"]["identity"], areas["out"]["identity"], areas["work"]["identity"]) == ("rwx", "rwx", "rwx")
    assert {m["name"]: m["identity"] for m in lake["master"]} == {"crm": "r-x", "erp": "---"}
    other = kit_context(REPO, "2").environments[0].lake
    assert all(m["identity"] == "---" for m in other["master"])  # a project that reads no source sees none


def test_a_project_is_found_by_id_or_name_and_an_unknown_one_is_refused() -> None:
    assert kit_context(REPO, "003").project["name"] == "support-copilot"
    assert kit_context(REPO, "support-copilot").project["id"] == 3
    with pytest.raises(ConfigError, match="is not a project id or name"):
        kit_context(REPO, "no-such-project")


def test_a_missing_stack_file_is_a_config_problem(tmp_path: Path) -> None:
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml"):
        (tmp_path / name).write_text((REPO / name).read_text())
    (tmp_path / "projects").mkdir()
    (tmp_path / "projects" / "001-fraud-detection.yaml").write_text(
        (REPO / "projects/001-fraud-detection.yaml").read_text()
    )
    with pytest.raises(ConfigError, match=r"Pulumi\.stage\.yaml"):
        kit_context(tmp_path, "1")


def _identity(plan_lake: LakePlan) -> Caller:
    return Caller("p001/identity", frozenset({"common/lake-traverse"}))


def test_ingest_copies_only_where_the_acls_let_the_identity() -> None:
    lake = load_plan(REPO, "dev").lake
    hops = plan_ingest(lake, _identity(lake), 1, ["crm", "erp"])
    assert [(h.from_path, h.to_path) for h in hops] == [
        ("projects/project001/in/crm", "projects/project001/work/crm"),
        ("projects/project001/in/erp", "projects/project001/work/erp"),
    ]
    # an identity without any entry gets no copy at all
    assert plan_ingest(lake, Caller("p999/identity"), 1, ["crm"]) == ()


def test_the_example_that_reads_crm_copies_master_into_in() -> None:
    plan = load_plan(REPO, "dev")
    access = plan.access.projects[1]
    groups = frozenset(m.group.key for m in access.memberships if m.member.key == access.identity.key)
    assert "common/lake-readers/crm" in groups
    hops = plan_ingest(plan.lake, Caller(access.identity.key, groups), 1, ["crm", "erp"])
    assert [(h.source, h.from_path, h.to_path) for h in hops] == [
        ("crm", "master/crm/out/gold", "projects/project001/in/crm"),
        ("erp", "projects/project001/in/erp", "projects/project001/work/erp"),
    ]


def test_ingest_reads_master_when_a_lake_plan_allows_it() -> None:
    lake = load_plan(REPO, "dev").lake
    identity = next(e.principal for f in lake.for_project(1) for e in f.access if e.principal.key == "p001/identity")

    def entries(current: tuple[AclEntry, ...], permissions: str) -> tuple[AclEntry, ...]:
        return (*(e for e in current if e.principal != identity), AclEntry(identity, permissions))

    def grant(folder_path: str, permissions: str, folders: tuple[Any, ...]) -> tuple[Any, ...]:
        """``permissions`` for the identity on ``folder_path``, and the execute it needs on every folder above it."""
        return tuple(
            dataclasses.replace(
                f,
                access=entries(f.access, permissions if f.path == folder_path else "--x"),
                default=entries(f.default, permissions) if f.default and f.path == folder_path else f.default,
            )
            if f.path == folder_path or folder_path.startswith(f.path + "/")
            else f
            for f in folders
        )

    common = grant("master/crm/out/gold", "r-x", lake.common)
    projects = {1: grant("projects/project001/in", "rwx", lake.projects[1])}
    granted = LakePlan(container=lake.container, common=common, projects=projects)
    hops = plan_ingest(granted, _identity(granted), 1, ["crm", "erp"])
    assert [(h.source, h.from_path, h.to_path) for h in hops] == [
        ("crm", "master/crm/out/gold", "projects/project001/in/crm"),
        ("erp", "projects/project001/in/erp", "projects/project001/work/erp"),
    ]
