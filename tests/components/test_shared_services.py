"""SharedServices under the offline mocks: private, keyless, endpoints, diagnostics, protection."""

from __future__ import annotations

from typing import Any

import pytest

from aifactory.components.shared_services import SharedServices, SharedServicesArgs
from aifactory.offline.mocks import RecordedResource
from aifactory.offline.runner import OfflineRun
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.ssh import unusable_ssh_public_key
from tests.support import SUBSCRIPTION, TENANT, factory_plan, project, run_program

_VNET = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"
SUBNETS = {
    "common/private_endpoints": f"{_VNET}/subnets/pe",
    "common/bastion": f"{_VNET}/subnets/bastion",
    "common/jump_hosts": f"{_VNET}/subnets/jump",
}
RG = "rg-acme-common-dev-sdc"
VAULT = "azure-native:keyvault:Vault"
REGISTRY = "azure-native:containerregistry:Registry"
WORKSPACE = "azure-native:operationalinsights:Workspace"
FACTORY = "azure-native:datafactory:Factory"
ENDPOINT = "azure-native:network:PrivateEndpoint"
DIAGNOSTIC = "azure-native:monitor:DiagnosticSetting"
LOCK = "azure-native:authorization:ManagementLockByScope"


def _run(plan: FactoryPlan) -> tuple[OfflineRun, SharedServices]:
    built: dict[str, SharedServices] = {}
    zone_ids = {zone: f"/subscriptions/s/resourceGroups/{RG}/providers/Microsoft.Network/privateDnsZones/{zone}"
                for zone in plan.dns.zones_to_create}  # fmt: skip

    def program() -> None:
        built["shared"] = SharedServices(
            "shared", SharedServicesArgs(plan=plan, resource_group_name=RG, subnet_ids=SUBNETS, zone_ids=zone_ids)
        )

    return run_program(program), built["shared"]


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> tuple[FactoryPlan, OfflineRun, SharedServices]:
    plan = factory_plan(
        tmp_path_factory.mktemp("full"),
        [project(7, "fraud", "esml")],
        shared_services={"bastion": True, "jump_host": True, "data_factory": True, "log_retention_days": 90},
    )
    run, shared = _run(plan)
    return plan, run, shared


@pytest.fixture(scope="module")
def minimal_stage(tmp_path_factory: pytest.TempPathFactory) -> tuple[FactoryPlan, OfflineRun, SharedServices]:
    plan = factory_plan(tmp_path_factory.mktemp("stage"), [project(7, "fraud", "esml")], environment="stage")
    run, shared = _run(plan)
    return plan, run, shared


def _one(run: OfflineRun, type_token: str) -> RecordedResource:
    (resource,) = run.of_type(type_token)
    return resource


def _mock_id(resource: RecordedResource) -> str:
    _, module, type_name = resource.type.split(":", 2)
    name_keys = [k for k in resource.inputs if k.endswith("Name") and k != "resourceGroupName"]
    name = resource.inputs.get("name") or resource.inputs[name_keys[0]]
    return f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/{module}/{type_name}/{name}"


def test_no_service_is_reachable_from_public_networks(full: Any) -> None:
    _, run, _ = full
    vault = _one(run, VAULT).inputs["properties"]
    assert vault["publicNetworkAccess"] == "Disabled"
    assert vault["networkAcls"]["defaultAction"] == "Deny"
    registry = _one(run, REGISTRY).inputs
    assert registry["publicNetworkAccess"] == "Disabled"
    assert registry["networkRuleSet"]["defaultAction"] == "Deny"
    assert _one(run, FACTORY).inputs["publicNetworkAccess"] == "Disabled"
    # The only public IP is Bastion's: users reach Bastion over TLS, never a VM or a data service.
    (public_ip,) = run.of_type("azure-native:network:PublicIPAddress")
    assert public_ip.inputs["sku"]["name"] == "Standard"
    bastion = _one(run, "azure-native:network:BastionHost").inputs
    assert bastion["ipConfigurations"][0]["publicIPAddress"]["id"].endswith(
        f"/{public_ip.inputs['publicIpAddressName']}"
    )
    nic = _one(run, "azure-native:network:NetworkInterface").inputs
    assert "publicIPAddress" not in nic["ipConfigurations"][0]
    assert nic["ipConfigurations"][0]["subnet"]["id"] == SUBNETS["common/jump_hosts"]


