"""`coupwatch brief`: a country brief or a regional comparison (HTML, optionally PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coupwatch.cli.common import friendly_errors
from coupwatch.cli.console import console
from coupwatch.errors import CoupwatchError


def brief_command(
    country: Annotated[str | None, typer.Argument(help="ISO3 code (e.g. MLI), Gleditsch-Ward code or name")] = None,
    year: Annotated[int | None, typer.Option(help="Data year (default: the last year with observed coup data); the "
                                                  "forecast shown is for the year after")] = None,
    peers: Annotated[str | None, typer.Option(help="Comma-separated peers, e.g. NER,BFA (default: the country's "
                                                   "group, e.g. the G5 Sahel, else its UN subregion)")] = None,
    region: Annotated[str | None, typer.Option(help="A regional comparison instead of a country: sahel (with the "
                                                    "coastal watch), west_africa or coastal_west_africa")] = None,
    base_year: Annotated[int | None, typer.Option("--base-year", help="Base year for changes (military burden, "
                                                                      "aid, governance; default 2012, or ten years "
                                                                      "before --year when that is 2012 or "
                                                                      "earlier)")] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write an A4 PDF (WeasyPrint, local content only)")] = False,
    out: Annotated[Path, typer.Option(help="Folder to write into")] = Path("."),
) -> None:
    """A country brief (brief-<ISO3>-<year>.html, with --pdf also .pdf) or, with --region, a regional comparison.

    Every number comes from the warehouse, the saved backtest and the saved forecast (a missing forecast for the
    year after --year is computed and saved first; that takes a minute).
    """
    from coupwatch.report.brief import write_brief, write_region

    with friendly_errors():
        if (country is None) == (region is None):
            raise CoupwatchError("give a country (e.g. `coupwatch brief MLI`) or --region sahel, not both or neither")
        if region is not None and peers is not None:
            raise CoupwatchError("--peers applies to country briefs; a region view compares its own groups")
        if country is not None:
            peer_list = [p.strip() for p in peers.split(",") if p.strip()] if peers is not None else None
            written = write_brief(country, year, peer_list, out=out, pdf=pdf, base_year=base_year)
        else:
            written = write_region(str(region), year, out=out, pdf=pdf, base_year=base_year)
    for path in written:
        console.print(f"wrote {path}")
