"""How every ``aifactory`` command ends: one place maps outcomes to exit codes.

| code | meaning |
|---|---|
| 0 | success |
| 1 | invalid input: the configuration has problems (all of them are listed) |
| 2 | usage error: a bad command line (unknown option, missing argument, ``-C`` not a folder) |
| 3 | the plan is valid but a mandatory guardrail fails without a recorded exception (``plan``, ``check``) |
| 70 | internal error: a bug in aifactory; the traceback is shown with a request to report it |

:class:`CommandGroup` is the click group class of the root app and of every sub-app, so the
mapping applies to every command, under the console script and under ``CliRunner`` alike:
a :class:`~aifactory.errors.ConfigError` prints its report and exits 1; typer's own usage errors
keep their code 2; anything unexpected prints the traceback and exits 70. A command that finds a
failing guardrail after printing its report ends with ``raise typer.Exit(ExitCode.GUARDRAIL_FAILED)``;
a command with its own convention (``diff``) raises ``typer.Exit`` with its codes the same way.
"""

from __future__ import annotations

import json
import sys
import traceback
from enum import IntEnum
from typing import Any

import typer
from typer.core import TyperGroup

from aifactory.cli.console import err_console, print_config_error
from aifactory.errors import ConfigError

__all__ = ["JSON_OUTPUT", "CommandGroup", "ExitCode", "mark_json_output"]

JSON_OUTPUT = "aifactory.json_output"
"""Context meta key: the command prints JSON on stdout, so problems go there as JSON too."""


class ExitCode(IntEnum):
    """Exit codes of the ``aifactory`` command (documented in the README)."""

    OK = 0
    INVALID_INPUT = 1
    USAGE = 2
    GUARDRAIL_FAILED = 3
    INTERNAL_ERROR = 70


class CommandGroup(TyperGroup):
    """A typer group that ends every command by the exit-code convention above."""

    def invoke(self, ctx: Any) -> Any:  # typer's (vendored) click Context
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except ConfigError as exc:
            report_problems(exc, as_json=bool(ctx.meta.get(JSON_OUTPUT)))
            raise typer.Exit(ExitCode.INVALID_INPUT) from None
        except Exception:
            report_internal_error()
            raise typer.Exit(ExitCode.INTERNAL_ERROR) from None


def mark_json_output(ctx: typer.Context, value: bool) -> bool:
    """Callback of every ``--json`` option: problems are then also printed as JSON on stdout."""
    if value:
        ctx.meta[JSON_OUTPUT] = True
    return value


def report_problems(error: ConfigError, *, as_json: bool) -> None:
    """The human report on stderr; with ``--json`` also ``{"ok": false, "problems": [...]}`` on stdout."""
    print_config_error(error)
    if as_json:
        document = {
            "ok": False,
            "exit_code": int(ExitCode.INVALID_INPUT),
            "problems": [p.as_dict() for p in error.problems],
        }
        sys.stdout.write(json.dumps(document, indent=1) + "\n")


def report_internal_error() -> None:
    """A bug, not a configuration problem: the traceback, and how to get it fixed."""
    err_console.print(traceback.format_exc(), markup=False, highlight=False, end="")
    err_console.print(
        "[bold red]aifactory hit an internal error[/] - this is a bug in aifactory, not a problem with your "
        f"configuration (exit code {int(ExitCode.INTERNAL_ERROR)}). Please report it to the aifactory maintainers "
        "(the issue tracker of the repository you got aifactory from) with the command line and the traceback above."
    )
