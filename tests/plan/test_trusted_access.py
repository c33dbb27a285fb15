"""Resource-instance rules and AI outbound allow-lists name exactly the project's own instances."""

from __future__ import annotations

from aifactory.plan.naming import Namer
from aifactory.plan.trusted_access import ai_outbound_fqdns, storage_trusted_instances
from aifactory.services.registry import ServiceName

NAMER = Namer(prefix="acme", environment="dev", region_code="sdc", seed="seed")
SUB = "6f1d2c3b-0000-4000-8000-00000000d001"
TENANT = "9a8b7c6d-0000-4000-8000-0000000000aa"


def test_storage_trusts_only_the_projects_own_ml_search_and_ai_instances() -> None:
    services: tuple[tuple[ServiceName, str], ...] = (
        ("storage", "stacmep001devsdcx"),
        ("key_vault", "kv-acme-p001-dev-x"),
        ("machine_learning", "mlw-acme-p001-churn-dev-sdc"),
        ("ai_search", "srch-acme-p001-churn-dev-sdc-x"),
        ("openai", "oai-acme-p001-churn-dev-sdc-x"),
    )
    rules = storage_trusted_instances(
        project_id=1, project_name="churn", services=services, subscription_id=SUB, tenant_id=TENANT, namer=NAMER
    )
    group = NAMER.project("resource_group", 1, "churn")
    assert [r.service for r in rules] == ["machine_learning", "ai_search", "openai"]  # no storage, no Key Vault
    assert rules[0].resource_id == (
        f"/subscriptions/{SUB}/resourceGroups/{group}/providers/"
        "Microsoft.MachineLearningServices/workspaces/mlw-acme-p001-churn-dev-sdc"
    )
    assert rules[2].resource_id.endswith(
        "/providers/Microsoft.CognitiveServices/accounts/oai-acme-p001-churn-dev-sdc-x"
    )
    assert all(r.tenant_id == TENANT and "*" not in r.resource_id for r in rules)


def test_a_project_without_trusted_clients_gets_no_rule() -> None:
    rules = storage_trusted_instances(
        project_id=2,
        project_name="lake",
        services=(("storage", "st2"), ("key_vault", "kv2")),
        subscription_id=SUB,
        tenant_id=TENANT,
        namer=NAMER,
    )
    assert rules == ()


def test_ai_accounts_may_call_only_the_projects_storage_search_and_cosmos() -> None:
    services: tuple[tuple[ServiceName, str], ...] = (
        ("storage", "st1"),
        ("key_vault", "kv1"),
        ("ai_search", "srch1"),
        ("cosmos_db", "cosmos1"),
    )
    assert ai_outbound_fqdns(services) == (
        "st1.blob.core.windows.net",
        "srch1.search.windows.net",
        "cosmos1.documents.azure.com",
    )
    assert ai_outbound_fqdns((("key_vault", "kv1"),)) == ()
