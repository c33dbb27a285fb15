"""ServiceSite: one place applies endpoints, diagnostics, locks and scopes; it refuses incomplete services.

These use the real plan of one project and swap one declaration for a deliberately broken copy
(a build that forgets what its declaration promises), as a future service module could.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi_azure_native import keyvault

from aifactory.components.base import FactoryComponent
from aifactory.components.service_site import ServiceSite
from aifactory.plan.factory import FactoryPlan
from aifactory.services import registry
from aifactory.services.context import ServiceContext
from aifactory.services.key_vault import KEY_VAULT
from aifactory.services.model import Built
from aifactory.services.storage import STORAGE
from tests.support import factory_plan, project, run_program

VAULT = "azure-native:keyvault:Vault"
LOCK = "azure-native:authorization:ManagementLockByScope"


def _vault(ctx: ServiceContext) -> keyvault.Vault:
    return keyvault.Vault(
        ctx.service.logical_name,
        resource_group_name=ctx.resource_group_name,
        properties=keyvault.VaultPropertiesArgs(
            tenant_id="t", sku=keyvault.SkuArgs(family=keyvault.SkuFamily.A, name=keyvault.SkuName.STANDARD)
        ),
        opts=ctx.options(),
    )


def _site_program(plan: FactoryPlan, workspace: str | None = "/workspaces/log", times: int = 1, **planned: Any) -> None:
    """Deploy project 7's Key Vault on a site; ``planned`` replaces fields of its planned instance."""

    class Site(FactoryComponent):
        def __init__(self) -> None:
            super().__init__("aifactory:test:Site", "site")
            site = ServiceSite(
                plan=plan,
                parent=self,
                resource_group_name="rg",
                tags={"t": "1"},
                subscription_id="s",
                subnet_ids={"private_endpoints": "/subnets/pe"},
                zone_ids={"privatelink.vaultcore.azure.net": "/zones/kv"},
                workspace_id=workspace,
            )
            service = dataclasses.replace(plan.project(7).service("key_vault"), **planned)
            for _ in range(times):
                site.deploy(service)
            site.check_complete([service])
            assert site.get(KEY_VAULT) is site.deployed["key_vault"]
            with pytest.raises(TypeError, match="key_vault is a key_vault, not a storage"):
                site.get(STORAGE, "key_vault")
            pulumi.export("scopes", site.scopes)
            self.register_outputs({})

    Site()


@pytest.fixture
def plan(tmp_path: Path) -> FactoryPlan:
    return factory_plan(tmp_path, [project(7, "fraud", "esml")], environment="stage")


def _swap(monkeypatch: pytest.MonkeyPatch, **changes: Any) -> None:
    broken = dataclasses.replace(KEY_VAULT, **changes)
    monkeypatch.setattr(registry, "_BY_NAME", {**registry._BY_NAME, "key_vault": broken})


def test_the_site_applies_endpoints_diagnostics_lock_and_scope(plan: FactoryPlan) -> None:
    run = run_program(lambda: _site_program(plan, lifecycle="protect_lock"), stack="stage")
    (vault,) = run.of_type(VAULT)
    assert vault.protect  # stage: the protect_lock lifecycle, through ctx.options()
    assert vault.inputs["tags"] == {"t": "1"}
    assert vault.inputs["properties"]["publicNetworkAccess"] == "Disabled"
    children = {r.type: r for r in run.resources if r.parent == vault.urn}
    assert children["azure-native:authorization:ManagementLockByScope"].name == "p007-kv-lock"
    assert children["azure-native:monitor:DiagnosticSetting"].name == "p007-kv-diag"
    assert children["aifactory:network:PrivateEndpointSet"].name == "p007-key_vault-pe"
    (endpoint,) = run.of_type("azure-native:network:PrivateEndpoint")
    assert endpoint.inputs["privateLinkServiceConnections"][0]["groupIds"] == ["vault"]
    assert set(run.outputs["scopes"]) == {"p007/key_vault"}


def test_a_declared_key_vault_is_protected_but_not_locked(plan: FactoryPlan) -> None:
    run = run_program(lambda: _site_program(plan), stack="stage")
    (vault,) = run.of_type(VAULT)
    assert vault.protect
    assert run.of_type(LOCK) == []  # a lock would hold the role assignments at its scope


def test_a_lock_goes_on_the_children_that_hold_the_data(plan: FactoryPlan, monkeypatch: pytest.MonkeyPatch) -> None:
    def build(ctx: ServiceContext, _settings: object) -> Built[keyvault.Vault]:
        vault = _vault(ctx)
        key = keyvault.Key("p007-kv-key", resource_group_name="rg", vault_name="kv", key_name="k",
                           properties=keyvault.KeyPropertiesArgs(kty="RSA"), opts=ctx.protected(vault))  # fmt: skip
        return Built(resource=vault, data={"key": key})

    _swap(monkeypatch, build=build)
    run = run_program(lambda: _site_program(plan, lifecycle="protect_lock"), stack="stage")
    (vault,) = run.of_type(VAULT)
    (key,) = run.of_type("azure-native:keyvault:Key")
    (lock,) = run.of_type(LOCK)
    assert (lock.name, lock.parent, lock.protect) == ("p007-kv-key-lock", key.urn, True)
    assert vault.protect and key.protect
    assert lock.inputs["scope"] == key.id


def test_while_decommissioning_the_instance_and_its_lock_are_unprotected(plan: FactoryPlan) -> None:
    run = run_program(lambda: _site_program(plan, lifecycle="protect_lock", decommissioning=True), stack="stage")
    (vault,) = run.of_type(VAULT)
    (lock,) = run.of_type(LOCK)
    assert not vault.protect
    assert not lock.protect  # the run that removes the project deletes the lock first, then the vault


def test_a_build_that_leaves_out_a_declared_child_is_refused(
    plan: FactoryPlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    _swap(
        monkeypatch,
        child_diagnostics={"pip": KEY_VAULT.diagnostics},
        build=lambda ctx, _settings: Built(resource=_vault(ctx)),
    )
    with pytest.raises(RuntimeError, match=r"key_vault declares diagnostics for \['pip'\], built \[\]"):
        run_program(lambda: _site_program(plan), stack="stage")


def test_a_build_that_leaves_out_a_declared_scope_is_refused(
    plan: FactoryPlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    _swap(monkeypatch, extra_scopes=("key_vault_keys",), build=lambda ctx, _settings: Built(resource=_vault(ctx)))
    with pytest.raises(RuntimeError, match=r"declares the scopes \['key_vault_keys'\] but its build returned \[\]"):
        run_program(lambda: _site_program(plan), stack="stage")


def test_diagnostics_need_a_workspace(plan: FactoryPlan, monkeypatch: pytest.MonkeyPatch) -> None:
    _swap(monkeypatch, build=lambda ctx, _settings: Built(resource=_vault(ctx)))
    with pytest.raises(RuntimeError, match="no Log Analytics workspace for the diagnostics of key_vault"):
        run_program(lambda: _site_program(plan, workspace=None), stack="stage")


def test_an_instance_is_built_once(plan: FactoryPlan) -> None:
    with pytest.raises(RuntimeError, match="p007: key_vault is built twice"):
        run_program(lambda: _site_program(plan, times=2), stack="stage")
