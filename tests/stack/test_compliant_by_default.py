"""The shipped stacks are compliant by default: every mandatory guardrail passes, and every recorded
exception is needed (it covers at least one violation) and has a reason a reviewer can check."""

from __future__ import annotations

import pytest

from aifactory.policy.offline import check_stack
from tests.support import shipped_stack


@pytest.mark.parametrize("stack", ["dev", "stage", "prod"])
def test_the_shipped_stack_passes_every_mandatory_guardrail(stack: str) -> None:
    report = check_stack(shipped_stack(stack))
    blocking = [f"{v.rule} {v.name}: {v.message}" for v in report.violations if v.blocking]
    assert blocking == []
    assert not report.failed


@pytest.mark.parametrize("stack", ["dev", "stage", "prod"])
def test_every_recorded_exception_covers_a_violation_and_cites_its_source(stack: str) -> None:
    report = check_stack(shipped_stack(stack))
    uses = report.exception_uses()
    assert uses, f"{stack} records no exception"
    for exception, count in uses:
        assert count > 0, f"{stack}: the {exception.rule} exception covers nothing: remove it"
        assert "https://learn.microsoft.com/" in exception.reason, f"{exception.rule}: cite the Microsoft source"
