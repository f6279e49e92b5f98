"""Rolling-origin backtest: tune on training years only, fit on years < t, predict year t, for every model.

The work is a list of independent tasks (inner-CV fits at tuning origins, then one fit per origin and model)
run through an executor's ``map``: serially by default, or on a Dask cluster (``coupwatch.scale``) with
identical results. Pure core: a feature frame in, prediction frames out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, SupportsInt, TypeVar, cast

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from coupwatch.core.evaluate.metrics import calibration_table, score, score_with_intervals
from coupwatch.core.evaluate.rolling import RollingOrigin
from coupwatch.core.evaluate.tuning import (
    WINDOW,
    EnsembleChoice,
    ParamsChoice,
    TuningChoices,
    WindowChoice,
    ensemble_choice_text,
)
from coupwatch.core.models.estimators import (
    BoostedTrees,
    CalibratedEnsemble,
    ConstantRateClassifier,
    PenalisedLogit,
    fit_calibration,
    log_odds,
)
from coupwatch.core.models.specs import ModelSpec, Params, ParamValue

T = TypeVar("T")
R = TypeVar("R")
ID_COLUMNS = ["gwcode", "iso3", "country", "year"]
PREDICTION_COLUMNS = ["gwcode", "iso3", "country", "year", "outcome", "model", "p", "observed"]
PERIODS = {"2000-2025": (2000, 2025), "2010-2019": (2010, 2019), "2011-2019": (2011, 2019), "2020-2025": (2020, 2025)}


class Executor(Protocol):
    """Anything with an order-preserving ``map``: the serial default or a Dask client wrapper."""

    def map(self, function: Callable[[T], R], items: Sequence[T]) -> list[R]: ...


class SerialExecutor:
    """Runs the tasks in this process, one after another, with one BLAS/OpenMP thread.

    One thread, as on Dask workers, so sums inside the linear algebra happen in the same order and a cluster
    run reproduces a serial run to the last bit.
    """

    def map(self, function: Callable[[T], R], items: Sequence[T]) -> list[R]:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return [function(item) for item in items]


Progress = Callable[[str, int, int], None]


def no_progress(_step: str, _done: int, _total: int) -> None:
    return None


def make_estimator(spec: ModelSpec, params: Params | None = None) -> BaseEstimator:
    """A fresh estimator for a (non-ensemble) spec with the given tuned parameters."""
    # Keyword arguments of the estimator, each one a scalar of the spec's (its class checks the names).
    chosen: dict[str, Any] = {**spec.params, **(params or {})}
    columns = spec.columns()
    if spec.kind == "constant":
        return ConstantRateClassifier()
    if spec.kind == "logit":
        return PenalisedLogit(columns=columns, **chosen)
    if spec.kind == "lightgbm":
        return BoostedTrees(columns=columns, **chosen)
    raise ValueError(f"{spec.name}: an ensemble is built from its members, not by make_estimator")


# -------------------------------------------------------------------------------------------------------------
# Tasks
# -------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FitTask:
    """Fit one model on training years [start, before) and predict the rows of ``predict_years``."""

    spec: ModelSpec
    params: tuple[tuple[str, ParamValue], ...]
    outcome: str
    train_start: int
    before: int
    predict_years: tuple[int, int]
    purpose: str  # "inner" (tuning) or "origin"
    tuning_year: int


def run_fit(task: FitTask, features: pd.DataFrame) -> pd.DataFrame:
    """Fit and predict for one task; returns id columns, p and the observed outcome."""
    # Only the columns this task reads: the feature frame is a few hundred columns wide, and copying every one
    # of them for each fit's training rows costs more than some fits.
    features = features[list(dict.fromkeys([*ID_COLUMNS, task.outcome, *task.spec.columns()]))]
    years = features["year"].to_numpy()
    labelled = features[task.outcome].notna().to_numpy()
    train = features[(years >= task.train_start) & (years < task.before) & labelled]
    first, last = task.predict_years
    test = features[(years >= first) & (years <= last)]
    estimator = make_estimator(task.spec, dict(task.params))
    estimator.fit(train, train[task.outcome].astype(int))
    proba = estimator.predict_proba(test)
    p = proba[:, -1] if proba.shape[1] == 2 else np.zeros(len(test))
    return test[ID_COLUMNS].assign(
        p=p,
        observed=test[task.outcome].to_numpy(),
        model=task.spec.name,
        outcome=task.outcome,
        params=repr(dict(task.params)),
        tuning_year=task.tuning_year,
        origin=task.before,
        train_start=task.train_start,
    )


class ReusedFits:
    """Runs fit tasks through an executor, fitting each model once per run.

    A fit's predictions depend on the model, its parameters, outcome and training years only, not on why it was
    asked for: the training-window search's fit at the chosen start is an inner-CV fit, and an origin's fit for
    year t is the inner-CV fit that validates on the block starting at t whenever the chosen parameters agree.
    A task whose rows such a fit already predicted takes them from it, relabelled with its own tuning origin.
    """

    def __init__(self, executor: Executor, call: Callable[[FitTask], pd.DataFrame]) -> None:
        self.executor = executor
        self.call = call
        self.done: dict[tuple[object, ...], tuple[FitTask, pd.DataFrame]] = {}

    @staticmethod
    def fit_of(task: FitTask) -> tuple[object, ...]:
        return (task.spec.name, task.params, task.outcome, task.train_start, task.before)

    def _known(self, task: FitTask) -> bool:
        earlier = self.done.get(self.fit_of(task))
        if earlier is None:
            return False
        (first, last), (known_first, known_last) = task.predict_years, earlier[0].predict_years
        return known_first <= first and last <= known_last

    def to_fit(self, tasks: Sequence[FitTask]) -> list[FitTask]:
        """The tasks that need a fit: not covered by an earlier fit, one per fit."""
        new: dict[tuple[object, ...], FitTask] = {}
        for task in tasks:
            if not self._known(task):
                new.setdefault(self.fit_of(task), task)
        return list(new.values())

    def map(self, tasks: Sequence[FitTask], progress: Progress, step: str) -> list[pd.DataFrame]:
        needed = self.to_fit(tasks)
        progress(step, 0, len(needed))
        for task, frame in zip(needed, self.executor.map(self.call, needed), strict=True):
            self.done[self.fit_of(task)] = (task, frame)
        progress(step, len(needed), len(needed))
        return [self._rows_for(task) for task in tasks]

    def _rows_for(self, task: FitTask) -> pd.DataFrame:
        known, frame = self.done[self.fit_of(task)]
        if known == task:
            return frame
        first, last = task.predict_years
        return frame[frame["year"].between(first, last)].assign(tuning_year=task.tuning_year)


@dataclass
class BacktestResult:
    """Out-of-sample predictions of every model, the tuning choices (typed, and as a table for people), and the
    settings that produced them."""

    predictions: pd.DataFrame
    tuning: pd.DataFrame
    choices: TuningChoices
    rolling: RollingOrigin
    specs: dict[str, ModelSpec]
    inner: pd.DataFrame = field(repr=False)


def _middle(spec: ModelSpec) -> Params:
    points = spec.grid_points()
    return points[(len(points) - 1) // 2]


def _inner_rows(
    inner: pd.DataFrame, outcome: str, tuning_year: int, model: str, params: Params
) -> pd.DataFrame:
    """The inner-CV predictions of one model at one grid point and tuning origin."""
    return inner[(inner["outcome"] == outcome) & (inner["tuning_year"] == tuning_year)
                 & (inner["model"] == model) & (inner["params"] == repr(dict(sorted(params.items()))))]


def _log_loss(frame: pd.DataFrame) -> float:
    y = frame["observed"].to_numpy(dtype=float)
    p = np.clip(frame["p"].to_numpy(dtype=float), 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def run_backtest(
    features: pd.DataFrame,
    specs: dict[str, ModelSpec],
    rolling: RollingOrigin | None = None,
    outcomes: Iterable[str] = ("attempt", "success"),
    executor: Executor | None = None,
    progress: Progress = no_progress,
) -> BacktestResult:
    """Run the rolling-origin backtest for every spec and outcome."""
    rolling = rolling or RollingOrigin()
    executor = executor or SerialExecutor()
    outcomes = tuple(outcomes)
    fitted_specs = {n: s for n, s in specs.items() if s.kind != "ensemble"}
    ensembles = {n: s for n, s in specs.items() if s.kind == "ensemble"}
    needed = {m for e in ensembles.values() for m in e.members}
    missing = needed - set(fitted_specs)
    if missing:
        raise ValueError(f"ensemble members {sorted(missing)} are not among the models {sorted(fitted_specs)}")

    # A partial, not a closure: a Dask executor sends the feature frame to each worker once, not with every task.
    call = functools.partial(run_fit, features=features)

    # Members whose inner-CV predictions an ensemble's weights or calibration are fitted on.
    calibrated_members = {m for e in ensembles.values() if e.fixed_weights() is None for m in e.members}

    # 1a. The training window, chosen by inner time-series CV of the ensemble members (or every tuned model)
    #     at a middle grid point: the start whose out-of-time log loss, summed over models, is lowest. Models
    #     with a fixed first training year take no part and keep it.
    window_models = ([fitted_specs[n] for n in sorted(needed) if fitted_specs[n].train_start is None]
                     or [s for s in fitted_specs.values() if s.grid and s.train_start is None])
    starts = tuple(rolling.train_start_grid) or (rolling.train_start,)
    window_tasks = [
        FitTask(spec, tuple(sorted(_middle(spec).items())), outcome, start, first, (first, last), "window",
                tuning_year)
        for outcome in outcomes
        for tuning_year in rolling.tuning_years()
        for spec in window_models
        for start in starts
        for first, last in rolling.inner_blocks(tuning_year)
    ] if len(starts) > 1 and window_models else []
    fits = ReusedFits(executor, call)
    window_frames = fits.map(window_tasks, progress, "training window")
    window_rows = pd.concat(window_frames, ignore_index=True) if window_tasks else None
    window: dict[tuple[str, int], int] = {}
    tuning_rows: list[dict[str, Any]] = []
    windows: list[WindowChoice] = []
    chosen_params: list[ParamsChoice] = []
    chosen_ensembles: list[EnsembleChoice] = []
    for outcome in outcomes:
        for tuning_year in rolling.tuning_years():
            if window_rows is None:
                window[(outcome, tuning_year)] = starts[0]
                continue
            losses = []
            for start in starts:
                rows = window_rows[(window_rows["outcome"] == outcome) & (window_rows["tuning_year"] == tuning_year)
                                   & (window_rows["train_start"] == start)]
                losses.append(sum(_log_loss(g) for _, g in rows.groupby("model")))
            window[(outcome, tuning_year)] = starts[int(np.argmin(losses))]
            windows.append(WindowChoice(outcome=outcome, tuning_year=tuning_year,
                                        train_start=window[(outcome, tuning_year)]))
            tuning_rows.append({"outcome": outcome, "tuning_year": tuning_year, "model": WINDOW,
                                "chosen": windows[-1].text,
                                "inner_log_loss": min(losses), "grid": repr(list(starts)),
                                "grid_log_loss": repr([round(v, 5) for v in losses])})

    # 1b. Hyperparameters by inner time-series CV at each tuning origin, on training years only.
    inner_tasks = [
        FitTask(spec, tuple(sorted(point.items())), outcome, first_training_year(spec, window[(outcome, tuning_year)]),
                first, (first, last),
                "inner", tuning_year)
        for outcome in outcomes
        for tuning_year in rolling.tuning_years()
        for spec in fitted_specs.values()
        if len(spec.grid_points()) > 1 or spec.name in calibrated_members
        for point in spec.grid_points()
        for first, last in rolling.inner_blocks(tuning_year)
    ]
    inner_frames = fits.map(inner_tasks, progress, "inner cross-validation")
    inner = pd.concat(inner_frames, ignore_index=True) if inner_tasks else pd.DataFrame()

    choices: dict[tuple[str, int, str], Params] = {}
    for outcome in outcomes:
        for tuning_year in rolling.tuning_years():
            for name, spec in fitted_specs.items():
                points = spec.grid_points()
                if len(points) == 1:
                    choices[(outcome, tuning_year, name)] = points[0]
                    continue
                scores = []
                for point in points:
                    scores.append(_log_loss(_inner_rows(inner, outcome, tuning_year, name, point)))
                chosen_point = points[int(np.argmin(scores))]
                choices[(outcome, tuning_year, name)] = chosen_point
                chosen_params.append(ParamsChoice(outcome=outcome, tuning_year=tuning_year, model=name,
                                                  params=chosen_point))
                tuning_rows.append({"outcome": outcome, "tuning_year": tuning_year, "model": name,
                                    "chosen": chosen_params[-1].text, "inner_log_loss": min(scores),
                                    "grid": repr(points), "grid_log_loss": repr([round(s, 5) for s in scores])})
    calibrations: dict[tuple[str, int, str], tuple[tuple[float, float], tuple[float, ...]]] = {}
    for outcome in outcomes:
        for tuning_year in rolling.tuning_years():
            for name, ensemble in ensembles.items():
                if ensemble.calibration == "none":
                    continue
                member_rows = []
                for member in ensemble.members:
                    rows = _inner_rows(inner, outcome, tuning_year, member, choices[(outcome, tuning_year, member)])
                    member_rows.append(rows.sort_values(["year", "gwcode"]).reset_index(drop=True))
                loss, weights, calibration = choose_ensemble(member_rows, ensemble.weight_grid,
                                                             ensemble.calibration)
                calibrations[(outcome, tuning_year, name)] = (calibration, tuple(weights))
                chosen_ensembles.append(EnsembleChoice.recorded(outcome, tuning_year, name, weights,
                                                                ensemble.calibration, calibration))
                tuning_rows.append({"outcome": outcome, "tuning_year": tuning_year, "model": name,
                                    "chosen": chosen_ensembles[-1].text,
                                    "inner_log_loss": loss, "grid": repr(list(ensemble.weight_grid)),
                                    "grid_log_loss": ""})

    # 2. One fit per origin and model with the parameters chosen at its tuning origin.
    origin_tasks = [
        FitTask(spec, tuple(sorted(choices[(outcome, origin.tuning_year, name)].items())), outcome,
                first_training_year(spec, window[(outcome, origin.tuning_year)]), origin.test_year,
                (origin.test_year, origin.test_year),
                "origin", origin.tuning_year)
        for outcome in outcomes
        for origin in rolling.origins()
        for name, spec in fitted_specs.items()
    ]
    predictions = pd.concat(fits.map(origin_tasks, progress, "origins"), ignore_index=True)

    for name, ensemble in ensembles.items():
        parts = []
        for (group_outcome, _year), group in predictions.groupby(["outcome", "year"]):
            members = [group[group["model"] == m].sort_values("gwcode").reset_index(drop=True)
                       for m in ensemble.members]
            tuning_year = int(members[0]["tuning_year"].iloc[0])
            (slope, intercept), member_weights = calibrations.get(
                (str(group_outcome), tuning_year, name),
                ((1.0, 0.0), tuple(ensemble.fixed_weights() or [1.0] * len(members))),
            )
            p = combine([m["p"].to_numpy() for m in members], member_weights, (slope, intercept))
            label = ensemble_choice_text(member_weights, ensemble.calibration, (slope, intercept))
            parts.append(members[0].assign(p=p, model=name, params=label))
        predictions = pd.concat([predictions, *parts], ignore_index=True)
    predictions = predictions.sort_values(["outcome", "model", "year", "gwcode"]).reset_index(drop=True)
    recorded = TuningChoices(windows=windows, params=chosen_params, ensembles=chosen_ensembles)
    return BacktestResult(predictions, pd.DataFrame(tuning_rows), recorded, rolling, specs, inner)


def choose_ensemble(
    member_rows: Sequence[pd.DataFrame], weight_grid: Sequence[float], calibration: str = "intercept"
) -> tuple[float, list[float], tuple[float, float]]:
    """Members' weights (from the grid, by inner log loss) and the calibration map, fitted on out-of-time rows."""
    observed = member_rows[0]["observed"].to_numpy(dtype=float)
    labelled = ~np.isnan(observed)
    logits = np.column_stack([log_odds(r["p"].to_numpy()) for r in member_rows])
    candidates = [[w, 1 - w] for w in weight_grid] or [[1.0] * logits.shape[1]]
    best: tuple[float, list[float], tuple[float, float]] | None = None
    for weights in candidates:
        raw = np.average(logits, axis=1, weights=weights)
        mapping = fit_calibration(calibration, raw[labelled], observed[labelled])
        p = 1 / (1 + np.exp(-(mapping[0] * raw + mapping[1])))
        loss = _log_loss(pd.DataFrame({"observed": observed[labelled], "p": p[labelled]}))
        if best is None or loss < best[0]:
            best = (loss, weights, mapping)
    assert best is not None
    return best


