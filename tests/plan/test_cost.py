"""The cost plan: project and environment budgets, their alerts, the split over subscriptions, the dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aifactory.config.cost import MAX_BUDGET_NOTIFICATIONS
from aifactory.errors import ConfigError
from aifactory.plan.cost import ENVIRONMENT_TAG, PROJECTS_PER_TILE, budget_notifications, portal_link
from aifactory.plan.factory import FactoryPlan
from tests.support import SUBSCRIPTION, TENANT, factory_plan, project

OTHER = "6f1d2c3b-0000-4000-8000-00000000d002"
COST: dict[str, Any] = {"monthly_budget": 5000, "alert_emails": ["platform@contoso.com"]}


def _plan(tmp_path: Path, projects: list[dict[str, Any]], **stack: Any) -> FactoryPlan:
    return factory_plan(tmp_path, projects, **stack)


def test_without_cost_config_there_is_no_environment_budget_but_every_project_has_one(tmp_path: Path) -> None:
    plan = _plan(tmp_path, [project(1, "alpha"), project(2, "beta", budget={"monthly_amount": 250})])
    cost = plan.cost
    assert cost.environment_budgets == ()
    assert cost.environment_amount is None
    assert [(p.project_id, p.monthly_amount) for p in cost.projects] == [(1, 100), (2, 250)]
    assert cost.projects_total == 350


def test_project_budget_alerts_go_to_owners_by_default_at_forecast_and_actual(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        [
            project(1, "alpha", owners=["a@contoso.com", "b@contoso.com"]),
            project(2, "beta", budget={"monthly_amount": 10, "alert_emails": ["fin@contoso.com"], "thresholds": [50]}),
        ],
    )
    alpha, beta = plan.cost.projects
    assert [n.key for n in alpha.notifications] == ["actual-80", "actual-100", "forecasted-80", "forecasted-100"]
    assert alpha.recipients == ("a@contoso.com", "b@contoso.com")
    assert alpha.resource_group == plan.namer.project("resource_group", 1, "alpha")
    assert beta.recipients == ("fin@contoso.com",) and beta.thresholds == (50,)
    assert plan.cost.without_alerts == ()


@pytest.mark.parametrize(
    ("thresholds", "keys"),
    [
        ([100, 80], ["actual-80", "actual-100", "forecasted-80", "forecasted-100"]),
        ([50, 80, 100], ["actual-50", "actual-80", "actual-100", "forecasted-80", "forecasted-100"]),
        ([25, 50, 80, 100], ["actual-25", "actual-50", "actual-80", "actual-100", "forecasted-100"]),
        ([20, 40, 60, 80, 100], ["actual-20", "actual-40", "actual-60", "actual-80", "actual-100"]),
    ],
)
def test_every_budget_fits_azures_five_notifications(thresholds: list[int], keys: list[str]) -> None:
    notifications = budget_notifications(thresholds, ["a@contoso.com"])
    assert [n.key for n in notifications] == keys
    assert len(notifications) <= MAX_BUDGET_NOTIFICATIONS


def test_a_project_with_three_thresholds_keeps_every_actual_alert(tmp_path: Path) -> None:
    plan = _plan(tmp_path, [project(1, "alpha", budget={"monthly_amount": 10, "thresholds": [50, 80, 100]})])
    (alpha,) = plan.cost.projects
    assert alpha.thresholds == (50, 80, 100)
    assert len(alpha.notifications) == MAX_BUDGET_NOTIFICATIONS
    assert plan.cost.without_alerts == ()


def test_the_environment_budget_is_a_subscription_budget_filtered_by_the_environment_tag(tmp_path: Path) -> None:
    plan = _plan(tmp_path, [project(1, "alpha")], cost=COST)
    (budget,) = plan.cost.environment_budgets
    assert budget.scope == f"/subscriptions/{SUBSCRIPTION}"
    assert (budget.tag_name, budget.tag_value) == (ENVIRONMENT_TAG, "dev")
    assert plan.common_tags[ENVIRONMENT_TAG] == "dev"  # what the filter matches is what every resource carries
    assert budget.monthly_amount == 5000
    assert {n.emails for n in budget.notifications} == {("platform@contoso.com",)}
    assert budget.budget_name == plan.namer.common("budget")


def test_projects_in_other_subscriptions_get_their_share_and_the_common_subscription_the_rest(
    tmp_path: Path,
) -> None:
    placements = [{"subscription_id": OTHER, "first_id": 65, "last_id": 128}]
    projects = [project(1, "alpha"), project(65, "gamma", budget={"monthly_amount": 700}), project(66, "delta")]
    plan = _plan(tmp_path, projects, cost=COST, project_subscriptions=placements)
    common, other = plan.cost.environment_budgets
    assert (common.subscription_id, common.monthly_amount) == (SUBSCRIPTION, 5000 - 800)
    assert (other.subscription_id, other.monthly_amount) == (OTHER, 800)
    assert other.covers == "projects 65, 66 (the sum of their budgets)"
    assert common.budget_name != other.budget_name
    assert sum(b.monthly_amount for b in plan.cost.environment_budgets) == 5000


def test_an_environment_budget_below_its_other_subscriptions_projects_is_a_config_problem(tmp_path: Path) -> None:
    placements = [{"subscription_id": OTHER, "first_id": 65, "last_id": 128}]
    projects = [project(65, "gamma", budget={"monthly_amount": 6000})]
    with pytest.raises(ConfigError) as caught:
        _plan(tmp_path, projects, cost=COST, project_subscriptions=placements)
    (problem,) = caught.value.problems
    assert problem.field == "aifactory:cost.monthly_budget"
    assert problem.file == "Pulumi.dev.yaml"
    assert "6000" in problem.message and "raise" in problem.fix


@pytest.mark.parametrize(
    ("cost", "field"),
    [
        ({"monthly_budget": 100, "alert_emails": ["a@contoso.com"], "thresholds": [1, 2, 3, 4, 5, 6]}, "thresholds"),
        ({"monthly_budget": 100, "alert_emails": ["a@contoso.com"], "thresholds": [0]}, "thresholds"),
        ({"monthly_budget": 100, "alert_emails": []}, "alert_emails"),
        ({"monthly_budget": 0, "alert_emails": ["a@contoso.com"]}, "monthly_budget"),
        ({"alert_emails": ["a@contoso.com"]}, "monthly_budget"),
    ],
)
def test_bad_cost_config_is_refused_with_the_field(tmp_path: Path, cost: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _plan(tmp_path, [project(1, "alpha")], cost=cost)
    assert [p.field for p in caught.value.problems] == [f"aifactory:cost.{field}"]


def test_the_dashboard_lists_every_project_with_its_three_links(tmp_path: Path) -> None:
    projects = [project(i, f"team-{i:03d}") for i in range(1, 46)]
    plan = _plan(tmp_path, projects, cost=COST)
    dashboard = plan.cost.dashboard
    header, *tiles = dashboard.tiles
    assert len(tiles) == 3 == -(-45 // PROJECTS_PER_TILE)
    assert dashboard.project_ids == tuple(range(1, 46))
    text = "\n".join(t.content for t in tiles)
    for budget in plan.cost.projects:
        group = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{budget.resource_group}"
        for blade in ("costanalysis", "budgets", "overview"):
            assert f"({portal_link(TENANT, group, blade)})" in text
        assert f"| {budget.project_id} {budget.name} (esml) |" in text
    assert "Environment budget: **5,000**" in header.content


def test_dashboard_tiles_do_not_overlap_and_fit_the_portal_grid(tmp_path: Path) -> None:
    plan = _plan(tmp_path, [project(i, f"team-{i:03d}") for i in range(1, 70)])
    cells: set[tuple[int, int]] = set()
    for tile in plan.cost.dashboard.tiles:
        assert tile.x + tile.col_span <= 24
        spanned = {(x, y) for x in range(tile.x, tile.x + tile.col_span) for y in range(tile.y, tile.y + tile.row_span)}
        assert not cells & spanned, tile.title
        cells |= spanned


def test_portal_links_name_the_tenant_and_the_resource() -> None:
    link = portal_link(TENANT, "/subscriptions/s/resourceGroups/rg-x", "costanalysis")
    assert link == f"https://portal.azure.com/#@{TENANT}/resource/subscriptions/s/resourceGroups/rg-x/costanalysis"
