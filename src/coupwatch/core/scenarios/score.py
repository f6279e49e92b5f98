"""Scoring scenarios: baseline versus scenario risk with paired bootstrap intervals, the inputs changed and the
features that moved the risk."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, SupportsInt, cast

import numpy as np
import pandas as pd

from coupwatch.core.evaluate.backtest import BacktestResult, Executor, SerialExecutor, final_window
from coupwatch.core.explain import wording
from coupwatch.core.features import FEATURES, build_features
from coupwatch.core.forecast import (
    RefitStore,
    bootstrap_predictions,
    centred_interval,
    check_year,
    default_year,
    stored_final_fit,
)
from coupwatch.core.refits import REFITS, SEED
from coupwatch.core.scenarios.apply import CHUNK_COUNTRIES, CountryScenarios, country_scenario_rows
from coupwatch.core.scenarios.levers import ScenarioError, input_label
from coupwatch.core.scenarios.options import Scenario

CAVEAT = (
    "These are modelled associations, not proven effects: the model learned how coup attempts went together "
    "with these inputs in past country-years. Changing an input in the model does not show that changing it in "
    "the world would change the risk, or by this much."
)


@dataclass
class ScenarioResult:
    """Baseline and scenario risk with intervals, the inputs changed and the features that moved the risk."""

    summary: pd.DataFrame  # one row per country and scenario
    inputs: pd.DataFrame  # panel inputs changed (year Y-1 or the year carried forward)
    moved: pd.DataFrame  # features whose value or contribution changed, with contributions before/after
    year: int
    model: str
    outcome: str
    draws: int
    level: float
    caveat: str = CAVEAT
    skipped: pd.DataFrame = field(default_factory=pd.DataFrame)
    rows: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)  # feature rows scored ("" = baseline)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: records per table plus the settings and the caveat."""
        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            cleaned = frame.astype(object).where(frame.notna(), None)
            return [{str(k): _plain(v) for k, v in row.items()} for row in cleaned.to_dict("records")]

        return {"year": self.year, "data_year": self.year - 1, "model": self.model, "outcome": self.outcome,
                "draws": self.draws, "interval_level": self.level, "caveat": self.caveat,
                "summary": records(self.summary), "inputs": records(self.inputs), "moved": records(self.moved),
                "skipped": records(self.skipped)}


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _model_columns(fitted: Any, features: pd.DataFrame) -> list[str]:
    columns = getattr(fitted, "columns", None)
    if columns is None:
        return [name for name in FEATURES if name in features]
    return list(columns)


def _countries(features_year: pd.DataFrame, countries: Iterable[str | int] | None) -> list[int]:
    if countries is None:
        return [int(g) for g in features_year["gwcode"]]
    known = dict(zip(features_year["iso3"].astype(str).str.upper(), features_year["gwcode"], strict=False))
    codes = set(features_year["gwcode"].astype(int))
    chosen = []
    for country in countries:
        if isinstance(country, int | np.integer) and int(country) in codes:
            chosen.append(int(country))
        elif str(country).strip().upper() in known:
            chosen.append(int(known[str(country).strip().upper()]))
        else:
            year = int(features_year["year"].iloc[0])
            raise ScenarioError(f"country {country!r}: not a state with a forecast row in {year}. Give an ISO3 code "
                                f"such as MLI, NER or BFA ({len(known)} states that year)")
    return list(dict.fromkeys(chosen))


