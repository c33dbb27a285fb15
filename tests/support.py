"""Test helpers: build configs and plans from small dicts, run programs under the offline mocks."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

import pulumi
import pulumi_azure
import yaml

from aifactory.components.datalake import LakeRef
from aifactory.components.interfaces import CommonOutputs
from aifactory.config.loader import FactoryConfig, load_factory_config
from aifactory.offline.mocks import RecordedResource, deterministic_uuid
from aifactory.offline.report import workloads
from aifactory.offline.runner import OfflineRun, run_offline
from aifactory.offline.stack_run import StackPlan, run_stack
from aifactory.performance import register_alias_drop
from aifactory.plan.factory import FactoryPlan, build_factory_plan
from aifactory.plan.rbac.principals import LAKE_TRAVERSE_KEY

REPO = Path(__file__).resolve().parent.parent
SUBSCRIPTION = "6f1d2c3b-0000-4000-8000-00000000d001"
TENANT = "9a8b7c6d-0000-4000-8000-0000000000aa"

BASE_STACK: dict[str, Any] = {
    "environment": "dev",
    "location": "swedencentral",
    "prefix": "acme",
    "subscription_id": SUBSCRIPTION,
    "tenant_id": TENANT,
    "network": {"address_space": "172.20.0.0/14"},
    "core_team": {
        "platform_admins": [{"principal": "11111111-0000-4000-8000-000000000001"}],
        "data_ops": [{"principal": "11111111-0000-4000-8000-000000000002"}],
    },
}


def shipped_project_ids(environment: str) -> list[int]:
    """The ids of the shipped example projects that list ``environment``, read from ``projects/``.

    Tests that check a listing of the shipped stacks compare with this, so adding an example project
    does not mean editing them.
    """
    ids = []
    for path in sorted((REPO / "projects").glob("[0-9][0-9][0-9]-*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        if environment in spec["environments"]:
            ids.append(int(spec["id"]))
    return ids


def project(project_id: int, name: str, type_: str = "esml", **fields: Any) -> dict[str, Any]:
    """A valid project mapping; ``fields`` replace or add top-level keys."""
    spec: dict[str, Any] = {
        "id": project_id,
        "name": name,
        "type": type_,
        "cost_center": "CC-1",
        "owners": ["lead@contoso.com"],
        "budget": {"monthly_amount": 100},
        "environments": ["dev", "stage", "prod"],
        "members": [{"principal": "lead@contoso.com", "persona": "team-lead"}],
    }
    spec.update(fields)
    return spec


def stack_values(**overrides: Any) -> dict[str, Any]:
    """The base stack's ``aifactory:`` values with top-level ``overrides``."""
    values = copy.deepcopy(BASE_STACK)
    values.update(overrides)
    return values


def config_map(values: dict[str, Any]) -> dict[str, str]:
    """As the Pulumi engine passes config: namespaced keys, JSON-encoded structured values."""
    return {f"aifactory:{k}": v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}


