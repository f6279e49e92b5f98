"""`coupwatch scenario`: what-if inputs and the modelled coup risk they give."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from coupwatch.cli.common import (
    ExportFormat,
    SchedulerOption,
    check_out_file,
    check_outcomes,
    closing_executor,
    friendly_errors,
    write_out,
)
from coupwatch.cli.console import console, err_console, fail
from coupwatch.cli.tables import emit, interval_cell, percent_cell, print_frame
from coupwatch.core.refits import REFITS, SEED
from coupwatch.errors import CoupwatchError


def print_scenarios(result: Any, top: int) -> None:
    """The scenario result as tables: risks and differences, inputs changed, what moved the risk, warnings."""
    summary = result.summary
    level = f"{result.level:.0%}"
    if summary.empty:
        err_console.print("no scenario could be applied (see the reasons above)")
    else:
        # Without bootstrap refits there are no interval columns: shown as NaN, interval_cell prints the value alone.
        bounds = summary.reindex(columns=[f"{c}_{side}" for c in ("p_baseline", "p_scenario", "difference")
                                          for side in ("low", "high")])

        def with_interval(column: str, percent: bool = True) -> list[str]:
            return [interval_cell(v, lo, hi, percent) for v, lo, hi in
                    zip(summary[column], bounds[f"{column}_low"], bounds[f"{column}_high"], strict=True)]

        shown = pd.DataFrame({
            "country": summary["iso3"],
            "scenario": summary["scenario"],
            f"baseline [{level}]": with_interval("p_baseline"),
            f"scenario [{level}]": with_interval("p_scenario"),
            f"difference, points [{level}]": with_interval("difference", percent=False),
            "refits lower/higher": [f"{percent_cell(r.draws_lower, 0)}/{percent_cell(r.draws_higher, 0)}"
                                    for r in summary.itertuples()]
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
    from coupwatch.core.scenarios.levers import lever_table
    from coupwatch.core.scenarios.options import Scenario, scenario_from_options
    from coupwatch.core.scenarios.score import run_scenarios
    from coupwatch.store.scenario_files import read_scenarios

    if list_inputs:
        emit(lever_table(), fmt.value if fmt is not ExportFormat.parquet else "table", "Scenario inputs")
        return
    with friendly_errors():
        check_outcomes([outcome], "--outcome")
        check_out_file(out)
        if all_countries and countries:
            raise CoupwatchError(f"give ISO3 codes or --all, not both (got {' '.join(countries)} and --all)")
        if not all_countries and not countries:
            raise CoupwatchError("name a country (e.g. coupwatch scenario MLI --set milex_gdp=-30%) or use --all")
        chosen: list[Scenario] = []
        if sets or shifts:
            chosen.append(scenario_from_options(sets or [], shifts or []))
        if scenario_file is not None:
            chosen += read_scenarios(scenario_file, "--scenarios")
        if not chosen:
            raise CoupwatchError("no change given. Fix: --set NAME=CHANGE, --shift-assistance FROM->TO:PERCENT or "
                                 "--scenarios FILE.toml (coupwatch scenario --inputs lists the names)")
        from coupwatch.app.backtest import load_backtest, load_panel
        from coupwatch.core.features import build_features
        from coupwatch.store.refit_cache import DiskRefitStore

        backtest = load_backtest()
        panel = load_panel()
        with closing_executor(scheduler) as executor:
            result = run_scenarios(
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

