"""Both runners over one generated stack: ARM limits caught, the same results from the offline runner and the
policy pack, and the exit codes of ``aifactory plan`` and ``aifactory check``."""

from __future__ import annotations

import dataclasses
import json
import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi_policy
import pytest
from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy
from typer.testing import CliRunner

from aifactory.cli.app import app
from aifactory.cli.guardrails_view import EXIT_GUARDRAIL_FAILED
from aifactory.offline.mocks import RecordedResource
from aifactory.offline.report import workloads
from aifactory.offline.stack_run import StackPlan, load_plan, run_stack
from aifactory.policy import types as rt
from aifactory.policy.catalog import RULES
from aifactory.policy.crossguard import policies
from aifactory.policy.engine import GuardrailReport
from aifactory.policy.offline import check_stack, views_of
from aifactory.policy.rules.arm import NAME_EXEMPT, NAME_LIMITS
from tests.policy.fixture import UDR_REASON, write_factory
from tests.support import REPO

runner = CliRunner()
WIDE = {"COLUMNS": "250"}


@pytest.fixture(scope="module")
def factory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_factory(tmp_path_factory.mktemp("factory"))


@pytest.fixture(scope="module")
def planned(factory: Path) -> StackPlan:
    return run_stack(factory, "dev")


@pytest.fixture(scope="module")
def report(planned: StackPlan) -> GuardrailReport:
    return check_stack(planned)


def _open(report: GuardrailReport, rule: str) -> list[str]:
    return [v.name for v in report.violations if v.rule == rule and v.exception is None]


def test_a_long_slug_still_fits_every_composed_name(planned: StackPlan, report: GuardrailReport) -> None:
    deployment = next(r for r in planned.run.of_type(rt.DEPLOYMENT) if r.name.startswith("p001-"))
    name = deployment.inputs["deploymentName"]
    assert name.endswith("-managed-vnet") and len(name) <= 64, name  # <factory>-managed-vnet would be 70
    assert _open(report, "ARM-NAME-LENGTH") == []


def test_every_type_the_factory_creates_has_a_name_rule_or_a_reason_it_needs_none(planned: StackPlan) -> None:
    created = {r.type for r in planned.run.resources if r.custom and r.type.startswith("azure-native:")}
    assert created - set(NAME_LIMITS) - set(NAME_EXEMPT) == set()
    assert not set(NAME_LIMITS) & set(NAME_EXEMPT)


def test_the_budget_sends_at_most_the_five_notifications_azure_allows(
    planned: StackPlan, report: GuardrailReport
) -> None:
    budget = next(r for r in planned.run.of_type(rt.BUDGET) if r.name == "p001-budget")
    assert sorted(budget.inputs["notifications"]) == [
        "actual-100",
        "actual-50",
        "actual-80",
        "forecasted-100",
        "forecasted-80",
    ]
    assert _open(report, "ARM-BUDGET-NOTIFICATIONS") == []


def test_the_public_exception_is_refused_by_the_alz_rules(report: GuardrailReport) -> None:
    assert "p001-storage" in _open(report, "ALZ-DENY-PUBLIC-PAAS-STORAGE")
    assert "p002-storage" not in _open(report, "ALZ-DENY-PUBLIC-PAAS-STORAGE")
    assert "p001-storage" not in _open(report, "AIF-PUBLIC-NETWORK")  # it is the project's recorded exception


def test_the_recorded_exception_covers_only_its_project(report: GuardrailReport) -> None:
    udr = [v for v in report.violations if v.rule == "ALZ-DENY-SUBNET-WITHOUT-UDR"]
    assert {v.workload for v in udr if v.exception} == {"p002"}
    assert {v.workload for v in udr if not v.exception} >= {"p001", "common"}
    assert all(v.exception.reason == UDR_REASON for v in udr if v.exception)


def test_workloads_agree_with_the_plan_report(planned: StackPlan) -> None:
    owners = workloads(planned.run)
    assert {v.urn: v.workload for v in views_of(planned.run) if v.custom} == {
        r.urn: owners[r.urn] for r in planned.run.resources if r.custom
    }


def _options(record: RecordedResource) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=record.protect,
        ignore_changes=list(record.ignore_changes),
        delete_before_replace=record.delete_before_replace,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
        parent=record.parent or None,
    )


def _args(record: RecordedResource) -> ResourceValidationArgs:
    props = unknown_checking_proxy(dict(record.inputs))
    return ResourceValidationArgs(record.type, props, record.urn, record.name, _options(record), None)


def _policy_resources(records: list[RecordedResource]) -> list[PolicyResource]:
    by_urn = {r.urn: r for r in records}
    built: dict[str, PolicyResource] = {}

    def build(urn: str) -> PolicyResource:
        if urn not in built:
            record = by_urn[urn]
            args = _args(record)
            parent = build(record.parent) if record.parent in by_urn else None
            dependencies = [build(d) for d in record.dependencies if d in by_urn]
            built[urn] = PolicyResource(
                args.resource_type, args.props, args.urn, args.name, args.opts, None, parent, dependencies, {}
            )
        return built[urn]

    return [build(r.urn) for r in records]


