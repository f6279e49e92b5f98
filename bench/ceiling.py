"""Accuracy ceiling: how far can these features get on the headline years if the rules are broken in their favour?

The backtest trains on years before t and chooses every setting on training years only. This script does the
opposite, on purpose, to bound what the data in the warehouse can support on the headline years and sample (the
benchmark's standard sample, 2011-2019):

- two-sided leave-one-year-out: each test year t is predicted by a model trained on every other year, the years
  after t (including the 2020-2023 wave) too;
- every setting is then picked by its score on the test years themselves: training start (1960 or 1975), the
  logit's penalty, LightGBM's leaves, L2, trees and leaf size, and the blend weight.

With --every-column, every model also gets every numeric column of the warehouse panel for year t-1 (123 more
columns: every V-Dem, SIPRI, WDI, UCDP, REIGN, Archigos and aid series the project holds), so the bound covers the
warehouse's data, not only the features the project chose. With --protest, every model gets every feature of the
protest group (V-Dem mobilisation, Mass Mobilization protest counts, NAVCO campaigns, elections due, late-year
coups, autocratisation episodes), including those the models leave out; --protest-current leaves out Mass
Mobilization and NAVCO, which end in 2019 and so cannot serve a current forecast.

With --past-only, each test year is predicted from the years before it alone, as the backtest and a real forecast
must be; only the choice of settings on the test years is still optimistic. If no configuration meets the targets
then, no model these features and settings allow can meet them without seeing the future.

No figure printed here is a forecast or an accuracy claim. If no configuration reaches the targets even so, the
targets ask for signal these sources do not carry.
Usage: python bench/ceiling.py [--workers 2] [--every-column] [--protest | --protest-current] [--past-only]
[--years 1990-2009] [--table FILE.csv] [--against PREDICTIONS.parquet]. Needs a built warehouse ($COUPWATCH_HOME).
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
from rich.progress import Progress

from coupwatch.app.backtest import HEADLINE_PERIOD, HEADLINE_SAMPLE, TARGETS, load_features, load_panel, target_checks
from coupwatch.core.evaluate.backtest import combine, make_estimator
from coupwatch.core.evaluate.metrics import score
from coupwatch.core.features import FEATURES, feature_names
from coupwatch.core.models.specs import packaged_specs

FIRST, LAST = (int(year) for year in HEADLINE_PERIOD.split("-"))
DESIGN_YEARS = (1990, 2009)
TRAIN_STARTS = (1960, 1975)
LOGIT_GRID = [{"C": c} for c in (0.003, 0.01, 0.03, 0.1, 0.3)]
LIGHTGBM_GRID = [{"num_leaves": leaves, "reg_lambda": l2, "n_estimators": trees, "min_child_samples": leaf_size}
                 for leaves, l2, trees, leaf_size in itertools.product((4, 7, 15), (1.0, 10.0), (150, 300), (20, 40))]
BLEND_WEIGHTS = (0.25, 0.5, 0.75)  # weight of the logit; the rest goes to LightGBM

Config = tuple[str, int, tuple[tuple[str, Any], ...]]
_features: pd.DataFrame | None = None  # set in the parent before the worker processes fork
_extra_columns: list[str] = []
_past_only = False
_years = (FIRST, LAST)  # the scored years: the headline's, or with --years the design years


def training_years(years: pd.Series, year: int, start: int) -> pd.Series:
    """The training rows' years for test year ``year``: every other year, or with --past-only those before it."""
    return (years >= start) & ((years < year) if _past_only else (years != year))


