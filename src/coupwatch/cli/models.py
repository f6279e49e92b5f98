"""`coupwatch backtest`, `ablation` and `forecast`: fit, evaluate and forecast with the models."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer

from coupwatch.cli.common import (
    ExportFormat,
    SchedulerOption,
    check_out_file,
    check_outcomes,
    closing_executor,
    friendly_errors,
    progress_reporter,
    write_out,
)
from coupwatch.cli.console import console, err_console, fail
from coupwatch.cli.tables import percent_cell, percent_range_cell, points_cell, print_frame
from coupwatch.core.refits import REFITS
from coupwatch.errors import CoupwatchError

if TYPE_CHECKING:
    from coupwatch.store.schemas import BacktestMetrics


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
        with closing_executor(scheduler) as executor, progress_reporter("backtest") as report:
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
        with closing_executor(scheduler) as executor, progress_reporter("ablation") as report:
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
        with closing_executor(scheduler) as executor:
            watchlist, path = run_and_save_forecast(
                year, model=model, outcome=outcome, draws=draws, executor=executor
            )
    level = f"{round(float(watchlist['interval_level'].iloc[0]) * 100)}%"
    shown = pd.DataFrame({
        "#": watchlist["rank"], "country": watchlist["country"],
        "risk": [percent_cell(p) for p in watchlist["p"]],
        f"{level} interval": [percent_range_cell(lo, hi) for lo, hi in
                              zip(watchlist["p_low"], watchlist["p_high"], strict=True)],
        "change": [points_cell(c) for c in watchlist["change"]],
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

