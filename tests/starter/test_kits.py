"""Every example project's kit renders, loads with the official loaders, lints, and its own tests pass."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from aifactory.starter import KitResult
from tests.starter.conftest import EXAMPLES

ESML = [pid for pid, kind in EXAMPLES.items() if kind == "esml"]
GENAI = [pid for pid, kind in EXAMPLES.items() if kind == "genai"]
RUFF = Path(sys.executable).parent / "ruff"


def kit(kits: dict[int, KitResult], pid: int) -> Path:
    return kits[pid].out


def files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_each_kit_holds_what_its_project_has(kits: dict[int, KitResult]) -> None:
    fraud, forecast, copilot, contracts = (files(kit(kits, pid)) for pid in (1, 2, 3, 4))
    for esml in (fraud, forecast):
        assert {"mlops/azureml/train-pipeline.yml", "src/stages/train.py", ".github/workflows/mlops.yml"} <= esml
        assert not any(f.startswith(("src/ragapp", "evaluation/")) for f in esml)
    assert {
        "databricks.yml",
        "mlops/databricks/resources/training.job.yml",
        "dataops/adf/pipeline/ingest.json",
    } <= fraud
    assert not any(f.startswith(("dataops", "mlops/databricks")) or f == "databricks.yml" for f in forecast)
    for genai in (copilot, contracts):
        assert {"src/ragapp/rag.py", "evaluation/dataset.jsonl", ".github/workflows/genaiops.yml"} <= genai
        assert not any(f.startswith(("mlops", "src/stages")) for f in genai)
    assert "Dockerfile" in copilot  # Container Apps
    assert "Dockerfile" not in contracts  # Web App: code deployment
    assert ".copier-answers.yml" in fraud


def test_the_answers_record_template_source_and_version(kits: dict[int, KitResult], factory: Path) -> None:
    answers = yaml.safe_load((kit(kits, 1) / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == str(factory)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=factory, capture_output=True, text=True, check=True).stdout
    assert head.startswith(answers["_commit"])
    assert answers["factory"]["project"]["key"] == "p001"


def test_names_of_every_environment_are_filled_in(kits: dict[int, KitResult]) -> None:
    for pid in EXAMPLES:
        result = kits[pid]
        environments = json.loads((result.out / "config" / "environments.json").read_text())
        assert json.loads((result.out / "config" / "kit.json").read_text())["project"] == f"p{pid:03d}"
        assert [e["name"] for e in environments] == [e.name for e in result.context.environments]
        readme = (result.out / "README.md").read_text()
        for environment in result.context.environments:
            for name in environment.names.values():
                assert name in readme
            assert environment.lake["project_folder"] in readme


# --- Azure Machine Learning: azure-ai-ml's own loaders -------------------------------------------------------------


@pytest.mark.parametrize("pid", ESML)
def test_azure_ml_definitions_load(kits: dict[int, KitResult], pid: int) -> None:
    from azure.ai.ml import load_component, load_datastore, load_environment, load_job
    from azure.ai.ml.entities import AzureDataLakeGen2Datastore, PipelineJob

    root = kit(kits, pid) / "mlops" / "azureml"
    components = sorted((root / "components").glob("*.yml"))
    assert [c.stem for c in components] == ["evaluate", "prepare", "register", "score", "train"]
    for path in components:
        assert load_component(source=path).type == "command"
    train = load_job(source=root / "train-pipeline.yml")
    assert isinstance(train, PipelineJob)
    assert list(train.jobs) == ["prepare", "train", "evaluate", "register"]
    assert train.settings is not None
    assert train.settings.default_compute == "cpu-cluster"
    scoring = load_job(source=root / "batch-score-pipeline.yml")
    assert isinstance(scoring, PipelineJob)
    assert list(scoring.jobs) == ["score"]
    lake = kits[pid].context.environments[0].lake
    datastore = load_datastore(source=root / "datastore.yml")
    assert isinstance(datastore, AzureDataLakeGen2Datastore)
    assert (datastore.account_name, datastore.filesystem) == (lake["account"], lake["container"])
    assert load_environment(source=root / "environment" / "environment.yml").name == f"p{pid:03d}-stages"


def test_the_azure_ml_loader_rejects_a_broken_definition(kits: dict[int, KitResult], tmp_path: Path) -> None:
    from azure.ai.ml import load_job
    from marshmallow.exceptions import ValidationError

    broken = tmp_path / "azureml"
    shutil.copytree(kit(kits, 1) / "mlops" / "azureml", broken)
    pipeline = broken / "train-pipeline.yml"
    pipeline.write_text(pipeline.read_text().replace("default_compute:", "default_computer:"))
    with pytest.raises(ValidationError):
        load_job(source=broken / "train-pipeline.yml")


# --- Databricks: the official SDK's job settings model --------------------------------------------------------------


def databricks_jobs(root: Path) -> dict[str, dict[str, Any]]:
    jobs: dict[str, dict[str, Any]] = {}
    for path in sorted((root / "mlops" / "databricks" / "resources").glob("*.yml")):
        jobs.update(yaml.safe_load(path.read_text())["resources"]["jobs"])
    return jobs


def test_databricks_bundle_jobs_are_valid_job_settings(kits: dict[int, KitResult]) -> None:
    from databricks.sdk.service.jobs import JobSettings

    root = kit(kits, 1)
    bundle = yaml.safe_load((root / "databricks.yml").read_text())
    assert set(bundle["targets"]) == {"dev", "stage", "prod"}
    jobs = databricks_jobs(root)
    assert set(jobs) == {"training", "scoring"}
    for job in jobs.values():
        # from_dict keeps only fields the model knows: a round trip that changes nothing means no unknown key
        assert JobSettings.from_dict(job).as_dict() == job
    tasks = [t["task_key"] for t in jobs["training"]["tasks"]]
    assert tasks == ["prepare", "train", "evaluate", "register"]
    scripts = tomllib_scripts(root)
    assert {t["python_wheel_task"]["entry_point"] for t in jobs["training"]["tasks"]} <= set(scripts)


def tomllib_scripts(root: Path) -> dict[str, str]:
    import tomllib

    return dict(tomllib.loads((root / "pyproject.toml").read_text())["project"]["scripts"])


def test_the_job_settings_check_catches_an_unknown_field(kits: dict[int, KitResult]) -> None:
    from databricks.sdk.service.jobs import JobSettings

    job = databricks_jobs(kit(kits, 1))["training"]
    job["max_concurent_runs"] = job.pop("max_concurrent_runs")
    assert JobSettings.from_dict(job).as_dict() != job


# --- Data Factory: azure-mgmt-datafactory's models, in the ARM resource shape ---------------------------------------


def adf(root: Path, kind: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / "dataops" / "adf" / kind / f"{name}.json").read_text())
    return data


def test_data_factory_definitions_deserialise_with_the_official_models(kits: dict[int, KitResult]) -> None:
    from azure.mgmt.datafactory.models import BinaryDataset, CopyActivity, DatasetResource, PipelineResource

    root = kit(kits, 1)
    dataset, pipeline = adf(root, "dataset", "ds_lake_folder"), adf(root, "pipeline", "ingest")
    for data in (dataset, pipeline):
        assert set(data) == {"name", "properties"}  # the ARM child resource body: a name and its properties
    parsed_dataset = DatasetResource.deserialize(dataset)
    parsed_pipeline = PipelineResource.deserialize(pipeline)
    # serialising back gives the same JSON: no key the model does not know, no value of the wrong type
    assert parsed_dataset.serialize(keep_readonly=True) == dataset
    assert parsed_pipeline.serialize(keep_readonly=True) == pipeline
    assert isinstance(parsed_dataset.properties, BinaryDataset)
    assert parsed_dataset.properties.linked_service_name.reference_name == "ls-datalake"
    parsed = parsed_pipeline.activities or []
    activities = [a for a in parsed if isinstance(a, CopyActivity)]
    assert activities and len(activities) == len(parsed)
    paths = [(folder_path(a.inputs), folder_path(a.outputs)) for a in activities]
    assert paths == [  # 001 reads master/crm itself (datalake.read_sources); erp is published into in/
        ("master/crm/out/gold", "projects/project001/in/crm"),
        ("projects/project001/in/erp", "projects/project001/work/erp"),
    ]


def folder_path(references: list[Any] | None) -> object:
    """The ``folderPath`` a copy activity passes to its (first) dataset."""
    assert references
    return (references[0].parameters or {}).get("folderPath")


def test_the_data_factory_check_catches_an_unknown_field(kits: dict[int, KitResult]) -> None:
    from azure.mgmt.datafactory.models import PipelineResource

    pipeline = adf(kit(kits, 1), "pipeline", "ingest")
    copy = pipeline["properties"]["activities"][0]["typeProperties"]
    copy["sinks"] = copy.pop("sink")
    assert PipelineResource.deserialize(pipeline).serialize(keep_readonly=True) != pipeline


# --- CI: GitHub Actions and Azure Pipelines ------------------------------------------------------------------------


@pytest.mark.parametrize("pid", list(EXAMPLES))
def test_github_workflow_signs_in_with_oidc_and_promotes_behind_environments(
    kits: dict[int, KitResult], pid: int
) -> None:
    result = kits[pid]
    name = "mlops" if EXAMPLES[pid] == "esml" else "genaiops"
    workflow = yaml.safe_load((result.out / ".github" / "workflows" / f"{name}.yml").read_text())
    assert workflow["permissions"] == {"id-token": "write", "contents": "read"}
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert {"pull_request", "push"} <= set(triggers)
    environments = [e.name for e in result.context.environments]
    assert list(workflow["jobs"]) == ["test", *environments]
    previous = "test"
    for position, environment in enumerate(result.context.environments):
        job = workflow["jobs"][environment.name]
        assert job["needs"] == previous
        assert job["environment"] == (environment.github_environment or environment.name)
        assert ("if" in job) == (position > 0)  # only the first environment runs on pull requests
        login = next(s for s in job["steps"] if s.get("uses", "").startswith("azure/login@"))
        assert login["with"]["tenant-id"] == environment.tenant_id
        assert login["with"]["subscription-id"] == environment.subscription_id
        assert login["with"]["client-id"] == "${{ vars.AZURE_CLIENT_ID }}"
        previous = environment.name


@pytest.mark.parametrize("pid", list(EXAMPLES))
def test_azure_pipeline_has_the_same_stages(kits: dict[int, KitResult], pid: int) -> None:
    result = kits[pid]
    name = "mlops" if EXAMPLES[pid] == "esml" else "genaiops"
    pipeline = yaml.safe_load((result.out / ".azure-pipelines" / f"{name}.yml").read_text())
    stages = pipeline["stages"]
    assert [s["stage"] for s in stages] == ["test", *(e.name for e in result.context.environments)]
    for stage in stages[1:]:
        deployment = stage["jobs"][0]
        assert deployment["environment"] == f"p{pid:03d}-{stage['stage']}"
        steps = deployment["strategy"]["runOnce"]["deploy"]["steps"]
        cli = next(s for s in steps if s.get("task") == "AzureCLI@2")
        assert cli["inputs"]["azureSubscription"] == f"p{pid:03d}-{stage['stage']}"


@pytest.mark.parametrize("pid", list(EXAMPLES))
def test_no_secret_anywhere(kits: dict[int, KitResult], pid: int) -> None:
    root = kit(kits, pid)
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in root.rglob("*") if p.is_file() and p.suffix != ".csv"
    ).lower()
    assert not re.search(r"secrets\.[a-z_]", text)  # no GitHub secret is read
    for forbidden in ("client-secret", "client_secret", "accountkey", "api_key", "api-key", "sas token", "password"):
        assert forbidden not in text


# --- The kit's own code: lint and tests ----------------------------------------------------------------------------


@pytest.mark.parametrize("pid", list(EXAMPLES))
def test_kit_code_is_linted_and_its_tests_pass(kits: dict[int, KitResult], pid: int) -> None:
    root = kit(kits, pid)
    for command in ([str(RUFF), "check", "--no-cache", "."], [str(RUFF), "format", "--no-cache", "--check", "."]):
        lint = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
        assert lint.returncode == 0, lint.stdout + lint.stderr
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout and "failed" not in tests.stdout
