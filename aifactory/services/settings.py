"""The base of every service's settings model (what a project writes under ``services.<name>``)."""

from __future__ import annotations

from pydantic import Field

from aifactory.config.base import ConfigModel

__all__ = ["ServiceSettings"]


class ServiceSettings(ConfigModel):
    """Fields every service shares."""

    enabled: bool = Field(default=True, description="Optional. Turn the service off without deleting its settings.")
