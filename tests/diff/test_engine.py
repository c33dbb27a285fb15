"""The diff engine on small plan documents: what changes, and what it flags (no git, no Pulumi)."""

from __future__ import annotations

from aifactory.diff.engine import diff_plans
from aifactory.diff.model import ChangedFile, PlanDiff, ResourceChange
from tests.diff.plans import NSG, STORAGE, VAULT, plan, resource, storage


def _only_change(diff: PlanDiff) -> ResourceChange:
    changes = [c for w in diff.workloads for c in w.changes]
    assert len(changes) == 1, changes
    return changes[0]


def test_identical_plans_have_no_changes_and_nothing_flagged() -> None:
    document = plan(storage("p001"), storage("p002"))
    diff = diff_plans(document, document)
    assert diff.workloads == ()
    assert not diff.flagged
    assert diff.unchanged == 2


def test_a_change_to_a_project_whose_file_is_untouched_is_flagged() -> None:
    base = plan(storage("p001"), storage("p002"))
    head = plan(storage("p001", tags={"cost-center": "CC-2", "owner": "team@contoso.com"}), storage("p002"))
    leaking = diff_plans(base, head, touched_projects={"p002"})
    change = _only_change(leaking)
    assert change.workload == "p001" and change.kind == "changed"
    assert [(i.path, i.old, i.new) for i in change.inputs] == [("tags.cost-center", "CC-1", "CC-2")]
    assert [f.kind for f in leaking.flags] == ["untouched-project"]
    assert leaking.workloads[0].file_changed is False

    intended = diff_plans(base, head, touched_projects={"p001"})
    assert not intended.flagged
    assert intended.workloads[0].file_changed is True


def test_the_common_part_is_never_an_untouched_project() -> None:
    base = plan(resource("common-nsg", NSG, workload="common", securityRules=[]))
    head = plan(resource("common-nsg", NSG, workload="common", securityRules=[{"name": "AllowSsh", "priority": 110}]))
    diff = diff_plans(base, head)
    assert diff.workloads[0].workload == "common" and diff.workloads[0].file_changed is None
    assert not diff.flagged


def test_a_create_only_input_change_is_flagged_as_replacement() -> None:
    base = plan(storage("p001"))
    head = plan(storage("p001", isHnsEnabled=True))
    diff = diff_plans(base, head, touched_projects={"p001"})
    change = _only_change(diff)
    assert change.inputs[0].create_only is not None and change.inputs[0].create_only.effect == "replace"
    [flag] = diff.flags
    assert flag.kind == "replacement"
    assert flag.message == "isHnsEnabled cannot change in place: Pulumi replaces it (delete and create)"


def test_an_in_place_change_is_not_a_replacement() -> None:
    base = plan(storage("p001"))
    head = plan(storage("p001", networkRuleSet={"defaultAction": "Allow", "bypass": "None"}))
    diff = diff_plans(base, head, touched_projects={"p001"})
    change = _only_change(diff)
    assert [(i.path, i.create_only) for i in change.inputs] == [("networkRuleSet.defaultAction", None)]
    assert not diff.flagged


def test_a_renamed_resource_is_a_replacement_and_says_it_is_part_of_the_id() -> None:
    base = plan(storage("p001", protect=True))
    head = plan(storage("p001", accountName="stacmep001renamed"))
    head["resources"][0]["protect"] = True
    [flag] = diff_plans(base, head, touched_projects={"p001"}).flags
    assert flag.message == (
        "accountName is part of its resource id: Pulumi replaces it (delete and create); "
        "it is protected, so Pulumi refuses until its protection is lifted"
    )


def test_an_input_azure_refuses_to_update_is_flagged() -> None:
    account = "azure-native:cognitiveservices:Account"
    base = plan(resource("p003-aif", account, workload="p003", properties={"customSubDomainName": "aif-a"}))
    head = plan(resource("p003-aif", account, workload="p003", properties={"customSubDomainName": "aif-b"}))
    [flag] = diff_plans(base, head, touched_projects={"p003"}).flags
    assert flag.kind == "replacement"
    assert "properties.customSubDomainName cannot change in place and Azure refuses the update" in flag.message


