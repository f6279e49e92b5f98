"""Our estimators follow scikit-learn's conventions (its own checks), and behave on rare events."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from coupwatch.core.models.estimators import (
    BoostedTrees,
    CalibratedEnsemble,
    ConstantRateClassifier,
    PenalisedLogit,
    fit_calibration,
    fit_intercept_shift,
    fit_platt,
)

# Checks written for multi-class or regression behaviour that a binary rare-event classifier refuses on purpose.
EXPECTED_FAILURES: dict[str, str] = {}
CONSTANT_FAILURES = {
    "check_classifiers_train": "a constant-rate baseline cannot reach the accuracy this check asks of a classifier",
}


@parametrize_with_checks(
    [
        ConstantRateClassifier(columns=None),
        PenalisedLogit(),
        BoostedTrees(n_estimators=20),
        CalibratedEnsemble(members=[PenalisedLogit(), BoostedTrees(n_estimators=20)]),
    ],
    expected_failed_checks=lambda estimator: (
        CONSTANT_FAILURES if isinstance(estimator, ConstantRateClassifier) else EXPECTED_FAILURES
    ),
)
def test_scikit_learn_conventions(estimator, check) -> None:  # type: ignore[no-untyped-def]
    check(estimator)


def _rare_events(rows: int = 3000, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"risk": rng.normal(size=rows), "noise": rng.normal(size=rows)})
    X.loc[rng.random(rows) < 0.2, "noise"] = np.nan
    p = 1 / (1 + np.exp(-(-4 + 1.5 * X["risk"])))
    return X, (rng.random(rows) < p).astype(int)


def test_models_rank_rare_events_and_stay_on_the_rate_scale() -> None:
    X, y = _rare_events()
    for model in (PenalisedLogit(C=1.0), BoostedTrees(n_estimators=100, num_leaves=4)):
        proba = model.fit(X, y).predict_proba(X)[:, 1]
        assert np.corrcoef(proba, X["risk"])[0, 1] > 0.5
        assert abs(proba.mean() - y.mean()) < 0.01  # no class reweighting: probabilities mean what they say


def test_constant_rate_is_the_training_rate() -> None:
    X, y = _rare_events()
    proba = ConstantRateClassifier().fit(X, y).predict_proba(X)[:, 1]
    assert np.allclose(proba, y.mean())


def test_logit_contributions_add_up_to_the_log_odds() -> None:
    X, y = _rare_events()
    model = PenalisedLogit(C=1.0).fit(X, y)
    contributions = model.contributions(X)
    intercept = model.pipeline_.named_steps["logit"].intercept_[0]
    log_odds = np.log(model.predict_proba(X)[:, 1] / model.predict_proba(X)[:, 0])
    assert np.allclose(contributions.sum(axis=1) + intercept, log_odds)
    assert contributions["risk"].abs().mean() > contributions["noise"].abs().mean()


def test_tree_contributions_are_shap_values() -> None:
    X, y = _rare_events()
    model = BoostedTrees(n_estimators=50, num_leaves=4).fit(X, y)
    contributions = model.contributions(X.head(50))
    assert model.booster_ is not None
    raw = model.booster_.predict(X.head(50).to_numpy(), raw_score=True)
    base = raw - contributions.sum(axis=1).to_numpy()
    assert np.allclose(base, base[0], atol=1e-6)  # SHAP values add up to the raw score minus a constant


def test_ensemble_calibration_and_columns() -> None:
    X, y = _rare_events()
    members = [PenalisedLogit(columns=["risk"]), BoostedTrees(n_estimators=30, columns=["risk", "noise"])]
    ensemble = CalibratedEnsemble(members=members, weights=[0.5, 0.5], calibration=(1.0, 0.0)).fit(X, y)
    assert ensemble.columns == ["risk", "noise"]
    shifted = CalibratedEnsemble(members=members, weights=[0.5, 0.5], calibration=(1.0, 1.0)).fit(X, y)
    assert (shifted.predict_proba(X)[:, 1] > ensemble.predict_proba(X)[:, 1]).all()
    with pytest.raises(ValueError, match="weights"):
        CalibratedEnsemble(members=members, weights=[1.0]).fit(X, y)


def test_platt_fit_recovers_a_known_map() -> None:
    rng = np.random.default_rng(3)
    raw = rng.normal(-3, 1.5, 20000)
    y = (rng.random(20000) < 1 / (1 + np.exp(-(0.7 * raw - 0.5)))).astype(int)
    slope, intercept = fit_platt(raw, y)
    assert slope == pytest.approx(0.7, abs=0.08) and intercept == pytest.approx(-0.5, abs=0.25)
    assert fit_platt(raw, np.zeros_like(y)) == (1.0, 0.0)


def test_intercept_shift_keeps_the_slope_and_matches_the_observed_rate() -> None:
    rng = np.random.default_rng(4)
    raw = rng.normal(-3, 1.5, 20000)
    y = (rng.random(20000) < 1 / (1 + np.exp(-(raw - 1.0)))).astype(int)
    slope, intercept = fit_intercept_shift(raw, y)
    assert slope == 1.0 and intercept == pytest.approx(-1.0, abs=0.1)
    calibrated = 1 / (1 + np.exp(-(raw + intercept)))
    assert calibrated.mean() == pytest.approx(y.mean(), rel=1e-6)
    assert fit_intercept_shift(raw, np.ones_like(y)) == (1.0, 0.0)


def test_fit_calibration_names_the_kinds_it_knows() -> None:
    raw = np.array([-2.0, -1.0, 0.0, 1.0])
    y = np.array([0, 0, 1, 1])
    assert fit_calibration("none", raw, y) == (1.0, 0.0)
    assert fit_calibration("intercept", raw, y) == fit_intercept_shift(raw, y)
    with pytest.raises(ValueError, match=r"unknown calibration 'isotonic'.*intercept"):
        fit_calibration("isotonic", raw, y)
