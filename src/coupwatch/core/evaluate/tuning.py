"""The backtest's tuning choices as typed records: the training window, each model's hyperparameters and each
ensemble's member weights and calibration, chosen by inner cross-validation at every tuning origin.

The frozen evaluation and the forecasts refit models with these choices; the tuning table (``tuning.csv``)
shows them as text for people, built from the same records.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from coupwatch.core.models.specs import ModelSpec, Params

WINDOW = "training window"


class _Choice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    outcome: str
    tuning_year: int


class WindowChoice(_Choice):
    """The first training year chosen at a tuning origin (shared by every model of the outcome)."""

    train_start: int

    @property
    def text(self) -> str:
        return f"train_start {self.train_start}"


class ParamsChoice(_Choice):
    """A model's hyperparameters chosen at a tuning origin (one point of its grid)."""

    model: str
    params: Params

    @property
    def text(self) -> str:
        return repr(self.params)


class EnsembleChoice(_Choice):
    """An ensemble's member weights and calibration map (``p = logistic(slope * log-odds + intercept)``).

    The values are kept at the precision the tuning table shows (weights to 6 significant digits, slope and
    intercept to 4 decimals): the frozen evaluation and the forecasts have always refitted with these recorded
    values, so keeping them keeps their probabilities to the last digit.
    """

    model: str
    weights: list[float]
    calibration: str
    slope: float
    intercept: float

    @classmethod
    def recorded(cls, outcome: str, tuning_year: int, model: str, weights: Sequence[float], calibration: str,
                 mapping: tuple[float, float]) -> EnsembleChoice:
        """The choice as recorded from the fitted weights and calibration map (see the class docstring)."""
        return cls(outcome=outcome, tuning_year=tuning_year, model=model,
                   weights=[float(f"{w:g}") for w in weights], calibration=calibration,
                   slope=float(f"{mapping[0]:.4f}"), intercept=float(f"{mapping[1]:.4f}"))

    @property
    def mapping(self) -> tuple[float, float]:
        return self.slope, self.intercept

    @property
    def text(self) -> str:
        return ensemble_choice_text(self.weights, self.calibration, self.mapping)


class TuningChoices(BaseModel):
    """Every choice made by inner cross-validation in one backtest."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    windows: list[WindowChoice] = []
    params: list[ParamsChoice] = []
    ensembles: list[EnsembleChoice] = []

    def window(self, outcome: str, tuning_year: int, default: int) -> int:
        """The training start chosen at a tuning origin (``default`` when the window was not tuned)."""
        for choice in self.windows:
            if choice.outcome == outcome and choice.tuning_year == tuning_year:
                return choice.train_start
        return default

    def params_for(self, spec: ModelSpec, outcome: str, tuning_year: int) -> Params:
        """A model's hyperparameters chosen at a tuning origin (its only grid point when it was not tuned)."""
        for choice in self.params:
            if choice.outcome == outcome and choice.tuning_year == tuning_year and choice.model == spec.name:
                return dict(choice.params)
        return spec.grid_points()[0]

    def ensemble(self, model: str, outcome: str, tuning_year: int) -> EnsembleChoice | None:
        """An ensemble's weights and calibration chosen at a tuning origin (None when it is not calibrated)."""
        for choice in self.ensembles:
            if choice.outcome == outcome and choice.tuning_year == tuning_year and choice.model == model:
                return choice
        return None


def ensemble_choice_text(weights: Sequence[float], kind: str, calibration: tuple[float, float]) -> str:
    """How the tuning table shows an ensemble's choice.

    For example "weights 0.25 0.75 calibration intercept slope 1.0000 intercept -0.2000".
    """
    return (f"weights {' '.join(f'{w:g}' for w in weights)} calibration {kind} slope {calibration[0]:.4f} "
            f"intercept {calibration[1]:.4f}")
