"""The saved results as typed documents: the backtest's metrics, its tuning choices, a forecast's metadata and
the feature-group ablation's summary.

Each document is a pydantic model with a ``SCHEMA_VERSION``; :mod:`coupwatch.store.outputs` writes it as
JSON, records the version in the folder's manifest and refuses a file of a newer version or one that does not
fit the model. The JSON keys and their order are the files' layout since before the models existed, so the
files are the same bytes as before; a block whose key names a year (``frozen_2019``) is read into a field named
for what it holds (``frozen``), the year being data inside it (``freeze_after``).

Metric rows are built from mixins: pydantic puts the fields of later bases first, so
``class PooledScores(_Intervals, _Scores, _PooledKeys)`` lists the keys, then the scores, then the intervals,
the order the files have always had.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_serializer, model_validator

from coupwatch.core.evaluate.rolling import RollingOrigin
from coupwatch.core.evaluate.tuning import TuningChoices
from coupwatch.core.models.specs import ModelSpec
from coupwatch.store.outputs import SavedDocument


def _nan_to_none(value: object) -> object:
    return None if isinstance(value, float) and math.isnan(value) else value


# A score that cannot be computed (no event among the rows, say) is NaN in the core and null in the file.
Score = Annotated[float | None, BeforeValidator(_nan_to_none)]


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def nan_records(rows: Sequence[BaseModel]) -> list[dict[str, Any]]:
    """Rows as plain records with a score that could not be computed as NaN, as the core computed it: tables
    print it as before and a frame's score column stays numeric."""
    return [{key: math.nan if value is None else value for key, value in row.model_dump().items()} for row in rows]


# ---- metric rows --------------------------------------------------------------------------------------------

class _Scores(_Row):
    """:func:`coupwatch.core.evaluate.metrics.score`'s keys, in its order."""

    auc_roc: Score
    auc_pr: Score
    brier: Score
    log_loss: Score
    brier_skill: Score
    recall_top10: Score
    recall_top20: Score
    recall_top30: Score
    events: float
    rows: float
    event_rate: Score


class _Intervals(_Row):
    """The 95% bootstrap intervals :func:`coupwatch.core.evaluate.metrics.score_with_intervals` adds."""

    auc_roc_low: Score
    auc_roc_high: Score
    auc_pr_low: Score
    auc_pr_high: Score


class _PooledKeys(_Row):
    outcome: str
    model: str
    sample: str
    period: str


class _YearKeys(_Row):
    outcome: str
    model: str
    sample: str
    year: int


class _FrozenKeys(_Row):
    model: str
    sample: str
    period: str


class PooledScores(_Intervals, _Scores, _PooledKeys):
    """One model's scores on one outcome, pooled over a period of test years, on a sample of country-years."""


class YearScores(_Scores, _YearKeys):
    """One model's scores on one outcome in one test year."""


class FrozenScores(_Intervals, _Scores, _FrozenKeys):
    """A model frozen at the end of a year, scoring the years after it."""


class CalibrationBin(_Row):
    outcome: str
    model: str
    bin: str
    rows: int
    events: float
    mean_predicted: Score
    observed_rate: Score


class TargetCheck(_Row):
    """An accuracy target, the main model's value on the headline sample, and whether it is met."""

    metric: str
    label: str
    threshold: float
    value: Score
    met: bool


class TuningRow(_Row):
    """A row of the tuning table (the choices as text for people; :class:`TuningChoices` holds them typed)."""

    outcome: str
    tuning_year: int
    model: str
    chosen: str
    inner_log_loss: float
    grid: str
    grid_log_loss: str


class MissingShare(_Row):
    feature: str
    missing_share: float
    group: str
    source: str


