"""Terminal output shared by every command (rich): consoles, the problem report and tables that never cut.

Two rules hold for everything printed here:

- **User text is text.** File names, values and names from the configuration are never read as
  rich markup: table cells become :class:`~rich.text.Text` as they are, and the problem report
  escapes every part. ``[bold]`` in a file name prints as ``[bold]``.
- **The values that matter are never cut.** A :class:`Listing` column marked with :func:`keep`
  (address ranges, subscription ids, principals, resource names) is never shortened: other columns
  wrap, and when even that cannot fit the terminal, the listing switches to a narrower layout
  that prints each row as ``column: value`` lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from aifactory.errors import ConfigError, shown

__all__ = ["Col", "Listing", "console", "err_console", "keep", "lines", "print_config_error", "table"]

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

_FOLDED_MINIMUM = 6
"""Narrowest a wrapping column may get before the listing switches to its narrow layout."""


@dataclass(frozen=True)
class Col:
    """A column of a :class:`Listing`; ``keep`` columns hold values that must never be cut."""

    header: str
    keep: bool = False


def keep(header: str) -> Col:
    """A column whose values are never shortened (ranges, ids, principals, names)."""
    return Col(header, keep=True)


Cell = str | Text


class Listing:
    """A titled table that fits the terminal without cutting its :func:`keep` columns."""

    def __init__(self, title: str, *columns: str | Col) -> None:
        self.title = title
        self.columns = [c if isinstance(c, Col) else Col(c) for c in columns]
        self.rows: list[tuple[list[Text], bool]] = []

    def add_row(self, *cells: Cell, end_section: bool = False) -> None:
        """One row; plain strings are shown as they are (never as markup)."""
        self.rows.append(([c if isinstance(c, Text) else Text(c) for c in cells], end_section))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self._table_width() <= options.max_width:
            yield self._table()
        else:
            yield self._stacked()

    def _content_width(self, index: int) -> int:
        """Widest line of the column's cells (its header may wrap)."""
        cells = [row[index] for row, _ in self.rows if index < len(row)]
        return max([1, *(_longest_line(c) for c in cells)])

    def _table_width(self) -> int:
        """The narrowest this table can be: keep columns whole, the others folded to a few characters."""
        total = len(self.columns) + 1  # borders
        for index, column in enumerate(self.columns):
            natural = max(self._content_width(index), cell_len(column.header))
            total += 2 + (self._content_width(index) if column.keep else min(natural, _FOLDED_MINIMUM))
        return total

    def _table(self) -> Table:
        result = Table(title=Text(self.title), title_justify="left", title_style="bold", header_style="bold")
        for index, column in enumerate(self.columns):
            if column.keep:  # a fixed width: rich never shrinks it, and only the header may wrap
                result.add_column(column.header, width=self._content_width(index), overflow="fold")
            else:
                result.add_column(column.header, overflow="fold")
        for cells, end_section in self.rows:
            result.add_row(*cells, end_section=end_section)
        return result

    def _stacked(self) -> Group:
        """The narrow layout: every row as ``column: value`` lines, rows apart."""
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        for number, (cells, _) in enumerate(self.rows):
            if number:
                grid.add_row("", "")
            for column, cell in zip(self.columns, cells, strict=False):
                if cell.plain:
                    grid.add_row(f"{column.header}:", cell)
        return Group(Text(self.title, style="bold"), grid)


def _longest_line(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.split("\n")), default=0)


def table(title: str, *columns: str | Col) -> Listing:
    """A listing in the house style (see :class:`Listing`)."""
    return Listing(title, *columns)


def print_config_error(error: ConfigError, out: Console | None = None) -> None:
    """Every problem, grouped by file, with the fix in green; every part escaped."""
    target = out or err_console
    count = len(error.problems)
    target.print(f"[bold red]{count} configuration problem{'s' if count != 1 else ''} found[/]")
    current = None
    for problem in error.problems:
        if problem.file != current:
            current = problem.file
            target.print(f"\n[bold]{escape(problem.file)}[/]")
        field = problem.field or "(file)"
        target.print(f"  [cyan]{escape(field)}[/] = {escape(shown(problem.value))}")
        target.print(f"    problem: {escape(problem.message)}")
        target.print(f"    [green]fix:[/] {escape(problem.fix)}")


def lines(items: Iterable[str]) -> str:
    """Several values of one cell, one per line (so each stays whole)."""
    return "\n".join(items)
