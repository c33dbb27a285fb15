"""The guardrails of the data and app services where their definitions branch beyond one failing change."""

from __future__ import annotations

from aifactory.policy import types as rt
from aifactory.policy.catalog import RULES_BY_ID
from aifactory.policy.engine import evaluate
from aifactory.policy.model import UNKNOWN, ResourceRule
from tests.policy.cases import BASELINES, CONTEXT, FUNCTION_APP, mutated, view


def _rule(rule_id: str) -> ResourceRule:
    rule = RULES_BY_ID[rule_id]
    assert isinstance(rule, ResourceRule)
    return rule


def _transport_violations(*configured: tuple[str, str]) -> list[str]:
    server = view(rt.POSTGRESQL_SERVER, BASELINES[rt.POSTGRESQL_SERVER], name="p001-psql")
    other = view(rt.POSTGRESQL_SERVER, BASELINES[rt.POSTGRESQL_SERVER], name="p002-psql")
    children = [
        view(
            rt.POSTGRESQL_CONFIGURATION,
            {"configurationName": name, "value": "on"},
            name=f"{parent.name}-{name}",
            parent=parent.urn,
        )
        for parent, name in ((server if owner == "p001" else other, name) for owner, name in configured)
    ]
    report = evaluate([server, other, *children], CONTEXT, [RULES_BY_ID["AIF-POSTGRESQL-SECURE-TRANSPORT"]])
    return sorted(v.name for v in report.violations)


def test_a_postgresql_server_pins_both_transport_parameters_as_its_own_children() -> None:
    both = [("p001", "require_secure_transport"), ("p001", "ssl_min_protocol_version")]
    assert (
        _transport_violations(*both, ("p002", "require_secure_transport"), ("p002", "ssl_min_protocol_version")) == []
    )
    assert _transport_violations(*both) == ["p002-psql"], "another server's parameters do not count"
    assert _transport_violations(("p001", "require_secure_transport")) == ["p001-psql", "p002-psql"]


def test_keyless_function_apps_are_judged_only_as_function_apps() -> None:
    local_auth = _rule("AIF-LOCAL-AUTH")
    web = mutated(BASELINES[rt.WEB_APP], {"siteConfig.appSettings": [{"name": "AzureWebJobsStorage", "value": "x"}]})
    assert local_auth.evaluate(view(rt.WEB_APP, web), CONTEXT) == [], "a web app has no host storage"
    unknown = mutated(FUNCTION_APP, {"siteConfig.appSettings": UNKNOWN})
    assert local_auth.evaluate(view(rt.WEB_APP, unknown), CONTEXT) == [], "unknown settings are never judged"
    without_aad = mutated(
        FUNCTION_APP,
        {
            "siteConfig.appSettings": [
                {"name": "AzureWebJobsStorage__credential", "value": "managedidentity"},
                {"name": "APPLICATIONINSIGHTS_CONNECTION_STRING", "value": "InstrumentationKey=x"},
            ]
        },
    )
    (message,) = local_auth.evaluate(view(rt.WEB_APP, without_aad), CONTEXT)
    assert "APPLICATIONINSIGHTS_AUTHENTICATION_STRING" in message


def test_alz_function_app_members_skip_logic_apps_and_web_apps() -> None:
    for rule_id in ("ALZ-DENY-PUBLIC-PAAS-FUNCTION-APP", "ALZ-FUNCTION-APP-HTTPS"):
        rule = _rule(rule_id)
        logic = mutated(FUNCTION_APP, {"kind": "functionapp,workflowapp", "publicNetworkAccess": "Enabled"})
        assert rule.evaluate(view(rt.WEB_APP, mutated(logic, {"httpsOnly": False})), CONTEXT) == [], rule_id
        web = mutated(BASELINES[rt.WEB_APP], {"publicNetworkAccess": "Enabled", "httpsOnly": False})
        assert rule.evaluate(view(rt.WEB_APP, web), CONTEXT) == [], rule_id


def test_a_vnet_injected_postgresql_server_with_subnet_and_zone_passes_alz() -> None:
    injected = mutated(
        BASELINES[rt.POSTGRESQL_SERVER],
        {
            "network.delegatedSubnetResourceId": "/subscriptions/x/subnets/snet-psql",
            "network.privateDnsZoneArmResourceId": "/subscriptions/x/privateDnsZones/p.postgres.database.azure.com",
            "network.publicNetworkAccess": "Disabled",
        },
    )
    assert _rule("ALZ-DENY-PUBLIC-PAAS-POSTGRESQL-FLEX").evaluate(view(rt.POSTGRESQL_SERVER, injected), CONTEXT) == []
    absent = mutated(BASELINES[rt.POSTGRESQL_SERVER], {"network": {}})
    assert _rule("ALZ-DENY-PUBLIC-PAAS-POSTGRESQL-FLEX").evaluate(view(rt.POSTGRESQL_SERVER, absent), CONTEXT) == []
    assert _rule("AIF-PUBLIC-NETWORK").evaluate(view(rt.POSTGRESQL_SERVER, absent), CONTEXT), (
        "the factory's own rule wants the Disabled it relies on, where ALZ only denies an open one"
    )


def test_sql_tls_follows_alz_and_the_product_rule_is_stricter() -> None:
    alz, product = _rule("ALZ-SQL-TLS"), _rule("AIF-TLS12")
    newer = view(rt.SQL_SERVER, mutated(BASELINES[rt.SQL_SERVER], {"minimalTlsVersion": "1.3"}))
    assert alz.evaluate(newer, CONTEXT) == product.evaluate(newer, CONTEXT) == []
    none = view(rt.SQL_SERVER, mutated(BASELINES[rt.SQL_SERVER], {"minimalTlsVersion": "None"}))
    assert alz.evaluate(none, CONTEXT) == [], "'None' is not a version less than 1.2"
    assert product.evaluate(none, CONTEXT)


def test_a_restore_is_not_judged_as_a_create_without_entra_only() -> None:
    restore = mutated(BASELINES[rt.SQL_SERVER], {"createMode": "Restore", "administrators": {}})
    assert _rule("ALZ-SQL-ENTRA-ONLY-ON-CREATE").evaluate(view(rt.SQL_SERVER, restore), CONTEXT) == []
