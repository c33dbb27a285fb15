"""Stack rules, the allow_ips exception, recorded exceptions and the report."""

from __future__ import annotations

from pathlib import Path

from pulumi_policy import EnforcementLevel

from aifactory.policy import types as rt
from aifactory.policy.catalog import RULES_BY_ID
from aifactory.policy.crossguard import policies
from aifactory.policy.engine import evaluate
from aifactory.policy.fields import require_value
from aifactory.policy.model import (
    AllowIpsException,
    GuardrailContext,
    ResourceRule,
    ResourceView,
    RuleException,
    Source,
    workload_of,
)
from tests.policy.cases import BASELINES, CONTEXT, REMOVE, URN_PREFIX, mutated, view

COMPONENT = "aifactory:components:PrivateEndpointSet"


def _urn(rtype: str, name: str) -> str:
    return f"{URN_PREFIX}{rtype}::{name}"


def _ids(report_violations: object) -> list[str]:
    return [v.rule for v in report_violations]  # type: ignore[attr-defined]


def _stack(with_endpoint: bool, with_diagnostics: bool) -> list[ResourceView]:
    vault = view(rt.KEY_VAULT, BASELINES[rt.KEY_VAULT], name="p001-kv")
    resources = [vault]
    if with_endpoint:
        endpoint_set = ResourceView(COMPONENT, "p001-kv-pe", _urn(COMPONENT, "p001-kv-pe"), vault.urn, {})
        resources += [
            endpoint_set,
            view(rt.PRIVATE_ENDPOINT, BASELINES[rt.PRIVATE_ENDPOINT], name="p001-kv-pe-vault", parent=endpoint_set.urn),
        ]
    if with_diagnostics:
        resources.append(view(rt.DIAGNOSTIC_SETTING, BASELINES[rt.DIAGNOSTIC_SETTING], "p001-kv-diag", vault.urn))
    return resources


def test_private_endpoints_and_diagnostics_are_found_through_the_parent_chain() -> None:
    rules = [RULES_BY_ID["AIF-PRIVATE-ENDPOINT"], RULES_BY_ID["AIF-DIAGNOSTICS"]]
    assert _ids(evaluate(_stack(True, True), CONTEXT, rules).violations) == []
    assert _ids(evaluate(_stack(False, True), CONTEXT, rules).violations) == ["AIF-PRIVATE-ENDPOINT"]
    assert _ids(evaluate(_stack(True, False), CONTEXT, rules).violations) == ["AIF-DIAGNOSTICS"]


def test_only_bastion_may_have_a_public_ip() -> None:
    rule = [RULES_BY_ID["AIF-PUBLIC-IP-BASTION-ONLY"]]
    pip = view(rt.PUBLIC_IP, {"publicIpAddressName": "pip-bastion"}, name="common-bastion-pip")
    bastion = ResourceView(rt.BASTION, "common-bastion", _urn(rt.BASTION, "common-bastion"), "", {}, (pip.urn,))
    assert _ids(evaluate([pip, bastion], CONTEXT, rule).violations) == []
    stray = view(rt.PUBLIC_IP, {"publicIpAddressName": "pip-vm"}, name="common-vm-pip")
    report = evaluate([pip, bastion, stray], CONTEXT, rule)
    assert [(v.rule, v.name) for v in report.violations] == [("AIF-PUBLIC-IP-BASTION-ONLY", "common-vm-pip")]


def _open_storage(ranges: list[str]) -> dict[str, object]:
    return mutated(
        BASELINES[rt.STORAGE_ACCOUNT],
        {"publicNetworkAccess": "Enabled", "networkRuleSet.ipRules": [{"iPAddressOrRange": r} for r in ranges]},
    )


def test_a_public_endpoint_is_fine_only_as_the_projects_recorded_allow_ips() -> None:
    rule = [RULES_BY_ID["AIF-PUBLIC-NETWORK"]]
    recorded = GuardrailContext(
        stack="dev", environment="dev", allow_ips={"p001": AllowIpsException("p001", ("20.31.45.0/28",))}
    )
    inside = view(rt.STORAGE_ACCOUNT, _open_storage(["20.31.45.0/28"]), name="p001-storage")
    assert _ids(evaluate([inside], recorded, rule).violations) == []
    assert _ids(evaluate([inside], CONTEXT, rule).violations) == ["AIF-PUBLIC-NETWORK"]
    wider = view(rt.STORAGE_ACCOUNT, _open_storage(["20.31.0.0/16"]), name="p001-storage")
    assert "outside the project's allow_ips" in evaluate([wider], recorded, rule).violations[0].message
    other_project = view(rt.STORAGE_ACCOUNT, _open_storage(["20.31.45.0/28"]), name="p002-storage")
    assert _ids(evaluate([other_project], recorded, rule).violations) == ["AIF-PUBLIC-NETWORK"]
    no_firewall = view(rt.DATA_FACTORY, mutated(BASELINES[rt.DATA_FACTORY], {"publicNetworkAccess": "Enabled"}))
    assert _ids(evaluate([no_firewall], recorded, rule).violations) == ["AIF-PUBLIC-NETWORK"]


