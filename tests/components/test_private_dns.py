"""PrivateDns under the offline mocks: zones and VNet links in standalone mode, nothing in hub mode."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pulumi

from aifactory.components.network import PrivateDns, PrivateDnsArgs
from aifactory.offline.runner import OfflineRun
from aifactory.plan.factory import FactoryPlan
from tests.support import factory_plan, project, run_program

ZONE = "azure-native:privatedns:PrivateZone"
LINK = "azure-native:privatedns:VirtualNetworkLink"
DNS_SUBSCRIPTION = "6f1d2c3b-0000-4000-8000-0000000000c1"
VNET_IDS = {
    "common": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-common",
    "shard-01": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-shard-01",
}
OVERRIDE = (
    "/subscriptions/6f1d2c3b-0000-4000-8000-0000000000c2/resourceGroups/rg-kv-dns"
    "/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net"
)
PROJECTS = [project(7, "fraud", "esml", services={"machine_learning": {}, "databricks": {}})]


def _run(plan: FactoryPlan) -> tuple[OfflineRun, dict[str, str]]:
    """Run PrivateDns and resolve its ``zone_ids``."""
    zone_ids: dict[str, str] = {}

    def record(zone: str) -> Callable[[str], None]:
        return lambda zone_id: zone_ids.__setitem__(zone, zone_id)

    def program() -> None:
        dns = PrivateDns(
            "dns", PrivateDnsArgs(plan=plan, resource_group_name="rg-acme-common-dev-sdc", vnet_ids=VNET_IDS)
        )
        for zone, zone_id in dns.zone_ids.items():
            pulumi.Output.from_input(zone_id).apply(record(zone))

    return run_program(program), zone_ids


def test_standalone_creates_each_needed_zone_linked_to_every_vnet(tmp_path: Path) -> None:
    plan = factory_plan(tmp_path, PROJECTS)
    run, zone_ids = _run(plan)
    zones = {z.inputs["privateZoneName"]: z for z in run.of_type(ZONE)}
    assert set(zones) == set(plan.dns.zones_to_create)
    assert {"privatelink.api.azureml.ms", "privatelink.azuredatabricks.net", "privatelink.dfs.core.windows.net"} <= set(
        zones
    )
    assert all(z.inputs["location"] == "global" for z in zones.values())
    links = run.of_type(LINK)
    assert len(links) == len(zones) * len(VNET_IDS)
    for zone_name, zone in zones.items():
        zone_links = [link for link in links if link.parent == zone.urn]
        assert sorted(link.inputs["virtualNetwork"]["id"] for link in zone_links) == sorted(VNET_IDS.values())
        for link in zone_links:
            assert link.inputs["privateZoneName"] == zone_name
            assert link.inputs["registrationEnabled"] is False
            assert link.inputs["resolutionPolicy"] == "NxDomainRedirect"
            assert link.inputs["location"] == "global"
    link_names = {link.inputs["virtualNetworkLinkName"] for link in links}
    assert link_names == {"vnetlink-vnet-acme-common-dev-sdc", "vnetlink-vnet-acme-common-shard-01-dev-sdc"}
    assert set(zone_ids) == set(zones)
    assert zone_ids["privatelink.vaultcore.azure.net"].endswith("/privatelink.vaultcore.azure.net")


def test_a_zone_override_is_used_instead_of_created(tmp_path: Path) -> None:
    plan = factory_plan(
        tmp_path, PROJECTS, dns={"mode": "standalone", "zone_overrides": {"privatelink.vaultcore.azure.net": OVERRIDE}}
    )
    run, zone_ids = _run(plan)
    created = {z.inputs["privateZoneName"] for z in run.of_type(ZONE)}
    assert "privatelink.vaultcore.azure.net" not in created
    assert "privatelink.blob.core.windows.net" in created
    assert zone_ids["privatelink.vaultcore.azure.net"] == OVERRIDE


def test_hub_mode_creates_no_zones_and_points_at_the_hub(tmp_path: Path) -> None:
    plan = factory_plan(
        tmp_path,
        PROJECTS,
        dns={"mode": "hub", "hub": {"subscription_id": DNS_SUBSCRIPTION, "resource_group": "rg-dns"}},
    )
    run, zone_ids = _run(plan)
    assert not run.of_type(ZONE)
    assert not run.of_type(LINK)
    assert "privatelink.api.azureml.ms" in zone_ids
    for zone, zone_id in zone_ids.items():
        assert zone_id == (
            f"/subscriptions/{DNS_SUBSCRIPTION}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/{zone}"
        )


def test_policy_managed_dns_creates_nothing(tmp_path: Path) -> None:
    plan = factory_plan(tmp_path, PROJECTS, dns={"mode": "hub", "policy_managed_dns": True})
    run, zone_ids = _run(plan)
    assert not run.of_type(ZONE)
    assert not run.of_type(LINK)
    assert zone_ids == {}
    assert not plan.dns.zone_groups
