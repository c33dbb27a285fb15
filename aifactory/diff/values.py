"""Compare two JSON values leaf by leaf and show values short enough to read in a review."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final, Literal

from aifactory.diff.paths import InputPath, Named

__all__ = ["ABSENT", "LeafChange", "leaf_changes", "shorten"]


class _Absent:
    """The value of a key or list item that one side does not have."""

    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Final = _Absent()


@dataclass(frozen=True)
class LeafChange:
    """One value that differs between the two sides, at its path."""

    path: InputPath
    old: Any
    new: Any

    @property
    def kind(self) -> Literal["added", "removed", "changed"]:
        if self.old is ABSENT:
            return "added"
        if self.new is ABSENT:
            return "removed"
        return "changed"


def leaf_changes(old: Any, new: Any, path: InputPath = ()) -> Iterator[LeafChange]:
    """Every differing leaf: mappings by key, lists by index (or by name), anything else as a whole.

    A mapping added or removed under a key shows as its leaves; an added or removed list item (an
    NSG rule) stays whole, one line per item. Values of different JSON types (``true`` and ``1``)
    differ, as they do for the provider.
    """
    if type(old) is type(new) and old == new:
        return
    in_mapping = not path or isinstance(path[-1], str)
    if in_mapping and old is ABSENT and isinstance(new, dict) and new:
        old = {}
    if in_mapping and new is ABSENT and isinstance(old, dict) and old:
        new = {}
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys()):
            yield from leaf_changes(old.get(key, ABSENT), new.get(key, ABSENT), (*path, key))
        return
    if isinstance(old, list) and isinstance(new, list):
        yield from _list_changes(old, new, path)
        return
    yield LeafChange(path, old, new)


def _list_changes(old: list[Any], new: list[Any], path: InputPath) -> Iterator[LeafChange]:
    """Lists of named items (NSG rules, subnets, node pools) match by name, so inserting one item
    reads as one added item instead of every later item changing; other lists match by index."""
    old_names, new_names = _names(old), _names(new)
    if old_names is None or new_names is None:
        for index in range(max(len(old), len(new))):
            before = old[index] if index < len(old) else ABSENT
            after = new[index] if index < len(new) else ABSENT
            yield from leaf_changes(before, after, (*path, index))
        return
    old_by_name = dict(zip(old_names, old, strict=True))
    for index, (name, item) in enumerate(zip(new_names, new, strict=True)):
        yield from leaf_changes(old_by_name.get(name, ABSENT), item, (*path, Named(name, index)))
    new_set = set(new_names)
    for index, (name, item) in enumerate(zip(old_names, old, strict=True)):
        if name not in new_set:
            yield LeafChange((*path, Named(name, index)), item, ABSENT)


def _names(items: list[Any]) -> list[str] | None:
    names = [item["name"] for item in items if isinstance(item, dict) and isinstance(item.get("name"), str)]
    if not items or len(names) != len(items) or len(set(names)) != len(names):
        return None
    return names


def shorten(value: Any, limit: int = 72) -> str:
    """Compact JSON, cut in the middle when long: ARM ids keep their head and the name at the end.

    Values the plan file masks (``[secret]``) stay masked: they are printed as they are.
    """
    if value is ABSENT:
        return "(absent)"
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    if len(text) <= limit:
        return text
    head = max(limit * 2 // 5, 1)
    tail = limit - head - 1
    return f"{text[:head]}…{text[-tail:]}"
