"""Estimators with scikit-learn conventions: parameters in ``__init__``, validation in ``fit``, fitted
attributes ending in ``_``. All accept a DataFrame (using ``columns`` when given) or an array.

Rare events are handled deliberately: the logit is L2-penalised (a Firth-like shrinkage that keeps
coefficients finite when events are few), the trees are shallow with a minimum leaf size, neither reweights
classes (so probabilities stay on the event-rate scale), and the ensemble is recalibrated on out-of-time
predictions (a shift of its log-odds by default; a Platt slope too when asked).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.multiclass import type_of_target, unique_labels
from sklearn.utils.validation import check_is_fitted, validate_data


def _select(X: Any, columns: Sequence[str] | None) -> Any:
    if columns is None or not isinstance(X, pd.DataFrame):
        return X
    missing = [c for c in columns if c not in X.columns]
    if missing:
        raise KeyError(f"features missing from the data: {missing}")
    return X[list(columns)]


def _feature_names(X: Any) -> list[str]:
    if isinstance(X, pd.DataFrame):
        return [str(c) for c in X.columns]
    return [f"x{i}" for i in range(np.asarray(X).shape[1])]


class _BinaryClassifier(ClassifierMixin, BaseEstimator):
    """Shared checks: two classes, probabilities for class 1 in column 1."""

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        tags.input_tags.allow_nan = True
        return tags

    def _validate_fit(self, X: Any, y: Any) -> tuple[Any, np.ndarray]:
        X_selected = _select(X, getattr(self, "columns", None))
        X_checked, y_checked = validate_data(
            self, X_selected, y, ensure_all_finite="allow-nan", dtype="numeric", reset=True
        )
        target_type = type_of_target(y_checked, input_name="y", raise_unknown=True)
        if target_type not in ("binary", "unary") and len(np.unique(y_checked)) > 2:
            raise ValueError(
                f"Only binary classification is supported. The type of the target is {target_type}. "
                f"{type(self).__name__} predicts whether an event happens (0/1)"
            )
        self.classes_ = unique_labels(y_checked)
        self.feature_names_ = _feature_names(X_selected)
        return X_checked, y_checked

    def _validate_predict(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        X_selected = _select(X, getattr(self, "columns", None))
        return validate_data(self, X_selected, ensure_all_finite="allow-nan", dtype="numeric", reset=False)

    def predict(self, X: Any) -> np.ndarray:
        proba = self.predict_proba(X)
        return self.classes_[(proba[:, -1] >= 0.5).astype(int)] if len(self.classes_) == 2 else np.repeat(
            self.classes_[0], len(proba)
        )

    def _positive_index(self) -> int | None:
        return 1 if len(self.classes_) == 2 else None


class ConstantRateClassifier(_BinaryClassifier):
    """Predicts the training event rate for everyone: the baseline every model must beat.

    It looks at no feature, so ``columns`` defaults to none and any columns given are only checked.
    """

    def __init__(self, columns: Sequence[str] | None = ()) -> None:
        self.columns = columns

    def _validate_fit(self, X: Any, y: Any) -> tuple[Any, np.ndarray]:
        if self.columns == () and isinstance(X, pd.DataFrame):
            X = pd.DataFrame({"_constant": np.zeros(len(X))}, index=X.index)
            y_checked = np.asarray(y)
            X_checked, y_checked = validate_data(self, X, y_checked, reset=True)
            self.classes_ = unique_labels(y_checked)
            self.feature_names_ = []
            return X_checked, y_checked
        return super()._validate_fit(X, y)

    def _validate_predict(self, X: Any) -> np.ndarray:
        if self.columns == () and isinstance(X, pd.DataFrame):
            check_is_fitted(self)
            return np.zeros((len(X), 1))
        return super()._validate_predict(X)

    def fit(self, X: Any, y: Any) -> ConstantRateClassifier:
        _, y_checked = self._validate_fit(X, y)
        positive = self.classes_[-1]
        self.rate_ = float(np.mean(y_checked == positive)) if len(self.classes_) == 2 else 0.0
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        rows = self._validate_predict(X).shape[0]
        if len(self.classes_) == 1:
            return np.ones((rows, 1))
        return np.column_stack([np.full(rows, 1 - self.rate_), np.full(rows, self.rate_)])


class PenalisedLogit(_BinaryClassifier):
    """L2-penalised logistic regression with explicit missing-value handling.

    Missing values are replaced by the training median and flagged by an indicator column per feature that
    had missing values in training, so the model learns what missingness says instead of being fed data
    from the future.
    """

    def __init__(self, C: float = 0.01, columns: Sequence[str] | None = None, max_iter: int = 5000) -> None:
        self.C = C
        self.columns = columns
        self.max_iter = max_iter

    def fit(self, X: Any, y: Any) -> PenalisedLogit:
        X_checked, y_checked = self._validate_fit(X, y)
        if self.C <= 0:
            raise ValueError(f"C must be positive, got {self.C}")
        self.pipeline_ = Pipeline(
            [
                ("impute", SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True)),
                ("scale", StandardScaler()),
                ("logit", LogisticRegression(C=self.C, solver="newton-cholesky", max_iter=self.max_iter)),
            ]
        )
        if len(self.classes_) == 1:
            self.pipeline_ = None
            return self
        self.pipeline_.fit(X_checked, y_checked)
        self.n_iter_ = self.pipeline_.named_steps["logit"].n_iter_
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        X_checked = self._validate_predict(X)
        if self.pipeline_ is None:
            return np.ones((X_checked.shape[0], 1))
        return self.pipeline_.predict_proba(X_checked)

    def contributions(self, X: Any) -> pd.DataFrame:
        """Each feature's contribution to the log-odds: coefficient x standardised value (indicators added in)."""
        X_checked = self._validate_predict(X)
        if self.pipeline_ is None:
            return pd.DataFrame(0.0, index=range(len(X_checked)), columns=self.feature_names_)
        imputer: SimpleImputer = self.pipeline_.named_steps["impute"]
        transformed = self.pipeline_.named_steps["scale"].transform(imputer.transform(X_checked))
        coef = self.pipeline_.named_steps["logit"].coef_[0]
        parts = transformed * coef
        n = len(self.feature_names_)
        out = parts[:, :n].copy()
        if imputer.indicator_ is not None:
            for position, feature in enumerate(imputer.indicator_.features_):
                out[:, feature] += parts[:, n + position]
        index = X.index if isinstance(X, pd.DataFrame) else None
        return pd.DataFrame(out, columns=self.feature_names_, index=index)


