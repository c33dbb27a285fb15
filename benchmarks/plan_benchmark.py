"""Plan benchmark: the offline plan of N generated projects, in both layouts, against a bare-SDK floor.

Usage: ``./dev.sh bench [N ...] [--repeat R] [--jobs J]`` (default: 10 100 300, once). For every N:

- ``floor``: the single layout's recorded resources registered again as plain ``CustomResource``s
  (same types, same inputs, no components, no Outputs between them) under the same mocks: what
  registering that many resources costs the Pulumi SDK alone;
- ``typed``: the same resources through their azure-native classes (top-level inputs as keyword
  arguments, the program's alias drop installed): what the provider's typed classes add to the
  floor; the few whose wire names do not map to keyword arguments register as in the floor and are
  counted (``typed_fallbacks``);
- ``single``: the single layout's offline run (``run_stack``), in the same process as the floor,
  after the same warm-up, so the per-registration costs compare;
- ``sharded``: the whole ``aifactory plan dev --jobs J`` command (process start, plan, common stack,
  every project stack in J workers, plan file), timed from outside; peak memory is the largest
  process of the command's process tree;
- ``project``: ``aifactory plan dev-p<NNN>`` for one ESML and one GenAI project right after, the
  whole command again.

Projects are a realistic mix: half ESML, half GenAI, sizes and services varied, spread over
subscriptions of 64 project ids (4,000 role assignments per subscription). Other processes share
the machine: every result carries the load average around it and the benchmark starts by listing
the busiest other processes. Compare ratios measured in one run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
PLANNED = (0, 3)
"""Exit codes of a completed plan: 3 says a guardrail fails, which the generated projects may trigger."""
BIN = Path(sys.executable).parent
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
        # Teams with a Data Factory keep its pipelines in their repository (the dev factory is Git-connected).
        "delivery": {"github": {"repository": f"contoso/bench-project-{project_id}"}}
        if project_id % 4 == 0 or "data_factory" in services
        else {},
    }


def prepare(folder: Path, count: int, layout: str = "single", keep_aliases: bool = False) -> None:
    """A project folder like the repository's, with ``count`` generated projects and a scale-set stack."""
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(REPO / name, folder / name)
    stack = yaml.safe_load((REPO / "Pulumi.dev.yaml").read_text())
    per_subscription = 64
    stack["config"]["aifactory:project_subscriptions"] = [
        {"subscription_id": sub, "first_id": index * per_subscription + 1, "last_id": (index + 1) * per_subscription}
        for index, sub in enumerate(SUBSCRIPTIONS[: (count + per_subscription - 1) // per_subscription])
    ]
    stack["config"]["aifactory:layout"] = layout
    if "aifactory:cost" in stack["config"]:  # the environment's budget must exceed its projects' budgets
        stack["config"]["aifactory:cost"]["monthly_budget"] = 2000 * count + 20000
    if keep_aliases:
        stack["config"]["aifactory:keep_provider_aliases"] = True
    (folder / "Pulumi.dev.yaml").write_text(yaml.safe_dump(stack, sort_keys=False))
    projects = folder / "projects"
    projects.mkdir()
    for project_id in range(1, count + 1):
        spec = generated_project(project_id)
        (projects / f"{project_id:03d}-{spec['name']}.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))


def measure_in_process(folder: Path) -> dict[str, Any]:
    """This process: warm up, then the single layout's run and the floor on the same resources."""
    import gc
    import resource

    import pulumi

    from aifactory.offline.parallel import preload
    from aifactory.offline.report import summarize
    from aifactory.offline.runner import run_offline
    from aifactory.offline.stack_run import load_plan, run_stack
    from aifactory.performance import install_plan_gc, register_alias_drop

    # The process runs as the aifactory command does: without the cyclic collector (aifactory.cli.entry).
    gc.disable()
    preload()
    started = time.perf_counter()
    load_plan(folder, "dev")
    planning = time.perf_counter() - started
    wall, cpu = time.perf_counter(), time.process_time()
    result = run_stack(folder, "dev")
    single_wall, single_cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    records = result.run.resources
    summary = summarize(result.run)

    def register_bare(index: int, record: Any) -> None:
        if record.custom:
            pulumi.CustomResource(record.type, f"r{index}", dict(record.inputs))
        else:
            pulumi.ComponentResource(record.type, f"r{index}")

    def floor() -> None:
        for index, record in enumerate(records):
            register_bare(index, record)

    # Resolved before the timed run: the typed floor measures registration, not class lookup.
    classes = {record.type: typed_class(record.type) for record in records if record.custom}
    fallbacks: list[str] = []

    def typed() -> None:
        register_alias_drop(keep_provider_aliases=False)
        for index, record in enumerate(records):
            cls = classes.get(record.type)
            if cls is not None:
                try:
                    cls(f"r{index}", **{python_name(key): value for key, value in record.inputs.items()})
                    continue
                except TypeError:  # a wire name that is no keyword argument: raised before registering
                    fallbacks.append(record.type)
            register_bare(index, record)

    del result
    install_plan_gc()
    registrations = len(records)
    costs: dict[str, tuple[float, float]] = {}
    for label, program in (("floor", floor), ("typed", typed)):
        wall, cpu = time.perf_counter(), time.process_time()
        run = run_offline(program, project="aifactory", stack="dev", config={})
        costs[label] = (time.perf_counter() - wall, time.process_time() - cpu)
        assert len(run.resources) == registrations
        del run
    (floor_wall, floor_cpu), (typed_wall, typed_cpu) = costs["floor"], costs["typed"]
    return {
        "projects": len(load_plan(folder, "dev").projects),
        "resources": summary.custom,
        "registrations": registrations,
        "plan_seconds": round(planning, 2),
        "single": _cost(single_wall, single_cpu, registrations) | {"peak_rss_mib": round(peak)},
        "floor": _cost(floor_wall, floor_cpu, registrations),
        "typed": _cost(typed_wall, typed_cpu, registrations) | {"typed_fallbacks": len(fallbacks)},
        "typed_over_floor_cpu": round(typed_cpu / floor_cpu, 2),
        "single_over_typed_cpu": round(single_cpu / typed_cpu, 2),
        "single_over_floor_cpu": round(single_cpu / floor_cpu, 2),
        "single_over_floor_wall": round(single_wall / floor_wall, 2),
    }


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def python_name(wire_name: str) -> str:
    """``publicIPAllocationMethod`` -> ``public_ip_allocation_method``: the keyword argument of a wire name."""
    return _CAMEL_BOUNDARY.sub("_", wire_name).lower()


def typed_class(type_token: str) -> Any:
    """The azure-native class of a type token such as ``azure-native:storage:StorageAccount``, or None."""
    package, module, name = type_token.split(":")
    if package != "azure-native":
        return None
    import pulumi

    found = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), name, None)
    return found if isinstance(found, type) and issubclass(found, pulumi.CustomResource) else None


def _cost(wall: float, cpu: float, registrations: int) -> dict[str, float]:
    return {
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "ms_per_registration_wall": round(1000 * wall / registrations, 2),
        "ms_per_registration_cpu": round(1000 * cpu / registrations, 2),
    }


def timed_command(command: list[str], cwd: Path) -> dict[str, Any]:
    """Run ``command``; wall time, CPU time and the largest peak RSS of its whole process tree."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile("w+") as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in PLANNED:
            log.seek(0)
            msg = f"{' '.join(command)} failed:\n{log.read()[-3000:]}"
            raise RuntimeError(msg)
    return {
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mib_largest_process": round(usage.ru_maxrss / 1024),
        "load_before": round(load, 1),
        "load_after": round(os.getloadavg()[0], 1),
    }


def busiest_processes() -> list[str]:
    """What else uses the CPU right now (other sessions share the machine)."""
    listing = subprocess.run(
        ["ps", "-eo", "pcpu,rss,args", "--sort=-pcpu"], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    own = str(os.getpid())
    return [line[:140] for line in listing[1:8] if own not in line]


def bench(count: int, jobs: int | None, keep_aliases: bool) -> dict[str, Any]:
    result: dict[str, Any] = {"n": count}
    with tempfile.TemporaryDirectory(prefix="aifactory-bench-") as tmp:
        single = Path(tmp) / "single"
        sharded = Path(tmp) / "sharded"
        single.mkdir()
        sharded.mkdir()
        prepare(single, count, "single", keep_aliases)
        prepare(sharded, count, "sharded", keep_aliases)
        load = os.getloadavg()[0]
        output = subprocess.run(
            [sys.executable, __file__, "--in-process", str(single)], check=True, capture_output=True, text=True
        ).stdout
        result.update(json.loads(output.strip().splitlines()[-1]))
        result["single"]["load"] = round(load, 1)
        plan = [str(BIN / "aifactory"), "plan", "dev"] + (["--jobs", str(jobs)] if jobs else [])
        result["sharded"] = timed_command(plan, sharded)
        document = json.loads((sharded / "plans" / "dev.json").read_text())
        result["sharded"]["stacks"] = len(document["stacks"])
        result["sharded"]["common_stack_resources"] = document["stacks"]["dev"]["resources"]
        esml, genai = (count + 1) // 2 * 2 - 1, count // 2 * 2
        result["project_stack"] = {
            f"dev-p{project_id:03d}": timed_command([str(BIN / "aifactory"), "plan", f"dev-p{project_id:03d}"], sharded)
            for project_id in (esml, genai)
            if project_id >= 1
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("counts", nargs="*", type=int, default=[10, 100, 300])
    parser.add_argument("--repeat", type=int, default=1, help="Measure every N this many times.")
    parser.add_argument("--jobs", type=int, help="Worker processes for the sharded plan. Default: all cores.")
    parser.add_argument(
        "--keep-aliases", action="store_true", help="Plan with aifactory:keep_provider_aliases (the slow path)."
    )
    parser.add_argument("--in-process", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        print(json.dumps(measure_in_process(args.in_process)))
        return
    print(json.dumps({"cores": len(os.sched_getaffinity(0)), "busiest_other_processes": busiest_processes()}))
    for _ in range(args.repeat):
        for count in args.counts:
            print(json.dumps(bench(count, args.jobs, args.keep_aliases)), flush=True)


if __name__ == "__main__":
    main()
