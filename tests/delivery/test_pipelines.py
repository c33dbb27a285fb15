"""The pipeline templates users copy: valid YAML, the expected jobs, triggers, permissions and
environment protection, and every ``aifactory`` command they run is a real command of the CLI."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.core
import typer.main
import yaml

from aifactory.cli.app import app
from tests.support import REPO

TEMPLATES = REPO / "templates" / "pipelines"
GITHUB = TEMPLATES / "github"
AZURE_DEVOPS = TEMPLATES / "azure-devops"


_ACTION_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@v\d+\.\d+\.\d+$")


def _load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the bare key `on` as the boolean True
    triggers = workflow.get("on", workflow.get(True))
    assert isinstance(triggers, dict)
    return triggers


def _scripts(node: Any) -> Iterator[str]:
    """Every shell script in a pipeline: GitHub `run`, Azure DevOps `script` and `inlineScript`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "script", "inlineScript") and isinstance(value, str):
                yield value
            else:
                yield from _scripts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _scripts(item)


def _steps(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "uses" in node or "task" in node:
            yield node
        for value in node.values():
            yield from _steps(value)
    elif isinstance(node, list):
        for item in node:
            yield from _steps(item)


_INVOCATION = re.compile(r"(?:^|[\s;&|(])(?:\.venv/bin/)?aifactory\s+([^\n;&|)]*)")
_EXPRESSION = re.compile(r"\$\{\{[^}]*\}\}|\$\([A-Za-z_.]+\)")


def aifactory_invocations(script: str) -> list[list[str]]:
    """The argument lists of each `aifactory ...` call in a shell script (expressions become X)."""
    calls = []
    for match in _INVOCATION.finditer(_EXPRESSION.sub("X", script)):
        words = shlex.split(match.group(1).split(">")[0])
        if words:
            calls.append(words)
    return calls


def _check_invocation(words: list[str], root: typer.core.TyperGroup) -> None:
    name, rest = words[0], words[1:]
    options = {w.split("=", 1)[0] for w in rest if w.startswith("-")}
    command = root.commands.get(name)
    assert command is not None, f"`aifactory {name}` is not a command of the CLI"
    known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    assert options <= known, f"`aifactory {name}` has no option(s) {sorted(options - known)}"


def _all_templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.yml"))


@pytest.mark.parametrize(
    ("folder", "schema"),
    [("github", "vendor.github-workflows"), ("azure-devops", "vendor.azure-pipelines")],
)
def test_templates_validate_against_the_published_pipeline_schemas(folder: str, schema: str) -> None:
    """SchemaStore's GitHub workflow schema and Microsoft's Azure Pipelines schema, vendored by check-jsonschema."""
    files = sorted(str(p) for p in (TEMPLATES / folder).glob("*.yml"))
    command = [str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema", schema]
    # the Azure Pipelines schema writes its patterns for Python's regex engine, not ECMAScript's
    result = subprocess.run(
        [*command, "--regex-variant", "python", *files], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_refuses_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    steps: [{run: echo}]\n")  # a job without runs-on
    command = [str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
    result = subprocess.run([*command, str(broken)], capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 1


def test_there_are_github_and_azure_devops_templates() -> None:
    names = {p.relative_to(TEMPLATES).as_posix() for p in _all_templates()}
    assert names == {
        "github/aifactory.yml",
        "github/aifactory-deploy.yml",
        "azure-devops/azure-pipelines.yml",
        "azure-devops/aifactory-deploy.yml",
    }


@pytest.mark.parametrize("path", _all_templates(), ids=lambda p: p.name)
def test_every_aifactory_command_the_pipelines_run_exists(path: Path) -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    calls = [words for script in _scripts(_load(path)) for words in aifactory_invocations(script)]
    assert calls, f"{path.name} runs no aifactory command"
    for words in calls:
        _check_invocation(words, root)


def test_the_command_checker_catches_unknown_commands_and_options() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    script = 'aifactory plan "${{ matrix.stack }}" --out x.json\n.venv/bin/aifactory affected --against HEAD --json > a'
    assert aifactory_invocations(script) == [
        ["plan", "X", "--out", "x.json"],
        ["affected", "--against", "HEAD", "--json"],
    ]
    for bad in (["deploy", "dev"], ["plan", "dev", "--fast"], ["diff", "dev", "--colour"]):
        with pytest.raises(AssertionError):
            _check_invocation(bad, root)


def test_github_pull_request_checks_and_promotion() -> None:
    workflow = _load(GITHUB / "aifactory.yml")
    triggers = _triggers(workflow)
    assert triggers["pull_request"]["branches"] == ["main"] and triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert set(jobs) == {"validate", "plan", "preview", "deploy-dev", "deploy-stage", "deploy-prod"}
    # pull-request jobs hang off validate, which only runs for pull requests
    assert jobs["validate"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["plan"]["needs"] == "validate" and jobs["preview"]["needs"] == ["validate", "plan"]
    assert jobs["plan"]["strategy"]["matrix"]["stack"] == "${{ fromJSON(needs.validate.outputs.stacks) }}"
    assert jobs["plan"]["permissions"]["pull-requests"] == "write"
    assert jobs["preview"]["permissions"]["id-token"] == "write"
    assert jobs["deploy-stage"]["needs"] == "deploy-dev" and jobs["deploy-prod"]["needs"] == "deploy-stage"
    assert jobs["deploy-dev"]["if"] == "github.event_name == 'push'"
    for env in ("dev", "stage", "prod"):
        job = jobs[f"deploy-{env}"]
        assert job["uses"] == "./.github/workflows/aifactory-deploy.yml" and job["with"]["environment"] == env
        assert job["permissions"]["id-token"] == "write"
    scripts = "\n".join(_scripts(workflow))
    assert "--policy-pack guardrails" in scripts and "pulumi preview" in scripts
    assert "--format markdown" in scripts


def test_github_deploy_job_is_behind_its_environment_with_oidc_only() -> None:
    workflow = _load(GITHUB / "aifactory-deploy.yml")
    assert set(_triggers(workflow)) == {"workflow_call"}
    job = workflow["jobs"]["up"]
    assert job["environment"] == "${{ inputs.environment }}"
    assert workflow["permissions"]["id-token"] == "write"
    assert "pulumi up --yes" in "\n".join(_scripts(workflow))


@pytest.mark.parametrize("path", sorted(GITHUB.glob("*.yml")), ids=lambda p: p.name)
def test_github_actions_are_pinned_and_logins_use_oidc_without_secrets(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "secrets." not in text, "Azure and Pulumi logins use OIDC; no stored secrets"
    workflow = _load(path)
    steps = list(_steps(workflow))
    for step in steps:
        if "uses" in step and not step["uses"].startswith("./"):
            assert _ACTION_PIN.match(step["uses"]), f"{step['uses']} is not pinned to a version"
    logins = [s for s in steps if str(s.get("uses", "")).startswith("azure/login@")]
    assert logins and all(set(s["with"]) == {"client-id", "tenant-id", "subscription-id"} for s in logins)
    pulumi = [s for s in steps if str(s.get("uses", "")).startswith("pulumi/auth-actions@")]
    assert pulumi and all(s["with"]["requested-token-type"].startswith("urn:pulumi:token-type:") for s in pulumi)


def test_azure_devops_pipeline_has_the_same_stages_with_federated_connections_and_approvals() -> None:
    pipeline = _load(AZURE_DEVOPS / "azure-pipelines.yml")
    assert pipeline["trigger"]["branches"]["include"] == ["main"]
    assert pipeline["pr"]["branches"]["include"] == ["main"]
    stages = pipeline["stages"]
    named = [s["stage"] for s in stages if "stage" in s]
    assert named == ["validate", "plan", "preview"]
    deploys = [s for s in stages if "template" in s]
    assert [s["parameters"]["environment"] for s in deploys] == ["dev", "stage", "prod"]
    assert [s["parameters"]["dependsOn"] for s in deploys] == [[], ["deploy_dev"], ["deploy_stage"]]
    tasks = [s for s in _steps(pipeline) if s.get("task") == "AzureCLI@2"]
    assert tasks and all(t["inputs"]["azureSubscription"] == "aifactory-preview" for t in tasks)
    template = _load(AZURE_DEVOPS / "aifactory-deploy.yml")
    deployment = template["stages"][0]["jobs"][0]
    assert deployment["environment"] == "aifactory-${{ parameters.environment }}"
    task = next(s for s in _steps(template) if s.get("task") == "AzureCLI@2")
    assert task["inputs"]["azureSubscription"] == "aifactory-${{ parameters.environment }}"
    assert task["inputs"]["addSpnToEnvironment"] is True
    assert 'ARM_OIDC_TOKEN="$idToken"' in task["inputs"]["inlineScript"]
    scripts = "\n".join(_scripts(pipeline))
    assert "--policy-pack guardrails" in scripts and "--format markdown" in scripts
