"""Input paths and value comparison: how changes are named, shortened and matched to ignoreChanges."""

from __future__ import annotations

from aifactory.diff.paths import Named, covers, format_path, parse_pulumi_path
from aifactory.diff.values import ABSENT, leaf_changes, shorten


def test_paths_print_like_pulumi_property_paths() -> None:
    assert format_path(("properties", "networkAcls", "defaultAction")) == "properties.networkAcls.defaultAction"
    assert format_path(("tags", "cost-center")) == "tags.cost-center"
    assert format_path(("securityRules", 3, "priority")) == "securityRules[3].priority"
    assert format_path(("tags", "hidden-link:/a.b")) == 'tags["hidden-link:/a.b"]'
    assert format_path(("securityRules", Named("AllowSsh", 1), "priority")) == "securityRules[name=AllowSsh].priority"


def test_ignore_changes_paths_cover_descendants_and_wildcards() -> None:
    assert parse_pulumi_path("agentPoolProfiles[0].count") == ("agentPoolProfiles", 0, "count")
    assert parse_pulumi_path('tags["a.b"]') == ("tags", "a.b")
    assert covers(parse_pulumi_path("subnets"), ("subnets", 2, "addressPrefix"))
    assert covers(parse_pulumi_path("agentPoolProfiles[0].count"), ("agentPoolProfiles", Named("system", 0), "count"))
    assert covers(parse_pulumi_path("routes[*].nextHopIpAddress"), ("routes", 4, "nextHopIpAddress"))
    assert not covers(parse_pulumi_path("agentPoolProfiles[1].count"), ("agentPoolProfiles", 0, "count"))
    assert not covers(parse_pulumi_path("timePeriod.endDate"), ("timePeriod",))


def test_leaf_changes_expand_added_mappings_and_keep_types_apart() -> None:
    changes = list(leaf_changes({"a": 1, "b": True}, {"a": True, "c": {"d": "x"}}))
    assert [(c.path, c.kind) for c in changes] == [(("a",), "changed"), (("b",), "removed"), (("c", "d"), "added")]
    assert changes[2].old is ABSENT
    assert list(leaf_changes({"x": [1, 2]}, {"x": [1, 2]})) == []


def test_long_values_are_cut_in_the_middle_and_masked_values_stay_masked() -> None:
    arm_id = (
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-acme-p001/providers/storage/x/stacmep001"
    )
    short = shorten(arm_id, limit=60)
    assert len(short) == 60 and short.startswith('"/subscriptions/') and short.endswith('stacmep001"')
    assert shorten("[secret]") == '"[secret]"'
    assert shorten(ABSENT) == "(absent)"
    assert shorten({"b": 1, "a": [1]}) == '{"a":[1],"b":1}'