def combine(member_p: Sequence[np.ndarray], weights: Sequence[float], calibration: tuple[float, float]
            ) -> np.ndarray:
    """Weighted average of members' log-odds, then the calibration map: the ensemble's probability."""
    raw = np.average(np.column_stack([log_odds(p) for p in member_p]), axis=1, weights=list(weights))
    slope, intercept = calibration
    return np.asarray(1 / (1 + np.exp(-(slope * raw + intercept))))


# -------------------------------------------------------------------------------------------------------------
# Summaries
# -------------------------------------------------------------------------------------------------------------

def with_reference(predictions: pd.DataFrame, reference_model: str = "constant") -> pd.DataFrame:
    reference = predictions[predictions["model"] == reference_model][["outcome", "gwcode", "year", "p"]]
    return predictions.merge(reference.rename(columns={"p": "p_reference"}), on=["outcome", "gwcode", "year"],
                             how="left")


def summarise(
    predictions: pd.DataFrame,
    periods: dict[str, tuple[int, int]] | None = None,
    bootstrap_draws: int = 1000,
    samples: Mapping[str, pd.DataFrame] | None = None,
) -> dict[str, Any]:
    """Pooled and per-year metrics with bootstrap intervals, per outcome, model, sample and period.

    Every row carries ``sample``: "all" for every state-year (pooled over ``periods``), or the name of one of
    ``samples`` (name -> its (gwcode, year) keys, e.g. ``STANDARD.keys(features)``), pooled over the sample's
    own years (and all states over those years too, to set beside it). Within a sample, top-k recall ranks the
    sample's states only.
    """
    periods = dict(periods or PERIODS)
    scored = with_reference(predictions.dropna(subset=["observed"]))
    summary: dict[str, Any] = {"pooled": [], "per_year": [], "calibration": []}
    subsets: list[tuple[str, pd.DataFrame, dict[str, tuple[int, int]]]] = [("all", scored, periods)]
    for name, keys in (samples or {}).items():
        inside = scored.merge(keys[["gwcode", "year"]].drop_duplicates(), on=["gwcode", "year"], how="inner")
        if len(inside):
            first, last = int(inside["year"].min()), int(inside["year"].max())
            subsets.append((name, inside, {f"{first}-{last}": (first, last)}))
            periods.setdefault(f"{first}-{last}", (first, last))
    for sample, rows_of_sample, sample_periods in subsets:
        for (outcome, model), group in rows_of_sample.groupby(["outcome", "model"]):
            labels: set[str] = set()
            for first, last in sample_periods.values():
                rows = group[group["year"].between(first, last)]
                # Labelled by the years actually scored (a period reaching past the last test year is cut short).
                label = f"{int(rows['year'].min())}-{int(rows['year'].max())}" if len(rows) else ""
                if rows.empty or label in labels:
                    continue
                labels.add(label)
                metrics = score_with_intervals(rows, draws=bootstrap_draws)
                summary["pooled"].append({"outcome": outcome, "model": model, "sample": sample, "period": label,
                                          **metrics})
            for year, rows in group.groupby("year"):
                # year is an integer column; the stubs type a group key as any scalar.
                summary["per_year"].append({"outcome": outcome, "model": model, "sample": sample,
                                            "year": int(cast(SupportsInt, year)), **score(rows)})
            if sample != "all":
                continue
            table = calibration_table(group["observed"].to_numpy(float), group["p"].to_numpy(float))
            for row in table.to_dict("records"):
                summary["calibration"].append({"outcome": outcome, "model": model, **row})
    return summary


