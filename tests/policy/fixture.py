"""A small factory folder at the ARM limits and with one public exception.

Project 1 has the longest slug with a Data Factory (every composed name must still fit), a budget with
the most notifications Azure allows (five), and a ``network.allow_ips`` exception: that opens its
services to the range, which the ALZ ``Deny-PublicPaaSEndpoints`` rules refuse as Azure Policy would.
The stack has no hub, so its subnets have no route to a firewall.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from tests.support import REPO, project, stack_values, write_project_files

LONG_SLUG = "customer-lifetime-value-forecasting-emea"  # 40 characters, the longest slug allowed
assert len(LONG_SLUG) == 40
PUBLIC_RANGE = "131.107.0.0/24"  # a public client range (the validator refuses documentation ranges)

PROJECTS = [
    project(
        1,
        LONG_SLUG,
        environments=["dev"],
        budget={"monthly_amount": 500, "thresholds": [50, 80, 100]},
        network={"allow_ips": [PUBLIC_RANGE]},
        services={"data_factory": {}},
    ),
    project(2, "churn", environments=["dev"]),
]

UDR_REASON = "dev has no hub firewall; the NSGs deny all traffic but the factory's own ranges"


def write_factory(folder: Path, exceptions: list[dict[str, Any]] | None = None) -> Path:
    """The repository's program with the fixture stack ``dev`` and its projects in ``folder``."""
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(REPO / name, folder / name)
    values = stack_values(
        guardrails={
            "exceptions": exceptions
            if exceptions is not None
            else [{"rule": "ALZ-DENY-SUBNET-WITHOUT-UDR", "projects": [2], "reason": UDR_REASON}]
        }
    )
    config = {f"aifactory:{key}": value for key, value in values.items()}
    (folder / "Pulumi.dev.yaml").write_text(yaml.safe_dump({"config": config}, sort_keys=False))
    write_project_files(folder, PROJECTS)
    return folder