def with_every_panel_column(features: pd.DataFrame, panel: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The features plus every numeric panel column of year t-1, named ``panel_<column>``."""
    numeric = [c for c in panel.select_dtypes("number").columns if c not in ("gwcode", "year")]
    lagged = panel[["gwcode", "year", *numeric]].assign(year=panel["year"] + 1)
    lagged = lagged.rename(columns={c: f"panel_{c}" for c in numeric})
    merged = features.merge(lagged, on=["gwcode", "year"], how="left", validate="one_to_one")
    return merged, [f"panel_{c}" for c in numeric]


def held_out_predictions(config: Config) -> tuple[Config, np.ndarray]:
    """Each headline year predicted by the model trained on every other labelled year from the training start
    (or, with --past-only, on the labelled years before it)."""
    assert _features is not None
    model, start, params = config
    spec = packaged_specs()[model]
    years = _features["year"]
    labelled = _features["attempt"].notna()
    out = []
    for year in range(_years[0], _years[1] + 1):
        train = _features[training_years(years, year, start) & labelled]
        test = _features[(years == year) & labelled & _features["_scored"]]
        estimator = make_estimator(spec, dict(params))
        if _extra_columns:
            extra = [c for c in _extra_columns if c not in spec.columns()]
            estimator.set_params(columns=[*spec.columns(), *extra])
        estimator.fit(train, train["attempt"].astype(int))
        out.append(estimator.predict_proba(test)[:, 1])
    return config, np.concatenate(out)


def scores(rows: pd.DataFrame, p: np.ndarray) -> dict[str, float]:
    return score(rows.assign(p=p))


def describe(result: dict[str, float]) -> str:
    return (f"AUC-ROC {result['auc_roc']:.3f}  AUC-PR {result['auc_pr']:.3f}  Brier skill "
            f"{result['brier_skill']:+.3f}  top 20 {round(result['recall_top20'] * result['events'])} of "
            f"{int(result['events'])}")


def best(table: Sequence[tuple[str, dict[str, float]]], key: str, floor: tuple[str, float] | None = None
         ) -> tuple[str, dict[str, float]] | None:
    eligible = [row for row in table if floor is None or row[1][floor[0]] >= floor[1]]
    return max(eligible, key=lambda row: row[1][key]) if eligible else None


def choose_by_design_rule(table: Sequence[tuple[str, dict[str, float]]]) -> tuple[str, dict[str, float]] | None:
    """The configuration the design-year rule picks: among those with Brier skill > 0, the best mean of its ranks
    on AUC-ROC, AUC-PR and attempts in their year's top 20 (ties: the higher AUC-PR).

    Fixed in code before the design years were scored with it, so the choice is mechanical.
    """
    eligible = [row for row in table if row[1]["brier_skill"] > 0]
    if not eligible:
        return None
    ranks = {metric: pd.Series([row[1][metric] for row in eligible]).rank(ascending=False, method="average")
             for metric in ("auc_roc", "auc_pr", "recall_top20")}
    mean_rank = (ranks["auc_roc"] + ranks["auc_pr"] + ranks["recall_top20"]) / 3
    order = sorted(range(len(eligible)), key=lambda i: (mean_rank[i], -eligible[i][1]["auc_pr"]))
    return eligible[order[0]]


def main() -> None:
    global _features, _extra_columns, _past_only, _years
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--every-column", action="store_true",
                        help="also give every model every numeric panel column of year t-1")
    parser.add_argument("--protest", action="store_true",
                        help="also give every model every feature of the protest group")
    parser.add_argument("--protest-current", action="store_true",
                        help="as --protest, without the sources that end in 2019 (Mass Mobilization, NAVCO): only "
                             "what a current forecast could use")
    parser.add_argument("--past-only", action="store_true",
                        help="train each test year's models on the years before it only (no look-ahead)")
    parser.add_argument("--years", default=f"{FIRST}-{LAST}",
                        help=f"the years to score (default the headline's; {DESIGN_YEARS[0]}-{DESIGN_YEARS[1]}: the "
                             "design years, on the standard sample's states)")
    parser.add_argument("--table", help="write every configuration's scores to this CSV file")
    parser.add_argument("--against", help="a backtest's predictions.parquet: score its models on the same rows")
    args = parser.parse_args()
    _past_only = args.past_only
    first, last = (int(year) for year in args.years.split("-"))
    _years = (first, last)
    # The headline years use the benchmark's own sample; other years the same states (its year-bound exclusions
    # are those of 2011-2019).
    sample = HEADLINE_SAMPLE if _years == (FIRST, LAST) else HEADLINE_SAMPLE.states_only()
    started = time.perf_counter()
    _features = load_features()
    if args.every_column:
        _features, _extra_columns = with_every_panel_column(_features, load_panel())
    if args.protest or args.protest_current:
        ended = {"Mass Mobilization", "NAVCO"} if args.protest_current else set()
        _extra_columns = [*_extra_columns, *(name for name in feature_names(["protest"])
                                             if FEATURES[name].source not in ended)]
    # Scored on the headline's sample (the benchmark's country-years); trained on every state, as the backtest.
    _features["_scored"] = sample.contains(_features)
    labelled = _features["attempt"].notna()
    rows = pd.concat([_features[(_features["year"] == year) & labelled & _features["_scored"]]
                      for year in range(first, last + 1)])
    rows = rows[["gwcode", "year", "attempt"]].rename(columns={"attempt": "observed"})
    # The Brier skill reference: each year's constant rate from the same training rows.
    rate = {year: _features.loc[labelled & training_years(_features["year"], year, 1960), "attempt"].mean()
            for year in range(first, last + 1)}
    rows["p_reference"] = rows["year"].map(rate)

    configs: list[Config] = [
        (model, start, tuple(sorted(params.items())))
        for start in TRAIN_STARTS
        for model, grid in (("logit", LOGIT_GRID), ("lightgbm", LIGHTGBM_GRID))
        for params in grid
    ]
    predictions: dict[Config, np.ndarray] = {}
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(args.workers, mp_context=context) as pool, Progress() as progress:
        kind = "past-only" if _past_only else "two-sided"
        task = progress.add_task(f"{kind} fits, {first}-{last}", total=len(configs))
        for config, p in pool.map(held_out_predictions, configs):
            predictions[config] = p
            progress.advance(task)

    singles = {config: scores(rows, p) for config, p in predictions.items()}
    table = [(f"{model} from {start} {dict(params)}", result) for (model, start, params), result in singles.items()]
    for logit, trees in itertools.product(predictions, predictions):
        if logit[0] != "logit" or trees[0] != "lightgbm" or logit[1] != trees[1]:
            continue
        for weight in BLEND_WEIGHTS:
            p = combine([predictions[logit], predictions[trees]], [weight, 1 - weight], (1.0, 0.0))
            table.append((f"blend from {logit[1]}: {weight} x logit {dict(logit[2])} + lightgbm {dict(trees[2])}",
                          scores(rows, p)))

    events = int(rows["observed"].sum())
    extra = f", each with up to {len(_extra_columns)} more columns" if _extra_columns else ""
    print(f"\n{len(table)} configurations ({len(predictions)} single models, the rest blends{extra}; {kind} "
          "training), "
          f"{first}-{last}, {sample.label} ({'its states' if sample is not HEADLINE_SAMPLE else 'itself'}): "
          f"{events} attempts in {len(rows)} country-years; "
          f"{time.perf_counter() - started:.0f} s")
    print("Targets: " + ", ".join(check.label for check in target_checks({})))
    for label, key, floor in (
        ("highest AUC-ROC", "auc_roc", None),
        ("highest AUC-PR", "auc_pr", None),
        ("most attempts in the top 20", "recall_top20", None),
        (f"highest AUC-PR with AUC-ROC >= {TARGETS['auc_roc']}", "auc_pr", ("auc_roc", TARGETS["auc_roc"])),
        (f"highest AUC-ROC with AUC-PR >= {TARGETS['auc_pr']}", "auc_roc", ("auc_pr", TARGETS["auc_pr"])),
    ):
        found = best(table, key, floor)
        print(f"  {label}: " + ("none" if found is None else f"{describe(found[1])}\n      ({found[0]})"))
    names = _features.set_index(["gwcode", "year"])["country"]
    for key in ("auc_roc", "auc_pr"):
        config = max(singles, key=lambda config: singles[config][key])
        ranked = rows.assign(rank=rows.assign(p=predictions[config]).groupby("year")["p"].rank(ascending=False))
        missed = ranked[(ranked["observed"] == 1) & (ranked["rank"] > 20)].sort_values("rank", ascending=False)
        print(f"  attempts outside the top 20 of the best single model by {key}: " + ", ".join(
            f"{names[(row['gwcode'], row['year'])]} {row['year']} ({int(row['rank'])})"
            for row in missed.to_dict("records")))
    jointly = [name for name, result in table if all(check.met for check in target_checks(result))]
    print(f"Configurations meeting every target at once: {len(jointly)} of {len(table)}")
    for name in jointly[:5]:
        print(f"  {name}")
    chosen = choose_by_design_rule(table)
    print("Chosen by the design rule (Brier skill > 0, best mean rank on AUC-ROC, AUC-PR and top 20): "
          + ("none" if chosen is None else f"{describe(chosen[1])}\n      ({chosen[0]})"))
    if args.against:
        backtest = pd.read_parquet(args.against)
        backtest = backtest[backtest["outcome"] == "attempt"][["gwcode", "year", "model", "p"]]
        for model, predicted in backtest.groupby("model"):
            on_rows = rows.merge(predicted[["gwcode", "year", "p"]], on=["gwcode", "year"], how="inner")
            if len(on_rows) == len(rows):
                print(f"  backtest {model} on the same rows: {describe(score(on_rows))}")
            else:
                print(f"  backtest {model}: covers {len(on_rows)} of the {len(rows)} rows, not scored")
    if args.table:
        pd.DataFrame([{"configuration": name, **result} for name, result in table]).to_csv(args.table, index=False)
        print(f"every configuration's scores: {args.table}")


if __name__ == "__main__":
    main()
