"""Running the backtest and the forecast against the warehouse, and keeping their outputs on disk.

Outputs live under ``COUPWATCH_HOME/backtest`` and ``COUPWATCH_HOME/forecasts`` (or a folder given by the
user): predictions as Parquet and CSV, metrics as JSON, the HTML report with its charts as PNG, the tuning
choices, and the watchlists. The briefs, the dashboard and the API read these files.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from dataclasses import asdict
from pathlib import Path
from typing import Any, cast

import pandas as pd

from coupwatch.core.evaluate.backtest import (
    PREDICTION_COLUMNS,
    BacktestResult,
    Executor,
    Progress,
    case_table,
    frozen_evaluation,
    no_progress,
    run_backtest,
    summarise,
    with_reference,
)
from coupwatch.core.evaluate.metrics import score_with_intervals
from coupwatch.core.evaluate.rolling import RollingOrigin
from coupwatch.core.evaluate.samples import SAVED_SAMPLE_COLUMNS, STANDARD, mark_samples
from coupwatch.core.features import build_features, missing_report
from coupwatch.core.models.specs import ModelSpec, load_specs
from coupwatch.core.refits import REFITS
from coupwatch.errors import CoupwatchError
from coupwatch.store.outputs import SavedFolder, check_target, replace_folder
from coupwatch.store.reader import YEAR_PANEL, Warehouse
from coupwatch.store.saved import (
    ABLATION,
    BACKTEST,
    FORECASTS,
    MAIN_MODEL,
    ablation_dir,
    backtest_dir,
    forecast_dir,
    load_forecast,
)

__all__ = ["MAIN_MODEL", "ablation_dir", "backtest_dir", "forecast_dir", "load_forecast"]

# The headline and the targets are scored on the published benchmark's own country-years (the standard sample).
HEADLINE_SAMPLE = STANDARD
HEADLINE_PERIOD = STANDARD.period
CASES_FIRST_YEAR = 2011
TARGETS = {"auc_roc": 0.82, "auc_pr": 0.07, "brier_skill": 0.0, "recall_top20": 0.5}
TARGET_LABELS = {"auc_roc": "AUC-ROC >= 0.82", "auc_pr": "AUC-PR >= 0.07", "brier_skill": "Brier skill > 0",
                 "recall_top20": "half of attempts in their year's top 20"}


def load_panel() -> pd.DataFrame:
    """The whole country-year panel of the warehouse, as stored."""
    with Warehouse() as warehouse:
        return warehouse.table(YEAR_PANEL)


def load_features(panel: pd.DataFrame | None = None) -> pd.DataFrame:
    return build_features(load_panel() if panel is None else panel)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def check_test_years(features: pd.DataFrame, rolling: RollingOrigin) -> None:
    """Refuse test years the features do not reach (before any output is touched)."""
    last = int(features["year"].max())
    if rolling.last_test_year > last:
        raise CoupwatchError(f"--to {rolling.last_test_year}: the features end in {last}. Fix: give --to {last} or "
                             "earlier")


def target_checks(row: dict[str, Any]) -> list[dict[str, Any]]:
    """Each accuracy target with its label, threshold, the row's value and whether the value meets it."""
    out = []
    for metric, threshold in TARGETS.items():
        value = row.get(metric)
        met = value is not None and not math.isnan(value) and (value > threshold if metric == "brier_skill"
                                                               else value >= threshold)
        out.append({"metric": metric, "label": TARGET_LABELS[metric], "threshold": threshold,
                    "value": None if value is None else round(float(value), 3), "met": bool(met)})
    return out


def evaluate_frozen(features: pd.DataFrame, specs: dict[str, ModelSpec], result: BacktestResult, draws: int
                    ) -> list[dict[str, Any]]:
    """Models frozen at the end of 2019 scoring 2020 to the last observed year: on all states, and on the
    standard sample's states (its exclusions applied to the later years)."""
    last_year = int(features.loc[features["attempt"].notna(), "year"].max())
    frozen = with_reference(frozen_evaluation(features, specs, result, freeze_after=2019, last_year=last_year))
    period = f"2020-{last_year}"
    standard = STANDARD.states_only().keys(features)
    on_standard = frozen.merge(standard, on=["gwcode", "year"], how="inner")
    rows = []
    for sample, scored in (("all", frozen), (STANDARD.name, on_standard)):
        for model, group in scored.dropna(subset=["observed"]).groupby("model"):
            rows.append({"model": model, "sample": sample, "period": period,
                         **score_with_intervals(group, draws=draws)})
    return rows


