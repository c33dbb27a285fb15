"""Azure ML compute names: instances take 3-24 characters, clusters 2-16 (ARM-NAME-LENGTH)."""

from __future__ import annotations

from aifactory.policy import types as rt
from aifactory.policy.catalog import RULES_BY_ID
from aifactory.policy.model import GuardrailContext, ResourceRule
from tests.policy.cases import view


def _problems(compute_type: str, name: str) -> list[str]:
    rule = RULES_BY_ID["ARM-NAME-LENGTH"]
    assert isinstance(rule, ResourceRule)
    resource = view(rt.ML_COMPUTE, {"computeName": name, "properties": {"computeType": compute_type}})
    return rule.evaluate(resource, GuardrailContext("dev"))


def test_a_compute_instance_name_may_take_24_characters_a_cluster_16() -> None:
    assert _problems("ComputeInstance", "ciacmep00567vldevii2z") == []  # 21 characters
    assert _problems("ComputeInstance", "c" * 25)
    assert _problems("AmlCompute", "cpu-cluster-p0001") != []  # 17 characters
    assert _problems("AmlCompute", "cpu-cluster") == []
