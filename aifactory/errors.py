"""Errors users can act on.

Every problem with user input becomes a :class:`ConfigProblem` that names the file, the field,
the bad value and the fix. Problems are collected and raised together in one
:class:`ConfigError`, so a user fixes everything in one pass instead of one error per run.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["AifactoryError", "ConfigError", "ConfigProblem", "Invalid", "shown"]

_MAX_VALUE_CHARS = 80


class _BoundedRepr(reprlib.Repr):
    """``repr`` that looks at a bounded part of a value: a few levels, items and characters."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxlist = self.maxtuple = self.maxset = self.maxfrozenset = self.maxdeque = 6
        self.maxdict = 4
        self.maxstring = self.maxother = limit
        self.maxlong = 40

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 128:  # repr of a huge int costs time (and fails beyond 4,300 digits)
            return f"<a {x.bit_length()}-bit number>"
        return super().repr_int(x, level)

    def repr_str(self, x: str, level: int) -> str:
        if len(x) <= self.maxstring:
            return repr(x)
        half = max((self.maxstring - 7) // 2, 1)
        return repr(x[:half]) + "..." + repr(x[-half:])


def shown(value: object, limit: int = _MAX_VALUE_CHARS) -> str:
    """A value as a problem report shows it: at most ``limit`` characters, built from a bounded part.

    Never builds the full text of a huge value (a 20 MB string, a list of 250,000 entries) just
    to cut it; long text keeps its start and its end.
    """
    try:
        text = _BoundedRepr(limit).repr(value)
    except Exception:  # a value's own __repr__ must never break the report
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with the input, phrased in the user's own YAML vocabulary."""

    file: str
    field: str
    value: object
    message: str
    fix: str

    def render(self) -> str:
        """The problem as plain text: where, the value (shortened), the problem and the fix."""
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where} = {shown(self.value)}\n    problem: {self.message}\n    fix: {self.fix}"

    def as_dict(self) -> dict[str, str]:
        """The problem for machines (``--json``): every part as text, the value shortened."""
        return {
            "file": self.file,
            "field": self.field,
            "value": shown(self.value),
            "message": self.message,
            "fix": self.fix,
        }


class AifactoryError(Exception):
    """Base class of every error the library raises on purpose."""


class ConfigError(AifactoryError):
    """The configuration is invalid; carries every problem found, sorted by file and field."""

    def __init__(self, problems: Iterable[ConfigProblem]) -> None:
        unique = {(p.file, p.field, p.message, p.fix, shown(p.value)): p for p in problems}
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