def run_scenarios(
    panel: pd.DataFrame,
    backtest: BacktestResult,
    scenarios: Sequence[Scenario],
    countries: Iterable[str | int] | None = None,
    year: int | None = None,
    *,
    features: pd.DataFrame | None = None,
    model: str = "ensemble",
    outcome: str = "attempt",
    draws: int = REFITS,
    seed: int = SEED,
    level: float = 0.9,
    executor: Executor | None = None,
    store: RefitStore | None = None,
    strict: bool = True,
    chunk: int = CHUNK_COUNTRIES,
) -> ScenarioResult:
    """Baseline versus scenario risk for each country and scenario, with paired bootstrap intervals.

    ``countries``: ISO3 codes or GW codes (None: every state with a forecast row in ``year``). ``strict``:
    raise when a scenario cannot be applied to a country; otherwise list it in ``skipped`` (for sweeps).
    ``chunk``: countries per feature-building task.
    """
    specs = backtest.specs
    if model not in specs:
        raise ScenarioError(f"--model {model!r}: not a model of the saved backtest; models: {', '.join(specs)}",
                            allowed=list(specs))
    if not scenarios:
        raise ScenarioError("no scenario given. Fix: --set NAME=CHANGE, --shift-assistance FROM->TO:PERCENT or "
                            "--scenarios FILE.toml")
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ScenarioError(f"scenario names must be unique, got {names}")
    if not 0 < level < 1:
        raise ScenarioError(f"interval level must be between 0 and 1, got {level}")
    if chunk < 1:
        raise ScenarioError(f"chunk must be at least 1 country per task, got {chunk}")
    executor = executor or SerialExecutor()
    features = build_features(panel) if features is None else features
    year = default_year(features, outcome) if year is None else int(year)
    check_year(features, year)
    target_year = features[features["year"] == year]
    chosen = _countries(target_year, countries)

    tasks = [CountryScenarios(tuple(chosen[i:i + chunk]), year, tuple(scenarios))
             for i in range(0, len(chosen), chunk)]
    # A partial, not a closure: a Dask executor sends the panel to each worker once, not with every task.
    built = [part for parts in executor.map(functools.partial(country_scenario_rows, panel=panel), tasks)
             for part in parts]

    baseline = target_year.set_index("gwcode").loc[chosen].reset_index()
    failures = [(part.gwcode, name, reason, allowed)
                for part in built for name, (reason, allowed) in part.errors.items()]
    if failures and strict:
        raise ScenarioError(failures[0][2], failures[0][3])
    skipped = [{"gwcode": code, "scenario": name, "reason": reason} for code, name, reason, _ in failures]
    scenario_rows = []
    for part in built:
        base_row = baseline[baseline["gwcode"] == part.gwcode]
        for _, changed in part.features.iterrows():
            scenario_row = base_row.copy()
            for column in changed["changed"]:
                scenario_row[column] = changed[column]
            scenario_rows.append(scenario_row.assign(scenario=changed["scenario"]))
    scenarios_frame = (pd.concat(scenario_rows, ignore_index=True) if scenario_rows
                       else baseline.iloc[0:0].assign(scenario=pd.Series(dtype=str)))
    targets = pd.concat([baseline.assign(scenario=""), scenarios_frame], ignore_index=True)

    fitted = stored_final_fit(features, specs[model], specs, backtest, outcome, year, store)
    p = fitted.predict_proba(targets)[:, -1]
    start = final_window(backtest, outcome, specs[model])
    boot = bootstrap_predictions(features, fitted, year, outcome, start, draws, seed, executor, targets=targets,
                                 store=store)
    used = _model_columns(fitted, features)
    contributions = (fitted.contributions(targets).reset_index(drop=True) if hasattr(fitted, "contributions")
                     else pd.DataFrame(0.0, index=range(len(targets)), columns=used))
    train = features[(features["year"] >= start) & (features["year"] < year) & features[outcome].notna()]
    train_min, train_max = train[used].min(), train[used].max()

    inputs = pd.concat([part.inputs for part in built], ignore_index=True)
    summary_rows: list[dict[str, Any]] = []
    moved_parts: list[pd.DataFrame] = []
    base_position = {int(code): i for i, code in enumerate(baseline["gwcode"])}
    options = {scenario.name: scenario.text() for scenario in scenarios}  # the raw changes, for scripts to match
    feature_names = np.asarray(list(FEATURES))
    descriptions = np.asarray([FEATURES[n].description for n in feature_names])
    values = targets[list(feature_names)].to_numpy(float)
    contrib = contributions.reindex(columns=list(feature_names), fill_value=0.0).to_numpy(float)
    in_model = np.isin(feature_names, used)
    train_low = train_min.reindex(list(feature_names)).to_numpy(float)
    train_high = train_max.reindex(list(feature_names)).to_numpy(float)
    for j in range(len(baseline), len(targets)):
        code = int(cast(SupportsInt, targets.at[j, "gwcode"]))  # gwcode is an integer column
        i = base_position[code]
        name = str(targets.at[j, "scenario"])
        difference = float(p[j] - p[i])
        row: dict[str, Any] = {
            "gwcode": code, "iso3": targets.at[j, "iso3"], "country": targets.at[j, "country"], "year": year,
            "scenario": name, "changes": options[name], "model": model, "p_baseline": float(p[i]),
            "p_scenario": float(p[j]),
            "difference": difference, "relative_change": difference / p[i] if p[i] > 0 else np.nan,
        }
        if len(boot):
            low, high = centred_interval(p[[i, j]], boot[:, [i, j]], level)
            paired = boot[:, j] - boot[:, i]
            tail = (1 - level) / 2
            # Percentiles of the paired differences, widened to hold the full-data estimate: the differences
            # are often zero in many refits (a tree that does not split at the changed value), so shifting
            # their spread onto the estimate, as for the risk levels, would understate the uncertainty.
            row.update({
                "p_baseline_low": float(low[0]), "p_baseline_high": float(high[0]),
                "p_scenario_low": float(low[1]), "p_scenario_high": float(high[1]),
                "difference_low": min(difference, float(np.quantile(paired, tail))),
                "difference_high": max(difference, float(np.quantile(paired, 1 - tail))),
                "draws_lower": float(np.mean(paired < 0)), "draws_higher": float(np.mean(paired > 0)),
            })
        before, after = values[i], values[j]
        changed = ~((np.isnan(before) & np.isnan(after)) | (before == after))
        with np.errstate(invalid="ignore"):
            outside = in_model & changed & ~np.isnan(after) & ((after < train_low) | (after > train_high))
        shift = contrib[j] - contrib[i]
        keep = np.flatnonzero(changed | (np.abs(shift) > 1e-12))
        moved_parts.append(pd.DataFrame({
            "gwcode": code, "iso3": row["iso3"], "scenario": name, "feature": feature_names[keep],
            "description": descriptions[keep], "value_before": before[keep], "value_after": after[keep],
            "value_changed": changed[keep], "in_model": in_model[keep],
            "contribution_before": contrib[i, keep], "contribution_after": contrib[j, keep],
            "contribution_change": shift[keep], "train_min": train_low[keep], "train_max": train_high[keep],
            "extrapolation": outside[keep],
        }))
        changed_features = list(feature_names[changed])
        unused = list(feature_names[changed & ~in_model])
        extrapolated = list(feature_names[outside])
        row.update({"features_changed": ", ".join(changed_features),
                    "features_not_in_model": ", ".join(unused),
                    "extrapolation": bool(extrapolated), "extrapolated_features": ", ".join(extrapolated)})
        mine = inputs[(inputs["gwcode"] == code) & (inputs["scenario"] == name)]
        moved_inputs = mine[mine["before"].astype(float).fillna(np.nan).ne(mine["after"].astype(float))]
        if not changed_features and len(moved_inputs):
            touched = ", ".join(input_label(c) for c in moved_inputs["input"])
            reason = (f"scenario {name!r} for {row['iso3']}: it changes {touched or 'no input'}, but no forecast "
                      f"feature of {year} reads these values, so the model cannot respond. Fix: change an input a "
                      "feature reads (coupwatch scenario --inputs lists them with the features they feed)")
            if strict:
                raise ScenarioError(reason)
            skipped.append({"gwcode": code, "scenario": name, "reason": reason})
            moved_parts.pop()
            continue
        summary_rows.append(row)

    summary = pd.DataFrame(summary_rows)
    moved = pd.concat(moved_parts, ignore_index=True) if moved_parts else pd.DataFrame()
    if not moved.empty:
        moved = moved.assign(_size=moved["contribution_change"].abs()).sort_values(
            ["gwcode", "scenario", "_size"], ascending=[True, True, False], kind="stable").drop(columns="_size")
        moved = moved.reset_index(drop=True)
        labels = moved["feature"].map(lambda f: wording(f).label)
        moved.insert(list(moved.columns).index("feature") + 1, "label", labels)
    iso = dict(zip(baseline["gwcode"], baseline["iso3"], strict=True))
    skipped_frame = pd.DataFrame(skipped, columns=["gwcode", "scenario", "reason"])
    if not skipped_frame.empty:
        skipped_frame.insert(1, "iso3", skipped_frame["gwcode"].map(iso))
    if not inputs.empty:
        inputs.insert(0, "iso3", inputs["gwcode"].map(iso))
        inputs = inputs.assign(label=inputs["input"].map(input_label))
        inputs = inputs[["gwcode", "iso3", "scenario", "input", "label", "role", "change", "value_year", "before",
                         "after"]]
    return ScenarioResult(summary, inputs, moved, year, model, outcome, draws, level, CAVEAT, skipped_frame,
                          targets)