def case_table(predictions: pd.DataFrame, outcome: str = "attempt", first: int = 2010, last: int = 2023
               ) -> pd.DataFrame:
    """Every observed event in the years given, with each model's probability and rank that year."""
    ranked = predictions[predictions["outcome"] == outcome].copy()
    ranked["rank"] = ranked.groupby(["model", "year"])["p"].rank(ascending=False, method="min").astype(int)
    ranked["states"] = ranked.groupby(["model", "year"])["p"].transform("size")
    events = ranked[(ranked["observed"] == 1) & ranked["year"].between(first, last)]
    wide = events.pivot_table(index=["year", "gwcode", "iso3", "country"], columns="model",
                              values=["p", "rank"], aggfunc="first")
    # Several value columns pivoted by model: the columns are (value, model) pairs.
    wide.columns = [f"{model}_{value}" for value, model in cast(pd.MultiIndex, wide.columns)]
    return wide.reset_index().sort_values(["year", "country"]).reset_index(drop=True)


def frozen_evaluation(
    features: pd.DataFrame,
    specs: dict[str, ModelSpec],
    result: BacktestResult,
    freeze_after: int = 2019,
    last_year: int = 2023,
    outcome: str = "attempt",
) -> pd.DataFrame:
    """Models trained once on years up to ``freeze_after`` (no refits) scoring the years after it."""
    rolling = result.rolling
    tuning_year = next(o.tuning_year for o in rolling.origins() if o.test_year == freeze_after + 1)
    start = result.choices.window(outcome, tuning_year, rolling.train_start)
    frames = []
    for spec in specs.values():
        if spec.kind == "ensemble":
            continue
        params = result.choices.params_for(spec, outcome, tuning_year)
        task = FitTask(spec, tuple(sorted(params.items())), outcome, first_training_year(spec, start), freeze_after + 1,
                       (freeze_after + 1, last_year), "frozen", tuning_year)
        frames.append(run_fit(task, features))
    frozen = pd.concat(frames, ignore_index=True)
    for name, spec in specs.items():
        if spec.kind != "ensemble":
            continue
        members = [frozen[frozen["model"] == m].sort_values(["year", "gwcode"]).reset_index(drop=True)
                   for m in spec.members]
        choice = result.choices.ensemble(name, outcome, tuning_year)
        weights, calibration = ((choice.weights, choice.mapping) if choice
                                else (spec.fixed_weights() or [1.0] * len(members), (1.0, 0.0)))
        p = combine([m["p"].to_numpy() for m in members], weights, calibration)
        frozen = pd.concat([frozen, members[0].assign(model=name, p=p)], ignore_index=True)
    return frozen


