"""Running the backtest and the feature-group ablation against the warehouse, and keeping their outputs on disk.

Outputs live under ``COUPWATCH_HOME/backtest`` and ``COUPWATCH_HOME/ablation`` (or a folder given by the user):
predictions as Parquet and CSV, the metrics (:class:`~coupwatch.store.schemas.BacktestMetrics`) and the tuning
choices (:class:`~coupwatch.store.schemas.SavedTuning`, and ``tuning.csv`` for people) as JSON. The HTML report
is the caller's: it passes a writer (``report.backtest_report.write_report`` from the CLI), which fills the same
folder before it replaces the previous one. The forecasts, the briefs, the dashboard and the API read these files.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

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
from coupwatch.errors import CoupwatchError
from coupwatch.store.outputs import SavedFolder, check_target, replace_folder, write_document
from coupwatch.store.reader import YEAR_PANEL, Warehouse
from coupwatch.store.saved import (
    ABLATION,
    ABLATION_FILE,
    BACKTEST,
    MAIN_MODEL,
    METRICS_FILE,
    TUNING_FILE,
    ablation_dir,
    backtest_dir,
)
from coupwatch.store.schemas import AblationSummary, BacktestMetrics, FrozenScores, SavedTuning, TargetCheck

# Writers of the HTML pages, given by the caller (the report layer): they add files to the output folder.
BacktestReportWriter = Callable[[BacktestMetrics, pd.DataFrame, Path], object]
AblationReportWriter = Callable[[AblationSummary, pd.DataFrame, Path], object]

# The headline and the targets are scored on the published benchmark's own country-years (the standard sample).
HEADLINE_SAMPLE = STANDARD
HEADLINE_PERIOD = STANDARD.period
CASES_FIRST_YEAR = 2011
# The frozen evaluation: models trained once on the years to the end of 2019 (before the 2020s' coup wave).
FREEZE_AFTER = 2019
TARGETS = {"auc_roc": 0.82, "auc_pr": 0.07, "brier_skill": 0.0, "recall_top20": 0.5}
TARGET_LABELS = {"auc_roc": "AUC-ROC >= 0.82", "auc_pr": "AUC-PR >= 0.07", "brier_skill": "Brier skill > 0",
                 "recall_top20": "half of attempts in their year's top 20"}


def load_panel() -> pd.DataFrame:
    """The whole country-year panel of the warehouse, as stored."""
    with Warehouse() as warehouse:
        return warehouse.table(YEAR_PANEL)


def load_features(panel: pd.DataFrame | None = None) -> pd.DataFrame:
    return build_features(load_panel() if panel is None else panel)


def clean_json(value: Any) -> Any:
    """JSON-ready values: NaN becomes None, numpy scalars Python ones."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: clean_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_json(v) for v in value]
    if hasattr(value, "item"):
        return clean_json(value.item())
    return value


def check_test_years(features: pd.DataFrame, rolling: RollingOrigin) -> None:
    """Refuse test years the features do not reach (before any output is touched)."""
    last = int(features["year"].max())
    if rolling.last_test_year > last:
        raise CoupwatchError(f"--to {rolling.last_test_year}: the features end in {last}. Fix: give --to {last} or "
                             "earlier")


def target_checks(scores: Mapping[str, float]) -> list[TargetCheck]:
    """Each accuracy target with its label, threshold, the scores' value and whether the value meets it."""
    out = []
    for metric, threshold in TARGETS.items():
        value = scores.get(metric)
        met = value is not None and not math.isnan(value) and (value > threshold if metric == "brier_skill"
                                                               else value >= threshold)
        out.append(TargetCheck(metric=metric, label=TARGET_LABELS[metric], threshold=threshold,
                               value=None if value is None else round(float(value), 3), met=bool(met)))
    return out