class BoostedTrees(_BinaryClassifier):
    """LightGBM gradient boosting, shallow and regularised for rare events; missing values handled natively."""

    def __init__(
        self,
        num_leaves: int = 7,
        n_estimators: int = 300,
        learning_rate: float = 0.03,
        min_child_samples: int = 40,
        colsample_bytree: float = 0.7,
        subsample: float = 0.8,
        reg_lambda: float = 1.0,
        max_bin: int = 63,
        random_state: int = 0,
        n_jobs: int = 1,
        columns: Sequence[str] | None = None,
    ) -> None:
        self.num_leaves = num_leaves
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.min_child_samples = min_child_samples
        self.colsample_bytree = colsample_bytree
        self.subsample = subsample
        self.reg_lambda = reg_lambda
        self.max_bin = max_bin
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.columns = columns

    def fit(self, X: Any, y: Any) -> BoostedTrees:
        import lightgbm as lgb

        X_checked, y_checked = self._validate_fit(X, y)
        if len(self.classes_) == 1:
            self.booster_ = None
            return self
        self.model_ = lgb.LGBMClassifier(
            num_leaves=self.num_leaves,
            n_estimators=self.n_estimators,
            learning_rate=self.learning_rate,
            min_child_samples=self.min_child_samples,
            colsample_bytree=self.colsample_bytree,
            subsample=self.subsample,
            subsample_freq=1,
            reg_lambda=self.reg_lambda,
            max_bin=self.max_bin,
            random_state=self.random_state,
            n_jobs=self.n_jobs,
            deterministic=True,
            force_row_wise=True,
            verbose=-1,
        )
        self.model_.fit(X_checked, y_checked)
        self.booster_ = self.model_.booster_
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        X_checked = self._validate_predict(X)
        if self.booster_ is None:
            return np.ones((X_checked.shape[0], 1))
        return np.asarray(self.model_.predict_proba(X_checked))

    def contributions(self, X: Any) -> pd.DataFrame:
        """SHAP values (TreeSHAP, log-odds scale) per feature."""
        import shap

        X_checked = self._validate_predict(X)
        index = X.index if isinstance(X, pd.DataFrame) else None
        if self.booster_ is None:
            # An array, not a scalar fill: a scalar needs an index, which X has only when it is a DataFrame.
            return pd.DataFrame(np.zeros((len(X_checked), len(self.feature_names_))), index=index,
                                columns=self.feature_names_)
        explainer = shap.TreeExplainer(self.booster_)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="LightGBM binary classifier")
            values: np.ndarray = np.asarray(explainer.shap_values(X_checked))
        if values.ndim == 3:  # older shap: one array per class
            values = values[-1]
        return pd.DataFrame(values, columns=self.feature_names_, index=index)


def log_odds(p: np.ndarray) -> np.ndarray:
    """Probabilities on the log-odds scale, clipped to [1e-6, 1 - 1e-6] so certain predictions stay finite."""
    clipped = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(clipped / (1 - clipped))


