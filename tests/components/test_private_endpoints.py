"""PrivateEndpointSet under the offline mocks: one endpoint per group id, exactly its zones, per DNS mode."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from aifactory.catalog.dns_zones import PRIVATE_LINK_SERVICES, GroupId, PrivateLinkKind, zone_name
from aifactory.components.private_endpoints import PrivateEndpointSet, PrivateEndpointSetArgs
from aifactory.offline.mocks import RecordedResource
from aifactory.offline.runner import OfflineRun
from aifactory.plan.dns import DnsPlan
from tests.support import factory_plan, project, run_program

ENDPOINT = "azure-native:network:PrivateEndpoint"
ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"
REGION = "swedencentral"
SUBNET_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe"
DNS_SUBSCRIPTION = "6f1d2c3b-0000-4000-8000-0000000000c1"
TARGETS: dict[str, tuple[PrivateLinkKind, tuple[GroupId, ...]]] = {
    # target name: (private link kind, group ids)
    "stacmelake": ("storage", ("blob", "dfs")),
    "mlw-acme-p007": ("machine_learning", ("amlworkspace",)),
    "aif-acme-p003": ("ai_services", ("account",)),
    "cae-acme-p003": ("container_apps", ("managedEnvironments",)),
    "dbw-acme-p007": ("databricks", ("databricks_ui_api", "browser_authentication")),
}
EXPECTED_ZONES = {
    ("stacmelake", "blob"): {"privatelink.blob.core.windows.net"},
    ("stacmelake", "dfs"): {"privatelink.dfs.core.windows.net"},
    ("mlw-acme-p007", "amlworkspace"): {"privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"},
    ("aif-acme-p003", "account"): {
        "privatelink.cognitiveservices.azure.com",
        "privatelink.openai.azure.com",
        "privatelink.services.ai.azure.com",
    },
    ("cae-acme-p003", "managedEnvironments"): {"privatelink.swedencentral.azurecontainerapps.io"},
    ("dbw-acme-p007", "databricks_ui_api"): {"privatelink.azuredatabricks.net"},
    ("dbw-acme-p007", "browser_authentication"): {"privatelink.azuredatabricks.net"},
}
ALL_ZONES = tuple(
    sorted(
        {
            zone_name(zone, REGION)
            for kind, groups in TARGETS.values()
            for group in groups
            for zone in PRIVATE_LINK_SERVICES[kind].group_zones[group]
        }
    )
)


def _standalone_zone_ids() -> dict[str, str]:
    return {
        zone: f"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/{zone}"
        for zone in ALL_ZONES
    }


def _run(dns: DnsPlan, zone_ids: Mapping[str, str]) -> OfflineRun:
    def program() -> None:
        for target, (kind, groups) in TARGETS.items():
            PrivateEndpointSet(
                f"test-{target}",
                PrivateEndpointSetArgs(
                    target_id=f"/subscriptions/s/resourceGroups/rg/providers/X/y/{target}",
                    target_name=target,
                    kind=kind,
                    group_ids=groups,
                    subnet_id=SUBNET_ID,
                    resource_group_name="rg-acme-common-dev-sdc",
                    location=REGION,
                    dns=dns,
                    zone_ids=zone_ids,
                    tags={"aifactory-workload": "common"},
                ),
            )

    return run_program(program)


def _endpoint_of(run: OfflineRun, group: RecordedResource) -> RecordedResource:
    (endpoint,) = [e for e in run.of_type(ENDPOINT) if e.urn == group.parent]
    return endpoint


def _target_and_group(endpoint: RecordedResource) -> tuple[str, str]:
    (connection,) = endpoint.inputs["privateLinkServiceConnections"]
    (group,) = connection["groupIds"]
    return connection["privateLinkServiceId"].rsplit("/", 1)[1], group


def test_one_endpoint_per_group_id_with_stable_names_in_the_subnet() -> None:
    dns = DnsPlan("standalone", policy_managed=False, region=REGION, zones_to_create=ALL_ZONES)
    run = _run(dns, _standalone_zone_ids())
    endpoints = {_target_and_group(e): e for e in run.of_type(ENDPOINT)}
    assert set(endpoints) == set(EXPECTED_ZONES)
    for (target, group), endpoint in endpoints.items():
        inputs = endpoint.inputs
        qualifier = group.lower().replace("_", "-")
        assert inputs["privateEndpointName"] == f"pep-{target}-{qualifier}"
        assert inputs["customNetworkInterfaceName"] == f"nic-pep-{target}-{qualifier}"
        assert inputs["subnet"]["id"] == SUBNET_ID
        assert inputs["location"] == REGION
        assert inputs["tags"] == {"aifactory-workload": "common"}
        assert endpoint.name == f"test-{target}-{group}"


def test_standalone_zone_group_holds_exactly_the_zones_of_its_group_id() -> None:
    dns = DnsPlan("standalone", policy_managed=False, region=REGION, zones_to_create=ALL_ZONES)
    zone_ids = _standalone_zone_ids()
    run = _run(dns, zone_ids)
    groups = run.of_type(ZONE_GROUP)
    assert len(groups) == len(run.of_type(ENDPOINT)) == len(EXPECTED_ZONES)
    for group in groups:
        endpoint = _endpoint_of(run, group)
        configs = group.inputs["privateDnsZoneConfigs"]
        zones = {config["privateDnsZoneId"].rsplit("/", 1)[1] for config in configs}
        assert zones == EXPECTED_ZONES[_target_and_group(endpoint)]
        assert len(configs) == len(zones)
        assert all(zone_ids[c["privateDnsZoneId"].rsplit("/", 1)[1]] == c["privateDnsZoneId"] for c in configs)
        assert group.inputs["privateEndpointName"] == endpoint.inputs["privateEndpointName"]
        assert endpoint.urn in group.dependencies


def test_policy_managed_dns_gets_endpoints_without_zone_groups() -> None:
    dns = DnsPlan("hub", policy_managed=True, region=REGION, zones_to_create=())
    run = _run(dns, {})
    assert len(run.of_type(ENDPOINT)) == len(EXPECTED_ZONES)
    assert not run.of_type(ZONE_GROUP)


def test_hub_mode_zone_groups_point_at_the_hub_zones(tmp_path: Path) -> None:
    plan = factory_plan(
        tmp_path,
        [
            project(7, "fraud", "esml", services={"machine_learning": {}, "databricks": {}}),
            project(3, "copilot", "genai", services={"ai_foundry": {}, "cosmos_db": {}, "container_apps": {}}),
        ],
        dns={"mode": "hub", "hub": {"subscription_id": DNS_SUBSCRIPTION, "resource_group": "rg-dns"}},
    )
    assert not plan.dns.zones_to_create
    run = _run(plan.dns, plan.dns.existing_zone_ids)
    groups = run.of_type(ZONE_GROUP)
    assert len(groups) == len(EXPECTED_ZONES)
    hub_prefix = f"/subscriptions/{DNS_SUBSCRIPTION}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/"
    for group in groups:
        zones = {c["privateDnsZoneId"].removeprefix(hub_prefix) for c in group.inputs["privateDnsZoneConfigs"]}
        assert zones == EXPECTED_ZONES[_target_and_group(_endpoint_of(run, group))]


def test_a_zone_the_plan_does_not_know_is_a_loud_error() -> None:
    dns = DnsPlan("standalone", policy_managed=False, region=REGION, zones_to_create=ALL_ZONES)
    zone_ids = _standalone_zone_ids()
    del zone_ids["privatelink.notebooks.azure.net"]
    with pytest.raises(Exception, match=r"privatelink\.notebooks\.azure\.net"):
        _run(dns, zone_ids)
