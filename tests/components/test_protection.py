"""Protection is explicit: children of protected resources are not protected unless they say so."""

from __future__ import annotations

import pulumi
from pulumi_azure_native import storage

from aifactory.components.base import FactoryComponent
from aifactory.components.protection import Protection
from tests.support import run_program


class _Store(FactoryComponent):
    def __init__(self, name: str, protect: bool) -> None:
        super().__init__("aifactory:test:Store", name)
        protection = Protection(protect)
        account = storage.StorageAccount(
            f"{name}-sa", resource_group_name="rg", kind="StorageV2", sku=storage.SkuArgs(name="Standard_LRS"),
            opts=protection.options(self),
        )  # fmt: skip
        storage.BlobContainer(
            f"{name}-logs", account_name="sa", resource_group_name="rg", opts=pulumi.ResourceOptions(parent=account)
        )
        storage.BlobContainer(
            f"{name}-data", account_name="sa", resource_group_name="rg", opts=protection.options(account)
        )
        protection.lock(f"{name}-sa", account, "sa")
        self.register_outputs({})


def test_only_explicitly_protected_resources_are_protected() -> None:
    run = run_program(lambda: _Store("prod", protect=True))
    protected = {r.name: r.protect for r in run.resources if r.custom}
    assert protected == {"prod-sa": True, "prod-logs": False, "prod-data": True, "prod-sa-lock": True}


def test_nothing_is_protected_when_protection_is_off() -> None:
    run = run_program(lambda: _Store("dev", protect=False))
    assert not any(r.protect for r in run.resources)
    assert run.of_type("azure-native:authorization:ManagementLockByScope") == []


def test_nested_components_install_the_transformation_once() -> None:
    seen: list[int] = []

    def program() -> None:
        outer = FactoryComponent("aifactory:test:Outer", "outer")
        inner = FactoryComponent("aifactory:test:Inner", "inner", pulumi.ResourceOptions(parent=outer))
        seen.append(sum(1 for t in inner._transformations if t.__name__ == "explicit_protection"))

    run_program(program)
    assert seen == [1]
