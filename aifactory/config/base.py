"""The base of every config model, and how a model reports several problems at once."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from aifactory.errors import Invalid

__all__ = ["ConfigModel", "raise_all"]


class ConfigModel(BaseModel):
    """Unknown keys are errors (typos surface at once); loaded values never change afterwards."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def raise_all(model: type[BaseModel], problems: Sequence[Invalid]) -> None:
    """Raise every problem of a model-level validator together (nothing when there is none).

    A validator that raises :class:`Invalid` stops at the first problem; this raises one
    ``ValidationError`` with one line per problem, each carrying its :class:`Invalid`, so the loader
    reports them all with their fields and fixes (``config/problems.py``).
    """
    if not problems:
        return
    errors = [
        InitErrorDetails(
            type=PydanticCustomError("invalid", "{message}", {"message": problem.message, "error": problem}),
            loc=(),
            input=problem.value,
        )
        for problem in problems
    ]
    raise ValidationError.from_exception_data(model.__name__, errors)