def test_every_service_is_keyless(full: Any) -> None:
    plan, run, _ = full
    vault = _one(run, VAULT).inputs["properties"]
    assert vault["enableRbacAuthorization"] is True
    assert vault["tenantId"] == TENANT == plan.stack.tenant_id
    assert "accessPolicies" not in vault
    registry = _one(run, REGISTRY).inputs
    assert (registry["adminUserEnabled"], registry["anonymousPullEnabled"]) == (False, False)
    assert registry["sku"]["name"] == "Premium"
    assert _one(run, WORKSPACE).inputs["features"]["disableLocalAuth"] is True
    os_profile = _one(run, "azure-native:compute:VirtualMachine").inputs["osProfile"]
    assert "adminPassword" not in os_profile
    assert os_profile["linuxConfiguration"]["disablePasswordAuthentication"] is True
    (key,) = os_profile["linuxConfiguration"]["ssh"]["publicKeys"]
    assert key["keyData"] == unusable_ssh_public_key(plan.namer.seed)
    assert _one(run, FACTORY).inputs["identity"]["type"] == "SystemAssigned"


def test_key_vault_retention_and_purge_protection(full: Any) -> None:
    plan, run, _ = full
    vault = _one(run, VAULT).inputs["properties"]
    assert (vault["enableSoftDelete"], vault["enablePurgeProtection"]) == (True, True)
    assert vault["softDeleteRetentionInDays"] == plan.stack.shared_services.key_vault_soft_delete_days
    assert _one(run, WORKSPACE).inputs["retentionInDays"] == 90


def test_private_endpoints_for_vault_registry_and_data_factory(full: Any) -> None:
    plan, run, _ = full
    groups = sorted(e.inputs["privateLinkServiceConnections"][0]["groupIds"][0] for e in run.of_type(ENDPOINT))
    assert groups == ["dataFactory", "portal", "registry", "vault"]
    assert all(e.inputs["subnet"]["id"] == SUBNETS["common/private_endpoints"] for e in run.of_type(ENDPOINT))
    targets = {e.inputs["privateLinkServiceConnections"][0]["privateLinkServiceId"] for e in run.of_type(ENDPOINT)}
    assert targets == {_mock_id(_one(run, t)) for t in (VAULT, REGISTRY, FACTORY)}
    zone_groups = run.of_type("azure-native:network:PrivateDnsZoneGroup")
    assert len(zone_groups) == 4
    assert plan.dns.zone_groups


def test_every_service_sends_diagnostics_to_the_workspace(full: Any) -> None:
    _, run, shared = full
    workspace_id = _mock_id(_one(run, WORKSPACE))
    settings = {d.inputs["resourceUri"]: d for d in run.of_type(DIAGNOSTIC)}
    services = [
        WORKSPACE,
        VAULT,
        REGISTRY,
        FACTORY,
        "azure-native:network:BastionHost",
        "azure-native:network:PublicIPAddress",
        "azure-native:compute:VirtualMachine",
    ]
    assert set(settings) == {_mock_id(_one(run, t)) for t in services}
    assert all(d.inputs["workspaceId"] == workspace_id for d in settings.values())
    assert shared.container_registry_name == _one(run, REGISTRY).inputs["registryName"]


def test_bastion_is_standard_with_tunneling(full: Any) -> None:
    _, run, _ = full
    bastion = _one(run, "azure-native:network:BastionHost").inputs
    assert bastion["sku"]["name"] == "Standard"
    assert bastion["enableTunneling"] is True
    assert bastion["enableShareableLink"] is False
    assert bastion["ipConfigurations"][0]["subnet"]["id"] == SUBNETS["common/bastion"]


def test_jump_host_signs_in_with_entra_and_shuts_down_at_night(full: Any) -> None:
    _, run, _ = full
    vm = _one(run, "azure-native:compute:VirtualMachine")
    assert vm.inputs["identity"]["type"] == "SystemAssigned"
    assert vm.inputs["securityProfile"]["securityType"] == "TrustedLaunch"
    extension = _one(run, "azure-native:compute:VirtualMachineExtension").inputs
    assert (extension["publisher"], extension["type"], extension["vmName"]) == (
        "Microsoft.Azure.ActiveDirectory",
        "AADSSHLoginForLinux",
        vm.inputs["vmName"],
    )
    schedule = _one(run, "azure-native:devtestlab:GlobalSchedule").inputs
    assert schedule["name"] == f"shutdown-computevm-{vm.inputs['vmName']}"
    assert (schedule["status"], schedule["taskType"]) == ("Enabled", "ComputeVmShutdownTask")
    assert schedule["targetResourceId"] == _mock_id(vm)


