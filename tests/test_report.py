"""The plan file names special Pulumi values for what they are: secrets masked, unknowns called unknown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aifactory.offline.report import _clean, leading_fields, plan_file_text, recorded_outputs

SIG = "4dabf18193072939515e22adb298388d"
SECRET = "1b47061264138c4ac30d75fd1eb44270"
OUTPUT = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
RESOURCE = "5cf8f73096256a8f31e491e813e4eb8e"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def test_secrets_are_masked_whether_or_not_their_value_is_known() -> None:
    assert _clean({SIG: SECRET, "value": "p@ss"}) == "[secret]"
    assert _clean({SIG: SECRET, "value": UNKNOWN}) == "[secret]"
    assert _clean({SIG: OUTPUT, "value": "p@ss", "secret": True}) == "[secret]"


def test_unknowns_are_not_called_secrets() -> None:
    assert _clean(UNKNOWN) == "[unknown]"
    assert _clean({SIG: OUTPUT, "dependencies": ["urn:x"]}) == "[unknown]"
    assert _clean({"nested": [UNKNOWN, "known"]}) == {"nested": ["[unknown]", "known"]}


def test_known_output_values_and_references_keep_their_meaning() -> None:
    assert _clean({SIG: OUTPUT, "value": {"b": 2.0, "a": "x"}}) == {"a": "x", "b": 2}
    assert _clean({SIG: RESOURCE, "urn": "urn:pulumi:dev::p::t::n"}) == "[resource urn:pulumi:dev::p::t::n]"
    assert _clean({SIG: "c44067f5952c0a294b673a41bacd8c17", "path": "f"}) == "[asset]"


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), _json_values, max_size=6))
def test_the_plan_file_is_the_document_as_json(document: dict[str, Any]) -> None:
    assert json.loads(plan_file_text(document)) == document


def test_the_plan_file_has_one_line_per_resource_and_per_stack() -> None:
    resources = [{"urn": f"urn:{i}", "inputs": {"a": [1, 2], "b": {"c": "d"}}} for i in range(3)]
    text = plan_file_text({"stack": "dev", "stacks": {"dev": {"resources": 3}, 7: {}}, "resources": resources})
    lines = text.splitlines()
    assert lines.count('  {"urn": "urn:1", "inputs": {"a": [1, 2], "b": {"c": "d"}}},') == 1
    assert '  "dev": {"resources": 3},' in lines and '  "7": {}' in lines  # keys as json writes them
    assert json.loads(text)["stacks"]["7"] == {}


@given(st.dictionaries(st.text(), _json_values, max_size=6), st.lists(st.text(), max_size=3), st.booleans())
def test_leading_fields_are_the_named_members_of_the_object(
    document: dict[str, Any], names: list[str], as_plan_file: bool
) -> None:
    text = plan_file_text(document) if as_plan_file else json.dumps(document)
    found = leading_fields(text, tuple(names))
    assert {k: found[k] for k in names if k in document} == {k: document[k] for k in names if k in document}
    assert all(found[k] == document[k] for k in found)


def test_leading_fields_stop_before_what_follows_the_last_named_member() -> None:
    """What comes after (a 300-project plan file's resources) is not even decoded."""
    text = '{"inputs_digest": "ab", "stacks": {"dev": {"outputs": {}}}, "resources": [not json'
    assert leading_fields(text, ("stacks", "inputs_digest")) == {
        "inputs_digest": "ab",
        "stacks": {"dev": {"outputs": {}}},
    }
    with pytest.raises(ValueError, match="Expecting value"):
        leading_fields(text, ("resources",))
    with pytest.raises(ValueError, match="JSON object"):
        leading_fields("[1, 2]", ("stacks",))


def test_a_plan_file_nested_past_the_json_decoders_depth_holds_no_outputs(tmp_path: Path) -> None:
    plan_file = tmp_path / "dev.json"
    plan_file.write_text('{"stacks": ' + "[" * 100_000, encoding="utf-8")
    assert recorded_outputs(plan_file, "dev") == (None, "")
