"""Reading YAML strictly: duplicate keys are errors, syntax errors name the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from aifactory.errors import ConfigProblem

__all__ = ["read_yaml"]


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader that refuses a mapping key given twice (YAML silently keeps the last one)."""


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            msg = f"key {key!r} appears twice (lines {seen[key] + 1} and {key_node.start_mark.line + 1})"
            raise yaml.constructor.ConstructorError(None, None, msg, key_node.start_mark)
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_yaml(path: Path, display: str) -> tuple[Any, list[ConfigProblem]]:
    """Parse a YAML file; return its data, or ``None`` and the problems that stopped parsing."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return None, [ConfigProblem(display, "", str(path), f"cannot be read: {exc.strerror}", "check the path")]
    try:
        return yaml.load(text, Loader=_StrictLoader), []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [
            ConfigProblem(
                display,
                "",
                where,
                f"is not valid YAML: {problem}",
                "fix the YAML syntax at that position (indentation, a missing colon or quote)",
            )
        ]