def test_data_factory_runs_in_its_managed_vnet(full: Any) -> None:
    _, run, shared = full
    factory = _one(run, FACTORY)
    deployment = _one(run, "azure-native:resources:Deployment")
    (template_resource,) = deployment.inputs["properties"]["template"]["resources"]
    assert template_resource["type"] == "Microsoft.DataFactory/factories/managedVirtualNetworks"
    assert template_resource["name"] == f"{factory.inputs['factoryName']}/default"
    assert deployment.inputs["properties"]["mode"] == "Incremental"
    runtime = _one(run, "azure-native:datafactory:IntegrationRuntime")
    assert runtime.inputs["properties"]["managedVirtualNetwork"]["referenceName"] == "default"
    assert deployment.urn in runtime.dependencies
    assert shared.data_factory_id is not None


def test_optional_services_are_absent_unless_asked_for(minimal_stage: Any) -> None:
    _, run, shared = minimal_stage
    for absent in (
        FACTORY,
        "azure-native:network:BastionHost",
        "azure-native:network:PublicIPAddress",
        "azure-native:compute:VirtualMachine",
    ):
        assert not run.of_type(absent), absent
    assert shared.data_factory_id is None
    groups = sorted(e.inputs["privateLinkServiceConnections"][0]["groupIds"][0] for e in run.of_type(ENDPOINT))
    assert groups == ["registry", "vault"]


def test_stage_protects_the_key_vault_without_a_lock(minimal_stage: Any, full: Any) -> None:
    """A lock on the vault would hold the role assignments at its scope; purge protection keeps it recoverable."""
    _, run, _ = minimal_stage
    vault = _one(run, VAULT)
    assert vault.protect
    assert vault.inputs["properties"]["enablePurgeProtection"] is True
    assert not run.of_type(LOCK)
    _, dev_run, _ = full
    assert not _one(dev_run, VAULT).protect
    assert not dev_run.of_type(LOCK)


def test_databricks_web_auth_workspace_only_when_a_project_uses_databricks(tmp_path: Any, full: Any) -> None:
    _, run, _ = full
    assert run.of_type("azure-native:databricks:Workspace") == []
    plan = factory_plan(tmp_path, [project(7, "fraud", "esml", services={"databricks": {}})], environment="stage")
    subnets = {
        **SUBNETS,
        "common/databricks_web_auth_host": f"{_VNET}/subnets/snet-common-databricks-web-auth-host",
        "common/databricks_web_auth_container": f"{_VNET}/subnets/snet-common-databricks-web-auth-container",
    }
    built: list[SharedServices] = []

    def program() -> None:
        built.append(
            SharedServices(
                "shared",
                SharedServicesArgs(
                    plan=plan,
                    resource_group_name=RG,
                    subnet_ids=subnets,
                    zone_ids={zone: f"/zones/{zone}" for zone in plan.dns.zones_to_create},
                    vnet_ids={"common": _VNET},
                ),
            )
        )

    with_databricks = run_program(program, stack="stage")
    workspace = _one(with_databricks, "azure-native:databricks:Workspace")
    parameters = workspace.inputs["parameters"]
    assert parameters["customVirtualNetworkId"]["value"] == _VNET
    assert parameters["customPublicSubnetName"]["value"] == "snet-common-databricks-web-auth-host"
    assert parameters["enableNoPublicIp"]["value"] is True
    assert workspace.inputs["publicNetworkAccess"] == "Disabled"
    assert workspace.protect
    endpoints = [e for e in with_databricks.of_type(ENDPOINT) if e.name.startswith("common-dbw-web-auth")]
    assert [e.inputs["privateLinkServiceConnections"][0]["groupIds"] for e in endpoints] == [["browser_authentication"]]
    assert not with_databricks.of_type(LOCK)  # it holds no data; a lock would hold its endpoint and diagnostics
