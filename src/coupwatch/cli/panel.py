"""`coupwatch panel`: export panel rows."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coupwatch.cli.common import ExportFormat, check_out_file, friendly_errors, write_out
from coupwatch.cli.console import err_console, fail
from coupwatch.cli.tables import print_frame
from coupwatch.errors import CoupwatchError


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
    from coupwatch.store.reader import Warehouse

    with friendly_errors():
        check_out_file(out)
        with Warehouse() as warehouse:
            frame = warehouse.panel(
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
        write_out(out, lambda path: frame.to_parquet(path, index=False), "panel")
    else:
        text = frame.to_csv(index=False) if fmt is ExportFormat.csv else frame.to_json(orient="records", indent=1)
        if out is None:
            typer.echo(text)
            return
        write_out(out, lambda path: path.write_text(text, encoding="utf-8"), "panel")
    err_console.print(f"wrote {len(frame):,} rows to {out}")

