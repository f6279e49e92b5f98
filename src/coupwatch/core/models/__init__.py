"""Coup-risk models: estimators with scikit-learn conventions and their TOML specifications."""

from coupwatch.core.models.estimators import (
    BoostedTrees,
    CalibratedEnsemble,
    ConstantRateClassifier,
    PenalisedLogit,
    fit_calibration,
    fit_intercept_shift,
    fit_platt,
)
from coupwatch.core.models.specs import ModelSpec, load_specs, packaged_specs

__all__ = [
    "BoostedTrees",
    "CalibratedEnsemble",
    "ConstantRateClassifier",
    "ModelSpec",
    "PenalisedLogit",
    "fit_calibration",
    "fit_intercept_shift",
    "fit_platt",
    "load_specs",
    "packaged_specs",
]
