"""``aifactory plan``: the README's main job, its per-project and access views, and the plan file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import aifactory.cli.app as cli_app
from aifactory.cli.app import app
from tests.cli.shared_runs import shared_run_stack
from tests.support import REPO

runner = CliRunner()
WIDE = {"COLUMNS": "250"}


def test_plan_prints_the_summary_and_writes_a_deterministic_plan_file(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    result = runner.invoke(app, ["plan", "dev", "-C", str(REPO), "--out", str(first)], env=WIDE)
    assert result.exit_code == 0, result.output  # the shipped stacks pass every mandatory guardrail
    assert "Resources by type" in result.output and "Resources by workload" in result.output
    assert "001 fraud-detection (esml)" in result.output
    assert "448 project slots" in result.output
    assert "public exceptions: none (no project opens a service to public callers)" in result.output
    runner.invoke(app, ["plan", "dev", "-C", str(REPO), "--out", str(second)], env=WIDE)
    assert first.read_text() == second.read_text()
    document = json.loads(first.read_text())
    assert document["environment"] == "dev"
    assert document["public_exceptions"] == {}
    assert document["summary"]["custom"] == sum(1 for r in document["resources"] if r["custom"])
    vaults = [r for r in document["resources"] if r["type"] == "azure-native:keyvault:Vault"]
    assert vaults and all(v["inputs"]["properties"]["enableRbacAuthorization"] is True for v in vaults)
    assert {r["workload"] for r in document["resources"]} >= {"common", "p001", "p002", "p003", "p004"}


def test_project_view_shows_its_subnets_endpoints_roles_and_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_app, "run_stack", shared_run_stack)  # the views, not the run, are under test
    result = runner.invoke(
        app,
        ["plan", "prod", "-C", str(REPO), "--project", "1", "--out", str(tmp_path / "p.json"),
         "--common-plan", str(tmp_path / "none.json")],  # prod is sharded: plan prod-p001 on a fresh common stack
        env=WIDE,
    )  # fmt: skip
    assert result.exit_code == 0, result.output  # the shipped stacks pass every mandatory guardrail
    output = result.output
    assert "001 fraud-detection (esml) in prod" in output
    assert "snet-p001-aks" in output and "172.28.128.128/26" in output
    assert "(policy-managed)" in output  # prod's hub policy owns private DNS
    assert "Role Based Access Control Administrator (conditioned)" in output
    assert "/projects/project001/out" in output
    assert "/master/crm" in output and "readers of master/crm:r-x" in output  # 001 reads master/crm


def test_a_project_stack_shows_its_project_not_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``plan prod-p001`` is the same view as ``plan prod --project 1``: the environment's IP tables list
    every project (seconds of rendering in a large environment) and belong to the common stack's plan."""
    monkeypatch.setattr(cli_app, "run_stack", shared_run_stack)
    result = runner.invoke(
        app,
        ["plan", "prod-p001", "-C", str(REPO), "--out", str(tmp_path / "p.json"),
         "--common-plan", str(tmp_path / "none.json")],
        env=WIDE,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "001 fraud-detection (esml) in prod" in result.output
    assert "Project subnets" not in result.output and "Common subnets" not in result.output


def test_access_view(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_app, "run_stack", shared_run_stack)
    result = runner.invoke(
        app, ["plan", "dev", "-C", str(REPO), "--access", "--project", "3", "--out", str(tmp_path / "p.json")], env=WIDE
    )
    assert result.exit_code == 0, result.output  # the shipped stacks pass every mandatory guardrail
    assert "Role assignments per subscription" in result.output
    assert "repo:contoso/support-copilot:environment:dev" in result.output
