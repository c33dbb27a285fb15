"""Pure decisions: a team's Foundry projects, the agents' conditions and scopes, Defender plans, and their errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from aifactory.config.loader import collect_projects, parse_stack_config
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.plan.defender import plan_defender
from aifactory.plan.foundry import agent_blob_condition, agent_cosmos_scopes, workspace_guid
from tests.support import project, stack_values

WORKSPACE = "2ad3edda1658533499df287b34d799b9"
OTHER = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def test_workspace_ids_become_guids_as_microsofts_template_formats_them() -> None:
    assert workspace_guid(WORKSPACE) == "2ad3edda-1658-5334-99df-287b34d799b9"
    assert workspace_guid("2AD3EDDA-1658-5334-99DF-287B34D799B9") == "2ad3edda-1658-5334-99df-287b34d799b9"
    with pytest.raises(ValueError, match="32 hex digits"):
        workspace_guid("not-a-workspace")


def test_the_blob_condition_limits_tag_actions_to_the_agent_containers() -> None:
    one = agent_blob_condition([workspace_guid(WORKSPACE)])
    assert one == (
        "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/read'}) AND "
        "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/filter/action'}) AND "
        "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/write'})) OR "
        "(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringStartsWithIgnoreCase "
        "'2ad3edda-1658-5334-99df-287b34d799b9' AND @Resource[Microsoft.Storage/storageAccounts/blobServices/"
        "containers:name] StringLikeIgnoreCase '*-azureml-agent'))"
    )
    both = agent_blob_condition([workspace_guid(OTHER), workspace_guid(WORKSPACE)])
    assert both == agent_blob_condition([workspace_guid(WORKSPACE), workspace_guid(OTHER)]), "order never matters"
    assert both.count("StringStartsWithIgnoreCase") == 2 and " OR (" in both
    with pytest.raises(ValueError, match="at least one"):
        agent_blob_condition([])


def test_the_cosmos_scopes_are_the_three_agent_containers() -> None:
    account = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-x"
    guid = workspace_guid(WORKSPACE)
    assert agent_cosmos_scopes(account, guid) == (
        f"{account}/dbs/enterprise_memory/colls/{guid}-thread-message-store",
        f"{account}/dbs/enterprise_memory/colls/{guid}-system-thread-message-store",
        f"{account}/dbs/enterprise_memory/colls/{guid}-agent-entity-store",
    )


def _problems(tmp_path: Path, foundry: dict[str, Any]) -> list[ConfigProblem]:
    folder = tmp_path / "projects"
    folder.mkdir()
    spec = project(8, "claims", "genai", services={"ai_foundry": foundry, "ai_search": {}, "cosmos_db": {}})
    (folder / "008-claims.yaml").write_text(yaml.safe_dump(spec))
    return collect_projects(folder, tmp_path)[1]


def test_a_valid_list_of_foundry_projects_loads(tmp_path: Path) -> None:
    assert _problems(tmp_path, {"projects": [{"name": "claims"}, {"name": "research", "agents": False}]}) == []


@pytest.mark.parametrize(
    ("foundry", "field", "message"),
    [
        ({"projects": [{"name": "a1"}, {"name": "a1"}]}, "services.ai_foundry.projects[1].name", "twice"),
        ({"projects": [{"name": f"p{i}x"} for i in range(11)]}, "services.ai_foundry.projects", "more than"),
        ({"projects": [{"name": "a1", "agents": False}]}, "services.ai_foundry.agents", "none of its Foundry"),
        ({"projects": [{"name": "Bad_Name"}]}, "services.ai_foundry.projects[0].name", "wrong form"),
        ({"projects": [{"name": "a1", "personas": ["reader"]}]}, "services.ai_foundry.projects[0].personas[0]", ""),
    ],
)
def test_bad_foundry_projects_are_reported_with_field_and_fix(
    tmp_path: Path, foundry: dict[str, Any], field: str, message: str
) -> None:
    problems = _problems(tmp_path, foundry)
    assert [p.field for p in problems] == [field], [p.render() for p in problems]
    assert message in problems[0].message
    assert problems[0].fix


def test_several_foundry_project_problems_are_reported_together(tmp_path: Path) -> None:
    problems = _problems(tmp_path, {"projects": [{"name": "a1", "agents": False}, {"name": "a1", "agents": False}]})
    assert sorted(p.field for p in problems) == ["services.ai_foundry.agents", "services.ai_foundry.projects[1].name"]


def _stack(**defender: Any) -> Any:
    values = stack_values(
        defender=defender,
        project_subscriptions=[
            {"subscription_id": "6f1d2c3b-0000-4000-8000-00000000d002", "first_id": 129, "last_id": 192}
        ],
    )
    return parse_stack_config(values, "Pulumi.dev.yaml")


def test_defender_plans_are_planned_once_per_subscription() -> None:
    stack = _stack(
        servers="P2", storage=True, storage_malware_scanning_gb=100, ai_services=True, ai_prompt_evidence=True
    )
    planned = plan_defender(stack)
    assert [(p.subscription_id[-4:], p.pricing_name, p.sub_plan) for p in planned] == [
        (s, name, sub) for s in ("d001", "d002") for name, sub in
        (("VirtualMachines", "P2"), ("StorageAccounts", "DefenderForStorageV2"), ("AI", None))
    ]  # fmt: skip
    storage = planned[1]
    assert [(e.name, dict(e.properties)) for e in storage.extensions] == [
        ("OnUploadMalwareScanning", {"CapGBPerMonthPerStorageAccount": "100"}),
        ("SensitiveDataDiscovery", {}),
    ]
    assert [e.name for e in planned[2].extensions] == ["AIPromptEvidence"]
    assert len({p.logical_name for p in planned}) == len(planned)
    assert plan_defender(_stack()) == ()


@pytest.mark.parametrize(
    ("defender", "field"),
    [
        ({"ai_services": True, "ai_accounts": True}, "aifactory:defender.ai_accounts"),
        ({"ai_prompt_evidence": True}, "aifactory:defender.ai_prompt_evidence"),
        ({"servers": "P3"}, "aifactory:defender.servers"),
    ],
)
def test_bad_defender_toggles_are_reported(defender: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _stack(**defender)
    assert [p.field for p in caught.value.problems] == [field]
    assert caught.value.problems[0].fix
