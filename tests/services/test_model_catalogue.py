"""The model catalogue: refused versions are input errors with the replacement, ending ones a plan warning."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from aifactory.catalog import models
from aifactory.catalog.models import MODELS, frozen_today, model_version
from aifactory.config.loader import collect_projects
from aifactory.errors import ConfigProblem
from aifactory.policy import types as rt
from aifactory.policy.model import GuardrailContext, ResourceView
from aifactory.policy.rules.arm import ARM_RULES
from aifactory.services.ai_foundry import AiFoundry
from tests.support import project

TODAY = datetime.date(2026, 12, 1)
LIFECYCLE = next(r for r in ARM_RULES if r.id == "ARM-MODEL-LIFECYCLE")


def _problems(tmp_path: Path, deployments: list[dict[str, Any]], day: datetime.date = TODAY) -> list[ConfigProblem]:
    folder = tmp_path / "projects"
    folder.mkdir(exist_ok=True)
    spec = project(9, "copilot", "genai", services={"ai_foundry": {"agents": False, "models": deployments}})
    (folder / "009-copilot.yaml").write_text(yaml.safe_dump(spec))
    with frozen_today(day):
        _, problems = collect_projects(folder, tmp_path)
    return problems


def _warnings(model: str, version: str, day: datetime.date) -> list[str]:
    inputs = {"properties": {"model": {"name": model, "version": version}}}
    view = ResourceView(rt.COGNITIVE_DEPLOYMENT, "p009-aif-deployment-chat", "urn:x", "", inputs)
    with frozen_today(day):
        return LIFECYCLE.evaluate(view, GuardrailContext(stack="dev"))


def test_the_defaults_are_generally_available_and_not_ending() -> None:
    for deployment in AiFoundry().models:
        row = model_version(deployment.model, deployment.version)
        assert row is not None and row.lifecycle == "ga", deployment
        assert row.refused_on(TODAY) is None
        assert row.ending_within(TODAY) is None
        assert deployment.sku in row.skus


def test_a_deprecated_version_is_refused_with_a_deployable_replacement(tmp_path: Path) -> None:
    problems = _problems(tmp_path, [{"name": "chat", "model": "gpt-4o", "version": "2024-11-20"}])
    assert len(problems) == 1, [p.render() for p in problems]
    problem = problems[0]
    assert (problem.field, problem.value) == ("services.ai_foundry.models[0].version", "2024-11-20")
    assert "takes no new deployments since 2025-11-20" in problem.message
    assert "ServiceModelDeprecating" in problem.message
    # Microsoft names gpt-5.1, which itself stopped taking new deployments; its own replacement is deployable.
    assert problem.fix.startswith("deploy gpt-5.4 version 2026-03-05 instead")
    assert "Microsoft names gpt-5.1" in problem.fix


def test_the_old_default_follows_the_replacement_chain(tmp_path: Path) -> None:
    problem = _problems(tmp_path, [{"name": "mini", "model": "gpt-4o-mini", "version": "2024-07-18"}])[0]
    assert "deprecated" in problem.message
    assert problem.fix.startswith("deploy gpt-5.4-mini version 2026-03-17 instead")


def test_every_refused_version_is_reported_together(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        [
            {"name": "one", "model": "gpt-4o", "version": "2024-11-20"},
            {"name": "two", "model": "gpt-5.5", "version": "2026-04-24"},
            {"name": "three", "model": "o4-mini", "version": "2025-04-16"},
        ],
    )
    fields = [p.field for p in problems]
    assert fields == ["services.ai_foundry.models[0].version", "services.ai_foundry.models[2].version"]
    assert "retired on 2026-10-16" in problems[1].message


def test_a_version_the_catalogue_does_not_know_is_an_error(tmp_path: Path) -> None:
    unknown_version = _problems(tmp_path, [{"name": "chat", "model": "gpt-5.5", "version": "2030-01-01"}])[0]
    assert unknown_version.field == "services.ai_foundry.models[0].version"
    assert "version 2026-04-24 of gpt-5.5" in unknown_version.fix
    unknown_model = _problems(tmp_path, [{"name": "chat", "model": "gpt-9", "version": "1"}])[0]
    assert (unknown_model.field, unknown_model.value) == ("services.ai_foundry.models[0].model", "gpt-9")
    assert "aifactory/catalog/models.py" in unknown_model.fix


def test_a_deployment_type_the_version_is_not_offered_in_is_an_error(tmp_path: Path) -> None:
    regional = {"name": "chat", "model": "gpt-5.4-mini", "version": "2026-03-17", "sku": "Standard"}
    problem = _problems(tmp_path, [regional])[0]
    assert (problem.field, problem.value) == ("services.ai_foundry.models[0].sku", "Standard")
    assert "GlobalStandard" in problem.fix


def test_valid_versions_pass(tmp_path: Path) -> None:
    data_zone = {"name": "chat", "model": "gpt-5.4", "version": "2026-03-05", "sku": "DataZoneStandard"}
    assert _problems(tmp_path, [data_zone]) == []


def test_the_clock_decides_what_is_refused(tmp_path: Path) -> None:
    deployments = [{"name": "chat", "model": "gpt-5.4-mini", "version": "2026-03-17"}]
    assert _problems(tmp_path, deployments, datetime.date(2027, 3, 20)) == []
    later = _problems(tmp_path, deployments, datetime.date(2027, 3, 21))
    assert len(later) == 1 and "takes no new deployments since 2027-03-21" in later[0].message


def test_a_version_ending_within_90_days_is_a_warning_in_the_plan() -> None:
    # gpt-5.2 takes new deployments until 2026-12-08: a week from today.
    (warning,) = _warnings("gpt-5.2", "2025-12-11", TODAY)
    assert "takes no new deployments from 2026-12-08 (in 7 days)" in warning
    assert "move to gpt-5.4 2026-03-05" in warning
    assert LIFECYCLE.severity == "advisory"
    assert _warnings("gpt-5.4-mini", "2026-03-17", TODAY) == []
    # The same version, later: its new deployments end within the window.
    (later,) = _warnings("gpt-5.4-mini", "2026-03-17", datetime.date(2027, 1, 1))
    assert "2027-03-21 (in 79 days)" in later
    # Embeddings with no deprecation warn only when their retirement comes close.
    (retiring,) = _warnings("text-embedding-3-large", "1", datetime.date(2027, 12, 1))
    assert "retires on 2028-02-09" in retiring


@pytest.mark.parametrize("row", list(MODELS.values()), ids=lambda r: r.label)
def test_every_row_is_consistent(row: models.ModelVersion) -> None:
    assert row.skus and row.source and row.format == "OpenAI"
    if row.new_deployments_until is not None:
        assert row.new_deployments_until < row.retires
    if row.replacement is not None:
        assert any(m.model == row.replacement for m in MODELS.values()), row.replacement


def test_the_catalogue_says_when_it_was_read() -> None:
    assert datetime.date(2026, 9, 2) == models.AS_OF
    assert models.deployable(TODAY, "chat"), "at least one chat model must be deployable"


def test_aifactory_plan_prints_the_warning() -> None:
    from rich.console import Console

    from aifactory.cli.guardrails_view import render_guardrails
    from aifactory.policy.engine import evaluate

    inputs = {"properties": {"model": {"name": "gpt-5.2", "version": "2025-12-11"}}}
    view = ResourceView(rt.COGNITIVE_DEPLOYMENT, "p009-aif-deployment-chat", "urn:x", "", inputs)
    with frozen_today(TODAY):
        report = evaluate([view], GuardrailContext(stack="dev"), [LIFECYCLE])
    console = Console(record=True, width=300)
    render_guardrails(report, console)
    text = console.export_text()
    assert not report.failed
    assert "warning ARM-MODEL-LIFECYCLE p009-aif-deployment-chat: gpt-5.2 2025-12-11 takes no new deployments" in text
