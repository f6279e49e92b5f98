"""The ``coupwatch`` command line: data, panel and (as they land) analysis commands."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from coupwatch import config
from coupwatch.cells import is_missing
from coupwatch.core.refits import REFITS, SEED
from coupwatch.errors import CoupwatchError

if TYPE_CHECKING:
    from coupwatch.store.schemas import BacktestMetrics

app = typer.Typer(
    name="coupwatch",
    help="Coup risk, security assistance and governance from the publishers' own data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(help="Build and inspect the data warehouse.", no_args_is_help=True)
app.add_typer(data_app, name="data")

# Tables piped to a file or read by a program keep their full width instead of folding at 80 columns.
# Piped output keeps the width of a 100-column terminal, so a saved table reads as it did on screen.
TABLE_WIDTH = 100
console = Console() if sys.stdout.isatty() else Console(width=TABLE_WIDTH)
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
    except OSError as exc:  # a file or folder the command needed: say which, what happened and what to do
        from coupwatch.store.outputs import problem_and_fix

        problem, fix = problem_and_fix(exc, "the command")
        fail(CoupwatchError(f"{exc.filename or 'a file'}: {problem} ({exc.strerror or exc}). Fix: {fix}"))


def check_out_file(out: Path | None) -> None:
    """Refuse an --out file in a missing folder before any work is done (the write itself is atomic)."""
    if out is not None and not out.parent.is_dir():
        raise CoupwatchError(f"--out {out}: the folder {out.parent} does not exist. Fix: create it first or give "
                             "a file in an existing folder")
    if out is not None and out.is_dir():
        raise CoupwatchError(f"--out {out}: is a folder. Fix: give a file name, e.g. {out / 'out.csv'}")


def write_out(out: Path, write: Callable[[Path], object], command: str) -> None:
    """Write an --out file whole or not at all; a full disk or a folder without permission is an error with a fix."""
    from coupwatch.store.outputs import write_file

    with friendly_errors():
        write_file(out, write, rerun=f"`coupwatch {command}`")


@contextmanager
def progress_reporter(label: str) -> Iterator[Callable[[str, int, int], None]]:
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


@app.callback()
def main(
    home: Annotated[
        Path | None, typer.Option("--home", help="Folder for the warehouse (default $COUPWATCH_HOME)")
    ] = None,
) -> None:
    if home is not None:
        import os

        os.environ[config.HOME_ENV] = str(home)


# ---------------------------------------------------------------------------------------------------------
# assistance, claims, mechanism
# ---------------------------------------------------------------------------------------------------------

class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


ClassificationOption = Annotated[
    Path | None,
    typer.Option("--classification", help="CSV overriding lines of the packaged assistance classification "
                 "(source,line,category,share,reason)"),
]


def _json_dump(payload: object) -> None:
    import json

    typer.echo(json.dumps(payload, indent=1, default=str))


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    import json

    return list(json.loads(frame.to_json(orient="records")))


# Short headers for the region table; csv and json keep every column under its panel name.
REGION_TABLE_COLUMNS = {
    "aid_security_capacity_usd": "capacity $",
    "aid_security_governance_usd": "governance $",
    "aid_governance_share": "gov. share",
    "drg_share_us_aid": "DRG share",
    "ps_non_security_share_us_aid": "non-sec. P&S",
    "us_milaid_per_soldier_usd": "mil. aid/soldier $",
    "us_milaid_milex_pct": "mil. aid/milex",
    "milex_gdp": "milex % GDP",
    "milex_gdp_change_pp": "change",
    "us_security_aid_revenue_pct": "sec. aid/revenue",
    "v2x_jucon": "jucon",
    "v2xlg_legcon": "legcon",
    "v2x_cspart": "cspart",
    "v2x_corr": "corr",
}


# The assistance indicators in words for the one-country table (csv and json keep the column names).
INDICATOR_WORDS = {
    "aid_security_capacity_usd": "security capacity aid, US$",
    "aid_security_governance_usd": "security governance aid, US$",
    "aid_governance_share": "governance share of security aid",
    "us_security_aid_usd": "U.S. security aid, US$",
    "gb_military_usd": "Greenbook military aid, US$",
    "gb_imet_usd": "officer training (IMET), US$",
    "drg_share_us_aid": "democracy and governance share of U.S. aid",
    "ps_share_us_aid": "peace and security share of U.S. aid",
    "ps_non_security_share_us_aid": "peace and security, non-security share",
    "us_milaid_per_soldier_usd": "U.S. military aid per soldier, US$",
    "us_milaid_milex_pct": "U.S. military aid / military spending",
    "us_milaid_govt_spending_pct": "U.S. military aid / government spending",
    "milex_gdp": "military spending, % of GDP",
    "milex_gdp_base": "military spending in the base year",
    "milex_gdp_change_pp": "change since the base year",
    "milex_gdp_ratio_base": "ratio to the base year",
    "us_security_aid_revenue_pct": "U.S. security aid / government revenue",
    "v2x_jucon": "judicial constraints (V-Dem)",
    "v2xlg_legcon": "legislative constraints (V-Dem)",
    "v2x_cspart": "civil society participation (V-Dem)",
    "v2x_corr": "political corruption (V-Dem)",
    "v2x_horacc_osp_v14": "horizontal accountability (V-Dem v14)",
    "v2x_veracc_osp_v14": "vertical accountability (V-Dem v14)",
}
# A year of security aid this many times the state's median year gets a note under the table.
OUTLIER_RATIO = 4.0


def _aid_outlier_notes(frame: pd.DataFrame) -> list[str]:
    """Years whose security capacity aid dwarfs the state's usual year: shares and ratios that year reflect it."""
    notes = []
    for code, rows in frame.groupby("iso3"):
        aid = rows.set_index("year")["aid_security_capacity_usd"].dropna()
        positive = aid[aid > 0]
        if len(positive) < 4:
            continue
        for year, value in zip(aid.index.astype(int), aid.to_numpy(dtype=float), strict=True):
            typical = float(positive.drop(index=year, errors="ignore").median())
            if typical > 0 and value >= OUTLIER_RATIO * typical:
                notes.append(f"{code} FY{year}: security capacity aid of ${value:,.0f} is {value / typical:.0f} times "
                             f"the median year (${typical:,.0f}): large obligations drive that year's shares and "
                             "ratios, and obligations can be spent over several years (`coupwatch brief` names the "
                             "Greenbook program)")
    return notes


