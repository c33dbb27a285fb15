"""Errors users can act on.

Every problem with user input becomes a :class:`ConfigProblem` that names the file, the field,
the bad value and the fix. Problems are collected and raised together in one
:class:`ConfigError`, so a user fixes everything in one pass instead of one error per run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["AifactoryError", "ConfigError", "ConfigProblem", "Invalid"]

_MAX_VALUE_CHARS = 80


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with the input, phrased in the user's own YAML vocabulary."""

    file: str
    field: str
    value: object
    message: str
    fix: str

    def render(self) -> str:
        value = repr(self.value)
        if len(value) > _MAX_VALUE_CHARS:
            value = value[: _MAX_VALUE_CHARS - 3] + "..."
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where} = {value}\n    problem: {self.message}\n    fix: {self.fix}"


class AifactoryError(Exception):
    """Base class of every error the library raises on purpose."""


class ConfigError(AifactoryError):
    """The configuration is invalid; carries every problem found, sorted by file and field."""

    def __init__(self, problems: Iterable[ConfigProblem]) -> None:
        unique = {(p.file, p.field, p.message, p.fix, repr(p.value)): p for p in problems}
        self.problems: list[ConfigProblem] = sorted(unique.values(), key=_sort_key)
        count = len(self.problems)
        header = f"{count} configuration problem{'s' if count != 1 else ''} found:"
        super().__init__("\n".join([header, *(p.render() for p in self.problems)]))


class Invalid(ValueError):  # noqa: N818 - reads naturally at raise sites: `raise Invalid(...)`
    """A validator's complaint that carries its own fix.

    Raised inside pydantic validators; the loader turns it into a :class:`ConfigProblem` with
    the file and field filled in. Model-level validators pass ``field`` (relative to the model)
    and ``value`` to point at the exact field instead of the whole model.
    """

    def __init__(self, message: str, fix: str, *, field: str | None = None, value: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.field = field
        self.value = value


def _sort_key(problem: ConfigProblem) -> tuple[str, str, str]:
    return (problem.file, problem.field, problem.message)