def _pack_results(factory: Path, records: list[RecordedResource]) -> set[tuple[str, str, str]]:
    """(rule, urn, message) of every violation the policy pack reports."""
    found: set[tuple[str, str, str]] = set()

    def reporter(rule: str, resource_urn: str | None) -> Any:
        def report(message: str, urn: str | None = None) -> None:
            found.add((rule, str(resource_urn or urn), message))

        return report

    for policy in policies(factory):
        if isinstance(policy, ResourceValidationPolicy):
            for record in records:
                policy.validate(_args(record), reporter(policy.name, record.urn))
        else:
            assert isinstance(policy, StackValidationPolicy)
            stack_args = StackValidationArgs(_policy_resources(records))
            policy.validate(stack_args, reporter(policy.name, None))
    return found


def test_the_policy_pack_reports_what_the_offline_runner_finds(
    factory: Path, planned: StackPlan, report: GuardrailReport
) -> None:
    offline = {(v.rule, v.urn, v.message) for v in report.violations if v.exception is None}
    assert len(offline) > 10 and {rule for rule, _, _ in offline} >= {
        "ALZ-DENY-SUBNET-WITHOUT-UDR",
        "ALZ-DENY-PUBLIC-PAAS-STORAGE",
    }
    assert _pack_results(factory, planned.run.resources) == offline


def test_the_pack_leaves_values_a_preview_cannot_know_alone(factory: Path) -> None:
    subnet = {"subnetName": "snet-p001-compute", "networkSecurityGroup": {"id": UNKNOWN_STRING_VALUE}}
    record = RecordedResource(
        urn="urn:pulumi:dev::aifactory::azure-native:network:Subnet::p001-snet-compute",
        type=rt.SUBNET,
        name="p001-snet-compute",
        inputs=subnet,
        custom=True,
        provider=None,
    )
    found = _pack_results(factory, [record])
    assert {rule for rule, _, _ in found} == {"ALZ-DENY-SUBNET-WITHOUT-UDR"}  # no routeTable at all; the NSG is unknown


def test_the_policy_pack_entry_point_builds_one_policy_per_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    captured: dict[str, Any] = {}

    def fake_pack(**kwargs: Any) -> None:
        captured.update(kwargs)

    monkeypatch.setattr(pulumi_policy, "PolicyPack", fake_pack)
    runpy.run_path(str(REPO / "guardrails" / "__main__.py"), run_name="__main__")
    assert [p.name for p in captured["policies"]] == [r.id for r in RULES]
    levels = {p.name: p.enforcement_level for p in captured["policies"]}
    assert all(levels[r.id].value == r.severity for r in RULES)


@pytest.fixture
def reuse_run(planned: StackPlan, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI re-reads the (changed) config but reuses the fixture's offline run: exceptions do not change what
    the program registers, and one offline run is the expensive part."""

    def run(project_dir: Path, stack: str, **_options: Any) -> StackPlan:
        return dataclasses.replace(planned, plan=load_plan(project_dir, stack))

    monkeypatch.setattr("aifactory.cli.app.run_stack", run)


@pytest.fixture
def excepting(tmp_path: Path, reuse_run: None) -> Iterator[Any]:
    def folder(skip: str | None) -> Path:
        exceptions = [
            {"rule": rule.id, "reason": f"fixture: this test looks at {skip or 'no'} rule alone"}
            for rule in RULES
            if rule.id != skip
        ]
        target = tmp_path / (skip or "all")
        target.mkdir()
        return write_factory(target, exceptions)

    yield folder


def test_check_exits_3_on_a_mandatory_violation_and_0_once_it_is_excepted(excepting: Any) -> None:
    failing = runner.invoke(app, ["check", "dev", "-C", str(excepting("ALZ-DENY-PUBLIC-PAAS-STORAGE"))], env=WIDE)
    assert failing.exit_code == EXIT_GUARDRAIL_FAILED, failing.output
    assert "ALZ-DENY-PUBLIC-PAAS-STORAGE p001-storage" in failing.output
    assert "guardrails FAILED" in failing.output
    passing = runner.invoke(app, ["check", "dev", "-C", str(excepting(None)), "--json"], env=WIDE)
    assert passing.exit_code == 0, passing.output
    document = json.loads(passing.output)
    assert document["failed"] is False and document["blocking"] == 0
    assert document["rules_evaluated"] == len(RULES)
    public = [v for v in document["violations"] if v["rule"] == "ALZ-DENY-PUBLIC-PAAS-STORAGE"]
    assert public and all(v["excepted"].startswith("fixture:") for v in public)


def test_plan_exits_3_and_writes_the_guardrails_into_the_plan_file(
    factory: Path, tmp_path: Path, reuse_run: None
) -> None:
    target = tmp_path / "plan.json"
    result = runner.invoke(app, ["plan", "dev", "-C", str(factory), "--out", str(target)], env=WIDE)
    assert result.exit_code == EXIT_GUARDRAIL_FAILED, result.output
    assert "Guardrail violations by rule" in result.output and "Guardrail exceptions" in result.output
    section = json.loads(target.read_text())["guardrails"]
    assert section["failed"] is True
    assert section["by_rule"]["ALZ-DENY-PUBLIC-PAAS-STORAGE"] == {"severity": "mandatory", "open": 1, "excepted": 0}
    assert list(section["by_rule"]) == [rule.id for rule in RULES]  # passing rules are results too
    assert section["by_rule"]["ALZ-STORAGE-SFTP"] == {"severity": "mandatory", "open": 0, "excepted": 0}
    assert section["exceptions"][0]["reason"] == UDR_REASON