class CalibratedEnsemble(_BinaryClassifier):
    """Average of member models on the log-odds scale, recalibrated on out-of-time predictions.

    ``calibration`` is a pair (slope, intercept) applied to the averaged log-odds; it is fitted by
    :func:`fit_calibration` on out-of-time predictions from the inner cross-validation, never on the data the
    members are fitted on. ``None`` leaves the average uncalibrated.
    """

    def __init__(
        self,
        members: Sequence[BaseEstimator] = (),
        weights: Sequence[float] | None = None,
        calibration: tuple[float, float] | None = None,
    ) -> None:
        self.members = members
        self.weights = weights
        self.calibration = calibration

    @property
    def columns(self) -> list[str] | None:
        """The members' columns together (validated once here), or None when a member uses every column."""
        chosen: list[str] = []
        for member in self.members:
            member_columns = getattr(member, "columns", None)
            if member_columns is None:
                return None
            chosen.extend(c for c in member_columns if c not in chosen)
        return chosen

    def fit(self, X: Any, y: Any) -> CalibratedEnsemble:
        if not self.members:
            raise ValueError("CalibratedEnsemble needs at least one member")
        if self.weights is not None and len(self.weights) != len(self.members):
            raise ValueError(f"{len(self.weights)} weights for {len(self.members)} members")
        self._validate_fit(X, y)
        self.members_ = [clone(member).fit(X, y) for member in self.members]
        return self

    def raw_log_odds(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        weights = np.asarray(self.weights if self.weights is not None else [1.0] * len(self.members_))
        columns = [log_odds(m.predict_proba(X)[:, -1]) for m in self.members_]
        return np.column_stack(columns) @ (weights / weights.sum())

    def predict_proba(self, X: Any) -> np.ndarray:
        self._validate_predict(X)
        if len(self.classes_) == 1:
            return np.ones((len(X), 1))
        z = self.raw_log_odds(X)
        if self.calibration is not None:
            slope, intercept = self.calibration
            z = slope * z + intercept
        p = 1 / (1 + np.exp(-z))
        return np.column_stack([1 - p, p])

    def contributions(self, X: Any) -> pd.DataFrame:
        """Members' contributions averaged with the ensemble weights, scaled by the calibration slope."""
        check_is_fitted(self)
        weights = np.asarray(self.weights if self.weights is not None else [1.0] * len(self.members_))
        weights = weights / weights.sum()
        slope = self.calibration[0] if self.calibration is not None else 1.0
        total: pd.DataFrame | None = None
        for weight, member in zip(weights, self.members_, strict=True):
            part = member.contributions(X) * (weight * slope)
            total = part if total is None else total.add(part, fill_value=0.0)
        assert total is not None
        return total


def fit_platt(raw_log_odds: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope and intercept mapping raw log-odds to calibrated log-odds (Platt scaling, lightly penalised)."""
    y = np.asarray(y, dtype=float)
    if y.sum() == 0 or y.sum() == len(y):
        return (1.0, 0.0)
    model = LogisticRegression(C=100.0, max_iter=1000).fit(np.asarray(raw_log_odds).reshape(-1, 1), y)
    return (float(model.coef_[0, 0]), float(model.intercept_[0]))


def fit_intercept_shift(raw_log_odds: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope 1 and the shift of the log-odds that makes the mean probability equal the observed rate.

    Calibration in the large: one parameter instead of Platt's two. A slope fitted on a few inner-CV years
    (a dozen or so attempts) can flatten or stretch the scores of a whole retuning block, and because pooled
    metrics compare country-years across blocks, that noise reorders countries between blocks; a shift alone
    cannot change the order within a block and moves a block's level only as far as its inner years warrant.
    """
    z = np.asarray(raw_log_odds, dtype=float)
    y = np.asarray(y, dtype=float)
    if y.sum() == 0 or y.sum() == len(y):
        return (1.0, 0.0)
    shift = 0.0
    # Newton steps on the log likelihood of a pure shift: concave in the shift, so this converges from 0.
    for _ in range(50):
        p = 1 / (1 + np.exp(-(z + shift)))
        gradient = float(np.sum(y - p))
        curvature = float(np.sum(p * (1 - p)))
        step = gradient / max(curvature, 1e-12)
        shift += float(np.clip(step, -2.0, 2.0))
        if abs(step) < 1e-10:
            break
    return (1.0, shift)


CALIBRATIONS = {"platt": fit_platt, "intercept": fit_intercept_shift}


def fit_calibration(kind: str, raw_log_odds: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The (slope, intercept) map of a calibration kind ("platt", "intercept" or "none")."""
    if kind == "none":
        return (1.0, 0.0)
    if kind not in CALIBRATIONS:
        raise ValueError(f"unknown calibration {kind!r}; use one of {sorted([*CALIBRATIONS, 'none'])}")
    return CALIBRATIONS[kind](raw_log_odds, y)
