"""Small plan documents for the diff engine's tests, shaped like ``aifactory plan --out`` writes them."""

from __future__ import annotations

import copy
from typing import Any

STORAGE = "azure-native:storage:StorageAccount"
NSG = "azure-native:network:NetworkSecurityGroup"
VAULT = "azure-native:keyvault:Vault"


def resource(
    name: str,
    type_: str = STORAGE,
    *,
    workload: str = "p001",
    parent_type: str = "aifactory:baseline:ProjectBaseline",
    protect: bool = False,
    dependencies: tuple[str, ...] = (),
    ignore_changes: tuple[str, ...] = (),
    custom: bool = True,
    **inputs: Any,
) -> dict[str, Any]:
    return {
        "urn": f"urn:pulumi:stage::aifactory::{parent_type}${type_}::{name}",
        "type": type_,
        "name": name,
        "workload": workload,
        "parent": f"urn:pulumi:stage::aifactory::{parent_type}::{workload}-baseline",
        "custom": custom,
        "protect": protect,
        "dependencies": list(dependencies),
        "ignore_changes": list(ignore_changes),
        "inputs": inputs,
    }


def storage(workload: str = "p001", **overrides: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "accountName": f"stacme{workload}stage",
        "resourceGroupName": f"rg-acme-{workload}-stage",
        "location": "swedencentral",
        "isHnsEnabled": False,
        "networkRuleSet": {"defaultAction": "Deny", "bypass": "None"},
        "tags": {"cost-center": "CC-1", "owner": "team@contoso.com"},
    }
    inputs.update(overrides)
    return resource(f"{workload}-storage", workload=workload, **inputs)


def plan(*resources: dict[str, Any], environment: str = "stage") -> dict[str, Any]:
    return {"stack": environment, "environment": environment, "resources": [copy.deepcopy(r) for r in resources]}