def run_and_save_backtest(
    out: Path | None = None,
    *,
    rolling: RollingOrigin | None = None,
    spec_files: list[Path] | None = None,
    outcomes: tuple[str, ...] = ("attempt", "success"),
    draws: int = 1000,
    executor: Executor | None = None,
    progress: Progress | None = None,
    features: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Run the backtest on the warehouse panel and write every output; returns the metrics document.

    The outputs replace the previous ones in one step when all are written (see :mod:`coupwatch.store.outputs`).
    """
    with replace_folder(out or backtest_dir(), BACKTEST) as staging:
        return _backtest_into(staging, rolling=rolling, spec_files=spec_files, outcomes=outcomes, draws=draws,
                              executor=executor, progress=progress, features=features)


def _backtest_into(
    out: Path,
    *,
    rolling: RollingOrigin | None,
    spec_files: list[Path] | None,
    outcomes: tuple[str, ...],
    draws: int,
    executor: Executor | None,
    progress: Progress | None,
    features: pd.DataFrame | None,
) -> dict[str, Any]:
    rolling = rolling or RollingOrigin()
    specs = load_specs(spec_files)
    features = load_features() if features is None else features
    check_test_years(features, rolling)
    result = run_backtest(features, specs, rolling, outcomes=outcomes, executor=executor,
                          progress=progress or no_progress)
    summary = summarise(result.predictions, bootstrap_draws=draws,
                        samples={HEADLINE_SAMPLE.name: HEADLINE_SAMPLE.keys(features)})
    pooled = pd.DataFrame(summary["pooled"])
    # The sample's own years: 2011-2019 in a full backtest, fewer when the backtest starts later.
    headline_rows = pooled[(pooled["outcome"] == "attempt") & (pooled["sample"] == HEADLINE_SAMPLE.name)]
    headline_period = str(headline_rows["period"].iloc[0]) if len(headline_rows) else HEADLINE_PERIOD
    main = headline_rows[headline_rows["model"] == MAIN_MODEL]
    # Every attempt from the first year of the standard sample to the last test year, ranked under each model.
    cases_first, cases_last = max(CASES_FIRST_YEAR, rolling.first_test_year), rolling.last_test_year
    cases = case_table(result.predictions, "attempt", cases_first, cases_last)
    frozen = (evaluate_frozen(features, specs, result, draws)
              if rolling.first_test_year <= 2020 <= rolling.last_test_year and "attempt" in outcomes else [])
    test_rows = features["year"].between(rolling.first_test_year, rolling.last_test_year)
    missing = missing_report(features[test_rows])
    document = {
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "settings": asdict(rolling),
        "models": {name: spec.model_dump() for name, spec in specs.items()},
        "headline": {"period": headline_period, "sample": HEADLINE_SAMPLE.name, "sample_label": HEADLINE_SAMPLE.label,
                     "sample_description": HEADLINE_SAMPLE.description, "outcome": "attempt", "main_model": MAIN_MODEL,
                     "rows": headline_rows.to_dict("records"),
                     "all_states_rows": pooled[(pooled["outcome"] == "attempt") & (pooled["sample"] == "all")
                                               & (pooled["period"] == headline_period)].to_dict("records"),
                     # Built from str-keyed records (summary["pooled"]), so the row is labelled by strings.
                     "targets": target_checks(cast(dict[str, Any], main.iloc[0].to_dict())) if len(main) else []},
        "pooled": summary["pooled"],
        "per_year": summary["per_year"],
        "calibration": summary["calibration"],
        "frozen_2019": {"freeze_after": 2019, "rows": frozen},
        "cases": {"first": cases_first, "last": cases_last, "rows": cases.to_dict("records")},
        "tuning": result.tuning.to_dict("records"),
        "missing": missing.to_dict("records"),
        "bootstrap_draws": draws,
    }
    result.predictions = mark_samples(result.predictions, features)
    predictions = result.predictions[[*PREDICTION_COLUMNS, *SAVED_SAMPLE_COLUMNS.values()]]
    predictions.to_parquet(out / "predictions.parquet", index=False)
    predictions.to_csv(out / "predictions.csv", index=False)
    result.tuning.to_csv(out / "tuning.csv", index=False)
    (out / "metrics.json").write_text(json.dumps(_clean(document), indent=1), encoding="utf-8")
    from coupwatch.report.backtest_report import write_report

    write_report(document, result.predictions, out)
    return document


def run_and_save_ablation(
    out: Path | None = None,
    *,
    model: str = MAIN_MODEL,
    rolling: RollingOrigin | None = None,
    outcome: str = "attempt",
    groups: list[str] | None = None,
    spec_files: list[Path] | None = None,
    draws: int = 1000,
    executor: Executor | None = None,
    progress: Progress | None = None,
    features: pd.DataFrame | None = None,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Run the feature-group ablation on the warehouse panel and write its outputs; returns (document, table).

    Outputs: ablation.csv (the table), ablation_predictions.parquet, ablation.json and ablation.html with
    charts/ablation_auc_roc.png and charts/ablation_auc_pr.png.
    """
    from coupwatch.core.evaluate.ablation import run_ablation
    from coupwatch.report.backtest_report import write_ablation_report

    folder = out or ablation_dir()
    check_target(folder, ABLATION)
    rolling = rolling or RollingOrigin()
    specs = load_specs(spec_files)
    features = load_features() if features is None else features
    check_test_years(features, rolling)
    try:
        result = run_ablation(features, specs, model, rolling, outcome=outcome, groups=groups, draws=draws,
                              executor=executor, progress=progress or no_progress)
    except ValueError as error:
        raise CoupwatchError(f"{error} (see `coupwatch ablation --help`)") from error
    document = {
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "model": model,
        "outcome": outcome,
        "settings": asdict(rolling),
        "bootstrap_draws": draws,
        "table": result.table.to_dict("records"),
    }
    with replace_folder(folder, ABLATION) as staging:
        result.table.to_csv(staging / "ablation.csv", index=False)
        result.predictions[["variant", *PREDICTION_COLUMNS]].to_parquet(staging / "ablation_predictions.parquet",
                                                                        index=False)
        (staging / "ablation.json").write_text(json.dumps(_clean(document), indent=1), encoding="utf-8")
        write_ablation_report(document, result.table, staging)
    return document, result.table


def load_backtest(folder: Path | None = None) -> BacktestResult:
    """The saved backtest (predictions, tuning choices, settings), for forecasts and reports."""
    folder = folder or backtest_dir()
    saved = SavedFolder.open(folder, BACKTEST)
    metrics = json.loads(saved.read("metrics.json"))
    settings = dict(metrics["settings"])
    settings["train_start_grid"] = tuple(settings.get("train_start_grid", (settings["train_start"],)))
    rolling = RollingOrigin(**settings)
    specs = {name: ModelSpec.model_validate(spec) for name, spec in metrics["models"].items()}
    predictions = pd.read_parquet(io.BytesIO(saved.read("predictions.parquet")))
    tuning = pd.read_csv(io.BytesIO(saved.read("tuning.csv")))
    return BacktestResult(predictions, tuning, rolling, specs, pd.DataFrame())


def run_and_save_forecast(
    year: int | None = None,
    *,
    model: str = MAIN_MODEL,
    outcome: str = "attempt",
    draws: int = REFITS,
    backtest_folder: Path | None = None,
    out: Path | None = None,
    executor: Executor | None = None,
    features: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, Path]:
    """Forecast ``year`` from the warehouse with the saved backtest's choices; write Parquet and JSON.

    Each row says, per feature group, the last year of data it uses and the years carried forward
    (``data_as_of``, a list, and ``data_as_of_text``).
    """
    from coupwatch.core.currency import currency_records, data_currency
    from coupwatch.core.forecast import make_forecast

    check_target(out or forecast_dir(), FORECASTS)
    backtest = load_backtest(backtest_folder)
    panel = load_panel()
    features = load_features(panel) if features is None else features
    from coupwatch.store.refit_cache import DiskRefitStore

    watchlist = make_forecast(features, backtest.specs, backtest, year=year, model=model, outcome=outcome,
                              store=DiskRefitStore(),
                              draws=draws, executor=executor)
    currency = currency_records(data_currency(panel, int(watchlist["year"].iloc[0])))
    watchlist = watchlist.merge(currency, on="gwcode", how="left")
    folder = out or forecast_dir()
    target_year = int(watchlist["year"].iloc[0])
    stem = f"forecast-{target_year}-{outcome}-{model}"
    stored = watchlist.assign(drivers=watchlist["drivers"].map(json.dumps),
                              data_as_of=watchlist["data_as_of"].map(json.dumps))
    # The other years' and models' watchlists are carried over; this one's two files are replaced together.
    with replace_folder(folder, FORECASTS, keep=lambda name: not name.startswith(f"{stem}.")) as staging:
        stored.to_parquet(staging / f"{stem}.parquet", index=False)
        (staging / f"{stem}.json").write_text(json.dumps(_clean(watchlist.to_dict("records")), indent=1),
                                              encoding="utf-8")
    return watchlist, folder / f"{stem}.parquet"