def write_project_files(folder: Path, projects: Iterable[dict[str, Any]]) -> Path:
    """Write each project mapping to ``<folder>/projects/<id>-<name>.yaml``."""
    target = folder / "projects"
    target.mkdir(parents=True, exist_ok=True)
    for spec in projects:
        (target / f"{spec['id']:03d}-{spec['name']}.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    return folder


COMMENTED_PROJECT = """\
# yaml-language-server: $schema=../schemas/project.schema.json
id: 7
name: fraud
type: esml   # machine learning
cost_center: CC-1
owners: ["lead@contoso.com"]
budget:
  monthly_amount: 100  # per month
environments: [dev, stage, prod]
members:
  # the team
  - {principal: lead@contoso.com, persona: team-lead}
  - {principal: 2b3c4d5e-0000-4000-8000-000000000101, kind: group, persona: data-scientist}  # DS group
network:
  size: small   # small is enough
"""
"""Project 7 as a person writes it (comments, flow-style members): what member edits must keep intact."""

READER_LINE = "  - {principal: anna@contoso.com, persona: reader}  # until June\n"
"""A third member of :data:`COMMENTED_PROJECT`, with its own comment (see :func:`commented_project`)."""


def commented_project(*member_lines: str) -> str:
    """:data:`COMMENTED_PROJECT` with ``member_lines`` (each ending in a newline) after its last member."""
    head, network = COMMENTED_PROJECT.split("network:\n")
    return head + "".join(member_lines) + "network:\n" + network


def write_project_file(folder: Path, text: str, name: str = "007-fraud.yaml") -> Path:
    """Write ``text`` as ``<folder>/projects/<name>`` and return its path."""
    target = folder / "projects"
    target.mkdir(parents=True, exist_ok=True)
    path = target / name
    path.write_text(text)
    return path


def factory_config(folder: Path, projects: Iterable[dict[str, Any]], **stack_overrides: Any) -> FactoryConfig:
    """Validated config for ``projects`` under a stack built from the base and ``stack_overrides``."""
    write_project_files(folder, projects)
    values = stack_values(**stack_overrides)
    return load_factory_config(config_map(values), f"Pulumi.{values['environment']}.yaml", folder)


def factory_plan(folder: Path, projects: Iterable[dict[str, Any]], **stack_overrides: Any) -> FactoryPlan:
    """The full plan for ``projects`` (see :func:`factory_config`)."""
    return build_factory_plan(factory_config(folder, projects, **stack_overrides))


def run_program(program: Callable[[], object], stack: str = "dev", config: dict[str, str] | None = None) -> OfflineRun:
    """Run ``program`` under the offline mocks and return what it registered."""
    return run_offline(
        program, project="aifactory", stack=stack, config=config or {}, subscription_id=SUBSCRIPTION, tenant_id=TENANT
    )


def fake_common_outputs(plan: FactoryPlan) -> CommonOutputs:
    """What the common environment hands projects, as plain ids (subnets only for enabled services).

    Lets project components be tested without building the common part; call inside a program.
    """
    group = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-acme-common"
    vnets = {"common": f"{group}/providers/Microsoft.Network/virtualNetworks/vnet-common"}
    vnets.update(
        {s.key: f"{group}/providers/Microsoft.Network/virtualNetworks/vnet-{s.key}" for s in plan.ip_plan.shards}
    )
    out = pulumi.Output.from_input
    zones = {z: f"{group}/providers/Microsoft.Network/privateDnsZones/{z}" for z in plan.dns.zones_to_create}
    scopes = {
        "common/resource_group": group,
        "common/container_registry": f"{group}/providers/Microsoft.ContainerRegistry/registries/cracmecommon",
        "common/key_vault": f"{group}/providers/Microsoft.KeyVault/vaults/kv-acme-common",
        "common/datalake": f"{group}/providers/Microsoft.Storage/storageAccounts/stacmelake",
    }
    lake = LakeRef(
        account_id=out(scopes["common/datalake"]),
        account_name="stacmelake",
        filesystem_name=out("lake"),
        dfs_endpoint=out("https://stacmelake.dfs.core.windows.net/"),
        provider=pulumi_azure.Provider("common-lake-dataplane", storage_use_azuread=True),
        projects_folder=pulumi.ComponentResource("test:lake:Folder", "common-lake-projects"),
    )
    return CommonOutputs(
        resource_group_name=out("rg-acme-common"),
        log_analytics_workspace_id=out(f"{group}/providers/Microsoft.OperationalInsights/workspaces/log-acme"),
        container_registry_id=out(scopes["common/container_registry"]),
        container_registry_name="cracmecommon",
        key_vault_id=out(scopes["common/key_vault"]),
        lake=lake,
        subnet_ids={
            f"{p.key}/{s.key}": out(f"{vnets[p.network.vnet_key]}/subnets/{s.name}")
            for p in plan.projects
            for s in p.network.needed_subnets
        },
        vnet_ids={key: out(value) for key, value in vnets.items()},
        zone_ids={**zones, **plan.dns.existing_zone_ids},
        scopes=scopes,
        principals={LAKE_TRAVERSE_KEY: out(deterministic_uuid("group", LAKE_TRAVERSE_KEY))},
    )


def _projects_program(plan: FactoryPlan) -> None:
    from aifactory.components.projects import project_component

    register_alias_drop(keep_provider_aliases=False)
    common = fake_common_outputs(plan)
    for project_plan in plan.projects:
        base = project_component(plan, project_plan, common, pulumi.ResourceOptions()).baseline
        pulumi.export(f"{project_plan.key}-scopes", base.scopes)
        pulumi.export(f"{project_plan.key}-principals", base.principals)
        pulumi.export(f"{project_plan.key}-identity", base.identity.identity_id)


@dataclass(frozen=True)
class ProjectsRun:
    """Project components built under the mocks (without the common part), and who owns what."""

    plan: FactoryPlan
    run: OfflineRun
    owners: dict[str, str]

    def owned(self, key: str, type_token: str | None = None) -> list[RecordedResource]:
        return [
            r
            for r in self.run.resources
            if r.custom and self.owners[r.urn] == key and (type_token is None or r.type == type_token)
        ]

    def one(self, key: str, type_token: str) -> RecordedResource:
        found = self.owned(key, type_token)
        assert len(found) == 1, f"{key}: {len(found)} x {type_token}"
        return found[0]

    def output(self, name: str) -> Any:
        return self.run.outputs[name]

    def scopes(self, key: str) -> dict[str, str]:
        return dict(self.output(f"{key}-scopes"))

    def name(self, kind: Any, project_id: int, qualifier: str = "") -> str:
        """A project resource's Azure name, from the plan's namer."""
        spec = self.plan.project(project_id).spec
        return str(self.plan.namer.project(kind, spec.id, spec.name, qualifier))

    def subnet(self, project_id: int, key: str) -> str:
        return str(self.plan.project(project_id).network.subnet(key).name)


def run_projects(folder: Path, projects: list[dict[str, Any]], environment: str, **stack_overrides: Any) -> ProjectsRun:
    """Plan ``projects`` and build their components on :func:`fake_common_outputs`; each exports its
    ``<key>-scopes``, ``<key>-principals`` and ``<key>-identity``."""
    plan = factory_plan(folder, projects, environment=environment, **stack_overrides)
    result = run_program(partial(_projects_program, plan), stack=environment)
    return ProjectsRun(plan, result, workloads(result))


@cache
def shipped_stack(stack: str) -> StackPlan:
    """The offline run of a shipped stack (``Pulumi.<stack>.yaml`` with the example projects), once per session."""
    return run_stack(REPO, stack, jobs=2)


def load_benchmark() -> Any:
    """``benchmarks/plan_benchmark.py`` as a module: its project generator builds the large test fleets."""
    spec = importlib.util.spec_from_file_location("plan_benchmark", REPO / "benchmarks" / "plan_benchmark.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("plan_benchmark", module)
    spec.loader.exec_module(module)
    return module
