"""``aifactory:guardrails``: exceptions are validated, and problems come back with fixes."""

from __future__ import annotations

import pytest

from aifactory.config.loader import parse_stack_config
from aifactory.errors import ConfigError
from aifactory.policy.model import RuleException
from tests.support import stack_values

REASON = "dev has no hub firewall; the NSGs deny all traffic but the factory's own ranges"


def _problems(exceptions: list[dict[str, object]]) -> list[tuple[str, str, str]]:
    with pytest.raises(ConfigError) as caught:
        parse_stack_config(stack_values(guardrails={"exceptions": exceptions}), "Pulumi.dev.yaml")
    return [(p.field, p.message, p.fix) for p in caught.value.problems]


def test_a_valid_exception_becomes_a_rule_exception() -> None:
    stack = parse_stack_config(
        stack_values(
            guardrails={
                "exceptions": [
                    {
                        "rule": "ALZ-DENY-SUBNET-WITHOUT-UDR",
                        "types": ["azure-native:network:Subnet"],
                        "projects": [7, "common"],
                        "names": ["*-compute"],
                        "reason": REASON,
                    }
                ]
            }
        ),
        "Pulumi.dev.yaml",
    )
    assert stack.guardrails.rule_exceptions() == (
        RuleException(
            "ALZ-DENY-SUBNET-WITHOUT-UDR", REASON, ("azure-native:network:Subnet",), ("p007", "common"), ("*-compute",)
        ),
    )


def test_unknown_rule_ids_empty_reasons_and_stray_types_are_reported_together() -> None:
    problems = _problems(
        [
            {"rule": "ALZ-DENY-SUBNET-WITHOUT-URD", "reason": REASON},
            {"rule": "ALZ-DENY-SUBNET-WITHOUT-UDR", "reason": "  "},
            {"rule": "ALZ-DENY-SUBNET-WITHOUT-UDR", "reason": REASON, "types": ["azure-native:storage:StorageAccount"]},
            {"rule": "ALZ-STORAGE-SFTP"},
        ]
    )
    fields = {field for field, _, _ in problems}
    assert fields == {
        "aifactory:guardrails.exceptions[0].rule",
        "aifactory:guardrails.exceptions[1].reason",
        "aifactory:guardrails.exceptions[2].types",
        "aifactory:guardrails.exceptions[3].reason",
    }
    by_field = {field: (message, fix) for field, message, fix in problems}
    assert "did you mean 'ALZ-DENY-SUBNET-WITHOUT-UDR'" in by_field["aifactory:guardrails.exceptions[0].rule"][1]
    assert "reason" in by_field["aifactory:guardrails.exceptions[1].reason"][0]
    assert "azure-native:network:Subnet" in by_field["aifactory:guardrails.exceptions[2].types"][1]
