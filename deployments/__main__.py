"""Pulumi Deployments as code for the factory one folder up (see docs/deployments.md)."""

from pathlib import Path

from aifactory.delivery.pulumi_cloud import run

run(Path(__file__).resolve().parent.parent)
