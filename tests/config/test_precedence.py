"""Precedence is a contract: model defaults < environment defaults < project YAML < overrides.<env>."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aifactory.config.loader import collect_projects
from aifactory.config.project import ProjectSpec
from aifactory.config.services import Aks, ComputeCluster
from aifactory.services.aks import AKS
from aifactory.services.machine_learning import MACHINE_LEARNING
from tests.support import project, write_project_files


def _resolved(tmp_path: Path, **fields: Any) -> dict[str, ProjectSpec]:
    write_project_files(tmp_path, [project(7, "fraud", **fields)])
    loaded, problems = collect_projects(tmp_path / "projects", tmp_path)
    assert problems == []
    return {str(env): spec for env, spec in loaded[0].by_environment.items()}


def _compute(spec: ProjectSpec) -> ComputeCluster:
    settings = spec.services.get(MACHINE_LEARNING)
    assert settings is not None
    return settings.compute


def test_environment_defaults_fill_unset_sizes(tmp_path: Path) -> None:
    specs = _resolved(tmp_path)
    dev, prod = _compute(specs["dev"]), _compute(specs["prod"])
    assert (dev.vm_size, dev.max_nodes) == ("Standard_DS3_v2", 2)
    assert (prod.vm_size, prod.max_nodes) == ("Standard_DS4_v2", 8)


def test_project_value_beats_environment_default(tmp_path: Path) -> None:
    specs = _resolved(tmp_path, services={"machine_learning": {"compute": {"max_nodes": 3}}})
    assert all(_compute(s).max_nodes == 3 for s in specs.values())


def test_override_beats_project_value_only_in_its_environment(tmp_path: Path) -> None:
    specs = _resolved(
        tmp_path,
        services={"machine_learning": {"compute": {"max_nodes": 3, "vm_size": "Standard_DS3_v2"}}},
        overrides={"prod": {"services": {"machine_learning": {"compute": {"max_nodes": 12}}}}},
    )
    assert _compute(specs["dev"]).max_nodes == 3
    prod = _compute(specs["prod"])
    assert (prod.max_nodes, prod.vm_size) == (12, "Standard_DS3_v2")


def test_override_can_turn_a_service_on_in_one_environment(tmp_path: Path) -> None:
    specs = _resolved(tmp_path, overrides={"prod": {"services": {"aks": {}}}})
    assert "aks" not in specs["dev"].enabled_services()
    assert "aks" in specs["prod"].enabled_services()
    aks = specs["prod"].services.get(AKS)
    assert isinstance(aks, Aks)
    assert aks.sku_tier == "Standard"


def test_override_lists_replace(tmp_path: Path) -> None:
    specs = _resolved(
        tmp_path,
        budget={"monthly_amount": 10, "thresholds": [50, 80, 100]},
        overrides={"prod": {"budget": {"thresholds": [100]}}},
    )
    assert specs["dev"].budget.thresholds == [50, 80, 100]
    assert specs["prod"].budget.thresholds == [100]
    assert specs["prod"].budget.monthly_amount == 10


def test_type_default_services_can_be_turned_off(tmp_path: Path) -> None:
    specs = _resolved(tmp_path, services={"machine_learning": {"enabled": False}, "data_factory": {}})
    assert specs["dev"].enabled_services() == frozenset({"data_factory", "container_registry"})
