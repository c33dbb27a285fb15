"""Plan benchmark: time and memory of the offline plan for N generated projects in one environment.

Usage: ``./dev.sh bench [N ...]`` (default 300). Each N runs in a fresh process (peak memory is per
process). Projects are a realistic mix: half ESML, half GenAI, sizes and services varied, spread over
subscriptions as a 300-project factory must be (4,000 role assignments per subscription).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
SUBSCRIPTIONS = [f"6f1d2c3b-0000-4000-8000-0000000{i:05d}" for i in range(2, 10)]
ESML_SERVICES: list[dict[str, Any]] = [
    {"machine_learning": {}},
    {"machine_learning": {}, "databricks": {}, "data_factory": {}},
    {"machine_learning": {"compute_instances": True}, "event_hubs": {"hubs": [{"name": "events"}]}, "aks": {}},
]
GENAI_SERVICES: list[dict[str, Any]] = [
    {"ai_foundry": {"agents": False}, "ai_search": {}},
    {"ai_foundry": {}, "ai_search": {}, "cosmos_db": {}, "container_apps": {}},
    {"ai_foundry": {}, "ai_search": {}, "cosmos_db": {}, "web_app": {}},
]


def generated_project(project_id: int) -> dict[str, Any]:
    """A deterministic, varied, valid project."""
    esml = project_id % 2 == 1
    services = (ESML_SERVICES if esml else GENAI_SERVICES)[project_id % 3]
    return {
        "id": project_id,
        "name": f"bench-project-{project_id}",
        "type": "esml" if esml else "genai",
        "cost_center": f"CC-{1000 + project_id % 40}",
        "owners": [f"lead{project_id}@contoso.com"],
        "budget": {"monthly_amount": 500 + project_id},
        "environments": ["dev", "stage", "prod"],
        "members": [
            {"principal": f"lead{project_id}@contoso.com", "persona": "team-lead"},
            {"principal": f"dev{project_id}@contoso.com", "persona": "data-scientist" if esml else "ai-developer"},
            {"principal": f"2b3c4d5e-0000-4000-8000-{project_id:012d}", "kind": "group", "persona": "reader"},
        ],
        "network": {"size": ("small", "medium", "large")[project_id % 3]},
        "services": services,
        "delivery": {"github": {"repository": f"contoso/bench-project-{project_id}"}} if project_id % 4 == 0 else {},
    }


def prepare(folder: Path, count: int, keep_aliases: bool = False) -> None:
    """A project folder like the repository's, with ``count`` generated projects and a scale-set stack."""
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(REPO / name, folder / name)
    stack = yaml.safe_load((REPO / "Pulumi.dev.yaml").read_text())
    per_subscription = 64
    stack["config"]["aifactory:project_subscriptions"] = [
        {"subscription_id": sub, "first_id": index * per_subscription + 1, "last_id": (index + 1) * per_subscription}
        for index, sub in enumerate(SUBSCRIPTIONS[: (count + per_subscription - 1) // per_subscription])
    ]
    if keep_aliases:
        stack["config"]["aifactory:keep_provider_aliases"] = True
    (folder / "Pulumi.dev.yaml").write_text(yaml.safe_dump(stack, sort_keys=False))
    projects = folder / "projects"
    projects.mkdir()
    for project_id in range(1, count + 1):
        spec = generated_project(project_id)
        (projects / f"{project_id:03d}-{spec['name']}.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))


def measure(folder: Path) -> dict[str, Any]:
    """Run in this process: the validate+plan step and the full offline run, separately timed."""
    from aifactory.offline.report import summarize
    from aifactory.offline.stack_run import load_plan, run_stack

    started = time.perf_counter()
    plan = load_plan(folder, "dev")
    planning = time.perf_counter() - started
    result = run_stack(folder, "dev")
    summary = summarize(result.run)
    return {
        "projects": len(plan.projects),
        "resources": summary.custom,
        "registrations": summary.total,
        "plan_seconds": round(planning, 2),
        "run_seconds": round(result.run.seconds, 1),
        "ms_per_resource": round(1000 * result.run.seconds / max(summary.total, 1), 2),
        "peak_rss_mib": round(result.run.peak_rss_mib),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("counts", nargs="*", type=int, default=[300])
    parser.add_argument(
        "--keep-aliases", action="store_true", help="Plan with aifactory:keep_provider_aliases (the slow path)."
    )
    parser.add_argument("--in-process", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        print(json.dumps(measure(args.in_process)))
        return
    for count in args.counts:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            prepare(folder, count, args.keep_aliases)
            started = time.perf_counter()
            output = subprocess.run(
                [sys.executable, __file__, "--in-process", str(folder)], check=True, capture_output=True, text=True
            ).stdout
            result = json.loads(output.strip().splitlines()[-1])
            result["wall_seconds"] = round(time.perf_counter() - started, 1)
            result["keep_aliases"] = args.keep_aliases
            print(json.dumps(result))


if __name__ == "__main__":
    main()
