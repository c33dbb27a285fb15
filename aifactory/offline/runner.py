"""Run a Pulumi program offline, under mocks, and collect everything it would register.

This is what ``aifactory plan`` and the whole-stack tests use: the real program, the real config
map (as the engine would pass it), no Pulumi CLI, no Azure credentials.
"""

from __future__ import annotations

import resource
import runpy
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

from aifactory.config.layout import DEFAULT_ORGANIZATION
from aifactory.offline.mocks import OfflineMocks, RecordedResource, RecordingMonitor
from aifactory.performance import cyclic_gc_paused

__all__ = ["OfflineRun", "main_program", "run_offline"]


@dataclass
class OfflineRun:
    """What one offline run registered, in URN order, with the stack outputs and its cost."""

    project: str
    stack: str
    resources: list[RecordedResource]
    outputs: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_mib: float = 0.0

    def of_type(self, type_token: str) -> list[RecordedResource]:
        """Registered resources of one type token, e.g. ``azure-native:network:Subnet``."""
        return [r for r in self.resources if r.type == type_token]

    def named(self, name: str) -> RecordedResource:
        """The resource with logical name ``name`` (raises if absent or ambiguous)."""
        found = [r for r in self.resources if r.name == name]
        if len(found) != 1:
            msg = f"expected one resource named {name!r}, found {len(found)}"
            raise KeyError(msg)
        return found[0]

    def children_of(self, parent_urn: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.parent == parent_urn]


def main_program(project_dir: Path) -> Callable[[], None]:
    """The project's real ``__main__.py`` as a callable, run the way the Python language host runs it."""
    entry = project_dir / "__main__.py"

    def run() -> None:
        runpy.run_path(str(entry), run_name="__main__")

    return run


def run_offline(
    program: Callable[[], object],
    *,
    project: str,
    stack: str,
    config: Mapping[str, str],
    subscription_id: str = "00000000-0000-0000-0000-000000000000",
    tenant_id: str = "00000000-0000-0000-0000-000000000000",
    preview: bool = False,
    organization: str = DEFAULT_ORGANIZATION,
    stack_outputs: Mapping[str, Mapping[str, Any]] | None = None,
    on_register: Callable[[int], None] | None = None,
    existing_network: Mapping[tuple[str, ...], Mapping[str, Any]] | None = None,
) -> OfflineRun:
    """Run ``program`` under mocks with ``config`` and return what it registered.

    ``stack_outputs`` answers the program's ``StackReference``s: recorded outputs of other stacks
    by fully qualified name; ``existing_network`` the reads of brought VNets and subnets
    (:mod:`aifactory.offline.existing_network`). Every run starts from a fresh runtime state (root resource, settings,
    config, mocks), so one process can run many stacks one after the other.
    """
    started = time.perf_counter()
    pulumi.runtime.reset_options(project=project, stack=stack, preview=preview, organization=organization)
    pulumi.runtime.set_all_config(dict(config), secret_keys=[])
    mocks = OfflineMocks(subscription_id, tenant_id, stack_outputs, existing_network)
    monitor = RecordingMonitor(mocks, on_register)
    pulumi.runtime.set_mocks(
        mocks, project=project, stack=stack, preview=preview, monitor=monitor, organization=organization
    )
    outputs: dict[str, Any] = {}

    def body() -> pulumi.Output[None]:
        program()
        root = pulumi.runtime.get_root_resource()
        exported: dict[str, Any] = dict(getattr(root, "outputs", {}) or {})
        return pulumi.Output.from_input(exported).apply(lambda resolved: outputs.update(resolved or {}))

    with cyclic_gc_paused():
        pulumi.runtime.test(body)()  # type: ignore[no-untyped-call]
    resources = [monitor.recorded[urn] for urn in sorted(monitor.recorded)]
    return OfflineRun(
        project=project,
        stack=stack,
        resources=resources,
        outputs=outputs,
        seconds=time.perf_counter() - started,
        peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
