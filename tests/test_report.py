"""The plan file names special Pulumi values for what they are: secrets masked, unknowns called unknown."""

from __future__ import annotations

from aifactory.offline.report import _clean

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
