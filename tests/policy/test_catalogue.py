"""The catalogue itself: ids, sources, the tag and name facts it relies on, and the generated docs."""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path

from aifactory.policy.catalog import RULES
from aifactory.policy.docs import generated_section
from aifactory.policy.rules.arm import NAME_LIMITS
from aifactory.policy.taggable import TAGGABLE_TYPES, UNTAGGED_GENERIC_TYPES
from tests.support import REPO

_ID = re.compile(r"^(AIF|ALZ|ARM)-[A-Z0-9]+(-[A-Z0-9]+)*$")


@cache
def _provider_root() -> Path:
    spec = importlib.util.find_spec("pulumi_azure_native")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent


@cache
def _module_inputs(module: str) -> dict[str, set[str]]:
    """Resource class -> input names of one azure-native module, read from the installed provider's source.

    Reading the source instead of importing keeps this test fast: each provider module costs seconds to import.
    """
    declaration = re.compile(r"^class (\w+)\(pulumi\.CustomResource\):", re.MULTILINE)
    found: dict[str, set[str]] = {}
    for path in sorted((_provider_root() / module).glob("*.py")):
        text = path.read_text(encoding="utf-8")
        match = declaration.search(text)
        if match and "def _internal_init(" in text:
            start = text.index("def _internal_init(")
            found[match.group(1)] = set(re.findall(r"^\s+(\w+):", text[start : text.index("):", start)], re.MULTILINE))
    return found


def _init_parameters(type_token: str) -> set[str]:
    _, module, name = type_token.split(":")
    return _module_inputs(module)[name]


def _snake(path: str) -> str:
    head = path.split(".", 1)[0]
    return re.sub(r"(?<!^)(?=[A-Z])", "_", head).lower().replace("i_p_", "ip_")


def test_rule_ids_are_stable_shapes_and_every_rule_cites_its_source() -> None:
    for rule in RULES:
        assert _ID.match(rule.id), rule.id
        assert rule.types and rule.title and rule.source.url.startswith("https://"), rule.id
        if rule.id.startswith("ALZ-"):
            assert rule.source.definition and rule.source.effect == "Deny", rule.id
            assert "github.com/Azure/" in rule.source.url, rule.id


def test_taggable_types_are_those_whose_sdk_resource_takes_tags() -> None:
    for type_token in TAGGABLE_TYPES:
        assert "tags" in _init_parameters(type_token), type_token
    assert "tags" in _init_parameters(UNTAGGED_GENERIC_TYPES[0])  # left out on purpose: proxy sub-resources


def test_every_name_limit_reads_an_input_the_sdk_resource_takes() -> None:
    for type_token, limits in NAME_LIMITS.items():
        parameters = _init_parameters(type_token)
        for limit in limits:
            assert _snake(limit.path) in parameters, (type_token, limit.path)


def test_docs_list_the_catalogue_and_the_shipped_exceptions() -> None:
    doc = (REPO / "docs" / "guardrails.md").read_text(encoding="utf-8")
    assert generated_section(REPO) in doc, "run: python -m aifactory.policy.docs"
