"""``python -m aifactory.docsgen [project-dir]``: regenerate the generated pages under ``docs/``."""

from __future__ import annotations

import sys
from pathlib import Path

from aifactory.docsgen import COMPONENT_STACKS, SHIPPED_STACKS, generated_pages, write_pages
from aifactory.offline.stack_run import load_plan, run_stack


def main() -> None:
    project_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path()
    plans = {stack: load_plan(project_dir, stack) for stack in SHIPPED_STACKS}
    runs = {stack: run_stack(project_dir, stack).run for stack in COMPONENT_STACKS}
    for path in write_pages(project_dir / "docs", generated_pages(plans, runs)):
        print(f"wrote {path}")


main()