def evaluate_frozen(features: pd.DataFrame, specs: dict[str, ModelSpec], result: BacktestResult, draws: int
                    ) -> list[FrozenScores]:
    """Models frozen at the end of :data:`FREEZE_AFTER` scoring the years after it to the last observed year: on
    all states, and on the standard sample's states (its exclusions applied to the later years)."""
    last_year = int(features.loc[features["attempt"].notna(), "year"].max())
    frozen = with_reference(frozen_evaluation(features, specs, result, freeze_after=FREEZE_AFTER,
                                              last_year=last_year))
    period = f"{FREEZE_AFTER + 1}-{last_year}"
    standard = STANDARD.states_only().keys(features)
    on_standard = frozen.merge(standard, on=["gwcode", "year"], how="inner")
    rows = []
    for sample, scored in (("all", frozen), (STANDARD.name, on_standard)):
        for model, group in scored.dropna(subset=["observed"]).groupby("model"):
            rows.append(FrozenScores(model=str(model), sample=sample, period=period,
                                     **score_with_intervals(group, draws=draws)))
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
    write_report: BacktestReportWriter | None = None,
) -> BacktestMetrics:
    """Run the backtest on the warehouse panel and write every output; returns the metrics.

    ``write_report`` (metrics, predictions, folder) adds the HTML report. The outputs replace the previous ones
    in one step when all are written (see :mod:`coupwatch.store.outputs`).
    """
    with replace_folder(out or backtest_dir(), BACKTEST) as staging:
        return _backtest_into(staging, rolling=rolling, spec_files=spec_files, outcomes=outcomes, draws=draws,
                              executor=executor, progress=progress, features=features, write_report=write_report)


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
    write_report: BacktestReportWriter | None,
) -> BacktestMetrics:
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
              if rolling.first_test_year <= FREEZE_AFTER + 1 <= rolling.last_test_year and "attempt" in outcomes
              else [])
    test_rows = features["year"].between(rolling.first_test_year, rolling.last_test_year)
    missing = missing_report(features[test_rows])
    document = BacktestMetrics.model_validate(clean_json({
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "settings": asdict(rolling),
        "models": {name: spec.model_dump() for name, spec in specs.items()},
        "headline": {"period": headline_period, "sample": HEADLINE_SAMPLE.name, "sample_label": HEADLINE_SAMPLE.label,
                     "sample_description": HEADLINE_SAMPLE.description, "outcome": "attempt", "main_model": MAIN_MODEL,
                     "rows": headline_rows.to_dict("records"),
                     "all_states_rows": pooled[(pooled["outcome"] == "attempt") & (pooled["sample"] == "all")
                                               & (pooled["period"] == headline_period)].to_dict("records"),
                     # Built from str-keyed records (summary["pooled"]), so the row is labelled by strings.
                     "targets": target_checks({m: float(main[m].iloc[0]) for m in TARGETS}) if len(main) else []},
        "pooled": summary["pooled"],
        "per_year": summary["per_year"],
        "calibration": summary["calibration"],
        "frozen": {"freeze_after": FREEZE_AFTER, "rows": frozen},
        "cases": {"first": cases_first, "last": cases_last, "rows": cases.to_dict("records")},
        "tuning": result.tuning.to_dict("records"),
        "missing": missing.to_dict("records"),
        "bootstrap_draws": draws,
    }))
    result.predictions = mark_samples(result.predictions, features)
    predictions = result.predictions[[*PREDICTION_COLUMNS, *SAVED_SAMPLE_COLUMNS.values()]]
    predictions.to_parquet(out / "predictions.parquet", index=False)
    predictions.to_csv(out / "predictions.csv", index=False)
    result.tuning.to_csv(out / "tuning.csv", index=False)
    write_document(out / TUNING_FILE, SavedTuning(choices=result.choices))
    write_document(out / METRICS_FILE, document)
    if write_report is not None:
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
    write_report: AblationReportWriter | None = None,
) -> tuple[AblationSummary, pd.DataFrame]:
    """Run the feature-group ablation on the warehouse panel and write its outputs; returns (summary, table).

    Outputs: ablation.csv (the table), ablation_predictions.parquet and ablation.json; ``write_report``
    (summary, table, folder) adds the HTML page and its charts.
    """
    from coupwatch.core.evaluate.ablation import run_ablation

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
    document = AblationSummary.model_validate(clean_json({
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "model": model,
        "outcome": outcome,
        "settings": asdict(rolling),
        "bootstrap_draws": draws,
        "table": result.table.to_dict("records"),
    }))
    with replace_folder(folder, ABLATION) as staging:
        result.table.to_csv(staging / "ablation.csv", index=False)
        result.predictions[["variant", *PREDICTION_COLUMNS]].to_parquet(staging / "ablation_predictions.parquet",
                                                                        index=False)
        write_document(staging / ABLATION_FILE, document)
        if write_report is not None:
            write_report(document, result.table, staging)
    return document, result.table


def load_backtest(folder: Path | None = None) -> BacktestResult:
    """The saved backtest (predictions, tuning choices, settings), for forecasts and reports."""
    folder = folder or backtest_dir()
    saved = SavedFolder.open(folder, BACKTEST)
    metrics = saved.document(METRICS_FILE, BacktestMetrics)
    if not saved.has(TUNING_FILE):
        raise CoupwatchError(f"{folder / TUNING_FILE}: missing (the backtest was saved by an older coupwatch, "
                             "which kept its tuning choices as text only). Fix: rerun `coupwatch backtest`")
    choices = saved.document(TUNING_FILE, SavedTuning).choices
    predictions = pd.read_parquet(io.BytesIO(saved.read("predictions.parquet")))
    tuning = pd.read_csv(io.BytesIO(saved.read("tuning.csv")))
    return BacktestResult(predictions, tuning, choices, metrics.settings, dict(metrics.models), pd.DataFrame())
