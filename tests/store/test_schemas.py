"""The typed saved documents: what they write, reading them back, and refusing a file they cannot trust."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from coupwatch.core.evaluate.rolling import RollingOrigin
from coupwatch.core.evaluate.tuning import EnsembleChoice, ParamsChoice, TuningChoices, WindowChoice
from coupwatch.core.models.specs import ModelSpec
from coupwatch.store.outputs import (
    MANIFEST,
    OutputCorruptError,
    SavedFolder,
    document_json,
    replace_folder,
    write_document,
)
from coupwatch.store.saved import (
    BACKTEST,
    METRICS_FILE,
    TUNING_FILE,
    load_backtest_metrics,
)
from coupwatch.store.schemas import BacktestMetrics, SavedTuning, nan_records

SCORES = {"auc_roc": 0.8125, "auc_pr": 0.0625, "brier": 0.0049, "log_loss": 0.031, "brier_skill": 0.012,
          "recall_top10": 0.5, "recall_top20": 0.75, "recall_top30": 1.0, "events": 4.0, "rows": 788.0,
          "event_rate": 0.005076142131979695}
INTERVALS = {"auc_roc_low": 0.61, "auc_roc_high": 0.93, "auc_pr_low": 0.01, "auc_pr_high": float("nan")}


def metrics_document() -> dict[str, Any]:
    """A small metrics document as the backtest builds it (the core's NaN for a score it could not compute)."""
    pooled = {"outcome": "attempt", "model": "ensemble", "sample": "standard", "period": "2016-2019", **SCORES,
              **INTERVALS}
    return {
        "built_at": "2026-12-04T20:00:00+00:00",
        "settings": {"first_test_year": 2016, "last_test_year": 2021, "train_start": 1960,
                     "train_start_grid": [1960, 1975], "retune_every": 5, "inner_folds": 2, "inner_block_years": 2},
        "models": {"constant": ModelSpec(name="constant", kind="constant",
                                         description="the training event rate").model_dump()},
        "headline": {"period": "2016-2019", "sample": "standard", "sample_label": "standard sample",
                     "sample_description": "the benchmark's country-years", "outcome": "attempt",
                     "main_model": "ensemble", "rows": [pooled], "all_states_rows": [],
                     "targets": [{"metric": "auc_roc", "label": "AUC-ROC >= 0.82", "threshold": 0.82,
                                  "value": 0.812, "met": False}]},
        "pooled": [pooled],
        "per_year": [{"outcome": "attempt", "model": "ensemble", "sample": "all", "year": 2016, **SCORES}],
        "calibration": [{"outcome": "attempt", "model": "ensemble", "bin": "(-0.001, 0.01]", "rows": 0,
                         "events": 0.0, "mean_predicted": float("nan"), "observed_rate": None}],
        "frozen": {"freeze_after": 2019, "rows": [{"model": "ensemble", "sample": "all", "period": "2020-2021",
                                                   **SCORES, **INTERVALS}]},
        "cases": {"first": 2016, "last": 2021, "rows": [
            {"year": 2021, "gwcode": 432, "iso3": "MLI", "country": "Mali", "ensemble_p": 0.21, "logit_p": 0.18,
             "ensemble_rank": 1, "logit_rank": 2}]},
        "tuning": [{"outcome": "attempt", "tuning_year": 2016, "model": "logit", "chosen": "{'C': 0.01}",
                    "inner_log_loss": 0.0634, "grid": "[{'C': 0.01}, {'C': 0.1}]",
                    "grid_log_loss": "[0.0634, 0.0667]"}],
        "missing": [{"feature": "polity2", "missing_share": 0.25, "group": "regime", "source": "Polity5"}],
        "bootstrap_draws": 50,
    }


def choices() -> TuningChoices:
    return TuningChoices(
        windows=[WindowChoice(outcome="attempt", tuning_year=2016, train_start=1975)],
        params=[ParamsChoice(outcome="attempt", tuning_year=2016, model="lightgbm",
                             params={"num_leaves": 15, "reg_lambda": 10.0, "extra_trees": True})],
        ensembles=[EnsembleChoice.recorded("attempt", 2016, "ensemble", [0.25, 0.75], "intercept",
                                           (1.0, -0.17364912))],
    )


def save_backtest(folder: Path, metrics: BacktestMetrics, tuning: TuningChoices) -> None:
    with replace_folder(folder, BACKTEST) as staging:
        write_document(staging / METRICS_FILE, metrics)
        write_document(staging / TUNING_FILE, SavedTuning(choices=tuning))


def test_metrics_keep_the_files_layout_and_read_back_typed(tmp_path: Path) -> None:
    metrics = BacktestMetrics.model_validate(metrics_document())
    text = document_json(metrics)
    saved = json.loads(text)
    assert list(saved) == ["built_at", "settings", "models", "headline", "pooled", "per_year", "calibration",
                           "frozen_2019", "cases", "tuning", "missing", "bootstrap_draws"]
    assert list(saved["pooled"][0]) == ["outcome", "model", "sample", "period", *SCORES, *INTERVALS]
    assert list(saved["per_year"][0]) == ["outcome", "model", "sample", "year", *SCORES]
    assert list(saved["frozen_2019"]["rows"][0]) == ["model", "sample", "period", *SCORES, *INTERVALS]
    assert list(saved["cases"]["rows"][0]) == ["year", "gwcode", "iso3", "country", "ensemble_p", "logit_p",
                                               "ensemble_rank", "logit_rank"]
    assert saved["pooled"][0]["auc_pr_high"] is None and saved["calibration"][0]["mean_predicted"] is None
    assert text.startswith('{\n "built_at": "2026-12-04T20:00:00+00:00",\n "settings": {\n  "first_test_year"')

    save_backtest(tmp_path / "backtest", metrics, choices())
    back = load_backtest_metrics(tmp_path / "backtest")
    assert back == metrics and document_json(back) == text
    assert back.frozen.freeze_after == 2019 and back.frozen.rows[0].period == "2020-2021"
    assert back.settings == RollingOrigin(first_test_year=2016, last_test_year=2021, inner_folds=2)
    case = back.cases.rows[0]
    assert case.p == {"ensemble": pytest.approx(0.21), "logit": pytest.approx(0.18)}
    assert case.rank == {"ensemble": 1, "logit": 2}
    main = back.headline.main_row()
    assert main is not None and main.auc_roc == pytest.approx(0.8125) and back.headline.years == (2016, 2019)
    # Tables and charts get the core's NaN back for a score that could not be computed.
    assert math.isnan(nan_records(back.pooled)[0]["auc_pr_high"])
    manifest = json.loads((tmp_path / "backtest" / MANIFEST).read_text())
    assert manifest["files"][METRICS_FILE]["schema_version"] == BacktestMetrics.SCHEMA_VERSION == 1


def test_tuning_choices_round_trip_with_their_types(tmp_path: Path) -> None:
    save_backtest(tmp_path / "backtest", BacktestMetrics.model_validate(metrics_document()), choices())
    back = SavedFolder.open(tmp_path / "backtest", BACKTEST).document(TUNING_FILE, SavedTuning).choices
    assert back == choices()
    lightgbm = ModelSpec(name="lightgbm", kind="lightgbm", description="boosted trees", grid={"num_leaves": [4, 15]})
    params = back.params_for(lightgbm, "attempt", 2016)
    assert params == {"num_leaves": 15, "reg_lambda": 10.0, "extra_trees": True}
    assert [type(v) for v in params.values()] == [int, float, bool]  # 15 stays an int, 10.0 a float
    # Not tuned: the model's first grid point; the window not chosen: the default.
    assert back.params_for(lightgbm, "success", 2016) == {"num_leaves": 4}
    assert (back.window("attempt", 2016, 1960), back.window("attempt", 2021, 1960)) == (1975, 1960)
    ensemble = back.ensemble("ensemble", "attempt", 2016)
    assert ensemble is not None and ensemble.mapping == (1.0, -0.1736) and ensemble.weights == [0.25, 0.75]
    assert back.ensemble("ensemble", "success", 2016) is None


def test_a_newer_schema_version_is_refused_with_the_fix(tmp_path: Path) -> None:
    folder = tmp_path / "backtest"
    save_backtest(folder, BacktestMetrics.model_validate(metrics_document()), choices())
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["files"][METRICS_FILE]["schema_version"] = 2
    (folder / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(OutputCorruptError) as caught:
        load_backtest_metrics(folder)
    message = str(caught.value)
    assert str(folder / METRICS_FILE) in message and "schema version 2" in message and "newer coupwatch" in message
    assert "Fix: upgrade coupwatch, or rerun `coupwatch backtest`" in message


def test_a_file_written_before_versions_were_recorded_reads_as_version_1(tmp_path: Path) -> None:
    folder = tmp_path / "backtest"
    save_backtest(folder, BacktestMetrics.model_validate(metrics_document()), choices())
    manifest = json.loads((folder / MANIFEST).read_text())
    del manifest["files"][METRICS_FILE]["schema_version"]
    (folder / MANIFEST).write_text(json.dumps(manifest))
    assert load_backtest_metrics(folder).bootstrap_draws == 50


def test_a_damaged_file_is_refused_naming_the_file_and_the_fix(tmp_path: Path) -> None:
    folder = tmp_path / "backtest"
    save_backtest(folder, BacktestMetrics.model_validate(metrics_document()), choices())
    path = folder / METRICS_FILE
    path.write_text(path.read_text().replace('"bootstrap_draws": 50', '"bootstrap_draws": 51'))
    with pytest.raises(OutputCorruptError, match=r"metrics\.json: contents differ from manifest\.json .*"
                                                 r"Fix: rerun `coupwatch backtest`"):
        load_backtest_metrics(folder)


def test_a_whole_file_that_does_not_fit_the_model_names_the_field_and_value(tmp_path: Path) -> None:
    folder = tmp_path / "backtest"
    document = metrics_document()
    document["frozen"]["freeze_after"] = "last year"
    with replace_folder(folder, BACKTEST) as staging:  # as a hand-edited file would be: whole, but wrong
        (staging / METRICS_FILE).write_text(json.dumps({**document, "frozen_2019": document.pop("frozen")}))
    with pytest.raises(OutputCorruptError) as caught:
        load_backtest_metrics(folder)
    message = str(caught.value)
    assert str(folder / METRICS_FILE) in message and "not a BacktestMetrics document" in message
    assert "field frozen_2019.freeze_after" in message and "'last year'" in message
    assert "Fix: rerun `coupwatch backtest`" in message


def test_an_unknown_key_is_refused_rather_than_dropped() -> None:
    document = metrics_document()
    document["headline"]["sample_lable"] = "typo"
    with pytest.raises(ValueError, match="sample_lable"):
        BacktestMetrics.model_validate(document)