def test_recorded_exceptions_cover_by_rule_type_project_and_name() -> None:
    subnet = mutated(BASELINES[rt.SUBNET], {"routeTable": REMOVE})
    views = [
        view(rt.SUBNET, subnet, name="p001-snet-compute"),
        view(rt.SUBNET, subnet, name="p002-snet-compute"),
        view(rt.SUBNET, subnet, name="common-snet-jump_hosts"),
    ]
    rule = [RULES_BY_ID["ALZ-DENY-SUBNET-WITHOUT-UDR"]]
    reason = "no hub firewall in dev; NSGs deny egress except to the factory's ranges"
    cases = {
        RuleException("ALZ-DENY-SUBNET-WITHOUT-UDR", reason): [],
        RuleException("ALZ-DENY-SUBNET-WITHOUT-UDR", reason, projects=("p001",)): ["p002", "common"],
        RuleException("ALZ-DENY-SUBNET-WITHOUT-UDR", reason, projects=("common",)): ["p001", "p002"],
        RuleException("ALZ-DENY-SUBNET-WITHOUT-UDR", reason, names=("*-compute",)): ["common"],
        RuleException("ALZ-DENY-SUBNET-WITHOUT-UDR", reason, types=(rt.STORAGE_ACCOUNT,)): ["p001", "p002", "common"],
        RuleException("ALZ-DENY-SUBNET-WITHOUT-NSG", reason): ["p001", "p002", "common"],
    }
    for exception, still_open in cases.items():
        context = GuardrailContext(stack="dev", exceptions=(exception,))
        report = evaluate(views, context, rule)
        assert sorted(v.workload for v in report.violations if v.blocking) == sorted(still_open), exception
        assert report.failed is bool(still_open)
        excepted = [v for v in report.violations if v.exception is not None]
        assert all(v.exception is exception for v in excepted)
        assert report.exception_uses() == [(exception, len(excepted))]
        document = report.document()
        assert document["by_rule"]["ALZ-DENY-SUBNET-WITHOUT-UDR"]["excepted"] == len(excepted)
        assert document["exceptions"][0]["reason"] == reason


def test_workload_comes_from_the_name_or_the_parent() -> None:
    parent = "urn:pulumi:dev::aifactory::aifactory:factory:AIFactory$aifactory:projects:GenAIProject::p003"
    assert workload_of("p001-storage", "") == "p001"
    assert workload_of("cosmos-ra-0419b747", parent) == "p003"
    assert workload_of("common-acr", "urn:pulumi:dev::aifactory::aifactory:shared:SharedServices::shared") == "common"


def test_engine_checks_each_resource_only_against_rules_of_its_type() -> None:
    storage = view(rt.STORAGE_ACCOUNT, mutated(BASELINES[rt.STORAGE_ACCOUNT], {"allowSharedKeyAccess": True}))
    report = evaluate([storage], CONTEXT)
    expected = ["AIF-DIAGNOSTICS", "AIF-LOCAL-AUTH", "AIF-PRIVATE-ENDPOINT", "ALZ-STORAGE-SHARED-KEY"]
    assert sorted(set(_ids(report.violations))) == expected  # a lone account has no endpoint or diagnostics
    assert report.resources == 1 and report.failed


def test_advisory_rules_report_without_failing_and_warn_in_the_pack() -> None:
    advisory = ResourceRule(
        "AIF-EXAMPLE-ADVISORY",
        "Storage accounts prefer the Hot tier",
        "advisory",
        (rt.STORAGE_ACCOUNT,),
        Source("example", "https://learn.microsoft.com/azure/storage/blobs/access-tiers-overview"),
        require_value("accessTier", "Hot", "set accessTier to 'Hot'"),
    )
    report = evaluate([view(rt.STORAGE_ACCOUNT, BASELINES[rt.STORAGE_ACCOUNT])], CONTEXT, [advisory])
    assert [(v.rule, v.severity, v.blocking) for v in report.violations] == [
        ("AIF-EXAMPLE-ADVISORY", "advisory", False)
    ]
    assert not report.failed
    (policy,) = policies(Path(), [advisory])
    assert policy.enforcement_level == EnforcementLevel.ADVISORY