def test_removing_a_protected_resource_is_flagged_and_an_unprotected_one_is_not() -> None:
    vault = resource("p001-kv", VAULT, protect=True, vaultName="kv-p001")
    scratch = resource("p001-scratch", STORAGE, accountName="scratch")
    diff = diff_plans(plan(vault, scratch), plan(), touched_projects={"p001"})
    assert [c.kind for c in diff.workloads[0].changes] == ["removed", "removed"]
    [flag] = diff.flags
    assert flag.kind == "protected-delete" and flag.name == "p001-kv"
    assert flag.message.startswith("protected resource would be deleted")


def test_a_new_parent_is_a_move_that_pulumi_turns_into_replacement() -> None:
    before = storage("p001")
    after = resource("p001-storage", parent_type="aifactory:projects:Storage", **before["inputs"])
    diff = diff_plans(plan(before), plan(after), touched_projects={"p001"})
    change = _only_change(diff)
    assert change.kind == "moved" and change.old_urn == before["urn"]
    assert change.parent is not None
    [flag] = diff.flags
    assert flag.kind == "replacement" and "alias to the old URN" in flag.message


def test_ignore_changes_hides_what_pulumi_would_not_apply() -> None:
    base = plan(resource("p001-budget", "azure-native:consumption:Budget", timePeriod={"startDate": "2026-01-01"}))
    head = plan(
        resource(
            "p001-budget",
            "azure-native:consumption:Budget",
            ignore_changes=("timePeriod",),
            timePeriod={"startDate": "2026-02-01"},
        )
    )
    assert diff_plans(base, head).workloads == ()
    head["resources"][0]["ignore_changes"] = ["timePeriod.endDate"]
    assert _only_change(diff_plans(base, head)).inputs[0].path == "timePeriod.startDate"


def test_protect_and_dependency_changes_are_shown() -> None:
    base = plan(storage("p001"))
    head = plan(storage("p001"))
    head["resources"][0]["protect"] = True
    head["resources"][0]["dependencies"] = ["urn:pulumi:stage::aifactory::x$y::p001-rg"]
    change = _only_change(diff_plans(base, head, touched_projects={"p001"}))
    assert change.protect == (False, True)
    assert change.dependencies_added == ("p001-rg",)
    assert change.inputs == ()


def test_named_list_items_match_by_name_and_indices_elsewhere() -> None:
    rules = [{"name": "AllowVnet", "priority": 100}, {"name": "DenyAll", "priority": 4096}]
    inserted = [rules[0], {"name": "AllowTrusted", "priority": 110}, rules[1]]
    base = plan(resource("p001-nsg", NSG, securityRules=rules, addressPrefixes=["10.0.0.0/24", "10.0.1.0/24"]))
    head = plan(resource("p001-nsg", NSG, securityRules=inserted, addressPrefixes=["10.0.0.0/24", "10.0.2.0/24"]))
    change = _only_change(diff_plans(base, head, touched_projects={"p001"}))
    assert [(i.path, i.kind, i.new) for i in change.inputs] == [
        ("addressPrefixes[1]", "changed", "10.0.2.0/24"),
        ("securityRules[name=AllowTrusted]", "added", {"name": "AllowTrusted", "priority": 110}),
    ]


def test_a_changed_type_without_a_table_entry_is_flagged_for_review() -> None:
    base = plan(resource("p001-x", "azure-native:cache:Redis", workload="p001", redisVersion="6"))
    head = plan(resource("p001-x", "azure-native:cache:Redis", workload="p001", redisVersion="7"))
    [flag] = diff_plans(base, head, touched_projects={"p001"}).flags
    assert flag.kind == "unreviewed-type"


def test_components_are_not_compared_and_workloads_are_grouped_common_first() -> None:
    component = resource("p002", "aifactory:projects:EsmlProject", workload="p002", custom=False)
    base = plan(storage("p002"), resource("common-nsg", NSG, workload="common"), component)
    head = plan(
        storage("p002", location="westeurope"),
        resource("common-nsg", NSG, workload="common", location="westeurope"),
        storage("p001"),
    )
    files = (ChangedFile("modified", "Pulumi.stage.yaml"),)
    diff = diff_plans(base, head, changed_files=files)
    assert [w.workload for w in diff.workloads] == ["common", "p001", "p002"]
    assert [c.kind for c in diff.workloads[1].changes] == ["added"]
    assert {f.kind for f in diff.flags} == {"untouched-project", "replacement"}
    assert diff.changed_files == files