def _indicator_cell(column: str, value: object) -> str:
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


@app.command("assistance")
def assistance_command(
    country: Annotated[str | None, typer.Argument(help="ISO3, GW code or name (or use --region)")] = None,
    region: Annotated[str | None, typer.Option("--region", help="sahel, west_africa or africa, with medians")] = None,
    from_year: Annotated[int, typer.Option("--from")] = 2010,
    to_year: Annotated[int, typer.Option("--to")] = 2021,
    base_year: Annotated[int, typer.Option("--base-year", help="Year the burden change is measured from")] = 2012,
    classification: ClassificationOption = None,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Security capacity vs governance indicators per year for a country, or a region view with medians."""
    from coupwatch.app.analysis import assistance_indicators

    if country and region:
        fail(CoupwatchError(f"give a country ({country!r}) or --region ({region!r}), not both"))
    with friendly_errors():
        frame, notes = assistance_indicators(
            countries=[country] if country else None, region=region, first_year=from_year, last_year=to_year,
            base_year=base_year, classification_file=classification,
        )
    frame = frame.assign(base_year=base_year)
    if fmt is OutputFormat.json:
        _json_dump({"notes": notes, "rows": _records(frame)})
        return
    if fmt is OutputFormat.csv:
        emit(frame, "csv")
        return
    shown = frame.drop(columns=["aid_classification", "base_year", "aid_sector_basis"])
    value_columns = [c for c in shown.columns if c not in ("iso3", "country", "year", "n_countries")]
    formatted = shown.astype({c: object for c in value_columns})
    for column in value_columns:
        formatted[column] = [_indicator_cell(column, v) for v in shown[column]]
    if region is None:
        label = f"{frame['country'].iloc[0]} ({frame['iso3'].iloc[0]})"
        wide = formatted.drop(columns=["iso3", "country"]).set_index("year").T.reset_index(names="indicator")
        wide["indicator"] = wide["indicator"].map(lambda c: INDICATOR_WORDS.get(str(c), str(c)))
        wide.columns = [str(c) for c in wide.columns]
        print_frame(wide, title=f"U.S. security assistance: capacity vs governance, {label}", max_rows=200)
    else:
        compact = formatted[["year", "iso3", *[c for c in REGION_TABLE_COLUMNS if c in formatted.columns]]]
        print_frame(compact.rename(columns=REGION_TABLE_COLUMNS),
                    title=f"U.S. security assistance, {region}: countries and medians (csv/json: every column)",
                    max_rows=10_000)
    for note in _aid_outlier_notes(frame):
        console.print(f"[bold]outlier:[/] {note}", highlight=False, soft_wrap=True)
    console.print(f"[bold]classification:[/] {notes['classification']}", highlight=False, soft_wrap=True)
    with_basis = frame.dropna(subset=["aid_sector_basis"])
    bases = with_basis.groupby(with_basis["aid_sector_basis"].str.split(" - PARTIAL").str[0])["year"].agg(
        ["min", "max"])
    for basis, years in bases.iterrows():
        console.print(f"[bold]DRG and P&S shares {years['min']}-{years['max']}:[/] {basis}", highlight=False,
                      soft_wrap=True)
    present = set(frame["iso3"])
    for code, note in dict(notes["sector_gaps"]).items():  # type: ignore[call-overload]
        if code in present:
            console.print(f"[bold]{code}:[/] {note}", highlight=False, soft_wrap=True)
    console.print(f"[bold]burden change:[/] since {base_year}; [bold]government spending:[/] "
                  f"{notes['government_spending']}; [bold]years:[/] {notes['years']}", highlight=False, soft_wrap=True)
    unused = list(notes["unused_classification_lines"])  # type: ignore[call-overload]
    console.print(f"[bold]classification lines unused by the warehouse data:[/] "
                  f"{', '.join(str(u['line']) for u in unused) or 'none'}", highlight=False, soft_wrap=True)


@app.command("donors")
def donors_command(
    country: Annotated[str | None, typer.Argument(help="ISO3, GW code or name (or use --region)")] = None,
    region: Annotated[str | None, typer.Option("--region", help="sahel, west_africa or africa")] = None,
    from_year: Annotated[int, typer.Option("--from")] = 2002,
    to_year: Annotated[int, typer.Option("--to")] = 2024,
    top: Annotated[int, typer.Option("--top", help="Donors and suppliers listed per year")] = 3,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Who supports whom, per year: top ODA donors, arms deliveries by supplier (SIPRI TIV), UN peace
    operations in the country, and U.S. security aid split into capacity and governance."""
    from coupwatch.app.donors import donors_view

    with friendly_errors():
        frame, notes = donors_view(country, region, from_year, to_year, top)
    if fmt is OutputFormat.json:
        _json_dump({"notes": notes, "rows": _records(frame)})
        return
    if fmt is OutputFormat.csv:
        emit(frame, "csv")
        return
    for (iso3, name), rows in frame.groupby(["iso3", "country"], sort=False):
        shown = rows.drop(columns=["iso3", "country"]).rename(columns={
            "oda_net_usd_m": "ODA net US$m", "oda_top_donors": "top ODA donors", "oda_top_bilateral":
            "top bilateral", "arms_tiv_m": "arms TIV m", "arms_suppliers": "arms suppliers",
            "peace_operations_usd_m": "UN missions US$m", "peace_operations": "missions",
            "us_security_capacity_usd_m": "US capacity US$m", "us_security_governance_usd_m": "US governance US$m"})
        print_frame(shown, title=f"Who supports {name} ({iso3})", max_rows=200)
        for line in dict(notes["findings"]).get(str(iso3), []):  # type: ignore[call-overload]
            console.print(line, highlight=False, soft_wrap=True)
    for key in ("oda", "arms", "peace_operations", "us_security_aid"):
        console.print(f"[bold]{key}:[/] {notes[key]}", highlight=False, soft_wrap=True)


@app.command("claims")
def claims_command(
    country: Annotated[str | None, typer.Argument(help="ISO3 (default: every claim)")] = None,
    extra: Annotated[list[Path] | None, typer.Option("--claims", help="Extra claims file(s), TOML")] = None,
    classification: ClassificationOption = None,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Check the quantitative claims about a country against the warehouse: our figure, source, verdict."""
    from coupwatch.app.analysis import claims_table

    with friendly_errors():
        frame = claims_table(country, extra or [], classification)
    if fmt is not OutputFormat.table:
        emit(frame, fmt.value)
        return
    print_frame(frame[["id", "quote", "our_figure", "verdict"]], title="Claims checked against the data",
                max_rows=500)
    for row in frame.to_dict("records"):
        console.print(f"\n[bold]{row['id']}[/] ({row['verdict']}): {row['explanation']}", highlight=False,
                      soft_wrap=True)
        console.print(f"  sources: {row['sources']}", highlight=False, soft_wrap=True)
        if row["would_settle"]:
            console.print(f"  would settle it: {row['would_settle']}", highlight=False, soft_wrap=True)
        if row["classification"]:
            console.print(f"  {row['classification']}", highlight=False, soft_wrap=True)


@app.command("mechanism")
def mechanism_command(
    from_year: Annotated[int, typer.Option("--from")] = 1970,
    to_year: Annotated[int | None, typer.Option("--to")] = None,
    charts: Annotated[Path | None, typer.Option("--charts", help="Folder for the marginal-effect charts "
                                                "(SVG and PNG)")] = None,
    draws: Annotated[int, typer.Option("--draws", help="Coefficient simulations for the intervals", min=1)] = 500,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Panel logit of coup attempts on build-up, U.S. training and governance, and a Savage & Caverley
    (2017) replication; errors clustered by country."""
    from coupwatch.app.analysis import mechanism_panel
    from coupwatch.core import mechanism, mechanism_arms

    with friendly_errors():
        panel = mechanism_panel(last_year=to_year, extra=mechanism_arms.PANEL_COLUMNS)
        report = mechanism.run(panel, from_year, to_year, draws=draws)
        arms = mechanism_arms.run(panel, max(from_year, mechanism_arms.FIRST_YEAR), to_year)
    saved: list[str] = []
    if charts is not None:
        charts.mkdir(parents=True, exist_ok=True)
        for focal, chart in mechanism.charts(report.curves).items():
            for suffix in ("svg", "png"):
                path = charts / f"mechanism_{focal}.{suffix}"
                chart.save(str(path))  # type: ignore[attr-defined]
                saved.append(str(path))
    models = {"mechanism": report.model, "replication": report.replication.model,
              "replication_any_imet": report.replication.binary, **arms.models}
    coefficients = pd.concat([m.table.assign(model=name, n=m.n, countries=m.countries, events=m.events,
                                              first_year=m.first_year, last_year=m.last_year)
                              for name, m in models.items()], ignore_index=True)
    if fmt is OutputFormat.csv:
        emit(coefficients, "csv")
        return
    rep = report.replication
    if fmt is OutputFormat.json:
        _json_dump({
            "models": {name: {"sample": m.describe_sample(), "n": m.n, "countries": m.countries,
                              "events": m.events, "first_year": m.first_year, "last_year": m.last_year,
                              "converged": m.converged, "coefficients": _records(m.table)}
                       for name, m in models.items()},
            "replication": {"coefficient": rep.coefficient, "ci_low": rep.ci_low, "ci_high": rep.ci_high,
                            "risk_ratio": rep.risk_ratio, "rr_low": rep.rr_low, "rr_high": rep.rr_high,
                            "typical_log_imet_pc": rep.typical_imet, "any_imet_odds_ratio": rep.binary_odds_ratio,
                            "any_imet_or_low": rep.binary_or_low, "any_imet_or_high": rep.binary_or_high,
                            "summary": rep.summary},
            "mechanism_summary": report.summary,
            "arms_summary": arms.summary,
            "marginal_effects": _records(report.curves),
            "charts": saved,
        })
        return
    columns = ["label", "coef", "ci_low", "ci_high", "p_value", "odds_ratio"]
    for name, model in models.items():
        print_frame(model.table[columns], title=f"{name}: {model.describe_sample()}", max_rows=100)
    console.print(f"\n[bold]Mechanism[/]: {report.summary}", highlight=False, soft_wrap=True)
    console.print(f"\n[bold]Arms imports, all suppliers[/]: {arms.summary}", highlight=False, soft_wrap=True)
    console.print(f"\n[bold]Savage & Caverley replication[/]: {rep.summary}", highlight=False, soft_wrap=True)
    for written in saved:
        console.print(f"chart: {written}", highlight=False)


# ---------------------------------------------------------------------------------------------------------
# backtest and forecast
# ---------------------------------------------------------------------------------------------------------

SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Dask scheduler: 'local' for a LocalCluster on this machine, or tcp://host:port of a running "
        "cluster (default $COUPWATCH_SCHEDULER, else serial)",
    ),
]


