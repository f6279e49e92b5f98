"""The watchlist: next year's coup-attempt probability for every state, with an interval and the drivers.

A forecast for year t is made by a model fitted on every labelled year before t (its fixed settings, or those
from the latest inner cross-validation of the backtest) and applied to the features of year t, which hold only values
of year t-1 and earlier. The 90% interval comes from refitting the model on bootstrap resamples of countries
(all years of a country are drawn together). Drivers start from each feature's contribution to the log-odds
(TreeSHAP for boosting, coefficient x standardised value for the logit, their weighted sum for the ensemble)
and are told by concept, as what sets the state apart (see :mod:`coupwatch.core.explain`).

Pure core: frames in, frames out.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from typing import Any, Protocol, cast

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone

from coupwatch.core.evaluate.backtest import (
    BacktestResult,
    Executor,
    SerialExecutor,
    final_model,
    final_window,
    fit_final,
)
from coupwatch.core.explain import concept_drivers, drivers_text
from coupwatch.core.models.estimators import log_odds
from coupwatch.core.models.specs import ModelSpec
from coupwatch.core.refits import REFITS, SEED


def default_year(features: pd.DataFrame, outcome: str = "attempt") -> int:
    """The year after the last year with an observed outcome."""
    observed = features.loc[features[outcome].notna(), "year"]
    if observed.empty:
        raise ValueError(f"no year has an observed {outcome!r}")
    return int(observed.max()) + 1


def check_year(features: pd.DataFrame, year: int) -> None:
    years = features["year"]
    # The first feature year has no earlier year to train on.
    if year not in set(years) or year == int(years.min()):
        raise ValueError(
            f"no feature rows for {year}; forecasts are possible for {int(years.min()) + 1}-{int(years.max())}"
        )


@dataclass(frozen=True)
class BootstrapTask:
    """Refit a model on one resample of countries and predict ``year``."""

    draw: int
    seed: int
    before: int
    year: int
    outcome: str
    train_start: int


class RefitStore(Protocol):
    """Where bootstrap refits are kept between runs (the edge gives one on disk; see coupwatch.store.refit_cache)."""

    def get(self, key: str) -> list[Any] | None: ...

    def put(self, key: str, models: list[Any]) -> None: ...


def fit_bootstrap(task: BootstrapTask, model: BaseEstimator, features: pd.DataFrame) -> Any:
    """Refit ``model`` on one resample of countries (draw ``d`` uses the seed ``[seed, d]``)."""
    rng = np.random.default_rng([task.seed, task.draw])
    years = features["year"]
    train = features[(years >= task.train_start) & (years < task.before) & features[task.outcome].notna()]
    countries = train["gwcode"].unique()
    drawn = rng.choice(countries, size=len(countries), replace=True)
    counts = pd.Series(drawn).value_counts()
    resample = train.merge(counts.rename("_copies"), left_on="gwcode", right_index=True)
    resample = resample.loc[resample.index.repeat(resample["_copies"])]
    return clone(model).fit(resample, resample[task.outcome].astype(int))


def run_bootstrap(task: BootstrapTask, model: BaseEstimator, features: pd.DataFrame,
                  targets: pd.DataFrame | None = None) -> np.ndarray:
    """Refit ``model`` on one country resample; predict the rows of ``task.year`` (or ``targets`` when given)."""
    target = features[features["year"] == task.year] if targets is None else targets
    return np.asarray(fit_bootstrap(task, model, features).predict_proba(target)[:, -1])


def _settings(value: Any) -> Any:
    """A model's settings in full, nested models included (an estimator's own repr elides long lists)."""
    if isinstance(value, BaseEstimator):
        params = sorted(value.get_params(deep=False).items(), key=lambda kv: kv[0])
        return (type(value).__name__, tuple((name, _settings(param)) for name, param in params))
    if isinstance(value, np.ndarray):
        return _settings(value.tolist())
    if isinstance(value, list | tuple):
        return tuple(_settings(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _settings(v)) for k, v in value.items()))
    return value


def refit_key(model: BaseEstimator, features: pd.DataFrame, year: int, outcome: str, train_start: int, draws: int,
              seed: int) -> str:
    """What a set of refits depends on: the model and its settings, the feature data, the year, seed and count."""
    data_stamp = int(pd.util.hash_pandas_object(features, index=False).sum())
    described = repr((_settings(model), data_stamp, list(features.columns), year, outcome, train_start, draws, seed))
    return hashlib.sha256(described.encode("utf-8")).hexdigest()[:32]


def stored_final_fit(features: pd.DataFrame, spec: ModelSpec, specs: dict[str, ModelSpec], backtest: BacktestResult,
                     outcome: str, before: int, store: RefitStore | None = None) -> BaseEstimator:
    """:func:`fit_final`, kept in ``store`` under a key of everything the fit depends on and reused from there
    (the fit is deterministic, so a saved model predicts exactly what a new fit would)."""
    if store is None:
        return fit_final(features, spec, specs, backtest, outcome, before=before)
    unfitted = final_model(spec, specs, backtest, outcome)
    key = "final-" + refit_key(unfitted, features, before, outcome, final_window(backtest, outcome, spec), 0, 0)
    saved = store.get(key)
    if saved is not None and len(saved) == 1:
        return cast(BaseEstimator, saved[0])
    fitted = fit_final(features, spec, specs, backtest, outcome, before=before)
    store.put(key, [fitted])
    return fitted


def bootstrap_predictions(
    features: pd.DataFrame,
    model: BaseEstimator,
    year: int,
    outcome: str,
    train_start: int,
    draws: int,
    seed: int,
    executor: Executor | None = None,
    targets: pd.DataFrame | None = None,
    store: RefitStore | None = None,
) -> np.ndarray:
    """Predictions for every state in ``year`` from ``draws`` refits on country-bootstrap resamples.

    With ``targets`` (feature rows, e.g. what-if scenarios of year ``year``), each refit scores those rows
    instead, so rows scored together share the same refits (paired differences). Draw ``d`` uses the seed
    ``[seed, d]`` whatever the executor, so serial and cluster runs agree. With a ``store``, the refits are
    kept under a key of everything they depend on and reused: a scenario scores saved refits in seconds.
    """
    executor = executor or SerialExecutor()
    rows = int((features["year"] == year).sum()) if targets is None else len(targets)
    if draws <= 0:
        return np.empty((0, rows))
    tasks = [BootstrapTask(draw, seed, year, year, outcome, train_start) for draw in range(draws)]
    target = features[features["year"] == year] if targets is None else targets
    if store is None:
        # A partial, not a lambda: a Dask executor sends the model and frames to each worker once.
        results = executor.map(functools.partial(run_bootstrap, model=model, features=features, targets=targets),
                               tasks)
        return np.vstack(results)
    key = refit_key(model, features, year, outcome, train_start, draws, seed)
    models = store.get(key)
    if models is None or len(models) != draws:
        models = list(executor.map(functools.partial(fit_bootstrap, model=model, features=features), tasks))
        store.put(key, models)
    return np.vstack([np.asarray(m.predict_proba(target)[:, -1]) for m in models])


def centred_interval(p: np.ndarray, draws: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """An interval around ``p`` with the spread of the bootstrap draws on the log-odds scale.

    Refits on resampled countries shift the whole distribution (a country drawn zero times pulls its own
    risk down), so raw percentiles can miss the full-data estimate; the spread around the draws' median,
    added to the estimate's log-odds, keeps the estimate inside and the width of the uncertainty.
    """
    z = log_odds(np.asarray(draws, dtype=float))
    deviation = z - np.median(z, axis=0)
    tail = (1 - level) / 2
    centre = log_odds(p)
    low = centre + np.quantile(deviation, tail, axis=0)
    high = centre + np.quantile(deviation, 1 - tail, axis=0)
    return 1 / (1 + np.exp(-low)), 1 / (1 + np.exp(-high))


def make_forecast(
    features: pd.DataFrame,
    specs: dict[str, ModelSpec],
    backtest: BacktestResult,
    year: int | None = None,
    model: str = "ensemble",
    outcome: str = "attempt",
    draws: int = REFITS,
    seed: int = SEED,
    level: float = 0.9,
    executor: Executor | None = None,
    store: RefitStore | None = None,
) -> pd.DataFrame:
    """The ranked watchlist for ``year`` (default: the year after the last observed outcome)."""
    if model not in specs:
        raise ValueError(f"unknown model {model!r}; models: {', '.join(specs)}")
    year = default_year(features, outcome) if year is None else year
    check_year(features, year)
    fitted = stored_final_fit(features, specs[model], specs, backtest, outcome, year, store)
    target = features[features["year"] == year].copy()
    target["p"] = fitted.predict_proba(target)[:, -1]
    if draws > 0:
        boot = bootstrap_predictions(features, fitted, year, outcome, final_window(backtest, outcome, specs[model]),
                                     draws, seed, executor, store=store)
        target["p_low"], target["p_high"] = centred_interval(target["p"].to_numpy(), boot, level)
    else:
        target["p_low"] = np.nan
        target["p_high"] = np.nan
    target["interval_level"] = level
    if hasattr(fitted, "contributions"):
        contributions = fitted.contributions(target)
        # A column of lists is valid pandas; the stubs only take scalars or sequences of them.
        target["drivers"] = concept_drivers(contributions, target)  # type: ignore[assignment]
    else:
        target["drivers"] = [[] for _ in range(len(target))]
    target["drivers_text"] = target["drivers"].map(drivers_text)
    last = backtest.predictions[(backtest.predictions["model"] == model)
                                & (backtest.predictions["outcome"] == outcome)
                                & (backtest.predictions["year"] == year - 1)][["gwcode", "p"]]
    target = target.merge(last.rename(columns={"p": "p_last_year"}), on="gwcode", how="left")
    target["change"] = target["p"] - target["p_last_year"]
    target = target.sort_values("p", ascending=False).reset_index(drop=True)
    target.insert(0, "rank", np.arange(1, len(target) + 1))
    target["model"] = model
    target["outcome"] = outcome
    columns = ["rank", "gwcode", "iso3", "country", "region", "year", "outcome", "model", "p", "p_low", "p_high",
               "interval_level", "p_last_year", "change", "drivers", "drivers_text"]
    return target[columns]
