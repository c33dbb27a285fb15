"""Lock placement: no resource the factory may delete on a day-2 change sits below a CanNotDelete lock."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from aifactory.offline.mocks import RecordedResource
from aifactory.policy.catalog import RULES_BY_ID
from aifactory.policy.engine import evaluate
from aifactory.policy.locks import lock_conflicts
from aifactory.policy.model import UNKNOWN, ResourceView
from aifactory.policy.types import LOCK
from tests.policy.cases import CONTEXT
from tests.stack.runs import shipped

GROUP = "/subscriptions/s/resourceGroups/rg"
ACCOUNT = f"{GROUP}/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-a"
DATABASE = f"{ACCOUNT}/sqlDatabases/memory"


@dataclass(frozen=True)
class _Resource:
    type: str
    name: str
    inputs: dict[str, Any] = field(default_factory=dict)
    protect: bool = False
    parent: str = ""

    @property
    def urn(self) -> str:
        return f"urn:{self.name}"


def _lock(name: str, target: _Resource, scope: str) -> _Resource:
    return _Resource(LOCK, f"{name}-lock", {"scope": scope}, protect=True, parent=target.urn)


_account = _Resource(
    "azure-native:cosmosdb:DatabaseAccount", "cosmos", {"resourceGroupName": "rg", "accountName": "cosmos-a"}, True
)
_database = _Resource(
    "azure-native:cosmosdb:SqlResourceSqlDatabase",
    "cosmos-memory",
    {"resourceGroupName": "rg", "accountName": "cosmos-a", "databaseName": "memory"},
    protect=True,
)
_day2 = [
    _Resource("azure-native:authorization:RoleAssignment", "ra-member", {"scope": ACCOUNT}),
    _Resource("azure-native:monitor:DiagnosticSetting", "cosmos-diag", {"resourceUri": ACCOUNT}),
    _Resource(
        "azure-native:network:PrivateEndpoint",
        "cosmos-pe",
        {"privateLinkServiceConnections": [{"privateLinkServiceId": ACCOUNT, "groupIds": ["Sql"]}]},
    ),
    _Resource(
        "azure-native:cosmosdb:SqlResourceSqlRoleAssignment",
        "cosmos-ra-member",
        {"resourceGroupName": "rg", "accountName": "cosmos-a", "roleAssignmentId": "1", "scope": DATABASE},
    ),
]
_store = _Resource(
    "azure-native:storage:StorageAccount", "st", {"resourceGroupName": "rg", "accountName": "st"}, protect=True
)
STORE = f"{GROUP}/providers/Microsoft.Storage/storageAccounts/st"
_blob_service = _Resource(
    "azure-native:storage:BlobServiceProperties",
    "st-blob",
    {"resourceGroupName": "rg", "accountName": "st", "blobServicesName": "default"},
)


def test_a_lock_on_the_account_holds_every_grant_endpoint_and_setting_below_it() -> None:
    resources = [_account, _database, *_day2, _lock("cosmos", _account, ACCOUNT)]
    found = {c.resource: c.via for c in lock_conflicts(resources)}
    assert found == {
        "ra-member": "an extension resource at its scope",
        "cosmos-diag": "an extension resource at its resourceUri",
        "cosmos-pe": "its connection below the target",
        "cosmos-ra-member": "a child resource",
    }
    assert all("ScopeLocked" in c.message() for c in lock_conflicts(resources))


def test_a_lock_on_the_database_leaves_the_account_s_day2_resources_free() -> None:
    resources = [_account, _database, *_day2, _lock("cosmos-memory", _database, DATABASE)]
    assert lock_conflicts(resources) == []


def test_an_unprotected_child_of_a_locked_resource_is_a_conflict_and_a_protected_one_is_not() -> None:
    locked = _lock("st", _store, STORE)
    assert [c.resource for c in lock_conflicts([_store, _blob_service, locked])] == ["st-blob"]
    assert lock_conflicts([_store, replace(_blob_service, protect=True), locked]) == []


def test_extension_resources_below_a_sub_resource_of_the_locked_scope_are_held_too() -> None:
    blob_diag = _Resource(
        "azure-native:monitor:DiagnosticSetting", "st-blob-diag", {"resourceUri": f"{STORE}/blobServices/default"}
    )
    sibling = _Resource("azure-native:monitor:DiagnosticSetting", "st2-diag", {"resourceUri": f"{STORE}2"})
    conflicts = lock_conflicts([_store, blob_diag, sibling, _lock("st", _store, STORE)])
    assert [c.resource for c in conflicts] == ["st-blob-diag"]


@pytest.mark.parametrize("stack", ["stage", "prod"])
def test_the_shipped_locks_hold_nothing_the_factory_deletes_on_a_day2_change(stack: str) -> None:
    resources = shipped(stack).run.resources
    locks = [r for r in resources if r.type == LOCK]
    assert {r.name for r in locks} >= {"common-datalake-filesystem-lock", "p003-cosmos-enterprise_memory-lock"}
    assert lock_conflicts(resources) == []


@pytest.mark.parametrize("stack", ["stage", "prod"])
def test_the_check_is_not_vacuous_on_the_shipped_plans(stack: str) -> None:
    """Locking the Cosmos account, the lake account or a project Key Vault instead would hold a member's
    grants, an endpoint and diagnostics: the check sees it on the real plans."""
    resources = shipped(stack).run.resources
    by_name = {r.name: r for r in resources}
    for name, attachment in (
        ("p003-cosmos", "p003-cosmos"),
        ("common-datalake-account", "common-datalake"),
        ("p001-kv", "p001-kv"),
    ):
        target = by_name[name]
        scope = str(by_name[f"{attachment}-diag"].inputs["resourceUri"])  # the target's (mocked) id
        lock = RecordedResource(
            f"urn:{name}-lock", LOCK, f"{name}-lock", {"scope": scope}, True, None, target.urn, protect=True
        )
        kinds = {c.type for c in lock_conflicts([*resources, lock]) if c.lock == f"{name}-lock"}
        assert {
            "azure-native:authorization:RoleAssignment",
            "azure-native:network:PrivateEndpoint",
            "azure-native:monitor:DiagnosticSetting",
        } <= kinds, name


def _view(resource: _Resource) -> ResourceView:
    return ResourceView(
        resource.type, resource.name, resource.urn, resource.parent, resource.inputs, protect=resource.protect
    )


def test_the_guardrail_fails_an_unprotected_resource_below_a_lock_and_passes_a_protected_one() -> None:
    rule = [RULES_BY_ID["AIF-LOCK-PLACEMENT"]]
    grant = _Resource("azure-native:authorization:RoleAssignment", "p001-ra-member", {"scope": ACCOUNT})
    locked = [_account, _database, _lock("cosmos", _account, ACCOUNT)]
    report = evaluate([_view(r) for r in (*locked, grant)], CONTEXT, rule)
    assert report.failed
    assert [(v.rule, v.name, v.severity) for v in report.violations] == [
        ("AIF-LOCK-PLACEMENT", "p001-ra-member", "mandatory")
    ]
    assert "ScopeLocked" in report.violations[0].message
    assert not evaluate([_view(r) for r in (*locked, replace(grant, protect=True))], CONTEXT, rule).violations


def test_the_guardrail_does_not_judge_what_a_preview_does_not_know_yet() -> None:
    endpoint = _Resource("azure-native:network:PrivateEndpoint", "p001-pe", {"privateLinkServiceConnections": UNKNOWN})
    unknown_lock = _Resource(LOCK, "cosmos-lock", {"scope": UNKNOWN}, protect=True, parent=_account.urn)
    views = [_view(r) for r in (_account, endpoint, _lock("cosmos", _account, ACCOUNT), unknown_lock)]
    assert evaluate(views, CONTEXT, [RULES_BY_ID["AIF-LOCK-PLACEMENT"]]).violations == ()
