"""Print one environment's settings from config/environments.json as CI variables.

    python scripts/ci_env.py dev --format github >> "$GITHUB_ENV"
    python scripts/ci_env.py dev --format azure-devops

The values come from the AI factory's plan (config/environments.json is rendered by
`aifactory project template`); only the client ids Azure assigns at deployment come from CI variables.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

CONFIG = Path(__file__).resolve().parent.parent / "config" / "environments.json"


def variables(environment: dict[str, Any]) -> dict[str, str]:
    """The CI variables of one environment (only those of services the project has there)."""
    names = environment["names"]
    lake = environment["lake"]
    foundry = environment.get("foundry") or {}
    app = environment.get("app") or {}
    found: dict[str, str | None] = {
        "AIF_ENVIRONMENT": environment["name"],
        "AZURE_TENANT_ID": environment["tenant_id"],
        "AZURE_SUBSCRIPTION_ID": environment["subscription_id"],
        "RESOURCE_GROUP": names["resource_group"],
        "PROJECT_IDENTITY_ID": environment["identity"]["resource_id"],
        "KEY_VAULT": names["key_vault"],
        "CONTAINER_REGISTRY": names["container_registry"],
        "LAKE_ACCOUNT": lake["account"],
        "LAKE_CONTAINER": lake["container"],
        "LAKE_PROJECT_FOLDER": lake["project_folder"],
        "ML_WORKSPACE": names.get("machine_learning_workspace"),
        "DATA_FACTORY": names.get("data_factory"),
        "DATABRICKS_WORKSPACE": names.get("databricks_workspace"),
        "FOUNDRY_PROJECT_ENDPOINT": environment["endpoints"].get("foundry_project"),
        "SEARCH_ENDPOINT": environment["endpoints"].get("search"),
        "COSMOS_ENDPOINT": environment["endpoints"].get("cosmos"),
        "CHAT_DEPLOYMENT": foundry.get("chat_deployment"),
        "EMBEDDING_DEPLOYMENT": foundry.get("embedding_deployment"),
        "SEARCH_INDEX": app.get("search_index"),
        "COSMOS_ACCOUNT": names.get("cosmos_account"),
        "COSMOS_DATABASE": app.get("cosmos_database"),
        "COSMOS_CONTAINER": app.get("cosmos_container"),
        "APP_HOST": app.get("host"),
        "CONTAINER_APPS_ENVIRONMENT": names.get("container_apps_environment"),
        "CONTAINER_APP": names.get("container_app"),
        "WEB_APP": names.get("web_app"),
    }
    return {key: value for key, value in found.items() if value}


def render(values: dict[str, str], style: str) -> str:
    if style == "azure-devops":
        return "".join(f"##vso[task.setvariable variable={k}]{v}\n" for k, v in values.items())
    return "".join(f"{k}={v}\n" for k, v in values.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("environment")
    parser.add_argument("--format", choices=("github", "azure-devops", "shell"), default="github")
    parser.add_argument("--config", type=Path, default=CONFIG)
    args = parser.parse_args(argv)
    environments = {e["name"]: e for e in json.loads(args.config.read_text(encoding="utf-8"))}
    if args.environment not in environments:
        print(f"unknown environment {args.environment!r}; the project has {', '.join(environments)}", file=sys.stderr)
        return 2
    sys.stdout.write(render(variables(environments[args.environment]), args.format))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
