"""CI variables come from config/environments.json, the values the AI factory planned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts import ci_env

CONFIG = Path(__file__).resolve().parent.parent / "config" / "environments.json"


def environments() -> list[dict[str, object]]:
    return json.loads(CONFIG.read_text(encoding="utf-8"))


@pytest.mark.parametrize("environment", [e["name"] for e in environments()])
def test_every_environment_has_its_names(environment: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert ci_env.main([environment, "--format", "shell"]) == 0
    values = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines())
    planned = next(e for e in environments() if e["name"] == environment)
    assert values["AIF_ENVIRONMENT"] == environment
    assert values["RESOURCE_GROUP"] == planned["names"]["resource_group"]  # type: ignore[index]
    assert values["AZURE_SUBSCRIPTION_ID"] == planned["subscription_id"]
    assert all(values.values())


def test_azure_devops_format_sets_variables(capsys: pytest.CaptureFixture[str]) -> None:
    first = environments()[0]["name"]
    assert ci_env.main([str(first), "--format", "azure-devops"]) == 0
    assert all(line.startswith("##vso[task.setvariable variable=") for line in capsys.readouterr().out.splitlines())


def test_an_unknown_environment_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert ci_env.main(["qa"]) == 2
    assert "unknown environment 'qa'" in capsys.readouterr().err
