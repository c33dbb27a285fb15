"""Input paths: how a change inside a resource's inputs is named, and how ``ignoreChanges`` covers it.

A path is a tuple of keys (``str``) and list indices (``int``). It prints the way Pulumi prints
property paths - ``properties.networkAcls.defaultAction``, ``securityRules[3].priority``,
``tags.cost-center`` - with keys that are not plain words quoted: ``tags["hidden-link:/x"]``.
"""

from __future__ import annotations

import re

__all__ = ["InputPath", "covers", "format_path", "parse_pulumi_path"]

InputPath = tuple[str | int, ...]
Pattern = tuple[str | int, ...]
"""A parsed ``ignoreChanges`` entry: keys, indices and ``"*"`` (any key or index)."""

_PLAIN_KEY = re.compile(r"^[A-Za-z_$][\w$-]*$")
_TOKEN = re.compile(r'\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\[\*\]|\.?([^.\[\]]+)')


def format_path(path: InputPath) -> str:
    """``("securityRules", 3, "priority")`` -> ``securityRules[3].priority``."""
    text = ""
    for segment in path:
        if isinstance(segment, int):
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
    return all(want in ("*", got) for want, got in zip(pattern, path, strict=False))
