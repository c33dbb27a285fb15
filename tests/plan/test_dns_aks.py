"""Private AKS name resolution follows the DNS mode: AKS's own zone on Azure DNS, public FQDN with custom DNS."""

from __future__ import annotations

from typing import Any

import pytest

from aifactory.config.stack import StackConfig
from aifactory.plan.dns import plan_dns
from tests.support import stack_values

HUB = {"mode": "hub", "hub": {"subscription_id": "6f1d2c3b-0000-4000-8000-0000000000c0", "resource_group": "rg-dns"}}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, "system"),  # Azure-provided DNS: AKS links its own zone to the cluster VNet
        ({"network": {"address_space": "172.20.0.0/14", "dns_servers": ["10.100.1.4"]}}, "none"),
        ({"dns": HUB}, "none"),
        ({"dns": {"mode": "hub", "policy_managed_dns": True}}, "none"),
    ],
    ids=["standalone", "custom-dns-servers", "hub", "policy-managed-hub"],
)
def test_aks_private_dns_follows_the_dns_mode(overrides: dict[str, Any], expected: str) -> None:
    stack = StackConfig.model_validate(stack_values(**overrides))
    assert plan_dns(stack, []).aks_private_dns == expected