@contextmanager
def _closing_executor(scheduler: str | None) -> Iterator[Any]:
    """A Dask executor for ``--scheduler``/$COUPWATCH_SCHEDULER (closed afterwards), else None (serial)."""
    import os

    from coupwatch.scale import SCHEDULER_ENV

    address = scheduler or os.environ.get(SCHEDULER_ENV)
    if not address:
        yield None
        return
    from coupwatch.scale import dask_executor

    with dask_executor(address) as executor:
        yield executor


@app.command("features")
def features_command(
    group: Annotated[list[str] | None, typer.Option(help="Only this feature group (repeatable)")] = None,
    first: Annotated[int, typer.Option("--from", help="First year of the missing-value shares")] = 2010,
    last: Annotated[int | None, typer.Option("--to", help="Last year (default the latest feature year)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """The forecast features: group, source, description, the models that use them and how often they are missing."""
    from coupwatch.app.backtest import load_features
    from coupwatch.core.features import feature_table
    from coupwatch.core.models.specs import packaged_specs

    with friendly_errors():
        features = load_features()
        end = int(features["year"].max()) if last is None else last
        rows = features[features["year"].between(first, end)]
        if rows.empty:
            raise CoupwatchError(f"no feature rows for {first}-{end}: the features cover "
                                 f"{int(features['year'].min())}-{int(features['year'].max())}")
        used_by = {name: spec.columns() for name, spec in packaged_specs().items() if spec.columns()}
        table = feature_table(used_by, rows, group)
    if fmt == "table":
        table = table.assign(missing_share=table["missing_share"].map(lambda v: f"{v:.0%}"))
    emit(table, fmt, title=f"Forecast features (missing: share of state-years {first}-{end})")


def check_outcomes(outcomes: Sequence[str], option: str) -> None:
    from coupwatch.core.features import OUTCOMES

    unknown = [o for o in outcomes if o not in OUTCOMES]
    if unknown:
        raise CoupwatchError(f"{option} {', '.join(map(repr, unknown))}: allowed are {' and '.join(OUTCOMES)}")


@app.command("backtest")
def backtest_command(
    first: Annotated[int, typer.Option("--from", help="First test year")] = 2000,
    last: Annotated[int, typer.Option("--to", help="Last test year")] = 2025,
    out: Annotated[Path | None, typer.Option(help="Folder for the outputs (default $COUPWATCH_HOME/backtest)")] = None,
    draws: Annotated[int, typer.Option(help="Bootstrap draws for the intervals", min=1)] = 1000,
    outcomes: Annotated[str, typer.Option(help="attempt, success or both (comma-separated)")] = "attempt,success",
    spec: Annotated[list[Path] | None, typer.Option(help="Extra or replacing model spec TOML files")] = None,
    scheduler: SchedulerOption = None,
) -> None:
    """Rolling-origin backtest: for each test year t, train on years < t and predict t, for every model."""
    from coupwatch.app.backtest import run_and_save_backtest
    from coupwatch.core.evaluate.rolling import RollingOrigin
    from coupwatch.report.backtest_report import write_report
    from coupwatch.store.saved import backtest_dir

    chosen = tuple(o.strip() for o in outcomes.split(",") if o.strip())
    with friendly_errors():
        check_outcomes(chosen, "--outcomes")
        rolling = RollingOrigin(first_test_year=first, last_test_year=last)
        folder = out or backtest_dir()
        with _closing_executor(scheduler) as executor, progress_reporter("backtest") as report:
            document = run_and_save_backtest(
                folder, rolling=rolling, spec_files=spec, outcomes=chosen, draws=draws,
                executor=executor, progress=report, write_report=write_report,
            )
    print_backtest_summary(document)
    console.print(f"outputs in {folder}: predictions.parquet/.csv, metrics.json, report.html, charts/*.png")


def print_backtest_summary(document: BacktestMetrics) -> None:
    from coupwatch.store.schemas import nan_records

    pooled = pd.DataFrame(nan_records(document.pooled))
    if pooled.empty:
        return
    columns = ["outcome", "sample", "period", "model", "auc_roc", "auc_roc_low", "auc_roc_high", "auc_pr", "auc_pr_low",
               "auc_pr_high", "brier_skill", "recall_top20", "events"]
    table = pooled[pooled["outcome"] == "attempt"][columns].sort_values(["sample", "period", "model"])
    print_frame(table.round(3), title="Backtest, coup attempts (95% bootstrap intervals)")
    headline = document.headline
    for target in headline.targets:
        mark = "[green]met[/]" if target.met else "[red]not met[/]"
        where = f"{headline.period} {headline.sample_label}"
        console.print(f"{where} {headline.main_model}: {target.label}: {target.value} {mark}")
    frozen = pd.DataFrame(nan_records(document.frozen.rows))
    if not frozen.empty:
        shown = ["model", "sample", "period", "auc_roc", "auc_pr", "brier_skill", "recall_top20", "events"]
        after = document.frozen.freeze_after
        print_frame(frozen[shown].round(3), title=f"Model frozen at the end of {after}, scoring {after + 1} onward")


@app.command("ablation")
def ablation_command(
    model: Annotated[str, typer.Option(help="Model to take apart (its ensemble members follow)")] = "ensemble",
    first: Annotated[int, typer.Option("--from", help="First test year")] = 2000,
    last: Annotated[int, typer.Option("--to", help="Last test year")] = 2025,
    outcome: Annotated[str, typer.Option(help="attempt or success")] = "attempt",
    group: Annotated[list[str] | None, typer.Option(
        help="Feature group to leave out (repeatable; default every group the model uses)")] = None,
    out: Annotated[Path | None, typer.Option(help="Folder for the outputs (default $COUPWATCH_HOME/ablation)")] = None,
    draws: Annotated[int, typer.Option(help="Paired bootstrap draws for the intervals", min=1)] = 1000,
    spec: Annotated[list[Path] | None, typer.Option(help="Extra or replacing model spec TOML files")] = None,
    scheduler: SchedulerOption = None,
) -> None:
    """What each feature group adds: the backtest rerun without each group, with paired bootstrap intervals."""
    from coupwatch.app.backtest import run_and_save_ablation
    from coupwatch.core.evaluate.ablation import change_text
    from coupwatch.core.evaluate.rolling import RollingOrigin
    from coupwatch.report.backtest_report import write_ablation_report
    from coupwatch.store.saved import ablation_dir

    with friendly_errors():
        check_outcomes([outcome], "--outcome")
        rolling = RollingOrigin(first_test_year=first, last_test_year=last)
        folder = out or ablation_dir()
        with _closing_executor(scheduler) as executor, progress_reporter("ablation") as report:
            _, table = run_and_save_ablation(
                folder, model=model, rolling=rolling, outcome=outcome, groups=group, spec_files=spec, draws=draws,
                executor=executor, progress=report, write_report=write_ablation_report,
            )
    shown = pd.DataFrame({"variant": table["variant"], "left out": table["features_dropped"],
                          "AUC-ROC": table["auc_roc"].round(3), "change [95%]": change_text(table, "auc_roc"),
                          "AUC-PR": table["auc_pr"].round(3), "change [95%] ": change_text(table, "auc_pr"),
                          "top 20": table["recall_top20"].round(2), "reading": table["verdict"]})
    print_frame(shown, title=f"{model}, {outcome}, {first}-{last}: without each feature group "
                             "(95% paired bootstrap)")
    console.print(f"outputs in {folder}: ablation.csv, ablation.json, ablation.html, charts/ablation_*.png")


@app.command("forecast")
def forecast_command(
    year: Annotated[int | None, typer.Option(help="Year to forecast (default: the year after the last "
                                                  "observed coup data)")] = None,
    model: Annotated[str, typer.Option(help="Model from the backtest")] = "ensemble",
    outcome: Annotated[str, typer.Option(help="attempt or success")] = "attempt",
    draws: Annotated[int, typer.Option(help="Bootstrap refits for the 90% interval", min=1)] = REFITS,
    top: Annotated[int, typer.Option(help="Rows to show in the table (all are saved)", min=1)] = 30,
    fmt: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.table,
    out: Annotated[Path | None, typer.Option(help="Also write the watchlist to this file (csv or json)")] = None,
    scheduler: SchedulerOption = None,
) -> None:
    """The global watchlist: probability, 90% interval, change since last year and top drivers per state."""
    from coupwatch.app.forecast import run_and_save_forecast

    with friendly_errors():
        check_outcomes([outcome], "--outcome")
        check_out_file(out)
        with _closing_executor(scheduler) as executor:
            watchlist, path = run_and_save_forecast(
                year, model=model, outcome=outcome, draws=draws, executor=executor
            )
    level = f"{round(float(watchlist['interval_level'].iloc[0]) * 100)}%"
    shown = pd.DataFrame({
        "#": watchlist["rank"], "country": watchlist["country"],
        "risk": [f"{p:.1%}" for p in watchlist["p"]],
        f"{level} interval": [f"{lo:.1%}–{hi:.1%}" if not pd.isna(lo) else "" for lo, hi in
                              zip(watchlist["p_low"], watchlist["p_high"], strict=True)],
        "change": [f"{c * 100:+.1f} pts" if not pd.isna(c) else "" for c in watchlist["change"]],
        "what sets it apart": watchlist["drivers_text"],
    })
    if out is not None:
        if out.suffix == ".json":
            text = watchlist.to_json(orient="records", indent=1)
            write_out(out, lambda file: file.write_text(text, encoding="utf-8"), "forecast")
        else:
            write_out(out, lambda file: watchlist.drop(columns=["drivers"]).to_csv(file, index=False), "forecast")
        err_console.print(f"wrote {len(watchlist)} rows to {out}")
    if fmt is ExportFormat.table:
        title = f"Coup-{outcome} risk {int(watchlist['year'].iloc[0])} ({model}; {level} interval)"
        print_frame(shown.head(top), title=title, max_rows=top)
        err_console.print(f"saved {path}")
    elif fmt is ExportFormat.csv:
        typer.echo(watchlist.drop(columns=["drivers"]).to_csv(index=False), nl=False)
    elif fmt is ExportFormat.json:
        typer.echo(watchlist.to_json(orient="records", indent=1))
    else:
        fail(CoupwatchError("--format parquet is not offered here; the watchlist is saved as Parquet already"))


# ---------------------------------------------------------------------------------------------------------
# serve
# ---------------------------------------------------------------------------------------------------------

@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Address to bind; 127.0.0.1 keeps it on this machine")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes", min=1, max=64)] = 1,
    allowed_host: Annotated[list[str] | None, typer.Option(
        help="A host name browsers use to reach the server (repeatable; '*' for any). localhost, 127.0.0.1, ::1 "
             "and the --host address are always allowed; other Host headers get 400")] = None,
) -> None:
    """The dashboard and REST API on the local warehouse, saved backtest and saved forecast (read-only)."""
    import uvicorn

    from coupwatch.web.guards import serve_hosts
    from coupwatch.web.store import Store, forecast_missing_message

    store = Store(config.home())
    if not store.warehouse_path.is_file():
        fail(CoupwatchError(f"{store.warehouse_path}: no warehouse yet. Fix: run `coupwatch data build` first"))
    if not store.forecast_files():
        err_console.print(f"[yellow]note:[/] {forecast_missing_message(store.forecast_folder)}", highlight=False,
                          soft_wrap=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]note:[/] binding to {host}: the dashboard is reachable from other machines",
                          highlight=False)
    console.print(f"coupwatch on http://{host}:{port}/ (API docs at /docs); COUPWATCH_HOME={store.home}",
                  highlight=False)
    serve_hosts(host, allowed_host or [])  # read by create_app in every worker
    uvicorn.run("coupwatch.web:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False)


# ---------------------------------------------------------------------------------------------------------
# scenarios (what-if)
# ---------------------------------------------------------------------------------------------------------

def _interval(value: float, low: float, high: float, percent: bool = True) -> str:
    if pd.isna(low) or pd.isna(high):
        return f"{value:.1%}" if percent else f"{value * 100:+.2f}"
    if percent:
        return f"{value:.1%} [{low:.1%}, {high:.1%}]"
    return f"{value * 100:+.2f} [{low * 100:+.2f}, {high * 100:+.2f}]"


def print_scenarios(result: Any, top: int) -> None:
    """The scenario result as tables: risks and differences, inputs changed, what moved the risk, warnings."""
    summary = result.summary
    level = f"{result.level:.0%}"
    if summary.empty:
        err_console.print("no scenario could be applied (see the reasons above)")
    else:
        # Without bootstrap refits there are no interval columns: shown as NaN, _interval prints the value alone.
        bounds = summary.reindex(columns=[f"{c}_{side}" for c in ("p_baseline", "p_scenario", "difference")
                                          for side in ("low", "high")])

        def with_interval(column: str, percent: bool = True) -> list[str]:
            return [_interval(v, lo, hi, percent) for v, lo, hi in
                    zip(summary[column], bounds[f"{column}_low"], bounds[f"{column}_high"], strict=True)]

        shown = pd.DataFrame({
            "country": summary["iso3"],
            "scenario": summary["scenario"],
            f"baseline [{level}]": with_interval("p_baseline"),
            f"scenario [{level}]": with_interval("p_scenario"),
            f"difference, points [{level}]": with_interval("difference", percent=False),
            "refits lower/higher": [f"{r.draws_lower:.0%}/{r.draws_higher:.0%}" for r in summary.itertuples()]
            if "draws_lower" in summary else "",
            "extrapolation": summary["extrapolated_features"].replace("", "-"),
        })
        if len(summary) > 40:
            shown = shown.assign(_d=summary["difference"]).sort_values("_d").drop(columns="_d")
        title = (f"Coup-{result.outcome} risk {result.year} under what-if inputs of {result.year - 1} "
                 f"({result.model}; {result.draws} bootstrap refits, paired)")
        print_frame(shown, title=title, max_rows=top * 20 if len(summary) <= 40 else 60)
    if len(summary) <= 12:
        for row in summary.itertuples():
            inputs = result.inputs[(result.inputs["gwcode"] == row.gwcode)
                                   & (result.inputs["scenario"] == row.scenario)]
            print_frame(inputs[["label", "role", "value_year", "before", "after"]].rename(columns={"label": "input"}),
                        title=f"{row.iso3}, {row.scenario}: inputs changed")
            moved = result.moved[(result.moved["gwcode"] == row.gwcode) & (result.moved["scenario"] == row.scenario)]
            moved = moved.assign(how=moved["value_changed"].map({True: "value changed",
                                                                  False: "interaction (same value)"}))
            print_frame(moved.head(top)[["label", "how", "value_before", "value_after", "contribution_change"]]
                        .rename(columns={"label": "feature", "contribution_change": "log-odds change"}).round(4),
                        title=f"{row.iso3}, {row.scenario}: features that moved the risk (log-odds contributions)",
                        max_rows=top)
            if row.extrapolated_features:
                err_console.print(f"[yellow]extrapolation:[/] {row.extrapolated_features} outside the range of the "
                                  "training data; the model has never seen such values", highlight=False)
            if row.features_not_in_model:
                err_console.print(f"[yellow]note:[/] {row.features_not_in_model} changed but the {result.model} "
                                  "model does not use them", highlight=False)
            if not row.features_changed:
                err_console.print(f"[yellow]note:[/] {row.scenario}: no forecast feature reads these inputs, so the "
                                  "model cannot respond to them", highlight=False)
    if not result.skipped.empty:
        err_console.print(f"[yellow]skipped {len(result.skipped)} country-scenarios[/] (e.g. "
                          f"{result.skipped['reason'].iloc[0]})", highlight=False, soft_wrap=True)
    console.print(f"[bold]Note:[/] {result.caveat}", highlight=False)


@app.command("scenario")
def scenario_command(
    countries: Annotated[list[str] | None, typer.Argument(help="ISO3 codes, e.g. MLI (or --all)")] = None,
    year: Annotated[int | None, typer.Option(help="Forecast year Y; the changes apply to the inputs of Y-1 "
                                                  "(default: the next forecast year)")] = None,
    sets: Annotated[list[str] | None, typer.Option("--set", help="NAME=CHANGE: -30% (relative), +0.1 (add) or "
                                                                 "0.6 (value); repeatable")] = None,
    shifts: Annotated[list[str] | None, typer.Option("--shift-assistance", help="FROM->TO:PERCENT, e.g. "
                                                     "capacity->governance:25%; repeatable")] = None,
    scenario_file: Annotated[Path | None, typer.Option("--scenarios", help="TOML file of named scenarios")] = None,
    all_countries: Annotated[bool, typer.Option("--all", help="Every state with a forecast row (a sweep)")] = False,
    model: Annotated[str, typer.Option(help="Model from the saved backtest")] = "ensemble",
    outcome: Annotated[str, typer.Option(help="attempt or success")] = "attempt",
    draws: Annotated[int, typer.Option(help="Bootstrap refits for the intervals (0: none; default: the "
                                            "forecast's)", min=0)] = REFITS,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap (default: the forecast's)", min=0)] = SEED,
    top: Annotated[int, typer.Option(help="Features to show per scenario", min=1)] = 8,
    fmt: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.table,
    out: Annotated[Path | None, typer.Option(help="Also write the results (csv: summary; json: everything; "
                                                  "parquet: summary)")] = None,
    list_inputs: Annotated[bool, typer.Option("--inputs", help="List the inputs a scenario may change")] = False,
    scheduler: SchedulerOption = None,
) -> None:
    """What-if: change a country's inputs, rebuild its features, compare modelled coup risk (with intervals)."""
    from coupwatch.core import scenarios as sc

    if list_inputs:
        emit(sc.lever_table(), fmt.value if fmt is not ExportFormat.parquet else "table", "Scenario inputs")
        return
    with friendly_errors():
        check_outcomes([outcome], "--outcome")
        check_out_file(out)
        if all_countries and countries:
            raise CoupwatchError(f"give ISO3 codes or --all, not both (got {' '.join(countries)} and --all)")
        if not all_countries and not countries:
            raise CoupwatchError("name a country (e.g. coupwatch scenario MLI --set milex_gdp=-30%) or use --all")
        chosen: list[sc.Scenario] = []
        if sets or shifts:
            chosen.append(sc.scenario_from_options(sets or [], shifts or []))
        if scenario_file is not None:
            if not scenario_file.is_file():
                raise CoupwatchError(f"--scenarios {scenario_file}: no such file. Fix: give a TOML file of named "
                                     "scenarios")
            chosen += sc.scenarios_from_toml(scenario_file.read_text(encoding="utf-8"), str(scenario_file))
        if not chosen:
            raise CoupwatchError("no change given. Fix: --set NAME=CHANGE, --shift-assistance FROM->TO:PERCENT or "
                                 "--scenarios FILE.toml (coupwatch scenario --inputs lists the names)")
        from coupwatch.app.backtest import load_backtest, load_panel
        from coupwatch.core.features import build_features
        from coupwatch.store.refit_cache import DiskRefitStore

        backtest = load_backtest()
        panel = load_panel()
        with _closing_executor(scheduler) as executor:
            result = sc.run_scenarios(
                panel, backtest, chosen, None if all_countries else countries, year,
                features=build_features(panel), model=model, outcome=outcome, draws=draws, seed=seed,
                executor=executor, strict=not all_countries, store=DiskRefitStore(),
            )
    import json

    json_text = json.dumps(result.to_dict(), indent=1)
    if out is not None:
        if out.suffix == ".json":
            write_out(out, lambda file: file.write_text(json_text, encoding="utf-8"), "scenario")
        elif out.suffix == ".parquet":
            write_out(out, lambda file: result.summary.to_parquet(file, index=False), "scenario")
        else:
            write_out(out, lambda file: result.summary.to_csv(file, index=False), "scenario")
        err_console.print(f"wrote {len(result.summary)} rows to {out}")
    if fmt is ExportFormat.table:
        print_scenarios(result, top)
    elif fmt is ExportFormat.csv:
        typer.echo(result.summary.to_csv(index=False), nl=False)
    elif fmt is ExportFormat.json:
        typer.echo(json_text)
    else:
        fail(CoupwatchError("--format parquet: use --out FILE.parquet"))


# ---------------------------------------------------------------------------------------------------------
# brief
# ---------------------------------------------------------------------------------------------------------

@app.command("brief")
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
