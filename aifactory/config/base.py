"""The base of every config model: strict about unknown fields, immutable once loaded."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["ConfigModel"]


class ConfigModel(BaseModel):
    """Unknown keys are errors (typos surface at once); loaded values never change afterwards."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
