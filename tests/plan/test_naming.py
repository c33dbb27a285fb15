"""Names: every kind within its Azure limits for long prefixes and slugs; deterministic suffixes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aifactory.catalog.naming_rules import NAMING_RULES, ResourceKind
from aifactory.config.types import EnvironmentName
from aifactory.plan.naming import (
    DEPLOYMENT_NAME_MAX,
    Namer,
    NamingError,
    Workload,
    child_name,
    stable_suffix,
    subnet_name,
    suffixed_name,
)

SEED = "6f1d2c3b-0000-4000-8000-00000000d001"
CHARSETS = {
    "alnum": re.compile(r"^[A-Za-z0-9]+$"),
    "lower_alnum": re.compile(r"^[a-z0-9]+$"),
    "hyphen": re.compile(r"^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*$"),
    "lower_hyphen": re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"),
}
LONG_SLUG = "an-extremely-long-project-name-for-tests"


def _assert_valid(kind: ResourceKind, name: str) -> None:
    rule = NAMING_RULES[kind]
    assert rule.min_length <= len(name) <= rule.max_length, (kind, name, len(name))
    assert CHARSETS[rule.charset].match(name), (kind, name)


@pytest.mark.parametrize("kind", sorted(NAMING_RULES))
@pytest.mark.parametrize("environment", ["dev", "stage", "prod"])
def test_every_kind_fits_with_the_longest_inputs(kind: ResourceKind, environment: EnvironmentName) -> None:
    namer = Namer("abcdefgh", environment, "uaec", SEED)
    for qualifier in ("", "ml", "adm"):
        _assert_valid(kind, namer.project(kind, 999, LONG_SLUG, qualifier))
        _assert_valid(kind, namer.common(kind, qualifier))


def test_readable_names_when_there_is_room() -> None:
    namer = Namer("acme", "dev", "sdc", SEED)
    assert namer.project("resource_group", 7, "fraud-detection") == "rg-acme-p007-fraud-detection-dev-sdc"
    assert namer.common("virtual_network") == "vnet-acme-common-dev-sdc"
    assert namer.project("machine_learning_workspace", 7, "fraud-detection") == "mlw-acme-p007-fraud-detec-dev-sdc"


def test_globally_unique_kinds_get_a_stable_suffix() -> None:
    namer = Namer("acme", "dev", "sdc", SEED)
    storage = namer.project("storage_account", 7, "fraud-detection")
    assert storage == namer.project("storage_account", 7, "fraud-detection")
    assert storage.endswith(stable_suffix(SEED, "dev", "p007", "storage_account", ""))
    assert storage.startswith("stacmep007")
    other_factory = Namer("acme", "dev", "sdc", "another-seed").project("storage_account", 7, "fraud-detection")
    assert storage != other_factory
    assert not namer.project("resource_group", 7, "x-y-z").endswith(
        stable_suffix(SEED, "dev", "p007", "resource_group", "")
    )


def test_suffix_depends_only_on_the_workload_not_on_others() -> None:
    namer = Namer("acme", "prod", "sdc", SEED)
    first = namer.project("key_vault", 12, "forecast")
    namer.project("key_vault", 13, "another")
    assert namer.project("key_vault", 12, "forecast") == first
    assert namer.project("key_vault", 12, "forecast") != namer.project("key_vault", 13, "forecast")


def test_environments_and_qualifiers_tell_names_apart() -> None:
    names = {
        Namer("acme", env, "sdc", SEED).project("storage_account", 7, "fraud", qualifier)
        for env in ("dev", "stage", "prod")
        for qualifier in ("", "ml", "lk")
    }
    assert len(names) == 9


def test_impossible_name_is_a_clear_error() -> None:
    with pytest.raises(NamingError, match="cannot fit a key_vault name"):
        Namer("abcdefgh", "stage", "sdc", SEED).project("key_vault", 1, "x", "far-too-long-qualifier")


def test_child_names_stay_within_limits_and_unique() -> None:
    parent = "mlw-abcdefgh-p999-an-extremely-long-project-name-for-tests-stage-uaec"
    first = child_name("private_endpoint", parent, "databricks_ui_api")
    second = child_name("private_endpoint", parent, "browser_authentication")
    assert len(first) <= 64 and len(second) <= 64
    assert first != second
    assert first.startswith("pep-mlw-abcdefgh") and first.endswith(stable_suffix(f"pep-{parent}-databricks-ui-api"))
    assert child_name("private_endpoint", "kv-acme-p007-dev-x1y2", "vault") == "pep-kv-acme-p007-dev-x1y2-vault"
    assert subnet_name("p007", "databricks_host") == "snet-p007-databricks-host"


@settings(max_examples=200, deadline=None)
@given(
    prefix=st.from_regex(r"[a-z][a-z0-9]{1,7}", fullmatch=True),
    project_id=st.integers(min_value=1, max_value=999),
    slug=st.from_regex(r"[a-z][a-z0-9]{0,12}(-[a-z0-9]{1,8}){0,3}", fullmatch=True),
    environment=st.sampled_from(["dev", "stage", "prod"]),
    kind=st.sampled_from(sorted(NAMING_RULES)),
)
def test_any_valid_input_gives_a_valid_name(
    prefix: str, project_id: int, slug: str, environment: EnvironmentName, kind: ResourceKind
) -> None:
    namer = Namer(prefix, environment, "sdc", SEED)
    _assert_valid(kind, namer.name(kind, Workload.project(project_id, slug)))


def test_suffixed_names_keep_short_names_and_cut_long_ones_to_the_limit() -> None:
    short = "adf-acme-p001-churn-dev-sdc-x1y2"
    assert suffixed_name(short, "managed-vnet", DEPLOYMENT_NAME_MAX) == f"{short}-managed-vnet"  # unchanged
    long_a = "adf-acme-p001-customer-lifetime-value-forecasting-emea-dev-sdc"
    long_b = "adf-acme-p002-customer-lifetime-value-forecasting-emea-dev-sdc"
    cut_a = suffixed_name(long_a, "managed-vnet", DEPLOYMENT_NAME_MAX)
    cut_b = suffixed_name(long_b, "managed-vnet", DEPLOYMENT_NAME_MAX)
    assert len(f"{long_a}-managed-vnet") > DEPLOYMENT_NAME_MAX
    assert len(cut_a) <= DEPLOYMENT_NAME_MAX and cut_a.endswith("-managed-vnet")
    assert cut_a == suffixed_name(long_a, "managed-vnet", DEPLOYMENT_NAME_MAX)  # deterministic
    assert cut_a != cut_b  # the hash of the full name keeps them apart
