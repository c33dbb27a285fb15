"""JSON Schemas of the project file and the stack config, generated from the pydantic models.

Editors use them for completion and inline errors (the example projects point to
``schemas/project.schema.json``); a test keeps the committed files in sync with the models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aifactory.config.loader import NAMESPACE
from aifactory.config.project import ProjectSpec
from aifactory.config.stack import StackConfig

__all__ = ["project_schema", "rendered_schemas", "stack_schema", "write_schemas"]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def project_schema() -> dict[str, Any]:
    """Schema of ``projects/<id>-<name>.yaml``."""
    schema = ProjectSpec.model_json_schema()
    return {"$schema": _DRAFT, "title": "aifactory project", **{k: v for k, v in schema.items() if k != "title"}}


def stack_schema() -> dict[str, Any]:
    """Schema of ``Pulumi.<env>.yaml``: the ``aifactory:`` keys under ``config``; other namespaces pass."""
    schema = StackConfig.model_json_schema()
    properties = {f"{NAMESPACE}:{name}": value for name, value in schema["properties"].items()}
    required = [f"{NAMESPACE}:{name}" for name in schema.get("required", [])]
    return {
        "$schema": _DRAFT,
        "title": "aifactory stack config (Pulumi.<env>.yaml)",
        "type": "object",
        "properties": {
            "config": {
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": True,
            }
        },
        "required": ["config"],
        "$defs": schema.get("$defs", {}),
    }


def _render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write both schemas into ``folder``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in (("project.schema.json", project_schema()), ("stack.schema.json", stack_schema())):
        path = folder / name
        path.write_text(_render(schema), encoding="utf-8")
        written.append(path)
    return written


def rendered_schemas() -> dict[str, str]:
    """File name -> exact text, for the sync test."""
    return {"project.schema.json": _render(project_schema()), "stack.schema.json": _render(stack_schema())}
