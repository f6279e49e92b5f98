"""The one table formatter: every command's tables fit 100 columns (numbers never wrap; wide tables split by
columns), and the cells, CSV and JSON it writes."""

from __future__ import annotations

import re

import pandas as pd
import typer
from rich.table import Table as RichTable

from coupwatch.cells import is_missing
from coupwatch.cli.console import console, fail
from coupwatch.errors import CoupwatchError


def emit(frame: pd.DataFrame, fmt: str, title: str | None = None) -> None:
    """Write a frame as a table, CSV or JSON to standard output."""
    if fmt == "csv":
        typer.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "json":
        typer.echo(frame.to_json(orient="records", indent=1))
    elif fmt == "table":
        print_frame(frame, title=title, max_rows=10_000)
    else:
        fail(CoupwatchError(f"--format {fmt!r} is not one of: table, csv, json"))


def _cell(value: object) -> str:
    if is_missing(value):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:,.4g}"
    return str(value)


_NUMBER = re.compile(r"^[-+−±$]?[\d,.]+(%| pts| pp| points)?$|^[-+−]?[\d.]+%? ?\[[^\]]*\]$")


def _column_groups(header: list[str], cells: list[list[str]], numeric: list[bool], width: int) -> list[list[int]]:
    """Columns split into tables that fit ``width``: the first column repeats in each; numbers never wrap."""
    def needed(i: int) -> int:
        longest = max([len(row[i]) for row in cells] + [0])
        head = max((len(word) for word in header[i].split()), default=1)
        return max(longest if numeric[i] else min(longest, 14), head) + 3

    groups: list[list[int]] = [[]]
    used = needed(0) + 1 if header else 0
    for i in range(1, len(header)):
        if groups[-1] and used + needed(i) > width:
            groups.append([])
            used = needed(0) + 1
        groups[-1].append(i)
        used += needed(i)
    return [[0, *group] for group in groups] if header else [[]]


def print_frame(frame: pd.DataFrame, title: str | None = None, max_rows: int = 60) -> None:
    """A table that fits the terminal: numbers never wrap, text wraps between words, and a table too wide for
    the terminal is split by columns (the first column repeated)."""
    header = [str(c) for c in frame.columns]
    cells = [[_cell(v) for v in row] for row in frame.head(max_rows).itertuples(index=False)]
    numeric = [bool(cells) and all(not row[i] or _NUMBER.match(row[i]) for row in cells) for i in range(len(header))]
    groups = _column_groups(header, cells, numeric, console.width)
    for part, group in enumerate(groups):
        suffix = f" ({part + 1} of {len(groups)})" if len(groups) > 1 and title else ""
        table = RichTable(title=(title or "") + suffix or None, show_lines=False, header_style="bold")
        for i in group:
            if numeric[i]:
                table.add_column(header[i], no_wrap=True, justify="right")
            else:
                table.add_column(header[i], overflow="fold")
        for row in cells:
            table.add_row(*[row[i] for i in group])
        console.print(table)
    if len(frame) > max_rows:
        console.print(f"... {len(frame) - max_rows} more rows")


def echo_json(payload: object) -> None:
    """A JSON document (notes and rows) on standard output; values JSON lacks (dates, paths) as text."""
    import json

    typer.echo(json.dumps(payload, indent=1, default=str))


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """A frame as JSON-ready rows (missing values as null), for :func:`echo_json`."""
    import json

    return list(json.loads(frame.to_json(orient="records")))


def indicator_cell(column: str, value: object) -> str:
    """Readable cell: dollars with separators, 0-1 shares and percents as percent, indices to 3 places."""
    if is_missing(value):
        return ""
    if isinstance(value, str):
        return value
    number = float(value)  # type: ignore[arg-type]
    if column.endswith("_usd"):
        return f"{number:,.0f}"
    if column.endswith("_share") or column.endswith("_share_us_aid"):
        return f"{number * 100:.1f}%"
    if column.endswith("_pct") or column in ("milex_gdp", "milex_gdp_base"):
        return f"{number:.2f}%"
    if column.endswith("_pp"):
        return f"{number:+.2f} pp"
    return f"{number:.3f}"


def percent_cell(share: float, places: int = 1) -> str:
    """A 0-1 share as a percent (0.123 -> 12.3%); a missing value as an empty cell."""
    return "" if is_missing(share) else f"{share:.{places}%}"


def percent_range_cell(low: float, high: float) -> str:
    """An interval of 0-1 shares as percents (1.2%–3.4%); a missing interval as an empty cell."""
    return "" if is_missing(low) else f"{low:.1%}–{high:.1%}"


def points_cell(change: float) -> str:
    """A change of a 0-1 share in percentage points, signed (+1.2 pts); a missing change as an empty cell."""
    return "" if is_missing(change) else f"{change * 100:+.1f} pts"


def interval_cell(value: float, low: float, high: float, percent: bool = True) -> str:
    """A risk as a percent, or a difference in percentage points, with its interval when it has one."""
    if pd.isna(low) or pd.isna(high):
        return f"{value:.1%}" if percent else f"{value * 100:+.2f}"
    if percent:
        return f"{value:.1%} [{low:.1%}, {high:.1%}]"
    return f"{value * 100:+.2f} [{low * 100:+.2f}, {high * 100:+.2f}]"

