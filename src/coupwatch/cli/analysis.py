"""`coupwatch assistance`, `donors`, `claims`, `mechanism` and `features`: the analyses of the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coupwatch.cli.common import ClassificationOption, OutputFormat, friendly_errors
from coupwatch.cli.console import console, fail
from coupwatch.cli.tables import echo_json, emit, indicator_cell, percent_cell, print_frame, records
from coupwatch.errors import CoupwatchError

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
    from coupwatch.core import assistance

    if country and region:
        fail(CoupwatchError(f"give a country ({country!r}) or --region ({region!r}), not both"))
    with friendly_errors():
        frame, notes = assistance_indicators(
            countries=[country] if country else None, region=region, first_year=from_year, last_year=to_year,
            base_year=base_year, classification_file=classification,
        )
    frame = frame.assign(base_year=base_year)
    if fmt is OutputFormat.json:
        echo_json({"notes": notes, "rows": records(frame)})
        return
    if fmt is OutputFormat.csv:
        emit(frame, "csv")
        return
    shown = frame.drop(columns=["aid_classification", "base_year", "aid_sector_basis"])
    value_columns = [c for c in shown.columns if c not in ("iso3", "country", "year", "n_countries")]
    formatted = shown.astype({c: object for c in value_columns})
    for column in value_columns:
        formatted[column] = [indicator_cell(column, v) for v in shown[column]]
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
    for note in assistance.aid_outlier_notes(frame):
        console.print(f"[bold]outlier:[/] {note}", highlight=False, soft_wrap=True)
    console.print(f"[bold]classification:[/] {notes['classification']}", highlight=False, soft_wrap=True)
    for basis, years in assistance.sector_basis_years(frame).iterrows():
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
        echo_json({"notes": notes, "rows": records(frame)})
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
    from coupwatch.app.analysis import run_mechanism
    from coupwatch.core import mechanism

    with friendly_errors():
        results = run_mechanism(from_year, to_year, draws)
    report, arms, models = results.report, results.arms, results.models
    saved: list[str] = []
    if charts is not None:
        charts.mkdir(parents=True, exist_ok=True)
        for focal, chart in mechanism.charts(report.curves).items():
            for suffix in ("svg", "png"):
                path = charts / f"mechanism_{focal}.{suffix}"
                chart.save(str(path))  # type: ignore[attr-defined]
                saved.append(str(path))
    if fmt is OutputFormat.csv:
        emit(results.coefficients, "csv")
        return
    rep = report.replication
    if fmt is OutputFormat.json:
        echo_json({
            "models": {name: {"sample": m.describe_sample(), "n": m.n, "countries": m.countries,
                              "events": m.events, "first_year": m.first_year, "last_year": m.last_year,
                              "converged": m.converged, "coefficients": records(m.table)}
                       for name, m in models.items()},
            "replication": {"coefficient": rep.coefficient, "ci_low": rep.ci_low, "ci_high": rep.ci_high,
                            "risk_ratio": rep.risk_ratio, "rr_low": rep.rr_low, "rr_high": rep.rr_high,
                            "typical_log_imet_pc": rep.typical_imet, "any_imet_odds_ratio": rep.binary_odds_ratio,
                            "any_imet_or_low": rep.binary_or_low, "any_imet_or_high": rep.binary_or_high,
                            "summary": rep.summary},
            "mechanism_summary": report.summary,
            "arms_summary": arms.summary,
            "marginal_effects": records(report.curves),
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


def features_command(
    group: Annotated[list[str] | None, typer.Option(help="Only this feature group (repeatable)")] = None,
    first: Annotated[int, typer.Option("--from", help="First year of the missing-value shares")] = 2010,
    last: Annotated[int | None, typer.Option("--to", help="Last year (default the latest feature year)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """The forecast features: group, source, description, the models that use them and how often they are missing."""
    from coupwatch.app.analysis import features_overview

    with friendly_errors():
        table, end = features_overview(group, first, last)
    if fmt == "table":
        table = table.assign(missing_share=table["missing_share"].map(lambda v: percent_cell(v, places=0)))
    emit(table, fmt, title=f"Forecast features (missing: share of state-years {first}-{end})")

