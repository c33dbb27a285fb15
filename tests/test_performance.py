"""The alias drop: azure-native's version aliases go, the program's own aliases stay."""

from __future__ import annotations

import pulumi
import pytest
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


def test_worker_preload_lists_cover_every_azure_native_module_the_factory_creates() -> None:
    """A module missing from both lists loads during a project stack's run, in every worker, and is
    timed as that stack's cost; the create-only catalog lists every type the shipped plans create."""
    from aifactory.catalog.create_only import CREATE_ONLY
    from aifactory.offline.parallel import COMMON_MODULES, PROJECT_MODULES

    created = {token.split(":")[1] for token in CREATE_ONLY if token.startswith("azure-native:")}
    assert created - {*COMMON_MODULES, *PROJECT_MODULES} == set()
    assert not set(COMMON_MODULES) & set(PROJECT_MODULES)


def test_the_command_runs_without_the_cyclic_collector_and_skips_the_plan_collection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    import aifactory.cli.app
    from aifactory.cli import entry
    from aifactory.performance import install_plan_gc

    seen: list[bool] = []
    monkeypatch.setattr(aifactory.cli.app, "main", lambda: seen.append(gc.isenabled()))
    collections: list[int] = []

    def collect(generation: int = 2) -> int:
        collections.append(generation)
        return 0

    monkeypatch.setattr(gc, "collect", collect)
    was_enabled, thresholds = gc.isenabled(), gc.get_threshold()
    try:
        gc.enable()
        entry.main()
        assert seen == [False]
        install_plan_gc()
        assert collections == []
        gc.enable()
        install_plan_gc()
        assert collections == [2]
    finally:
        gc.set_threshold(*thresholds)
        (gc.enable if was_enabled else gc.disable)()
