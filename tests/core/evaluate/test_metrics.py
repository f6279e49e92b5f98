"""Metrics of rare-event forecasts on small hand-worked examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from coupwatch.core.evaluate.metrics import (
    METRICS,
    bootstrap_intervals,
    brier_skill,
    calibration_table,
    paired_bootstrap_change,
    recall_at_k,
    score,
    weighted_auc_ap,
)

Y = np.array([0.0, 0.0, 1.0, 1.0])
P = np.array([0.1, 0.4, 0.35, 0.8])


def test_metrics_of_a_worked_example() -> None:
    # Of the four (event, non-event) pairs, three rank the event higher: AUC 3/4.
    assert METRICS["auc_roc"].function(Y, P) == pytest.approx(0.75)
    # Precision 1 at the first event (0.8), 2/3 at the second (0.35, behind 0.4): mean 5/6.
    assert METRICS["auc_pr"].function(Y, P) == pytest.approx(5 / 6)
    assert METRICS["brier"].function(Y, P) == pytest.approx((0.01 + 0.16 + 0.4225 + 0.04) / 4)
    expected_log_loss = -(math.log(0.9) + math.log(0.6) + math.log(0.35) + math.log(0.8)) / 4
    assert METRICS["log_loss"].function(Y, P) == pytest.approx(expected_log_loss)
    assert METRICS["auc_roc"].higher_is_better and not METRICS["brier"].higher_is_better


def test_one_class_gives_nan_not_an_error() -> None:
    no_event = np.zeros(5)
    assert math.isnan(METRICS["auc_roc"].function(no_event, np.linspace(0, 1, 5)))
    assert math.isnan(METRICS["auc_pr"].function(no_event, np.linspace(0, 1, 5)))
    assert math.isnan(METRICS["brier"].function(np.array([]), np.array([])))
    assert math.isnan(METRICS["log_loss"].function(np.array([]), np.array([])))
    assert bootstrap_intervals(pd.DataFrame({"observed": no_event, "p": np.linspace(0, 1, 5)}))["auc_roc"] == (
        pytest.approx((math.nan, math.nan), nan_ok=True))


def test_log_loss_survives_certain_wrong_forecasts() -> None:
    assert METRICS["log_loss"].function(np.array([1.0]), np.array([0.0])) == pytest.approx(-math.log(1e-6))


def test_brier_skill_against_a_reference() -> None:
    reference = np.full(4, 0.5)  # Brier 0.25
    assert brier_skill(Y, P, reference) == pytest.approx(1 - 0.158125 / 0.25)
    assert brier_skill(Y, reference, reference) == pytest.approx(0.0)


def test_recall_at_k_ranks_within_each_year() -> None:
    frame = pd.DataFrame({
        "year": [2020, 2020, 2020, 2021, 2021, 2021],
        "p": [0.9, 0.5, 0.1, 0.2, 0.3, 0.8],
        "observed": [0, 1, 0, 1, 0, 0],
    })
    assert recall_at_k(frame, 1) == pytest.approx(0.0)
    assert recall_at_k(frame, 2) == pytest.approx(0.5)  # 2020's event is second; 2021's is third
    assert recall_at_k(frame, 3) == pytest.approx(1.0)
    assert math.isnan(recall_at_k(frame.assign(observed=0), 3))


def test_score_gathers_every_metric() -> None:
    frame = pd.DataFrame({"year": 2020, "observed": Y, "p": P, "p_reference": 0.5})
    metrics = score(frame, ks=(1,))
    assert metrics["auc_roc"] == pytest.approx(0.75)
    assert metrics["brier_skill"] == pytest.approx(1 - 0.158125 / 0.25)
    assert metrics["recall_top1"] == pytest.approx(0.5)
    assert (metrics["events"], metrics["rows"], metrics["event_rate"]) == pytest.approx((2.0, 4.0, 0.5))


def test_calibration_table_counts_rows_and_events_per_bin() -> None:
    table = calibration_table(np.array([0, 0, 1, 0, 1]), np.array([0.005, 0.015, 0.03, 0.07, 0.5])).set_index("bin")
    assert table["rows"].tolist() == [1, 1, 1, 1, 0, 1]
    assert table["events"].tolist() == [0, 0, 1, 0, 0, 1]
    assert table["mean_predicted"].iloc[-1] == pytest.approx(0.5)


def test_weighted_auc_with_unit_weights_equals_scikit_learn() -> None:
    rng = np.random.default_rng(7)
    y = (rng.random(60) < 0.2).astype(float)
    p = np.round(rng.random(60), 1)  # ties, grouped into one threshold as scikit-learn does
    auc, ap = weighted_auc_ap(y, p, np.ones(60))
    assert auc[0] == pytest.approx(roc_auc_score(y, p))
    assert ap[0] == pytest.approx(average_precision_score(y, p))
    # A weight of two counts a row twice.
    doubled = np.r_[np.ones(60), np.ones(60)]
    twice, _ = weighted_auc_ap(np.r_[y, y], np.r_[p, p], doubled)
    weights = np.full(60, 2.0)
    assert weighted_auc_ap(y, p, weights)[0][0] == pytest.approx(twice[0])


def test_every_row_of_many_weightings_equals_scikit_learn_with_those_sample_weights() -> None:
    # More weightings than one pass scores, and a last pass that is not full: each row stays its own.
    rng = np.random.default_rng(11)
    y = (rng.random(80) < 0.15).astype(float)
    p = np.round(rng.random(80), 2)
    weights = rng.integers(0, 4, size=(150, 80)).astype(float)
    auc, ap = weighted_auc_ap(y, p, weights)
    assert auc.shape == ap.shape == (150,)
    for row in (0, 63, 64, 127, 128, 149):
        kept = weights[row] > 0
        if not 0 < y[kept].sum() < kept.sum():
            assert math.isnan(auc[row])
            continue
        assert auc[row] == pytest.approx(roc_auc_score(y[kept], p[kept], sample_weight=weights[row][kept]))
        assert ap[row] == pytest.approx(average_precision_score(y[kept], p[kept], sample_weight=weights[row][kept]))


def test_bootstrap_interval_holds_the_point_estimate_and_is_reproducible() -> None:
    rng = np.random.default_rng(3)
    y = (rng.random(200) < 0.15).astype(float)
    p = np.clip(0.1 + 0.3 * y + rng.normal(0, 0.15, 200), 0, 1)
    frame = pd.DataFrame({"observed": y, "p": p})
    low, high = bootstrap_intervals(frame, draws=300)["auc_roc"]
    assert low < roc_auc_score(y, p) < high
    assert bootstrap_intervals(frame, draws=300)["auc_roc"] == (pytest.approx(low), pytest.approx(high))


def test_paired_change_of_a_forecast_against_itself_is_zero() -> None:
    change = paired_bootstrap_change(Y, P, P, draws=50)
    assert change["auc_roc"][0] == pytest.approx(0.0)
    with pytest.raises(ValueError, match="outcomes and both forecasts need the same rows, got 4, 4, 3"):
        paired_bootstrap_change(Y, P, P[:3])
