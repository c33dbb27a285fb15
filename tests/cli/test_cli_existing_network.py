"""The CLI with a brought network: ipam marks what is existing and lists the NSGs; a mismatch exits 1."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from aifactory.cli.app import app
from aifactory.cli.exits import ExitCode
from tests.byo_network import PROJECTS, SHARED, existing_for, write_repo
from tests.support import BASE_STACK, factory_plan

runner = CliRunner()
WIDE = {"COLUMNS": "240"}


def _folder(tmp_path: Path, mismatch: bool = False) -> Path:
    plan = factory_plan(tmp_path / "created", PROJECTS, shared_services=SHARED)
    existing = existing_for(plan)
    if mismatch:
        existing["subnets"]["p008/private_endpoints"]["address_prefix"] = "172.20.250.0/26"
    network = {"address_space": BASE_STACK["network"]["address_space"], "existing": existing}
    folder = tmp_path / "repo"
    folder.mkdir()
    return write_repo(folder, network)


def test_ipam_marks_brought_vnets_and_subnets_and_lists_the_nsgs_to_apply(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    table = runner.invoke(app, ["ipam", "dev", "-C", str(folder)], env=WIDE)
    assert table.exit_code == ExitCode.OK, table.output
    assert "common (existing)" in table.output and "shard-01 (existing)" in table.output
    assert "corp-p007-compute" in table.output and "existing" in table.output
    document = json.loads(runner.invoke(app, ["ipam", "dev", "--json", "-C", str(folder)]).stdout)
    assert document["vnets"][0]["existing_id"].endswith("/virtualNetworks/vnet-corp-common")
    compute = next(s for s in document["projects"]["7"]["subnets"] if s["key"] == "compute")
    assert compute["existing_id"].endswith("/subnets/corp-p007-compute")
    nsgs = {nsg["key"]: nsg for nsg in document["nsgs"]}
    assert "p007/compute" in nsgs["p007"]["subnets"]
    assert any(rule["name"] == "DenyAllInbound" for rule in nsgs["p007"]["rules"])


def test_validate_names_the_mismatching_subnet_and_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "-C", str(_folder(tmp_path, mismatch=True))], env=WIDE)
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "aifactory:network.existing.subnets.p008/private_endpoints.address_prefix" in result.output
    assert "172.20.250.0/26" in result.output
    assert "Traceback" not in result.output
