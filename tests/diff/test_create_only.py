"""The create-only table covers every type the factory creates and agrees with the installed SDKs.

The table is hand-written from the provider sources (see ``aifactory/catalog/create_only.py``);
these tests keep it honest: a new resource type, a renamed input, a provider upgrade that moves
the REST API version or adds a Terraform ``ForceNew`` input fails here until the table is reviewed.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from functools import cache

import pytest

from aifactory.catalog.create_only import CREATE_ONLY, CreateOnlyInput, create_only_input
from tests.stack.test_stacks import STACKS, _stack

_API_VERSION = re.compile(r"Uses Azure REST API version ([0-9a-z-]+)")
_PARAM = re.compile(r":param [^\n]*?\] (\w+): ((?:.|\n(?!:param))*)")


def _args_class(type_token: str) -> type:
    """The installed SDK's argument class of a resource type (``XxxInitArgs`` where ``XxxArgs`` is taken)."""
    package, module, name = type_token.split(":")
    if type_token.startswith("pulumi:providers:"):
        package, module, name = name, "index", "Provider"
    roots = {"azure-native": "pulumi_azure_native", "azure": "pulumi_azure", "azuread": "pulumi_azuread"}
    namespace = module.split("/", 1)[0]
    owner = importlib.import_module(roots[package] + ("" if namespace == "index" else f".{namespace}"))
    defined_in = sys.modules[getattr(owner, name).__module__]
    found = getattr(defined_in, f"{name}InitArgs", None) or getattr(defined_in, f"{name}Args")
    assert isinstance(found, type)
    return found


@cache
def _inputs(type_token: str) -> dict[str, str]:
    """Python name -> wire (plan file) name of every input of the installed SDK's type."""
    members = inspect.getmembers(_args_class(type_token), lambda m: isinstance(m, property))
    return {name: getattr(prop.fget, "_pulumi_name", name) for name, prop in members}


def test_every_custom_resource_type_of_the_shipped_plans_has_an_entry() -> None:
    planned = {r.type for stack in STACKS for r in _stack(stack).run.resources if r.custom}
    assert planned, "the shipped stacks plan no resources"
    missing = sorted(planned - CREATE_ONLY.keys())
    assert not missing, f"add these types to aifactory/catalog/create_only.py, with sources: {missing}"


def test_a_type_without_create_only_inputs_says_why() -> None:
    bare = [t for t, rules in CREATE_ONLY.items() if not rules.inputs]
    assert "pulumi:pulumi:StackReference" in bare
    assert [t for t in bare if not CREATE_ONLY[t].note] == []


@pytest.mark.parametrize("type_token", sorted(t for t, rules in CREATE_ONLY.items() if rules.inputs))
def test_every_path_starts_with_an_input_of_the_installed_sdk(type_token: str) -> None:
    inputs = set(_inputs(type_token).values())
    unknown = [i.path for i in CREATE_ONLY[type_token].inputs if i.segments[0] not in inputs]
    assert not unknown, f"{type_token} has no inputs {unknown}"


@pytest.mark.parametrize("type_token", sorted(t for t in CREATE_ONLY if t.startswith("azure-native:")))
def test_azure_native_entries_name_the_rest_api_version_of_the_installed_sdk(type_token: str) -> None:
    args = _args_class(type_token)
    source = inspect.getsource(importlib.import_module(args.__module__))
    found = _API_VERSION.search(source)
    assert found, type_token
    assert CREATE_ONLY[type_token].api_version == found.group(1), (
        f"{type_token} now uses {found.group(1)}: re-check its create-only inputs against that API version"
    )


def test_every_azure_native_type_with_a_location_lists_it() -> None:
    located = [t for t in CREATE_ONLY if t.startswith("azure-native:") and "location" in _inputs(t).values()]
    assert located
    missing = [t for t in located if "location" not in {i.path for i in CREATE_ONLY[t].inputs}]
    assert not missing, f"a location is set at creation (ARM RPC-Put-V1-14); list it for {missing}"


@pytest.mark.parametrize("type_token", sorted(t for t in CREATE_ONLY if t.split(":")[0] in ("azure", "azuread")))
def test_bridged_inputs_that_force_a_new_resource_are_all_listed(type_token: str) -> None:
    doc = inspect.getdoc(vars(_args_class(type_token))["__init__"]) or ""
    wire = _inputs(type_token)
    forcing = {wire.get(m.group(1), m.group(1)) for m in _PARAM.finditer(doc) if "forces a new resource" in m.group(2)}
    listed = {i.path for i in CREATE_ONLY[type_token].inputs}
    assert forcing <= listed, f"{type_token}: the SDK says {sorted(forcing - listed)} force a new resource"


def test_lookup_covers_nested_paths_and_only_listed_ones() -> None:
    cluster = "azure-native:containerservice:ManagedCluster"
    pod_cidr = create_only_input(cluster, ("networkProfile", "podCidr"))
    assert pod_cidr is not None and pod_cidr.effect == "replace"
    assert create_only_input(cluster, ("networkProfile", "loadBalancerProfile", "idleTimeoutInMinutes")) is None
    assert create_only_input(cluster, ("location",)) is not None
    storage = "azure-native:storage:StorageAccount"
    assert create_only_input(storage, ("networkRuleSet", "defaultAction")) is None
    identity = create_only_input(storage, ("accountName",))
    assert identity is not None and identity.effect == "identity"
    assert create_only_input("azure-native:cache:Redis", ("location",)) is None  # a type the factory never creates


def test_list_wildcards_match_any_index() -> None:
    entry = CreateOnlyInput("agentPoolProfiles[].vmSize", "rejected", "example")
    assert entry.segments == ("agentPoolProfiles", "[]", "vmSize")
