"""Input paths: how a change inside a resource's inputs is named, and how ``ignoreChanges`` covers it.

A path is a tuple of keys (``str``), list indices (``int``) and :class:`Named` list items. It prints
the way Pulumi prints property paths - ``properties.networkAcls.defaultAction``,
``securityRules[3].priority``, ``tags.cost-center`` - with keys that are not plain words quoted
(``tags["hidden-link:/x"]``) and named items by name (``securityRules[name=AllowSsh].priority``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["InputPath", "Named", "Pattern", "covers", "format_path", "indexed", "parse_pulumi_path"]


@dataclass(frozen=True)
class Named:
    """An item of a list whose items all carry a unique ``name``, matched by that name.

    ``index`` is its position in the new list (the old one when removed), which is what Pulumi's
    index paths (``ignoreChanges``) and the create-only table's ``[]`` refer to.
    """

    name: str
    index: int


Segment = str | int | Named
InputPath = tuple[Segment, ...]
Pattern = tuple[str | int, ...]
"""A parsed ``ignoreChanges`` entry: keys, indices and ``"*"`` (any key or index)."""

_PLAIN_KEY = re.compile(r"^[A-Za-z_$][\w$-]*$")
_TOKEN = re.compile(r'\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\[\*\]|\.?([^.\[\]]+)')


def format_path(path: InputPath) -> str:
    """``("securityRules", 3, "priority")`` -> ``securityRules[3].priority``."""
    text = ""
    for segment in path:
        if isinstance(segment, Named):
            text += f"[name={segment.name}]"
        elif isinstance(segment, int):
            text += f"[{segment}]"
        elif _PLAIN_KEY.match(segment):
            text += f".{segment}" if text else segment
        else:
            escaped = segment.replace("\\", "\\\\").replace('"', '\\"')
            text += f'["{escaped}"]'
    return text


def parse_pulumi_path(text: str) -> Pattern:
    """Parse a Pulumi property path as ``ignoreChanges`` takes it (``a.b[0]``, ``a["x.y"]``, ``a[*]``)."""
    segments: list[str | int] = []
    for match in _TOKEN.finditer(text):
        index, quoted, plain = match.groups()
        if index is not None:
            segments.append(int(index))
        elif quoted is not None:
            segments.append(re.sub(r"\\(.)", r"\1", quoted))
        elif plain is not None:
            segments.append(plain)
        else:
            segments.append("*")
    return tuple(segments)


def covers(pattern: Pattern, path: InputPath) -> bool:
    """Whether ``pattern`` names ``path`` or one of its ancestors (``*`` matches one segment)."""
    if len(pattern) > len(path):
        return False
    return all(want in ("*", got) for want, got in zip(pattern, indexed(path), strict=False))


def indexed(path: InputPath) -> tuple[str | int, ...]:
    """The path with named list items as their indices, as Pulumi and the create-only table name them."""
    return tuple(segment.index if isinstance(segment, Named) else segment for segment in path)
