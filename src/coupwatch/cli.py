"""The ``coupwatch`` command line: data, panel and (as they land) analysis commands."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from coupwatch import config
from coupwatch.errors import CoupwatchError

app = typer.Typer(
    name="coupwatch",
    help="Coup risk, security assistance and governance from the publishers' own data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(help="Build and inspect the data warehouse.", no_args_is_help=True)
app.add_typer(data_app, name="data")

# Tables piped to a file or read by a program keep their full width instead of folding at 80 columns.
console = Console() if sys.stdout.isatty() else Console(width=220)
err_console = Console(stderr=True)


def fail(exc: BaseException) -> None:
    err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=1)


@contextmanager
def friendly_errors() -> Iterator[None]:
    try:
        yield
    except (CoupwatchError, KeyError, ValueError, LookupError) as exc:
        fail(exc)


@contextmanager
def progress_reporter(label: str) -> Iterator[object]:
    progress = Progress(
        TextColumn(f"[bold]{label}[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
        disable=not err_console.is_terminal and not sys.stderr.isatty(),
    )
    with progress:
        task = progress.add_task("", total=1)

        def report(step: str, done: int, total: int) -> None:
            progress.update(task, description=step, completed=done, total=max(total, 1))

        yield report


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
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:,.4g}"
    return str(value)


def print_frame(frame: pd.DataFrame, title: str | None = None, max_rows: int = 60) -> None:
    table = RichTable(title=title, show_lines=False, header_style="bold")
    for column in frame.columns:
        table.add_column(str(column), overflow="fold")
    for row in frame.head(max_rows).itertuples(index=False):
        table.add_row(*[_cell(v) for v in row])
    console.print(table)
    if len(frame) > max_rows:
        console.print(f"... {len(frame) - max_rows} more rows")


# ---------------------------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------------------------

MirrorOption = Annotated[
    str | None,
    typer.Option(
        "--mirror",
        help="Folder (or http(s) base URL) holding the publishers' files; default $COUPWATCH_MIRROR, "
        "else download from the publishers.",
    ),
]


@data_app.command("build")
def data_build(mirror: MirrorOption = None) -> None:
    """Fetch, validate and harmonise every source into warehouse.duckdb (all-or-nothing)."""
    from coupwatch import warehouse

    with friendly_errors(), progress_reporter("build") as report:
        result = warehouse.build(mirror=mirror, report=report)  # type: ignore[arg-type]
    console.print(
        f"[green]built[/] {result.path} in {result.seconds:.1f} s: {len(result.provenance)} tables, "
        f"{result.panel_rows:,} country-years, {result.month_rows:,} country-months"
    )
    data_summary()


@data_app.command("summary")
def data_summary() -> None:
    """What the warehouse holds: sources, versions, rows, years covered."""
    from coupwatch.warehouse import connection

    with friendly_errors(), connection() as con:
        frame = con.execute(
            "SELECT source, version, table_name AS table, rows, first_year, last_year, origin "
            "FROM provenance ORDER BY source, table_name"
        ).df()
    print_frame(frame, title="Warehouse contents", max_rows=200)


@data_app.command("sources")
def data_sources(
    files: Annotated[bool, typer.Option("--files", help="One row per file: official URL and pinned sha256")] = False,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """Every source: publisher, version, licence and coverage (or, with --files, URLs and hashes)."""
    from coupwatch.sources import all_sources

    if files:
        rows = [
            {"source": spec.name, "file": f.filename, "url": f.url, "sha256": f.sha256, "note": f.note}
            for spec in all_sources()
            for f in spec.files
        ]
    else:
        rows = [
            {
                "source": spec.name,
                "publisher": spec.publisher,
                "version": spec.version,
                "licence": spec.licence,
                "coverage": spec.coverage,
            }
            for spec in all_sources()
        ]
    emit(pd.DataFrame(rows), fmt, title="Sources")


@data_app.command("cite")
def data_cite(
    sources: Annotated[list[str] | None, typer.Argument(help="Source names (default: all)")] = None,
) -> None:
    """BibTeX for every source (or the ones named)."""
    from coupwatch.sources import all_sources

    specs = all_sources()
    known = {s.name for s in specs}
    unknown = [s for s in sources or [] if s not in known]
    if unknown:
        fail(CoupwatchError(f"unknown source(s) {unknown}; known: {', '.join(sorted(known))}"))
    seen = set()
    for spec in specs:
        if sources and spec.name not in sources:
            continue
        if spec.citation in seen:
            continue
        seen.add(spec.citation)
        typer.echo(f"% {spec.name}: {spec.title}, {spec.version}")
        typer.echo(spec.citation.strip() + "\n")


@data_app.command("check")
def data_check(mirror: MirrorOption = None, show_all: bool = typer.Option(False, "--all")) -> None:
    """List every source row that did not map to a Gleditsch-Ward state, by source.

    Unmapped identifiers fail the build; ignored ones (with a reason) and rows outside a state's lifetime
    are listed too, with --all one line per identifier.
    """
    from coupwatch import warehouse
    from coupwatch.states.crosswalk import summary

    with friendly_errors(), progress_reporter("check") as report:
        parsed = warehouse.parse_sources(mirror=mirror, report=report)  # type: ignore[arg-type]
    print_frame(summary(parsed.frames), title="Rows by mapping status", max_rows=200)
    details = parsed.mapping_report()
    unmapped = details[details["status"] == "unmapped"]
    if show_all:
        print_frame(details, title="Every identifier that is not simply mapped", max_rows=5000)
    if len(unmapped):
        print_frame(unmapped, title="[red]Unmapped identifiers (these fail the build)[/]", max_rows=5000)
        raise typer.Exit(code=1)
    console.print("[green]every row maps to a state, is outside a state's lifetime, or is ignored with a reason[/]")


# ---------------------------------------------------------------------------------------------------------
# panel
# ---------------------------------------------------------------------------------------------------------

class ExportFormat(StrEnum):
    table = "table"
    csv = "csv"
    parquet = "parquet"
    json = "json"


@app.command("panel")
def panel_export(
    country: Annotated[list[str] | None, typer.Option("--country", "-c", help="ISO3, GW code or name")] = None,
    from_year: Annotated[int | None, typer.Option("--from")] = None,
    to_year: Annotated[int | None, typer.Option("--to")] = None,
    columns: Annotated[str | None, typer.Option(help="Comma-separated columns (default all)")] = None,
    monthly: Annotated[bool, typer.Option("--monthly", help="Country-month panel")] = False,
    fmt: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.table,
    out: Annotated[Path | None, typer.Option("--out", help="File to write (default stdout)")] = None,
) -> None:
    """Export panel rows (country-year, or country-month with --monthly)."""
    from coupwatch.queries import panel_rows

    with friendly_errors():
        frame = panel_rows(
            countries=country, first_year=from_year, last_year=to_year,
            columns=columns.split(",") if columns else None, monthly=monthly,
        )
    if fmt is ExportFormat.parquet and out is None:
        fail(CoupwatchError("--format parquet needs --out FILE"))
    if fmt is ExportFormat.table:
        print_frame(frame, max_rows=500)
        return
    if fmt is ExportFormat.parquet:
        assert out is not None
        frame.to_parquet(out, index=False)
    else:
        text = frame.to_csv(index=False) if fmt is ExportFormat.csv else frame.to_json(orient="records", indent=1)
        if out is None:
            typer.echo(text)
            return
        out.write_text(text, encoding="utf-8")
    err_console.print(f"wrote {len(frame):,} rows to {out}")


@app.callback()
def main(
    home: Annotated[
        Path | None, typer.Option("--home", help="Folder for the warehouse (default $COUPWATCH_HOME)")
    ] = None,
) -> None:
    if home is not None:
        import os

        os.environ[config.HOME_ENV] = str(home)
