"""Test helpers: build configs and plans from small dicts, run programs under the offline mocks."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from aifactory.config.loader import FactoryConfig, load_factory_config
from aifactory.offline.runner import OfflineRun, run_offline
from aifactory.plan.factory import FactoryPlan, build_factory_plan

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
