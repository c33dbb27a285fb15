"""SharedServices: what every project of the environment uses, all private and keyless.

- Log Analytics workspace (Entra-only access); every service below sends its diagnostics there;
- the core team's Key Vault: RBAC mode, purge protection, soft delete, no public network access,
  protected and CanNotDelete-locked where the environment protects data;
- the shared Container Registry: Premium (private link), admin user and anonymous pull off;
- optional Azure Bastion (Standard, native-client tunneling) with its Standard public IP - the only
  public IP the factory owns;
- optional Linux jump host: no public IP, Entra ID sign-in (AADSSHLoginForLinux), nightly shutdown;
- optional common Data Factory with a managed VNet and its own integration runtime;
- when any project uses Databricks, the environment's Databricks **web-auth workspace**: every
  workspace of a region signs users in through one host, served by one ``browser_authentication``
  private endpoint; Microsoft recommends a dedicated, otherwise unused workspace for it, so that
  deleting a project's workspace never breaks sign-in for the others. It is VNet-injected into the
  common VNet's two web-auth subnets, has no clusters, and is protected and locked where data is.

Key Vault, registry and Data Factory get their private endpoints from ``plan.common_endpoints``
through :class:`PrivateEndpointSet` in ``common/private_endpoints``.

The Log Analytics workspace keeps public ingestion and query: Azure Monitor's private link (AMPLS)
rewrites DNS for every Azure Monitor endpoint of the whole network it is linked to and belongs in
the hub, not in one spoke (see docs/network.md).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import compute, containerregistry, datafactory, devtestlab, keyvault, network
from pulumi_azure_native import operationalinsights as loganalytics

from aifactory.components.base import FactoryComponent
from aifactory.components.data_factory import managed_vnet_factory
from aifactory.components.databricks_workspace import injected_databricks_workspace
from aifactory.components.diagnostics import send_diagnostics
from aifactory.components.private_endpoints import PrivateEndpointSet, PrivateEndpointSetArgs
from aifactory.components.protection import Protection
from aifactory.plan.endpoints import PlannedEndpoint
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.naming import child_name

__all__ = ["JUMP_HOST_ADMIN", "SharedServices", "SharedServicesArgs", "unusable_ssh_public_key"]

JUMP_HOST_ADMIN = "azureadmin"
_JUMP_HOST_IMAGE = compute.ImageReferenceArgs(
    publisher="Canonical", offer="ubuntu-24_04-lts", sku="server", version="latest"
)
_JUMP_HOST_SHUTDOWN = "1900"  # UTC

# Ed25519 (RFC 8032): the field prime and the curve constant d.
_P = 2**255 - 19
_D = -121665 * pow(121666, _P - 2, _P) % _P


def _ed25519_x(y: int, sign: int) -> int | None:
    """The x coordinate of the curve point with this y and sign, or None when there is none."""
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return None
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * pow(2, (_P - 1) // 4, _P) % _P
    if (x * x - x2) % _P:
        return None
    return x if x & 1 == sign else _P - x


def unusable_ssh_public_key(seed: str) -> str:
    """An ``ssh-ed25519`` public key whose private key nobody has, derived from ``seed``.

    Azure requires an admin SSH key on a Linux VM. The jump host gets a curve point hashed from the
    seed ("nothing up my sleeve"): computing its private scalar is the elliptic-curve discrete log
    problem, so the local admin account cannot be used and Entra ID sign-in is the only way in. The
    key is stable for a seed, so the VM is never replaced for it.
    """
    counter = 0
    while True:
        candidate = hashlib.sha512(f"aifactory/jump-host/{seed}/{counter}".encode()).digest()[:32]
        y = int.from_bytes(candidate, "little") & ((1 << 255) - 1)
        if y < _P and _ed25519_x(y, candidate[31] >> 7) is not None:
            break
        counter += 1

    def field(data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + data

    blob = field(b"ssh-ed25519") + field(candidate)
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} aifactory-no-local-login"


@dataclass(frozen=True)
class SharedServicesArgs:
    """The plan, the common resource group, the subnets and the private DNS zone ids."""

    plan: FactoryPlan
    resource_group_name: pulumi.Input[str]
    subnet_ids: Mapping[str, pulumi.Input[str]]
    zone_ids: Mapping[str, pulumi.Input[str]]
    vnet_ids: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)


class SharedServices(FactoryComponent):
    """The environment's shared services (see the module docstring)."""

    log_analytics_workspace_id: pulumi.Output[str]
    key_vault_id: pulumi.Output[str]
    container_registry_id: pulumi.Output[str]
    container_registry_name: str
    data_factory_id: pulumi.Output[str] | None

    def __init__(self, name: str, args: SharedServicesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:shared:SharedServices", name, opts)
        self._args = args
        self._plan = args.plan
        self._location = args.plan.stack.location
        self._tags = dict(args.plan.common_tags)
        self._protection = Protection(args.plan.stack.protect)
        self._endpoints: dict[str, PlannedEndpoint] = {e.target: e for e in args.plan.common_endpoints}

        workspace = self._log_analytics()
        self.log_analytics_workspace_id = workspace.id
        self.key_vault_id = self._key_vault().id
        registry = self._container_registry()
        self.container_registry_id = registry.id
        self.container_registry_name = self._plan.namer.common("container_registry")
        shared = self._plan.stack.shared_services
        if shared.bastion:
            self._bastion()
        if shared.jump_host:
            self._jump_host()
        self.data_factory_id = self._data_factory().id if shared.data_factory else None
        if "databricks_web_auth" in self._endpoints:
            self._databricks_web_auth()
        self.register_outputs(
            {
                "log_analytics_workspace_id": self.log_analytics_workspace_id,
                "key_vault_id": self.key_vault_id,
                "container_registry_id": self.container_registry_id,
            }
        )

    def _databricks_web_auth(self) -> None:
        name = self._plan.namer.common("databricks_workspace", "web-auth")
        managed_group = self._plan.namer.common("resource_group", "dbw-web-auth")
        workspace = injected_databricks_workspace(
            "common-dbw-web-auth",
            workspace_name=name,
            resource_group_name=self._args.resource_group_name,
            location=self._location,
            managed_resource_group_id=f"/subscriptions/{self._plan.stack.subscription_id}/resourceGroups/{managed_group}",
            vnet_id=self._args.vnet_ids["common"],
            host_subnet_id=self._args.subnet_ids["common/databricks_web_auth_host"],
            container_subnet_id=self._args.subnet_ids["common/databricks_web_auth_container"],
            tags=self._tags,
            opts=self._protection.options(self),
        )
        self._protection.lock("common-dbw-web-auth", workspace, name)
        self._private_endpoints("common-dbw-web-auth", "databricks_web_auth", workspace, name)
        self._diagnostics("common-dbw-web-auth", workspace, "databricks")

    def _diagnostics(self, logical_name: str, resource: pulumi.CustomResource, kind: str) -> None:
        send_diagnostics(logical_name, resource, kind, self.log_analytics_workspace_id)

    def _private_endpoints(
        self, logical_name: str, target: str, resource: pulumi.CustomResource, azure_name: str
    ) -> None:
        endpoint = self._endpoints[target]
        PrivateEndpointSet(
            f"{logical_name}-pe",
            PrivateEndpointSetArgs(
                target_id=resource.id,
                target_name=azure_name,
                kind=endpoint.kind,
                group_ids=endpoint.group_ids,
                subnet_id=self._args.subnet_ids["common/private_endpoints"],
                resource_group_name=self._args.resource_group_name,
                location=self._location,
                dns=self._plan.dns,
                zone_ids=self._args.zone_ids,
                tags=self._tags,
            ),
            self.child_opts(),
        )

    def _log_analytics(self) -> loganalytics.Workspace:
        workspace = loganalytics.Workspace(
            "common-log",
            workspace_name=self._plan.namer.common("log_analytics"),
            resource_group_name=self._args.resource_group_name,
            location=self._location,
            sku=loganalytics.WorkspaceSkuArgs(name="PerGB2018"),
            retention_in_days=self._plan.stack.shared_services.log_retention_days,
            features=loganalytics.WorkspaceFeaturesArgs(
                disable_local_auth=True, enable_log_access_using_only_resource_permissions=True
            ),
            tags=self._tags,
            opts=self._protection.options(self),
        )
        # The workspace's own audit (who queried what) goes to itself.
        send_diagnostics("common-log", workspace, "log_analytics", workspace.id)
        return workspace

    def _key_vault(self) -> keyvault.Vault:
        stack = self._plan.stack
        name = self._plan.namer.common("key_vault")
        vault = keyvault.Vault(
            "common-kv",
            vault_name=name,
            resource_group_name=self._args.resource_group_name,
            location=self._location,
            properties=keyvault.VaultPropertiesArgs(
                tenant_id=stack.tenant_id,
                sku=keyvault.SkuArgs(family=keyvault.SkuFamily.A, name=keyvault.SkuName.STANDARD),
                enable_rbac_authorization=True,
                enable_purge_protection=True,
                enable_soft_delete=True,
                soft_delete_retention_in_days=stack.shared_services.key_vault_soft_delete_days,
                public_network_access="Disabled",
                network_acls=keyvault.NetworkRuleSetArgs(default_action="Deny", bypass="AzureServices"),
                enabled_for_deployment=False,
                enabled_for_disk_encryption=False,
                enabled_for_template_deployment=False,
            ),
            tags=self._tags,
            opts=self._protection.options(self),
        )
        self._protection.lock("common-kv", vault, name)
        self._diagnostics("common-kv", vault, "key_vault")
        self._private_endpoints("common-kv", "key_vault", vault, name)
        return vault

    def _container_registry(self) -> containerregistry.Registry:
        name = self._plan.namer.common("container_registry")
        registry = containerregistry.Registry(
            "common-acr",
            registry_name=name,
            resource_group_name=self._args.resource_group_name,
            location=self._location,
            sku=containerregistry.SkuArgs(name=containerregistry.SkuName.PREMIUM),
            admin_user_enabled=False,
            anonymous_pull_enabled=False,
            public_network_access="Disabled",
            network_rule_set=containerregistry.NetworkRuleSetArgs(default_action="Deny"),
            network_rule_bypass_options="AzureServices",
            data_endpoint_enabled=True,
            tags=self._tags,
            opts=self._protection.options(self),
        )
        self._diagnostics("common-acr", registry, "container_registry")
        self._private_endpoints("common-acr", "container_registry", registry, name)
        return registry

    def _bastion(self) -> network.BastionHost:
        namer = self._plan.namer
        public_ip = network.PublicIPAddress(
            "common-bastion-pip",
            public_ip_address_name=namer.common("public_ip", "bastion"),
            resource_group_name=self._args.resource_group_name,
            location=self._location,
            sku=network.PublicIPAddressSkuArgs(name="Standard", tier="Regional"),
            public_ip_allocation_method="Static",
            public_ip_address_version="IPv4",
            tags=self._tags,
            opts=self.child_opts(),
        )
        bastion = network.BastionHost(
            "common-bastion",
            bastion_host_name=namer.common("bastion"),
            resource_group_name=self._args.resource_group_name,
            location=self._location,
            sku=network.SkuArgs(name="Standard"),
            enable_tunneling=True,
            enable_ip_connect=False,
            enable_shareable_link=False,
            ip_configurations=[
                network.BastionHostIPConfigurationArgs(
                    name="ipconfig",
                    subnet=network.SubResourceArgs(id=self._args.subnet_ids["common/bastion"]),
                    public_ip_address=network.SubResourceArgs(id=public_ip.id),
                )
            ],
            tags=self._tags,
            opts=self.child_opts(),
        )
        self._diagnostics("common-bastion-pip", public_ip, "public_ip")
        self._diagnostics("common-bastion", bastion, "bastion")
        return bastion

    def _jump_host(self) -> compute.VirtualMachine:
        plan = self._plan
        vm_name = plan.namer.common("virtual_machine", "jump")
        nic = network.NetworkInterface(
            "common-jump-nic",
            network_interface_name=child_name("network_interface", vm_name),
            resource_group_name=self._args.resource_group_name,
            location=self._location,
            ip_configurations=[
                network.NetworkInterfaceIPConfigurationArgs(
                    name="ipconfig",
                    subnet=network.SubnetArgs(id=self._args.subnet_ids["common/jump_hosts"]),
                    private_ip_allocation_method="Dynamic",
                )
            ],
            tags=self._tags,
            opts=self.child_opts(),
        )
        vm = compute.VirtualMachine(
            "common-jump-vm",
            vm_name=vm_name,
            resource_group_name=self._args.resource_group_name,
            location=self._location,
            hardware_profile=compute.HardwareProfileArgs(vm_size=plan.stack.shared_services.jump_host_vm_size),
            identity=compute.VirtualMachineIdentityArgs(type=compute.ResourceIdentityType.SYSTEM_ASSIGNED),
            os_profile=compute.OSProfileArgs(
                computer_name=vm_name,
                admin_username=JUMP_HOST_ADMIN,
                linux_configuration=compute.LinuxConfigurationArgs(
                    disable_password_authentication=True,
                    provision_vm_agent=True,
                    ssh=compute.SshConfigurationArgs(
                        public_keys=[
                            compute.SshPublicKeyArgs(
                                path=f"/home/{JUMP_HOST_ADMIN}/.ssh/authorized_keys",
                                key_data=unusable_ssh_public_key(plan.namer.seed),
                            )
                        ]
                    ),
                    patch_settings=compute.LinuxPatchSettingsArgs(
                        patch_mode="AutomaticByPlatform", assessment_mode="AutomaticByPlatform"
                    ),
                ),
            ),
            storage_profile=compute.StorageProfileArgs(
                image_reference=_JUMP_HOST_IMAGE,
                os_disk=compute.OSDiskArgs(
                    name=f"{vm_name}-osdisk",
                    create_option="FromImage",
                    delete_option="Delete",
                    managed_disk=compute.ManagedDiskParametersArgs(storage_account_type="StandardSSD_LRS"),
                ),
            ),
            network_profile=compute.NetworkProfileArgs(
                network_interfaces=[compute.NetworkInterfaceReferenceArgs(id=nic.id, primary=True)]
            ),
            security_profile=compute.SecurityProfileArgs(
                security_type="TrustedLaunch",
                uefi_settings=compute.UefiSettingsArgs(secure_boot_enabled=True, v_tpm_enabled=True),
            ),
            diagnostics_profile=compute.DiagnosticsProfileArgs(
                boot_diagnostics=compute.BootDiagnosticsArgs(enabled=True)
            ),
            tags=self._tags,
            opts=self.child_opts(),
        )
        compute.VirtualMachineExtension(
            "common-jump-entra-login",
            vm_extension_name="AADSSHLoginForLinux",
            vm_name=vm.name,
            resource_group_name=self._args.resource_group_name,
            location=self._location,
            publisher="Microsoft.Azure.ActiveDirectory",
            type="AADSSHLoginForLinux",
            type_handler_version="1.0",
            auto_upgrade_minor_version=True,
            tags=self._tags,
            opts=pulumi.ResourceOptions(parent=vm),
        )
        devtestlab.GlobalSchedule(
            "common-jump-shutdown",
            # Azure links an auto-shutdown schedule to its VM by exactly this name.
            name=f"shutdown-computevm-{vm_name}",
            resource_group_name=self._args.resource_group_name,
            location=self._location,
            status="Enabled",
            task_type="ComputeVmShutdownTask",
            daily_recurrence=devtestlab.DayDetailsArgs(time=_JUMP_HOST_SHUTDOWN),
            time_zone_id="UTC",
            target_resource_id=vm.id,
            notification_settings=devtestlab.NotificationSettingsArgs(status="Disabled"),
            tags=self._tags,
            opts=pulumi.ResourceOptions(parent=vm),
        )
        self._diagnostics("common-jump-vm", vm, "virtual_machine")
        return vm

    def _data_factory(self) -> datafactory.Factory:
        name = self._plan.namer.common("data_factory")
        built = managed_vnet_factory(
            "common-adf",
            factory_name=name,
            resource_group_name=self._args.resource_group_name,
            location=self._location,
            identity=datafactory.FactoryIdentityArgs(type=datafactory.FactoryIdentityType.SYSTEM_ASSIGNED),
            tags=self._tags,
            opts=self.child_opts(),
        )
        self._diagnostics("common-adf", built.factory, "data_factory")
        self._private_endpoints("common-adf", "data_factory", built.factory, name)
        return built.factory
