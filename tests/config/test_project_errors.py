"""Bad project files: every problem names file, field, value and fix, and all are reported together."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from aifactory.config.loader import collect_projects
from aifactory.errors import ConfigProblem
from tests.support import project


def _problems(tmp_path: Path, *specs: dict[str, Any], raw: dict[str, str] | None = None) -> list[ConfigProblem]:
    folder = tmp_path / "projects"
    folder.mkdir()
    for spec in specs:
        (folder / f"{spec['id']:03d}-{spec['name']}.yaml").write_text(yaml.safe_dump(spec))
    for name, text in (raw or {}).items():
        (folder / name).write_text(text)
    _, problems = collect_projects(folder, tmp_path)
    return problems


def _one(problems: list[ConfigProblem]) -> ConfigProblem:
    assert len(problems) == 1, [p.render() for p in problems]
    return problems[0]


CASES: list[tuple[str, dict[str, Any], str, object, str, str]] = [
    # (case id, fields to replace, field, value, message part, fix part)
    (
        "unknown persona",
        {"members": [{"principal": "a@contoso.com", "persona": "wizard"}]},
        "members[0].persona",
        "wizard",
        "not an allowed value",
        "'team-lead'",
    ),
    ("bad project type", {"type": "bigdata"}, "type", "bigdata", "not an allowed value", "'esml' or 'genai'"),
    (
        "unknown environment",
        {"environments": ["dev", "qa"]},
        "environments[1]",
        "qa",
        "not an allowed value",
        "'dev', 'stage' or 'prod'",
    ),
    ("id out of range", {"id": 0}, "id", 0, "out of range", "at least 1"),
    ("name not a slug", {"name": "Fraud_Detection"}, "name", "Fraud_Detection", "lowercase letters", "fraud-detection"),
    (
        "typo in a field",
        {"budgett": {"monthly_amount": 3}},
        "budgett",
        {"monthly_amount": 3},
        "not a known field",
        "did you mean 'budget'?",
    ),
    (
        "missing cost centre",
        {"cost_center": None},
        "cost_center",
        None,
        "is empty (null), but it should be text",
        "use text",
    ),
    ("owner not an e-mail", {"owners": ["anna"]}, "owners[0]", "anna", "not an e-mail address", "lead@contoso.com"),
    ("negative budget", {"budget": {"monthly_amount": -5}}, "budget.monthly_amount", -5, "out of range", "above 0"),
    (
        "six budget thresholds",  # Azure takes at most five notifications per budget, one per actual threshold
        {"budget": {"monthly_amount": 5, "thresholds": [50, 60, 70, 80, 90, 100]}},
        "budget.thresholds",
        [50, 60, 70, 80, 90, 100],
        "has too many entries",
        "list at most 5",
    ),
    (
        "bad threshold",
        {"budget": {"monthly_amount": 5, "thresholds": [0, 80]}},
        "budget.thresholds",
        [0, 80],
        "outside 1-1000 percent",
        "80 and 100",
    ),
    (
        "group principal not a guid",
        {"members": [{"principal": "data-team", "kind": "group", "persona": "reader"}]},
        "members[0].principal",
        "data-team",
        "must be an Entra object id",
        "group's object id",
    ),
    (
        "user principal malformed",
        {"members": [{"principal": "not a upn", "persona": "reader"}]},
        "members[0].principal",
        "not a upn",
        "neither a user principal name nor an object id",
        "sign-in name",
    ),
    (
        "service of the wrong type",
        {"services": {"ai_search": {}}},
        "services.ai_search",
        {},
        "is not available for esml projects",
        "remove it",
    ),
    (
        "duplicate member",
        {
            "members": [
                {"principal": "a@contoso.com", "persona": "reader"},
                {"principal": "A@contoso.com", "persona": "team-lead"},
            ]
        },
        "members[1].principal",
        "a@contoso.com",
        "lists a@contoso.com more than once",
        "one entry with one persona",
    ),
    (
        "member env not in project",
        {
            "environments": ["dev"],
            "members": [{"principal": "a@contoso.com", "persona": "reader", "environments": ["prod"]}],
        },
        "members[0].environments",
        ["prod"],
        "is limited to prod",
        "use environments from dev",
    ),
    (
        "private allow ip",
        {"network": {"allow_ips": ["10.1.2.3"]}},
        "network.allow_ips[0]",
        "10.1.2.3",
        "not a public IP range",
        "public egress address",
    ),
    (
        "slot with host bits",
        {"network": {"slot": "172.20.128.1/23"}},
        "network.slot",
        "172.20.128.1/23",
        "host bits set",
        "172.20.128.0/23",
    ),
    (
        "compute min above max",
        {"services": {"machine_learning": {"compute": {"min_nodes": 5, "max_nodes": 2}}}},
        "services.machine_learning.compute.min_nodes",
        5,
        "is above max_nodes 2",
        "lower min_nodes",
    ),
    (
        "bad vm size",
        {"services": {"machine_learning": {"compute": {"vm_size": "huge"}}}},
        "services.machine_learning.compute.vm_size",
        "huge",
        "wrong form",
        "Standard_",
    ),
    (
        "bad github repo",
        {"delivery": {"github": {"repository": "not-a-repo"}}},
        "delivery.github.repository",
        "not-a-repo",
        "not a GitHub repository",
        "contoso/fraud-detection",
    ),
    (
        "override for unlisted env",
        {"environments": ["dev"], "overrides": {"prod": {"budget": {"monthly_amount": 9}}}},
        "overrides.prod",
        ["budget"],
        "has overrides for prod",
        "remove those overrides",
    ),
    (
        "agents without their stores",
        {"type": "genai", "services": {"ai_search": {}}},
        "services.ai_foundry.agents",
        True,
        "cosmos_db is not enabled",
        "add cosmos_db: {} under services",
    ),
    (
        "aks attach without a workspace",
        {"services": {"machine_learning": {"enabled": False}, "aks": {"attach_to_workspace": True}}},
        "services.aks.attach_to_workspace",
        True,
        "machine_learning is not enabled",
        "enable machine_learning",
    ),
    (
        "model deployed twice",
        {
            "type": "genai",
            "services": {
                "ai_foundry": {
                    "agents": False,
                    "models": [
                        {"name": "chat", "model": "gpt-5.5", "version": "2026-04-24"},
                        {"name": "chat", "model": "gpt-5.4-mini", "version": "2026-03-17"},
                    ],
                }
            },
        },
        "services.ai_foundry.models[1].name",
        "chat",
        "deploys 'chat' more than once",
        "its own name",
    ),
    (
        "too many event hubs for Standard",
        {"services": {"event_hubs": {"hubs": [{"name": f"h{i}"} for i in range(11)]}}},
        "services.event_hubs.hubs",
        11,
        "a Standard namespace of capacity 1 holds 10",
        "sku: Premium",
    ),
    (
        "search tier limits",
        {"type": "genai", "services": {"ai_foundry": {"agents": False}, "ai_search": {"sku": "basic", "replicas": 4}}},
        "services.ai_search.replicas",
        4,
        "basic tier allows at most 3 replicas",
        "use sku: standard",
    ),
    (
        "duplicate environment",
        {"environments": ["dev", "dev"]},
        "environments",
        ["dev", "dev"],
        "lists an environment twice",
        "at most once",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_project_input_is_reported_with_field_value_and_fix(
    tmp_path: Path, case: tuple[str, dict[str, Any], str, object, str, str]
) -> None:
    _, fields, field, value, message, fix = case
    spec = {**project(7, "fraud"), **fields}
    problem = _one(_problems(tmp_path, raw={"007-fraud.yaml": yaml.safe_dump(spec)}))
    assert problem.file == "projects/007-fraud.yaml"
    assert problem.field == field
    assert problem.value == value
    assert message in problem.message
    assert fix in problem.fix


def test_override_errors_point_into_the_override(tmp_path: Path) -> None:
    spec = project(7, "fraud", overrides={"prod": {"services": {"machine_learning": {"compute": {"max_nodes": 0}}}}})
    problem = _one(_problems(tmp_path, spec))
    assert problem.field == "overrides.prod.services.machine_learning.compute.max_nodes"
    assert problem.value == 0
    assert "at least 1" in problem.fix


def test_all_problems_of_all_files_are_reported_together(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        project(1, "alpha", type="bigdata"),
        project(2, "beta", owners=["nope"]),
        project(3, "gamma", members=[{"principal": "x@contoso.com", "persona": "wizard"}], cost_center=""),
    )
    assert sorted((p.file, p.field) for p in problems) == [
        ("projects/001-alpha.yaml", "type"),
        ("projects/002-beta.yaml", "owners[0]"),
        ("projects/003-gamma.yaml", "cost_center"),
        ("projects/003-gamma.yaml", "members[0].persona"),
    ]


def test_duplicate_ids_and_names_across_files(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        project(1, "alpha"),
        raw={
            "001-beta.yaml": yaml.safe_dump(project(1, "beta")),
            "002-alpha.yaml": yaml.safe_dump(project(2, "alpha")),
        },
    )
    rendered = {(p.file, p.field, p.message.split(" (", 1)[0]) for p in problems}
    assert ("projects/001-beta.yaml", "id", "is already used by projects/001-alpha.yaml") in rendered
    assert ("projects/002-alpha.yaml", "name", "is already used by projects/001-alpha.yaml") in rendered
    assert len(problems) == 2, [p.render() for p in problems]
    id_problem = next(p for p in problems if p.field == "id")
    assert "e.g. 3" in id_problem.fix
    assert "the one that sorts later is taken as new" in id_problem.message


def test_the_duplicate_reported_is_the_copy_whose_name_does_not_match(tmp_path: Path) -> None:
    """A copied file renamed but not edited is the new one, even when it sorts first."""
    problems = _problems(tmp_path, project(5, "zeta"), raw={"003-copy.yaml": yaml.safe_dump(project(5, "zeta"))})
    by_field = {p.field: p for p in problems}
    assert set(by_field) == {"", "id", "name"}
    assert all(p.file == "projects/003-copy.yaml" for p in problems)
    assert by_field["id"].message.startswith("is already used by projects/005-zeta.yaml")
    assert "its name does not match its id and name (005-zeta.yaml)" in by_field["id"].message


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    problem = _one(_problems(tmp_path, raw={"001-broken.yaml": "id: 1\nname: [unclosed\n"}))
    assert problem.file == "projects/001-broken.yaml"
    assert "not valid YAML" in problem.message
    assert str(problem.value).startswith("line ")


def test_duplicate_yaml_key_is_an_error_not_silently_last_wins(tmp_path: Path) -> None:
    text = yaml.safe_dump(project(1, "alpha")) + "id: 2\n"
    problem = _one(_problems(tmp_path, raw={"001-alpha.yaml": text}))
    assert "appears twice" in problem.message


def test_file_name_must_follow_convention(tmp_path: Path) -> None:
    problem = _one(_problems(tmp_path, raw={"fraud.yaml": yaml.safe_dump(project(7, "fraud"))}))
    assert problem.message == "file name does not follow <id>-<name>.yaml"
    assert problem.fix == "rename the file to projects/007-fraud.yaml"


def test_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    problem = _one(_problems(tmp_path, raw={"001-x.yaml": "- just\n- a list\n"}))
    assert problem.message == "is not a YAML mapping"


def test_render_names_everything() -> None:
    text = ConfigProblem("projects/007-x.yaml", "budget.monthly_amount", -5, "is out of range", "use 5").render()
    assert text == "projects/007-x.yaml: budget.monthly_amount = -5\n    problem: is out of range\n    fix: use 5"


def test_every_cross_field_problem_of_a_project_is_reported_at_once(tmp_path: Path) -> None:
    """Checks across fields do not stop at the first problem: one run lists them all."""
    spec = project(
        9,
        "many-mistakes",
        "esml",
        environments=["dev", "prod"],
        services={"aks": {"attach_to_workspace": True}, "machine_learning": {"enabled": False}, "web_app": {}},
        members=[
            {"principal": "a@contoso.com", "persona": "team-lead"},
            {"principal": "a@contoso.com", "persona": "reader"},
            {"principal": "b@contoso.com", "persona": "reader", "environments": ["stage"]},
        ],
        delivery={"github": {"repository": "contoso/x", "environments": ["only-one"]}},
    )
    found = {(p.field, p.message.split(",")[0]) for p in _problems(tmp_path, spec)}
    assert found == {
        ("services.web_app", "is not available for esml projects"),
        ("services.aks.attach_to_workspace", "attaches AKS to the ML workspace"),
        ("members[1].principal", "lists a@contoso.com more than once (first in members[0])"),
        ("members[2].environments", "is limited to stage"),
        ("delivery.github.environments", "must name one GitHub environment per project environment"),
    }


def test_foundry_agents_without_their_stores_is_one_clear_problem(tmp_path: Path) -> None:
    problem = _one(_problems(tmp_path, project(10, "agents", "genai", services={"ai_search": {"enabled": False}})))
    assert problem.field == "services.ai_foundry.agents"
    assert "ai_search and cosmos_db are not enabled" in problem.message
    assert "ai_search: {}, cosmos_db: {}" in problem.fix


def test_a_repeated_deployment_name_in_a_long_list_is_found_at_its_second_use(tmp_path: Path) -> None:
    models = [{"name": f"d{i}", "model": "gpt-5.4-mini", "version": "2026-03-17"} for i in range(9_999)]
    models.append({"name": "d42", "model": "gpt-5.4-mini", "version": "2026-03-17"})
    services = {"ai_foundry": {"agents": False}, "openai": {"models": models}}
    problem = _one(_problems(tmp_path, project(1, "chat", "genai", services=services)))
    assert problem.field == "services.openai.models[9999].name" and problem.value == "d42"


def test_every_repeated_event_hub_is_reported_with_the_namespace_limit(tmp_path: Path) -> None:
    """The Event Hubs settings own both checks and report them together, at the hubs' own fields."""
    hubs = [{"name": name} for name in ("a", "a", "b", "c", "b", "a", *(f"h{i}" for i in range(6)))]
    problems = _problems(tmp_path, project(7, "stream", "esml", services={"event_hubs": {"hubs": hubs}}))
    found = {(p.field, p.value, p.message) for p in problems}
    assert found == {
        ("services.event_hubs.hubs[1].name", "a", "names event hub 'a' twice (first in hubs[0]); each entry is one "
         "hub of the namespace"),
        ("services.event_hubs.hubs[4].name", "b", "names event hub 'b' twice (first in hubs[2]); each entry is one "
         "hub of the namespace"),
        ("services.event_hubs.hubs[5].name", "a", "names event hub 'a' twice (first in hubs[0]); each entry is one "
         "hub of the namespace"),
        ("services.event_hubs.hubs", 12, "lists 12 event hubs; a Standard namespace of capacity 1 holds 10"),
    }  # fmt: skip
    assert {p.fix for p in problems if p.field.endswith(".name")} == {"give every event hub its own name"}
