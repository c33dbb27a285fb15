"""The published JSON Schemas match the models, and the example projects validate against the models."""

from __future__ import annotations

import json

import pytest

from aifactory.config.loader import collect_projects
from aifactory.schema import rendered_schemas
from tests.support import REPO


@pytest.mark.parametrize("name", ["project.schema.json", "stack.schema.json"])
def test_committed_schema_is_in_sync_with_the_models(name: str) -> None:
    committed = (REPO / "schemas" / name).read_text(encoding="utf-8")
    assert committed == rendered_schemas()[name], "run `aifactory schema` and commit schemas/"


def _undocumented(schema: dict[str, object]) -> list[str]:
    """Every property (top level and in $defs) without a description."""
    missing: list[str] = []
    defs = schema.get("$defs", {})
    assert isinstance(defs, dict)
    for owner, node in [("", schema), *defs.items()]:
        assert isinstance(node, dict)
        properties = node.get("properties", {})
        if owner == "" and "config" in properties:
            properties = properties["config"]["properties"]
        missing.extend(f"{owner}.{name}" for name, field in properties.items() if not field.get("description"))
    return missing


@pytest.mark.parametrize("name", ["project.schema.json", "stack.schema.json"])
def test_schema_documents_every_field(name: str) -> None:
    assert _undocumented(json.loads(rendered_schemas()[name])) == []


def test_project_schema_is_strict() -> None:
    schema = json.loads(rendered_schemas()["project.schema.json"])
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"id", "name", "type", "cost_center", "owners", "budget", "environments"}


def test_example_projects_are_valid_and_cover_both_types_and_all_environments() -> None:
    loaded, problems = collect_projects(REPO / "projects", REPO)
    assert problems == []
    types = {p.spec.type for p in loaded}
    environments = {env for p in loaded for env in p.spec.environments}
    assert types == {"esml", "genai"}
    assert sum(p.spec.type == "esml" for p in loaded) >= 2
    assert sum(p.spec.type == "genai" for p in loaded) >= 2
    assert environments == {"dev", "stage", "prod"}
