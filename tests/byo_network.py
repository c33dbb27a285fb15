"""Shared by the bring-your-own network tests: example projects, a network team's ids, a small repository."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from aifactory.plan.factory import FactoryPlan
from tests.support import BASE_STACK, REPO, SUBSCRIPTION, project, write_project_files

NETWORK_GROUP = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-corp-network/providers/Microsoft.Network"
ESML: dict[str, Any] = {"machine_learning": {}, "databricks": {}}
GENAI: dict[str, Any] = {"ai_foundry": {}, "ai_search": {}, "cosmos_db": {}}
PROJECTS = [project(7, "fraud", "esml", services=ESML), project(8, "copilot", "genai", services=GENAI)]
SHARED = {"bastion": True, "jump_host": True}


def vnet_id(key: str, group: str = NETWORK_GROUP) -> str:
    return f"{group}/virtualNetworks/vnet-corp-{key}"


def existing_for(plan: FactoryPlan, vnet_keys: tuple[str, ...] = ("common", "shard-01")) -> dict[str, Any]:
    """``aifactory:network.existing`` as a network team would write it after creating the plan's subnets."""
    ip_plan = plan.ip_plan
    subnets: dict[str, Any] = {}
    for vnet in ip_plan.vnets:
        if vnet.key not in vnet_keys:
            continue
        needed = (
            [("common", s) for s in ip_plan.common_subnets if s.needed]
            if vnet.key == "common"
            else [(p.key, s) for p in plan.projects if p.network.vnet_key == vnet.key for s in p.network.needed_subnets]
        )
        for workload, subnet in needed:
            name = subnet.name if subnet.name == "AzureBastionSubnet" else f"corp-{workload}-{subnet.key}"
            subnets[f"{workload}/{subnet.key}"] = {
                "id": f"{vnet_id(vnet.key)}/subnets/{name}",
                "address_prefix": subnet.cidr,
            }
    return {"vnets": {key: vnet_id(key) for key in vnet_keys}, "subnets": subnets}


def write_repo(folder: Path, network: dict[str, Any], layout: str = "single") -> Path:
    """A factory repository with the two example projects and a dev stack using ``network``."""
    shutil.copy(REPO / "Pulumi.yaml", folder / "Pulumi.yaml")
    shutil.copy(REPO / "__main__.py", folder / "__main__.py")
    write_project_files(folder, PROJECTS)
    config = {f"aifactory:{key}": value for key, value in BASE_STACK.items()}
    config["aifactory:network"] = network
    config["aifactory:shared_services"] = SHARED
    config["aifactory:layout"] = layout
    (folder / "Pulumi.dev.yaml").write_text(yaml.safe_dump({"config": config}, sort_keys=False))
    return folder
