"""The rolling-origin folds: each fold trains only on years before its test year, folds cover the requested
years, tuning stays inside the training years; checked on the splitter and on a backtest of the fixture panel."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coupwatch.core.evaluate import backtest
from coupwatch.core.evaluate.rolling import Origin, RollingOrigin
from coupwatch.core.models.specs import ModelSpec

T = TypeVar("T")
R = TypeVar("R")


def test_one_origin_per_requested_year_in_order() -> None:
    rolling = RollingOrigin(first_test_year=2000, last_test_year=2025)
    origins = list(rolling.origins())
    assert [o.test_year for o in origins] == list(range(2000, 2026))
    assert all(o.train_end == o.test_year - 1 for o in origins)
    assert all(o.train_start == 1960 for o in origins)


def test_hyperparameters_are_rechosen_every_few_origins() -> None:
    rolling = RollingOrigin(first_test_year=2016, last_test_year=2025, retune_every=5)
    assert rolling.tuning_years() == [2016, 2021]
    by_year = {o.test_year: o.tuning_year for o in rolling.origins()}
    assert by_year[2016] == by_year[2020] == 2016
    assert by_year[2021] == by_year[2025] == 2021


def test_inner_blocks_end_the_year_before_the_origin() -> None:
    rolling = RollingOrigin(inner_folds=3, inner_block_years=2)
    assert rolling.inner_blocks(2010) == [(2004, 2005), (2006, 2007), (2008, 2009)]


def test_train_mask_keeps_years_from_start_to_before_the_origin() -> None:
    years = np.arange(1955, 2031)
    mask = RollingOrigin.train_mask(years, start=1960, before=2012)
    assert years[mask].tolist() == list(range(1960, 2012))
    assert RollingOrigin.train_mask(pd.Series([2011, 2012, 2013]), 1960, 2012).tolist() == [True, False, False]


def test_a_single_test_year() -> None:
    rolling = RollingOrigin(first_test_year=2020, last_test_year=2020)
    assert list(rolling.origins()) == [Origin(test_year=2020, train_start=1960, tuning_year=2020)]
    assert rolling.tuning_years() == [2020]


def test_retuning_every_year_and_never() -> None:
    every = RollingOrigin(first_test_year=2010, last_test_year=2014, retune_every=1)
    assert every.tuning_years() == [2010, 2011, 2012, 2013, 2014]
    once = RollingOrigin(first_test_year=2010, last_test_year=2014, retune_every=100)
    assert once.tuning_years() == [2010]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"first_test_year": 2020, "last_test_year": 2019}, "last_test_year 2019 is before first_test_year 2020"),
        ({"first_test_year": 1985}, "a training start of 1975 leaves too few training years before 1985 for 3 inner "
                                    "folds of 2 years"),
        ({"train_start": 1970, "train_start_grid": (1960, 1980), "first_test_year": 2000},
         r"train_start_grid \(1960, 1980\) starts before train_start 1970"),
        ({"retune_every": 0}, "retune_every, inner_folds and inner_block_years must be at least 1"),
        ({"inner_folds": 0}, "retune_every, inner_folds and inner_block_years must be at least 1"),
        ({"inner_block_years": 0}, "retune_every, inner_folds and inner_block_years must be at least 1"),
    ],
)
def test_bad_settings_are_refused_with_the_values(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RollingOrigin(**settings)


def test_the_splitter_is_a_value() -> None:
    rolling = RollingOrigin()
    assert rolling == RollingOrigin()
    with pytest.raises(dataclasses.FrozenInstanceError):
        rolling.first_test_year = 1990  # type: ignore[misc]


@st.composite
def rolling_origins(draw: st.DrawFn) -> RollingOrigin:
    train_start = draw(st.integers(1946, 1990))
    grid = tuple(sorted(set(draw(st.lists(st.integers(train_start, train_start + 20), max_size=3)))))
    inner_folds = draw(st.integers(1, 4))
    inner_block_years = draw(st.integers(1, 3))
    latest = max((train_start, *grid))
    first = draw(st.integers(latest + inner_folds * inner_block_years + 5, 2025))
    last = draw(st.integers(first, 2030))
    return RollingOrigin(first_test_year=first, last_test_year=last, train_start=train_start, train_start_grid=grid,
                         retune_every=draw(st.integers(1, 8)), inner_folds=inner_folds,
                         inner_block_years=inner_block_years)


@given(rolling_origins())
def test_every_fold_trains_before_its_test_year_and_tunes_inside_its_training_years(rolling: RollingOrigin) -> None:
    origins = list(rolling.origins())
    assert [o.test_year for o in origins] == list(range(rolling.first_test_year, rolling.last_test_year + 1))
    tuning_years = rolling.tuning_years()
    earliest_model_start = max((rolling.train_start, *rolling.train_start_grid))
    for origin in origins:
        assert origin.train_start <= origin.train_end < origin.test_year
        # The tuning origin is the latest one at or before this origin: it saw no year this fold does not see.
        assert origin.tuning_year == max(t for t in tuning_years if t <= origin.test_year)
        blocks = rolling.inner_blocks(origin.tuning_year)
        assert len(blocks) == rolling.inner_folds
        assert blocks[-1][1] == origin.tuning_year - 1
        for (first, last), following in zip(blocks, [*blocks[1:], None], strict=True):
            assert last - first + 1 == rolling.inner_block_years
            assert first >= earliest_model_start + 5  # every start of the grid leaves training years before it
            assert last <= origin.train_end
            if following is not None:
                assert following[0] == last + 1  # adjacent, not overlapping


# ---------------------------------------------------------------------------------------------------------------
# The folds as the backtest runs them, on the fixture panel
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class SeenYears:
    """The years one estimator was fitted on and asked to predict."""

    fitted: set[int] = field(default_factory=set)
    predicted: set[int] = field(default_factory=set)


class RecordingEstimator:
    """Predicts the event rate of its training rows and records which years it saw."""

    def __init__(self, seen: SeenYears) -> None:
        self.seen = seen
        self.rate = 0.0

    def fit(self, rows: pd.DataFrame, y: pd.Series) -> RecordingEstimator:
        self.seen.fitted |= set(rows["year"].astype(int))
        self.rate = float(y.mean()) if len(y) else 0.0
        return self

    def predict_proba(self, rows: pd.DataFrame) -> np.ndarray:
        self.seen.predicted |= set(rows["year"].astype(int))
        return np.column_stack([np.full(len(rows), 1 - self.rate), np.full(len(rows), self.rate)])


class RecordingExecutor:
    """Runs the tasks in order, keeping each task."""

    def __init__(self) -> None:
        self.tasks: list[Any] = []

    def map(self, function: Callable[[T], R], items: Sequence[T]) -> list[R]:
        self.tasks.extend(items)
        return [function(item) for item in items]


FIXTURE_ROLLING = RollingOrigin(first_test_year=2012, last_test_year=2015, train_start=2004,
                                train_start_grid=(2004, 2005), retune_every=2, inner_folds=2, inner_block_years=1)
SPECS = {
    "constant": ModelSpec(name="constant", kind="constant", description="event rate"),
    "logit": ModelSpec(name="logit", kind="logit", description="two features", features=["attempts_5y", "milex_gdp"],
                       grid={"C": [0.1, 1.0]}),
}


def test_the_backtest_fits_each_fold_on_earlier_years_only(
    tiny_features: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[SeenYears] = []

    def recording_estimator(_spec: ModelSpec, _params: dict[str, Any] | None = None) -> RecordingEstimator:
        seen.append(SeenYears())
        return RecordingEstimator(seen[-1])

    monkeypatch.setattr(backtest, "make_estimator", recording_estimator)
    executor = RecordingExecutor()
    result = backtest.run_backtest(tiny_features, SPECS, FIXTURE_ROLLING, outcomes=("attempt",), executor=executor)

    assert len(seen) == len(executor.tasks)
    # No model is fitted twice: the window search, the inner CV and the origins share the fits they have in common.
    fits = [(t.spec.name, t.params, t.train_start, t.before) for t in executor.tasks]
    assert len(fits) == len(set(fits))
    purposes = {task.purpose for task in executor.tasks}
    assert purposes == {"window", "inner", "origin"}
    for task, years in zip(executor.tasks, seen, strict=True):
        assert years.fitted, task
        assert max(years.fitted) < min(years.predicted), task
        assert min(years.fitted) >= task.train_start
        assert years.predicted == set(range(task.predict_years[0], task.predict_years[1] + 1))
        assert task.tuning_year in FIXTURE_ROLLING.tuning_years()
        if task.purpose == "origin":
            # Trained on every labelled year from the chosen start up to the year before the test year.
            assert max(years.fitted) == task.before - 1
            assert task.tuning_year <= task.before
        else:
            # Tuning fits validate on blocks before the tuning origin: inside its training years.
            assert task.predict_years[1] < task.tuning_year

    predictions = result.predictions
    assert set(predictions["model"]) == {"constant", "logit"}
    for _model, rows in predictions.groupby("model"):
        assert sorted(set(rows["year"])) == [2012, 2013, 2014, 2015]
        assert (rows["origin"] == rows["year"]).all()
        assert (rows["tuning_year"] <= rows["year"]).all()
        assert (rows["train_start"] < rows["year"]).all()


def test_the_constant_model_predicts_the_rate_of_the_years_before(tiny_features: pd.DataFrame) -> None:
    result = backtest.run_backtest(tiny_features, {"constant": SPECS["constant"], "logit": SPECS["logit"]},
                                   FIXTURE_ROLLING, outcomes=("attempt",))
    constant = result.predictions[result.predictions["model"] == "constant"]
    for year in sorted(set(constant["year"].astype(int))):
        rows = constant[constant["year"] == year]
        start = int(rows["train_start"].iloc[0])
        assert start in FIXTURE_ROLLING.train_start_grid
        window = tiny_features[tiny_features["year"].between(start, year - 1)]
        expected = window["attempt"].dropna().mean()
        assert rows["p"].to_numpy() == pytest.approx(np.full(len(rows), expected))
    # The observed outcome is the test year's own: the fixture's attempts of 2012-2015.
    observed = constant[constant["observed"] == 1]
    assert sorted(zip(observed["iso3"], observed["year"], strict=True)) == [("BFA", 2014), ("BFA", 2015),
                                                                           ("MLI", 2012)]


def test_an_ensemble_without_its_members_is_refused(tiny_features: pd.DataFrame) -> None:
    ensemble = ModelSpec(name="ensemble", kind="ensemble", description="two", members=["logit", "trees"])
    with pytest.raises(ValueError, match=r"ensemble members \['trees'\] are not among the models"):
        backtest.run_backtest(tiny_features, {"logit": SPECS["logit"], "ensemble": ensemble}, FIXTURE_ROLLING)


def test_a_model_with_fixed_settings_keeps_its_first_year_and_an_ensemble_its_fixed_weights(
    tiny_features: pd.DataFrame,
) -> None:
    # Settings fixed on design years: the members train from 2006 at every origin, and the ensemble's weight is
    # fixed, so nothing about them is tuned (no inner fits, no window search on them, no recorded choices).
    fixed = {
        "constant": SPECS["constant"],
        "logit": ModelSpec(name="logit", kind="logit", description="fixed", features=["attempts_5y", "milex_gdp"],
                           params={"C": 0.1}, train_start=2006),
        "shallow": ModelSpec(name="shallow", kind="logit", description="fixed", features=["attempts_5y"],
                             params={"C": 1.0}, train_start=2006),
        "ensemble": ModelSpec(name="ensemble", kind="ensemble", description="fixed blend",
                              members=["logit", "shallow"], weight_grid=[0.25], train_start=2006),
    }
    executor = RecordingExecutor()
    result = backtest.run_backtest(tiny_features, fixed, FIXTURE_ROLLING, outcomes=("attempt",), executor=executor)
    assert {task.purpose for task in executor.tasks} == {"origin"}
    assert result.choices.ensembles == [] and result.choices.params == []
    predictions = result.predictions
    for name in ("logit", "shallow"):
        assert set(predictions.loc[predictions["model"] == name, "train_start"]) == {2006}
    wide = predictions.pivot_table(index=["gwcode", "year"], columns="model", values="p")
    log_odds = np.log(wide[["logit", "shallow"]] / (1 - wide[["logit", "shallow"]]))
    expected = 1 / (1 + np.exp(-(0.25 * log_odds["logit"] + 0.75 * log_odds["shallow"])))
    assert wide["ensemble"].to_numpy() == pytest.approx(np.asarray(expected), rel=1e-9)
    final = backtest.final_model(fixed["ensemble"], fixed, result, "attempt")
    assert final.get_params()["weights"] == [0.25, 0.75]
    assert backtest.final_window(result, "attempt", fixed["ensemble"]) == 2006
