"""aifactory:layout, stack names and what each stack of an environment holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from aifactory.config.layout import LayoutConfig, StackTarget, common_stack_reference, stack_target
from aifactory.errors import ConfigError
from aifactory.plan.stacks import environment_stacks, project_stack_config, stack_contents
from tests.support import factory_config, factory_plan, project


def test_layout_is_single_by_default_and_takes_the_short_or_the_long_form(tmp_path: Path) -> None:
    assert factory_config(tmp_path / "a", []).stack.layout == LayoutConfig(mode="single")
    assert factory_config(tmp_path / "b", [], layout="sharded").stack.layout.sharded
    long_form = {"mode": "sharded", "organization": "acme", "project": "ai-factory"}
    layout = factory_config(tmp_path / "c", [], layout=long_form).stack.layout
    assert (layout.mode, layout.organization, layout.project) == ("sharded", "acme", "ai-factory")


@pytest.mark.parametrize(
    ("value", "field", "fix"),
    [
        ("split", "aifactory:layout.mode", "'single' or 'sharded'"),
        ({"mode": "sharded", "organization": "acme corp"}, "aifactory:layout.organization", "pulumi whoami"),
        ({"mode": "sharded", "stacks": 3}, "aifactory:layout.stacks", ""),
    ],
)
def test_a_bad_layout_names_the_field_and_the_fix(tmp_path: Path, value: object, field: str, fix: str) -> None:
    with pytest.raises(ConfigError) as raised:
        factory_config(tmp_path, [], layout=value)
    [problem] = raised.value.problems
    assert problem.file == "Pulumi.dev.yaml" and problem.field == field
    assert fix in problem.fix


def test_stack_names_tell_the_environment_stack_and_the_project() -> None:
    assert stack_target("dev") == StackTarget("dev")
    assert stack_target("dev-p007") == StackTarget("dev", 7)
    assert stack_target("team-a-prod-p120").stack_name == "team-a-prod-p120"
    assert stack_target("dev-p7") == StackTarget("dev-p7")  # project stacks have three digits
    assert stack_target("dev-p007").environment_stack == "dev"


def test_the_common_stack_reference_defaults_to_the_project_stacks_own_organization_and_project() -> None:
    assert common_stack_reference(LayoutConfig(mode="sharded"), "acme", "aifactory", "dev") == "acme/aifactory/dev"
    named = LayoutConfig(mode="sharded", organization="platform", project="factory")
    assert common_stack_reference(named, "acme", "aifactory", "dev") == "platform/factory/dev"


def test_each_stack_holds_the_common_part_or_one_project(tmp_path: Path) -> None:
    projects = [project(1, "one"), project(2, "two")]
    single = factory_plan(tmp_path / "single", projects)
    [whole] = environment_stacks(single, "dev")
    assert (whole.stack, whole.common, whole.project_ids) == ("dev", True, (1, 2))
    sharded = factory_plan(tmp_path / "sharded", projects, layout="sharded")
    stacks = environment_stacks(sharded, "dev")
    assert [(s.stack, s.common, s.project_ids) for s in stacks] == [
        ("dev", True, ()),
        ("dev-p001", False, (1,)),
        ("dev-p002", False, (2,)),
    ]


def test_a_project_stack_needs_the_sharded_layout_and_a_deployed_project(tmp_path: Path) -> None:
    single = factory_plan(tmp_path / "single", [project(1, "one")])
    with pytest.raises(ConfigError) as raised:
        stack_contents(single, StackTarget("dev", 1))
    [problem] = raised.value.problems
    assert (problem.file, problem.field) == ("Pulumi.dev.yaml", "aifactory:layout")
    assert "set aifactory:layout: sharded" in problem.fix
    sharded = factory_plan(tmp_path / "sharded", [project(1, "one")], layout="sharded")
    with pytest.raises(ConfigError) as raised:
        stack_contents(sharded, StackTarget("dev", 9))
    [problem] = raised.value.problems
    assert problem.file == "Pulumi.dev-p009.yaml" and "no project with id 9" in problem.message
    assert "dev-p001" in problem.fix


def test_a_project_stack_file_may_only_override_stack_local_settings() -> None:
    environment = {"aifactory:prefix": "acme", "aifactory:keep_provider_aliases": "false"}
    merged, problems = project_stack_config(
        environment,
        {"aifactory:keep_provider_aliases": "true", "azure-native:location": "swedencentral"},
        "Pulumi.dev-p001.yaml",
    )
    assert problems == []
    assert merged["aifactory:keep_provider_aliases"] == "true" and merged["aifactory:prefix"] == "acme"
    _, problems = project_stack_config(environment, {"aifactory:prefix": "other"}, "Pulumi.dev-p001.yaml")
    [problem] = problems
    assert (problem.file, problem.field) == ("Pulumi.dev-p001.yaml", "aifactory:prefix")
    assert "aifactory:keep_provider_aliases" in problem.fix
