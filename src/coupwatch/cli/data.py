"""`coupwatch data ...`: build, summarise, cite and check the warehouse."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import typer

from coupwatch.cli.common import friendly_errors, progress_reporter
from coupwatch.cli.console import console, fail
from coupwatch.cli.tables import emit, print_frame
from coupwatch.errors import CoupwatchError

data_app = typer.Typer(help="Build and inspect the data warehouse.", no_args_is_help=True)

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
    from coupwatch.store import build as warehouse

    with friendly_errors(), progress_reporter("build") as report:
        result = warehouse.build(mirror=mirror, report=report)
    console.print(
        f"[green]built[/] {result.path} in {result.seconds:.1f} s: {len(result.provenance)} tables, "
        f"{result.panel_rows:,} country-years, {result.month_rows:,} country-months"
    )
    data_summary()


@data_app.command("summary")
def data_summary() -> None:
    """What the warehouse holds: sources, versions, rows, years covered."""
    from coupwatch.store.reader import Warehouse

    with friendly_errors(), Warehouse() as warehouse:
        frame = warehouse.contents()
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
    from coupwatch.states.crosswalk import summary
    from coupwatch.store import build as warehouse

    with friendly_errors(), progress_reporter("check") as report:
        parsed = warehouse.parse_sources(mirror=mirror, report=report)
    print_frame(summary(parsed.frames), title="Rows by mapping status", max_rows=200)
    details = parsed.mapping_report()
    unmapped = details[details["status"] == "unmapped"]
    if show_all:
        print_frame(details, title="Every identifier that is not simply mapped", max_rows=5000)
    if len(unmapped):
        print_frame(unmapped, title="[red]Unmapped identifiers (these fail the build)[/]", max_rows=5000)
        raise typer.Exit(code=1)
    console.print("[green]every row maps to a state, is outside a state's lifetime, or is ignored with a reason[/]")

