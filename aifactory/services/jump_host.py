"""The jump host: an optional Linux VM in the common VNet to reach private endpoints from inside.

No public IP (people come through Bastion), Entra ID sign-in only (the ``AADSSHLoginForLinux``
extension; the required admin SSH key is one nobody holds, :mod:`aifactory.plan.ssh`), Ubuntu 24.04
with Trusted Launch (secure boot, vTPM), platform-managed patching, boot diagnostics, and a nightly
auto-shutdown. The NIC, the extension and the schedule are its intrinsic children.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aifactory.catalog.diagnostics import METRICS_ONLY
from aifactory.plan.ssh import unusable_ssh_public_key
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.model import Built, CommonUse, NoPrivateEndpoint, ServiceDeclaration, stack_switch

if TYPE_CHECKING:
    from pulumi_azure_native import compute

    from aifactory.services.context import ServiceContext

__all__ = ["ADMINISTER_JUMP_HOST", "JUMP_HOST", "JUMP_HOST_ADMIN", "JUMP_HOST_NIC_SCOPE", "USE_JUMP_HOST"]

JUMP_HOST_ADMIN = "azureadmin"
JUMP_HOST_NIC_SCOPE = "jump_host_nic"
"""The jump host's NIC as an RBAC scope: connecting through Bastion needs Reader on it."""
_SHUTDOWN = "1900"  # UTC

ADMINISTER_JUMP_HOST = RoleSet(
    "sign in to the jump host with Entra ID as an administrator (sudo); there is no local account to use",
    {"common/resource_group": ("Virtual Machine Administrator Login",)},
)
USE_JUMP_HOST = RoleSet(
    "sign in to the jump host with Entra ID as a regular user, to reach private endpoints from inside",
    {"common/resource_group": ("Virtual Machine User Login",)},
)


def _build(ctx: ServiceContext, _settings: None) -> Built[compute.VirtualMachine]:
    import pulumi
    from pulumi_azure_native import compute, devtestlab, network

    from aifactory.plan.naming import child_name

    vm_name = ctx.service.azure_name
    nic = network.NetworkInterface(
        f"{ctx.workload}-jump-nic",
        network_interface_name=child_name("network_interface", vm_name),
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        ip_configurations=[
            network.NetworkInterfaceIPConfigurationArgs(
                name="ipconfig",
                subnet=network.SubnetArgs(id=ctx.subnet_id("jump_hosts")),
                private_ip_allocation_method="Dynamic",
            )
        ],
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    vm = compute.VirtualMachine(
        ctx.service.logical_name,
        vm_name=vm_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        hardware_profile=compute.HardwareProfileArgs(vm_size=ctx.stack.shared_services.jump_host_vm_size),
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
                            key_data=unusable_ssh_public_key(ctx.plan.namer.seed),
                        )
                    ]
                ),
                patch_settings=compute.LinuxPatchSettingsArgs(
                    patch_mode="AutomaticByPlatform", assessment_mode="AutomaticByPlatform"
                ),
            ),
        ),
        storage_profile=compute.StorageProfileArgs(
            image_reference=compute.ImageReferenceArgs(
                publisher="Canonical", offer="ubuntu-24_04-lts", sku="server", version="latest"
            ),
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
            # Temp disk and caches encrypted on the host (ALZ Deny-VmAndVmss-Encryption-Host); needs the
            # subscription feature Microsoft.Compute/EncryptionAtHost registered (docs/guardrails.md).
            encryption_at_host=True,
            security_type="TrustedLaunch",
            uefi_settings=compute.UefiSettingsArgs(secure_boot_enabled=True, v_tpm_enabled=True),
        ),
        diagnostics_profile=compute.DiagnosticsProfileArgs(boot_diagnostics=compute.BootDiagnosticsArgs(enabled=True)),
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    compute.VirtualMachineExtension(
        f"{ctx.workload}-jump-entra-login",
        vm_extension_name="AADSSHLoginForLinux",
        vm_name=vm.name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        publisher="Microsoft.Azure.ActiveDirectory",
        type="AADSSHLoginForLinux",
        type_handler_version="1.0",
        auto_upgrade_minor_version=True,
        tags=dict(ctx.tags),
        opts=pulumi.ResourceOptions(parent=vm),
    )
    devtestlab.GlobalSchedule(
        f"{ctx.workload}-jump-shutdown",
        # Azure links an auto-shutdown schedule to its VM by exactly this name.
        name=f"shutdown-computevm-{vm_name}",
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        status="Enabled",
        task_type="ComputeVmShutdownTask",
        daily_recurrence=devtestlab.DayDetailsArgs(time=_SHUTDOWN),
        time_zone_id="UTC",
        target_resource_id=vm.id,
        notification_settings=devtestlab.NotificationSettingsArgs(status="Disabled"),
        tags=dict(ctx.tags),
        opts=pulumi.ResourceOptions(parent=vm),
    )
    return Built(resource=vm, scopes={JUMP_HOST_NIC_SCOPE: nic.id})


JUMP_HOST: ServiceDeclaration[None, Built[compute.VirtualMachine]] = ServiceDeclaration(
    name="jump_host",
    title="Jump host (Linux VM)",
    label="jump host",
    summary="A Linux VM without public IP or usable local account, signed in to with Entra ID through Bastion, to "
    "reach private endpoints from inside the network.",
    naming_kind="virtual_machine",
    logical_stem="jump-vm",
    settings=None,
    projects=None,
    common=CommonUse(
        when=stack_switch("shared_services.jump_host"),
        logical_name="common-jump-vm",
        qualifier="jump",
        subnets=("jump_hosts",),
        why="a place inside the network to reach private endpoints from (portal data views, Storage Explorer)",
    ),
    endpoints=NoPrivateEndpoint("a VM: it sits in the jump_hosts subnet with a private address only"),
    diagnostics=METRICS_ONLY,
    lifecycle="none",
    roles=ServiceRoles(core={"platform-admin": (ADMINISTER_JUMP_HOST,), "data-ops": (USE_JUMP_HOST,)}),
    build=_build,
    extra_scopes=(JUMP_HOST_NIC_SCOPE,),
    guardrails=(
        "AIF-DIAGNOSTICS",
        "AIF-REQUIRED-TAGS",
        "ALZ-VM-ENCRYPTION-AT-HOST",
        "ARM-NAME-LENGTH",
        "ARM-NAME-CHARACTERS",
    ),
)
