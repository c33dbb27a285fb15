"""The alias drop: azure-native's version aliases go, the program's own aliases stay."""

from __future__ import annotations

import pulumi
from pulumi_azure_native import storage

from aifactory.performance import drop_provider_version_aliases, is_provider_version_alias, register_alias_drop
from tests.support import run_program


def test_only_bare_azure_native_type_aliases_are_version_aliases() -> None:
    assert is_provider_version_alias(pulumi.Alias(type_="azure-native:storage/v20190601:StorageAccount"))
    assert not is_provider_version_alias(pulumi.Alias(name="old-name"))
    assert not is_provider_version_alias(pulumi.Alias(type_="azure-native:storage:StorageAccount", name="moved"))
    assert not is_provider_version_alias(pulumi.Alias(type_="aifactory:old:Thing"))
    assert not is_provider_version_alias("urn:pulumi:dev::aifactory::x::y")


def _build(keep: bool) -> list[storage.StorageAccount]:
    built: list[storage.StorageAccount] = []

    def program() -> None:
        register_alias_drop(keep)
        built.append(
            storage.StorageAccount(
                "sa",
                resource_group_name="rg",
                kind="StorageV2",
                sku=storage.SkuArgs(name="Standard_ZRS"),
                opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="old-sa")]),
            )
        )

    run_program(program)
    return built


def test_stack_transformation_drops_version_aliases_and_keeps_user_aliases() -> None:
    dropped = _build(keep=False)[0]
    kept = _build(keep=True)[0]
    assert len(dropped._aliases) == 1
    assert len(kept._aliases) > 20


def test_transformation_returns_none_when_nothing_to_drop() -> None:
    args = pulumi.ResourceTransformationArgs(
        resource=None,  # type: ignore[arg-type]
        type_="azure-native:storage:StorageAccount",
        name="sa",
        props={},
        opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="old")]),
    )
    assert drop_provider_version_aliases(args) is None


def test_offline_runs_pause_the_cyclic_collector_and_restore_its_state() -> None:
    import gc

    seen: list[bool] = []

    def program() -> None:
        seen.append(gc.isenabled())

    was_enabled = gc.isenabled()
    try:
        gc.enable()
        run_program(program)
        assert seen == [False]
        assert gc.isenabled()
        gc.disable()
        run_program(program)
        assert seen == [False, False]
        assert not gc.isenabled()
    finally:
        (gc.enable if was_enabled else gc.disable)()
