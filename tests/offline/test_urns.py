"""Offline URNs are the engine's: the parent's whole type chain, without the root stack.

Plan files, diffs, `aifactory layout move-commands` and aliases written as URNs all speak of
resources by URN; they must be the URNs `pulumi preview` shows and `pulumi state` commands take.
"""

from __future__ import annotations

import pulumi

from aifactory.components.datalake import DATAPLANE_PROVIDER
from tests.support import run_program, shipped_stack


def test_a_nested_resource_is_named_by_its_parents_type_chain() -> None:
    def program() -> None:
        outer = pulumi.ComponentResource("acme:index:Outer", "outer")
        inner = pulumi.ComponentResource("acme:index:Inner", "inner", opts=pulumi.ResourceOptions(parent=outer))
        pulumi.CustomResource("acme:index:Leaf", "leaf", {}, opts=pulumi.ResourceOptions(parent=inner))

    run = run_program(program, stack="dev")
    urns = {r.name: r.urn for r in run.resources}
    assert urns["outer"] == "urn:pulumi:dev::aifactory::acme:index:Outer::outer"
    assert urns["inner"] == "urn:pulumi:dev::aifactory::acme:index:Outer$acme:index:Inner::inner"
    assert urns["leaf"] == "urn:pulumi:dev::aifactory::acme:index:Outer$acme:index:Inner$acme:index:Leaf::leaf"


def test_the_datalake_providers_alias_names_its_former_place_under_the_datalake() -> None:
    """The provider moved from the DataLake component to the root one; its alias is a URN string."""
    run = shipped_stack("dev").run
    lake = next(r for r in run.resources if r.type == "aifactory:datalake:DataLake")
    provider = run.named(DATAPLANE_PROVIDER)
    former = f"{lake.urn.rsplit('::', 1)[0]}$pulumi:providers:azure::{DATAPLANE_PROVIDER}"
    assert former in provider.aliases
    root = "urn:pulumi:dev::aifactory::aifactory:index:AIFactory"
    assert provider.urn == f"{root}$pulumi:providers:azure::{DATAPLANE_PROVIDER}"
