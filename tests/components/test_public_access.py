"""Public exceptions: only projects that list allow_ips open only their IP-firewalled services to only those ranges."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from aifactory.offline.mocks import RecordedResource
from aifactory.offline.report import workloads
from aifactory.offline.stack_run import run_stack
from aifactory.plan.public_access import PublicAccess, opened_services
from tests.support import REPO, project

OFFICE = "20.31.45.0/28"
PARTNER = "52.10.1.7/32"
GENAI_ALL: dict[str, Any] = {
    "ai_foundry": {},
    "ai_search": {},
    "cosmos_db": {},
    "web_app": {},
    "container_registry": {},
}


def _public(record: RecordedResource) -> str | None:
    value = record.inputs.get("publicNetworkAccess") or (record.inputs.get("properties") or {}).get(
        "publicNetworkAccess"
    )
    return str(value).lower() if value else None


def test_exception_opens_exactly_the_ip_firewalled_services(tmp_path: Path) -> None:
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py"):
        shutil.copy(REPO / name, tmp_path / name)
    (tmp_path / "projects").mkdir()
    open_project = project(21, "partner-portal", "genai", services=GENAI_ALL, environments=["dev"])
    open_project["network"] = {"allow_ips": [OFFICE, PARTNER]}
    closed = project(22, "internal-only", "esml", services={"machine_learning": {}, "data_factory": {}})
    for spec in (open_project, closed):
        (tmp_path / "projects" / f"{spec['id']:03d}-{spec['name']}.yaml").write_text(yaml.safe_dump(spec))
    run = run_stack(tmp_path, "dev").run
    owners = workloads(run)
    opened = {(owners[r.urn], r.type) for r in run.resources if r.custom and _public(r) == "enabled"}
    assert opened == {
        ("p021", "azure-native:storage:StorageAccount"),
        ("p021", "azure-native:keyvault:Vault"),
        ("p021", "azure-native:containerregistry:Registry"),
        ("p021", "azure-native:cognitiveservices:Account"),
        ("p021", "azure-native:search:Service"),
        ("p021", "azure-native:cosmosdb:DatabaseAccount"),
        ("p021", "azure-native:web:WebApp"),
    }

    def one(type_token: str) -> dict[str, Any]:
        [found] = [r for r in run.of_type(type_token) if owners[r.urn] == "p021"]
        return found.inputs

    account = one("azure-native:storage:StorageAccount")["networkRuleSet"]
    assert account["defaultAction"] == "Deny"
    assert [r["iPAddressOrRange"] for r in account["ipRules"]] == [OFFICE, "52.10.1.7"]
    vault = one("azure-native:keyvault:Vault")["properties"]["networkAcls"]
    assert [r["value"] for r in vault["ipRules"]] == [OFFICE, PARTNER]
    assert [r["ipAddressOrRange"] for r in one("azure-native:cosmosdb:DatabaseAccount")["ipRules"]] == [
        OFFICE,
        PARTNER,
    ]
    site = one("azure-native:web:WebApp")["siteConfig"]
    assert site["ipSecurityRestrictionsDefaultAction"] == "Deny"
    assert [r["ipAddress"] for r in site["ipSecurityRestrictions"]] == [OFFICE, PARTNER]
    others = [r for r in run.resources if r.custom and owners[r.urn] != "p021"]
    assert any(owners[r.urn] == "p022" for r in others)
    for record in others:
        assert _public(record) in (None, "disabled"), record.name


def test_plan_names_what_an_exception_opens() -> None:
    from aifactory.config.project import ProjectSpec

    spec = ProjectSpec.model_validate(
        {**project(21, "partner-portal", "genai", services=GENAI_ALL), "network": {"allow_ips": [OFFICE]}}
    )
    assert opened_services(spec) == (
        "storage",
        "key_vault",
        "container_registry",
        "ai_foundry",
        "ai_search",
        "cosmos_db",
        "web_app",
    )
    assert opened_services(ProjectSpec.model_validate(project(22, "internal-only"))) == ()
    assert PublicAccess((PARTNER, "52.10.1.8/31")).storage_rules == ("52.10.1.7", "52.10.1.8", "52.10.1.9")
