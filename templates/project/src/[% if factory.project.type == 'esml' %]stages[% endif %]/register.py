"""Register: put the evaluated model in the model registry, only when the evaluation passed.

Two registries, one rule: ``--registry azureml`` registers in the project's Azure ML workspace (as
the job's managed identity, the project identity); ``--registry mlflow`` registers with MLflow, as a
Databricks job does. The SDKs are imported only by the registry that needs them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from stages.evaluate import REPORT

Registrar = Callable[[str, Path, dict[str, str]], str]


def run(
    model_dir: Path, evaluation_dir: Path, model_name: str, register: Registrar, publish: Path | None = None
) -> str | None:
    """Register ``model_dir`` as ``model_name`` if its evaluation passed; the registered version, or None.

    ``publish`` also copies a registered model there (the Databricks scoring job reads the current model from it).
    """
    report = json.loads((evaluation_dir / REPORT).read_text(encoding="utf-8"))
    if not report["passed"]:
        print(f"not registering {model_name}: evaluation did not pass ({report['metrics']})")
        return None
    tags = {f"metric.{k}": f"{v:.4f}" for k, v in report["metrics"].items()}
    tags["git_commit"] = os.environ.get("GIT_COMMIT", "unknown")
    version = register(model_name, model_dir, tags)
    if publish is not None:
        shutil.rmtree(publish, ignore_errors=True)
        shutil.copytree(model_dir, publish)
    return version


def azureml_registrar(subscription_id: str, resource_group: str, workspace: str) -> Registrar:
    """Registers in the Azure ML workspace with the job's managed identity (no keys, no secrets)."""

    def register(name: str, path: Path, tags: dict[str, str]) -> str:
        from azure.ai.ml import MLClient
        from azure.ai.ml.entities import Model
        from azure.identity import DefaultAzureCredential, ManagedIdentityCredential

        client_id = os.environ.get("DEFAULT_IDENTITY_CLIENT_ID")
        credential = ManagedIdentityCredential(client_id=client_id) if client_id else DefaultAzureCredential()
        client = MLClient(credential, subscription_id, resource_group, workspace)
        model = client.models.create_or_update(Model(name=name, path=str(path), type="custom_model", tags=tags))
        return str(model.version)

    return register


def mlflow_registrar() -> Registrar:
    """Registers with MLflow (Databricks: the workspace's or Unity Catalog's model registry)."""

    def register(name: str, path: Path, tags: dict[str, str]) -> str:
        import mlflow

        with mlflow.start_run() as active:
            mlflow.set_tags(tags)
            mlflow.log_artifacts(str(path), artifact_path="model")
        version = mlflow.register_model(f"runs:/{active.info.run_id}/model", name, tags=tags)
        return str(version.version)

    return register


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--evaluation", type=Path, required=True)
    parser.add_argument("--model-name", required=True)
    parser.add_argument("--registry", choices=("azureml", "mlflow"), default="azureml")
    parser.add_argument("--publish", type=Path, default=None, help="also copy a registered model to this folder")
    parser.add_argument("--subscription-id", default="")
    parser.add_argument("--resource-group", default="")
    parser.add_argument("--workspace", default="")
    args = parser.parse_args(argv)
    if args.registry == "azureml":
        # Empty inputs fall back to the workspace Azure ML runs the job in (it sets AZUREML_ARM_*).
        registrar = azureml_registrar(
            args.subscription_id or os.environ.get("AZUREML_ARM_SUBSCRIPTION", ""),
            args.resource_group or os.environ.get("AZUREML_ARM_RESOURCEGROUP", ""),
            args.workspace or os.environ.get("AZUREML_ARM_WORKSPACE_NAME", ""),
        )
    else:
        registrar = mlflow_registrar()
    version = run(args.model, args.evaluation, args.model_name, registrar, args.publish)
    print(json.dumps({"model": args.model_name, "version": version}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
