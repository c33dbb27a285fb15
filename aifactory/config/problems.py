"""Turn pydantic validation errors into :class:`ConfigProblem` s a user can act on."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from aifactory.errors import ConfigProblem, Invalid

__all__ = ["field_path", "problems_from_validation"]

_NO_VALUE = object()


def field_path(loc: Sequence[str | int], prefix: str = "") -> str:
    """Dotted path with list indices in brackets: ``members[1].persona``."""
    text = prefix
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part == "[key]":
            continue
        else:
            text = f"{text}.{part}" if text else str(part)
    return text


def problems_from_validation(
    error: ValidationError, file: str, model: type[BaseModel], prefix: str = ""
) -> list[ConfigProblem]:
    """One problem per pydantic error, with a fix in the user's vocabulary."""
    problems = []
    for detail in error.errors(include_url=False):
        loc = [p for p in detail["loc"] if not (isinstance(p, str) and ("[" in p and p != "[key]"))]
        original = (detail.get("ctx") or {}).get("error")
        if isinstance(original, Invalid):
            base = field_path(loc, prefix)
            if original.field:
                joiner = "" if not base or original.field.startswith("[") else "."
                base = f"{base}{joiner}{original.field}"
            value = original.value if original.field else detail.get("input")
            problems.append(ConfigProblem(file, base, value, original.message, original.fix))
            continue
        message, fix = _describe(detail, model, loc)
        value = None if detail["type"] == "missing" else detail.get("input")
        problems.append(ConfigProblem(file, field_path(loc, prefix), value, message, fix))
    return problems


def _describe(detail: ErrorDetails, model: type[BaseModel], loc: list[str | int]) -> tuple[str, str]:
    kind = detail["type"]
    ctx: dict[str, Any] = dict(detail.get("ctx") or {})
    name = str(loc[-1]) if loc else "value"
    if kind == "missing":
        return "is required but missing", f"add '{name}'"
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return "is not a known field", f"{hint}remove it; fields allowed here: {', '.join(allowed) or 'none'}"
    if kind in ("literal_error", "enum"):
        return "is not an allowed value", f"use one of {ctx.get('expected')}"
    fixes = {
        "int_parsing": "use a whole number",
        "int_type": "use a whole number",
        "int_from_float": "use a whole number",
        "float_parsing": "use a number",
        "float_type": "use a number",
        "bool_parsing": "use true or false",
        "bool_type": "use true or false",
        "string_type": "use text (quote it in YAML if it looks like a number or date)",
        "list_type": "use a YAML list",
        "dict_type": "use a mapping (key: value)",
        "model_type": "use a mapping (key: value)",
        "model_attributes_type": "use a mapping (key: value)",
    }
    if kind in fixes:
        return _type_message(kind, detail), fixes[kind]
    bounds = {
        "greater_than_equal": ("ge", "a value of at least {}"),
        "greater_than": ("gt", "a value above {}"),
        "less_than_equal": ("le", "a value of at most {}"),
        "less_than": ("lt", "a value below {}"),
    }
    if kind in bounds:
        key, template = bounds[kind]
        return "is out of range", "use " + template.format(ctx.get(key))
    if kind == "string_too_short":
        return "is too short", f"use at least {ctx.get('min_length')} characters"
    if kind == "string_too_long":
        return "is too long", f"use at most {ctx.get('max_length')} characters"
    if kind == "string_pattern_mismatch":
        return "has the wrong form", f"match the pattern {ctx.get('pattern')}"
    if kind == "too_short":
        return "has too few entries", f"list at least {ctx.get('min_length')}"
    if kind == "too_long":
        return "has too many entries", f"list at most {ctx.get('max_length')}"
    return detail["msg"], "see the field's description in the JSON Schema (schemas/)"


_EXPECTED = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)",
}


def _type_message(kind: str, detail: ErrorDetails) -> str:
    """What was given instead of the expected type, in YAML words (values are never converted)."""
    return f"is {_what(detail.get('input'))}, but it should be {_EXPECTED[kind]}"


def _what(value: object) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if value is None:
        return "empty (null)"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def _fields_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """Field names of the model found by walking ``loc`` from ``model`` (empty if not a model)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int) or part == "[key]":
            continue
        if isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            current = _unwrap_mapping(current)
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return sorted(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional, list[...] and Annotated wrappers down to the element type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        elif origin in (list, tuple, set, frozenset):
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation


def _unwrap_mapping(annotation: Any) -> Any:
    if typing.get_origin(annotation) is dict:
        return typing.get_args(annotation)[1]
    return None
