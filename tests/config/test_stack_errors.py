"""Bad stack configs (Pulumi.<env>.yaml): problems name the aifactory: key, the value and the fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aifactory.config.loader import parse_stack_config, read_stack_file, stack_values
from aifactory.errors import ConfigError, ConfigProblem
from tests.support import REPO, config_map
from tests.support import stack_values as base_values


def _problems(**overrides: Any) -> list[ConfigProblem]:
    with pytest.raises(ConfigError) as caught:
        parse_stack_config(base_values(**overrides), "Pulumi.dev.yaml")
    return caught.value.problems


NETWORK = {"address_space": "172.20.0.0/14"}
CASES: list[tuple[str, dict[str, Any], str, str, str]] = [
    ("unknown environment", {"environment": "qa"}, "aifactory:environment", "not an allowed value", "'dev'"),
    (
        "misspelt region",
        {"location": "swedencentrl"},
        "aifactory:location",
        "not a known Azure region",
        "did you mean 'swedencentral'?",
    ),
    ("prefix too long", {"prefix": "contosogroup"}, "aifactory:prefix", "2-8 lowercase letters", "'acme'"),
    (
        "docker bridge overlap",
        {"network": {"address_space": "172.16.0.0/14"}},
        "aifactory:network.address_space",
        "overlaps 172.17.0.0/16",
        "172.20.0.0/14",
    ),
    (
        "no room for shards",
        {"network": {**NETWORK, "shard_prefix": 14}},
        "aifactory:network.shard_prefix",
        "leaves no room for project VNets",
        "at least /15",
    ),
    (
        "overlaps reserved range",
        {"network": {**NETWORK, "reserved_ranges": ["172.21.0.0/16"]}},
        "aifactory:network.address_space",
        "overlaps 172.21.0.0/16, a reserved or hub range",
        "avoids every reserved",
    ),
    (
        "aks pods shadow on-premises",
        {"network": {**NETWORK, "trusted_ranges": ["192.168.0.0/16"]}},
        "aifactory:network.aks_pod_cidr",
        "overlaps trusted_ranges 192.168.0.0/16",
        "no network of the factory uses",
    ),
    (
        "aks range reserved by azure",
        {"network": {**NETWORK, "aks_service_cidr": "172.31.0.0/20"}},
        "aifactory:network.aks_service_cidr",
        "which AKS reserves",
        "outside 169.254.0.0/16",
    ),
    (
        "overlapping address blocks",
        {"network": {"address_space": ["172.20.0.0/14", "172.21.0.0/16"]}},
        "aifactory:network.address_space",
        "overlap",
        "list each range once",
    ),
    (
        "block smaller than a vnet",
        {"network": {"address_space": ["172.20.0.0/14", "172.28.0.0/20"]}},
        "aifactory:network.address_space",
        "smaller than one VNet (/17)",
        "blocks of /17 or larger",
    ),
    (
        "hub mode without hub",
        {"dns": {"mode": "hub"}},
        "aifactory:dns.hub",
        "needs to know where the hub's zones are",
        "policy_managed_dns: true",
    ),
    (
        "policy dns outside hub mode",
        {"dns": {"policy_managed_dns": True}},
        "aifactory:dns.policy_managed_dns",
        "only meaningful in hub mode",
        "set mode: hub",
    ),
    (
        "unknown zone override",
        {
            "dns": {
                "zone_overrides": {
                    "privatelink.nothing.net": "/subscriptions/6f1d2c3b-0000-4000-8000-00000000d001/resourceGroups/rg"
                    "/providers/Microsoft.Network/privateDnsZones/privatelink.nothing.net"
                }
            }
        },
        "aifactory:dns.zone_overrides",
        "unknown private DNS zone name",
        "zone table",
    ),
    (
        "overlapping subscription ranges",
        {
            "project_subscriptions": [
                {"subscription_id": "6f1d2c3b-0000-4000-8000-00000000d002", "first_id": 1, "last_id": 128},
                {"subscription_id": "6f1d2c3b-0000-4000-8000-00000000d003", "first_id": 65, "last_id": 192},
            ]
        },
        "aifactory:project_subscriptions",
        "overlap",
        "exactly one subscription",
    ),
    (
        "unaligned subscription range",
        {
            "project_subscriptions": [
                {"subscription_id": "6f1d2c3b-0000-4000-8000-00000000d002", "first_id": 1, "last_id": 100}
            ]
        },
        "aifactory:project_subscriptions[0]",
        "does not align with the network shards of 64 ids",
        "end them at a multiple of 64",
    ),
    ("bad tag name", {"tags": {"cost/centre": "x"}}, "aifactory:tags", "not allowed by Azure", "without < > %"),
    (
        "groups off without traverse group",
        {"identity": {"manage_groups": False}},
        "aifactory:identity.lake_traverse_group",
        "needs an existing traverse group",
        "lake_traverse_group",
    ),
    ("typo in a key", {"netwrok": NETWORK}, "aifactory:netwrok", "not a known field", "did you mean 'network'?"),
    (
        "tenant not a guid",
        {"tenant_id": "contoso.onmicrosoft.com"},
        "aifactory:tenant_id",
        "is not a GUID",
        "az account show",
    ),
    (
        "retention too short",
        {"shared_services": {"log_retention_days": 7}},
        "aifactory:shared_services.log_retention_days",
        "out of range",
        "at least 30",
    ),
]


@pytest.mark.parametrize(("overrides", "field", "message", "fix"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_stack_value_is_reported(overrides: dict[str, Any], field: str, message: str, fix: str) -> None:
    problems = _problems(**overrides)
    assert len(problems) == 1, [p.render() for p in problems]
    problem = problems[0]
    assert problem.file == "Pulumi.dev.yaml"
    assert problem.field == field
    assert message in problem.message
    assert fix in problem.fix


def test_missing_required_keys_are_all_reported_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_stack_config({"environment": "dev"}, "Pulumi.dev.yaml")
    missing = sorted(p.field for p in caught.value.problems)
    assert missing == [
        "aifactory:location",
        "aifactory:network",
        "aifactory:prefix",
        "aifactory:subscription_id",
        "aifactory:tenant_id",
    ]
    assert all(p.message == "is required but missing" for p in caught.value.problems)


def test_missing_stack_file_lists_the_known_stacks() -> None:
    with pytest.raises(ConfigError) as caught:
        read_stack_file(REPO, "qa")
    problem = caught.value.problems[0]
    assert problem.file == "Pulumi.qa.yaml"
    assert "dev, prod, stage" in problem.fix


def test_secure_aifactory_values_are_refused(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  aifactory:prefix:\n    secure: AAABAC==\n")
    with pytest.raises(ConfigError) as caught:
        read_stack_file(tmp_path, "dev")
    assert caught.value.problems[0].field == "aifactory:prefix"
    assert "no secrets" in caught.value.problems[0].message


def test_engine_config_map_round_trips_structured_values() -> None:
    values = base_values(tags={"owner": "x"})
    assert stack_values(config_map(values)) == values
    assert stack_values({"azure-native:location": "westeurope", "aifactory:prefix": "acme"}) == {"prefix": "acme"}


def test_a_value_nested_past_the_json_decoders_depth_stays_text() -> None:
    """The decoder raises RecursionError, not ValueError, on such a value: it must not escape as a traceback."""
    deep = "[" * 100_000
    assert stack_values({"aifactory:prefix": deep}) == {"prefix": deep}


@pytest.mark.parametrize("stack", ["dev", "stage", "prod"])
def test_shipped_stack_files_are_valid(stack: str) -> None:
    config, display = read_stack_file(REPO, stack)
    parsed = parse_stack_config(stack_values(config), display)
    assert parsed.environment == stack
    assert parsed.protect is (stack != "dev")
