"""Terminal output shared by every command (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from aifactory.errors import ConfigError

__all__ = ["console", "err_console", "print_config_error", "table"]

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def print_config_error(error: ConfigError) -> None:
    """Every problem, grouped by file, with the fix in green."""
    count = len(error.problems)
    err_console.print(f"[bold red]{count} configuration problem{'s' if count != 1 else ''} found[/]")
    current = None
    for problem in error.problems:
        if problem.file != current:
            current = problem.file
            err_console.print(f"\n[bold]{problem.file}[/]")
        value = repr(problem.value)
        if len(value) > 80:
            value = value[:77] + "..."
        field = problem.field or "(file)"
        err_console.print(f"  [cyan]{escape(field)}[/] = {escape(value)}")
        err_console.print(f"    problem: {escape(problem.message)}")
        err_console.print(f"    [green]fix:[/] {escape(problem.fix)}")


def table(title: str, *columns: str) -> Table:
    """A plain table with the house style."""
    result = Table(title=title, title_justify="left", title_style="bold", header_style="bold")
    for column in columns:
        result.add_column(column)
    return result
