"""The sort-based overlap checks agree with comparing every pair (which is what they replace)."""

from __future__ import annotations

import itertools

import netaddr
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aifactory.config.types import first_overlap, no_duplicates, overlap_within
from aifactory.errors import Invalid

_NETWORKS = st.builds(
    lambda address, prefix: netaddr.IPNetwork(f"{netaddr.IPAddress(address)}/{prefix}").cidr,
    st.integers(min_value=0, max_value=2**32 - 1),
    st.integers(min_value=8, max_value=32),
)
_LABELLED = st.lists(st.tuples(st.integers(0, 9), _NETWORKS), max_size=25)


def _overlap(a: netaddr.IPNetwork, b: netaddr.IPNetwork) -> bool:
    return bool(a.first <= b.last and b.first <= a.last)


@settings(max_examples=200)
@given(_LABELLED, _LABELLED)
def test_first_overlap_finds_an_overlap_exactly_when_a_pair_overlaps(
    ranges: list[tuple[int, netaddr.IPNetwork]], others: list[tuple[int, netaddr.IPNetwork]]
) -> None:
    found = first_overlap(ranges, others)
    expected = any(_overlap(a, b) for (_, a), (_, b) in itertools.product(ranges, others))
    assert (found is not None) == expected
    if found is not None:
        assert found[0] in ranges and found[1] in others and _overlap(found[0][1], found[1][1])


@settings(max_examples=200)
@given(_LABELLED)
def test_overlap_within_finds_an_overlapping_pair_exactly_when_one_exists(
    ranges: list[tuple[int, netaddr.IPNetwork]],
) -> None:
    found = overlap_within(ranges)
    expected = any(_overlap(a, b) for (_, a), (_, b) in itertools.combinations(ranges, 2))
    assert (found is not None) == expected
    if found is not None:
        first, second = found
        assert first in ranges and second in ranges and _overlap(first[1], second[1])


def test_no_duplicates_points_at_the_second_entry() -> None:
    assert no_duplicates(["a", "b"]) == ["a", "b"]
    with pytest.raises(Invalid) as raised:
        no_duplicates(["a", "b", "a"])
    assert raised.value.field == "[2]" and raised.value.value == "a"
    assert "entries 0 and 2" in raised.value.message