class CaseRow(_Row):
    """An observed event with each model's probability and rank that year.

    Saved flat, as ``<model>_p`` then ``<model>_rank`` for every model; read into ``p`` and ``rank`` by model.
    """

    year: int
    gwcode: int
    iso3: str | None
    country: str
    p: dict[str, Score]
    rank: dict[str, int | None]

    @model_validator(mode="before")
    @classmethod
    def _by_model(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "p" in data:
            return data
        fixed = {key: data[key] for key in ("year", "gwcode", "iso3", "country") if key in data}
        p = {key.removesuffix("_p"): value for key, value in data.items() if key.endswith("_p")}
        rank = {key.removesuffix("_rank"): value for key, value in data.items() if key.endswith("_rank")}
        unknown = set(data) - set(fixed) - {f"{m}_p" for m in p} - {f"{m}_rank" for m in rank}
        return {**fixed, "p": p, "rank": rank, **{key: data[key] for key in unknown}}

    @model_serializer(mode="plain")
    def _flat(self) -> dict[str, Any]:
        return {"year": self.year, "gwcode": self.gwcode, "iso3": self.iso3, "country": self.country,
                **{f"{model}_p": value for model, value in self.p.items()},
                **{f"{model}_rank": value for model, value in self.rank.items()}}


# ---- blocks -------------------------------------------------------------------------------------------------

class Headline(_Row):
    """The main model's scores on the headline sample and period, and the targets."""

    period: str
    sample: str
    sample_label: str
    sample_description: str
    outcome: str
    main_model: str
    rows: list[PooledScores]
    all_states_rows: list[PooledScores]
    targets: list[TargetCheck]

    @property
    def years(self) -> tuple[int, int]:
        first, last = self.period.split("-")
        return int(first), int(last)

    def main_row(self) -> PooledScores | None:
        return next((row for row in self.rows if row.model == self.main_model), None)


class FrozenEvaluation(_Row):
    """Models trained once on the years up to ``freeze_after`` (no refits) scoring the years after it."""

    freeze_after: int
    rows: list[FrozenScores]


class CaseTable(_Row):
    """Every observed event from ``first`` to ``last`` with each model's probability and rank."""

    first: int
    last: int
    rows: list[CaseRow]


# ---- documents ----------------------------------------------------------------------------------------------

class BacktestMetrics(SavedDocument):
    """``metrics.json``: everything a backtest measured, and the settings and models that produced it."""

    built_at: str
    settings: RollingOrigin
    models: dict[str, ModelSpec]
    headline: Headline
    pooled: list[PooledScores]
    per_year: list[YearScores]
    calibration: list[CalibrationBin]
    # Saved under the key the file has always had; the freeze year itself is frozen.freeze_after.
    frozen: FrozenEvaluation = Field(alias="frozen_2019")
    cases: CaseTable
    tuning: list[TuningRow]
    missing: list[MissingShare]
    bootstrap_draws: int


class SavedTuning(SavedDocument):
    """``tuning.json``: the backtest's tuning choices, typed, for the frozen evaluation and the forecasts."""

    choices: TuningChoices


class AblationRow(_Row):
    """One variant of the ablation: its pooled scores and the paired change against all features."""

    variant: str
    group: str | None
    features_dropped: int
    dropped: str
    auc_roc: Score
    auc_pr: Score
    brier_skill: Score
    recall_top20: Score
    log_loss: Score
    auc_roc_change: Score
    auc_roc_change_low: Score
    auc_roc_change_high: Score
    auc_pr_change: Score
    auc_pr_change_low: Score
    auc_pr_change_high: Score
    events: float
    rows: float
    verdict: str


class AblationSummary(SavedDocument):
    """``ablation.json``: what each feature group adds to one model."""

    built_at: str
    model: str
    outcome: str
    settings: RollingOrigin
    bootstrap_draws: int
    table: list[AblationRow]


class ForecastMetadata(SavedDocument):
    """``forecast-<year>-<outcome>-<model>.meta.json``: what a saved watchlist is and how it was made."""

    year: int
    outcome: str
    model: str
    made_at: str
    countries: int
    draws: int
    train_start: int = Field(description="First year the model was trained on")
    trained_through: int = Field(description="Last year of outcomes the model saw (the year before the forecast)")
    backtest_built_at: str = Field(description="When the backtest whose tuning choices it uses was made")