def first_training_year(spec: ModelSpec, chosen: int) -> int:
    """A model's first training year: its fixed one, else the one inner CV chose."""
    return spec.train_start if spec.train_start is not None else chosen


def final_window(result: BacktestResult, outcome: str, spec: ModelSpec) -> int:
    """The first training year of ``spec`` fitted for forecasts: its fixed one, else the one chosen at the latest
    tuning origin."""
    chosen = result.choices.window(outcome, max(result.rolling.tuning_years()), result.rolling.train_start)
    return first_training_year(spec, chosen)


def fit_final(
    features: pd.DataFrame,
    spec: ModelSpec,
    specs: dict[str, ModelSpec],
    result: BacktestResult,
    outcome: str,
    before: int,
) -> BaseEstimator:
    """A model fitted on every labelled year before ``before`` with the latest tuning choices (for forecasts)."""
    years = features["year"]
    start = final_window(result, outcome, spec)
    train = features[(years >= start) & (years < before) & features[outcome].notna()]
    return final_model(spec, specs, result, outcome).fit(train, train[outcome].astype(int))


def final_model(spec: ModelSpec, specs: dict[str, ModelSpec], result: BacktestResult, outcome: str) -> BaseEstimator:
    """The unfitted model a forecast fits: the latest tuning choices (an ensemble's members, weights, calibration)."""
    tuning_year = max(result.rolling.tuning_years())
    if spec.kind == "ensemble":
        members = [make_estimator(specs[m], result.choices.params_for(specs[m], outcome, tuning_year))
                   for m in spec.members]
        choice = result.choices.ensemble(spec.name, outcome, tuning_year)
        if choice is not None:
            return CalibratedEnsemble(members=members, weights=choice.weights, calibration=choice.mapping)
        return CalibratedEnsemble(members=members, weights=spec.fixed_weights())
    return make_estimator(spec, result.choices.params_for(spec, outcome, tuning_year))
