"""Applying a scenario to a country's panel rows (year Y-1 as the forecast sees it), and rebuilding the features of
each country under each scenario (one task per chunk of countries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from coupwatch.core.features import CARRIED_COLUMNS, CARRY_FORWARD_YEARS, FEATURES, build_features
from coupwatch.core.scenarios.levers import (
    ASSISTANCE_CATEGORIES,
    GREENBOOK_COLUMNS,
    LEVERS,
    ScenarioError,
    check_value,
    lever_table,
)
from coupwatch.core.scenarios.options import AssistanceShift, Mode, Scenario, SetChange


def _check_linked(column: str, value: float, where: str) -> None:
    if column in LEVERS:
        check_value(LEVERS[column], column, value, where)
    elif column.startswith("milex_") and value < 0:
        raise ScenarioError(f"{where}: {column} would become {value:.6g}; spending cannot be negative")


class _CountryInputs:
    """One country's panel rows with the value each input has for year Y-1 as the forecast sees it."""

    def __init__(self, rows: pd.DataFrame, year: int, label: str) -> None:
        self.rows = rows if rows["year"].is_monotonic_increasing else rows.sort_values("year")
        self.rows = self.rows.reset_index(drop=True)
        self.years = self.rows["year"].to_numpy()
        self.data_year = year - 1
        self.label = label
        positions = np.flatnonzero(self.years == self.data_year)
        if len(positions) == 0:
            raise ScenarioError(f"{label}: no panel row for {self.data_year} (the inputs of a forecast for {year})")
        self.position = int(positions[0])
        self.report: list[dict[str, Any]] = []
        # Changed columns as float arrays, written back to the frame once (setting cells one by one copies it).
        self.changed: dict[str, np.ndarray] = {}

    def _values(self, column: str) -> np.ndarray:
        if column in self.changed:
            return self.changed[column]
        return self.rows[column].to_numpy(dtype="float64", na_value=np.nan)

    def effective(self, column: str, same_year_as: int | None = None) -> tuple[float | None, int | None]:
        """The value for Y-1, or the one the features carry forward to Y-1, with its year.

        ``same_year_as``: for an input the features do not read, the value of that year when Y-1 has none
        (money moved from a carried-forward category lands in the same fiscal year's target).
        """
        if column not in self.rows:
            return None, None
        values = self._values(column)
        if not np.isnan(values[self.position]):
            return float(values[self.position]), self.data_year
        if column in CARRIED_COLUMNS or column in GREENBOOK_COLUMNS:
            candidates = [self.data_year - back for back in range(1, CARRY_FORWARD_YEARS + 1)]
        else:
            candidates = [same_year_as] if same_year_as is not None else []
        for year in candidates:
            earlier = np.flatnonzero(self.years == year)
            if len(earlier) and not np.isnan(values[int(earlier[0])]):
                return float(values[int(earlier[0])]), year
        return None, None

    def write(self, column: str, value: float, before: float | None, from_year: int | None, role: str,
              change: str) -> None:
        values = self._values(column).copy()
        values[self.position] = value
        self.changed[column] = values
        self.report.append({"input": column, "role": role, "change": change, "value_year": from_year,
                            "before": before, "after": value})

    def frame(self) -> pd.DataFrame:
        return self.rows.assign(**self.changed) if self.changed else self.rows.copy()


def _new_value(mode: Mode, base: float, amount: float) -> float:
    if mode == "relative":
        return base * (1 + amount)
    if mode == "add":
        return base + amount
    return amount


def _apply_set(inputs: _CountryInputs, change: SetChange) -> None:
    lever = LEVERS[change.lever]
    where = f"{change.text} for {inputs.label}"
    base, from_year = inputs.effective(lever.name)
    if base is None and change.mode != "value":
        raise ScenarioError(
            f"{where}: no {lever.name} value for {inputs.data_year} (nor in the {CARRY_FORWARD_YEARS} years before, "
            f"which the forecast would carry forward), so there is nothing to change by {change.text.split('=')[1]}. "
            f"Fix: give a value instead, e.g. {lever.name}=<number> ({lever.allowed_text()})"
        )
    new = _new_value(change.mode, base if base is not None else 0.0, change.amount)
    origin = f" (from {base:.6g}, the value of {from_year})" if base is not None and change.mode != "value" else ""
    check_value(lever, lever.name, new, where + origin)
    inputs.write(lever.name, new, base, from_year, "changed", change.text)
    for column in lever.mirrors:
        mirror_base, mirror_year = inputs.effective(column)
        if mirror_base is None and change.mode != "value":
            continue
        mirror_new = _new_value(change.mode, mirror_base if mirror_base is not None else 0.0, change.amount)
        check_value(lever, column, mirror_new, where)
        inputs.write(column, mirror_new, mirror_base, mirror_year, "same index, other release", change.text)
    if base is None:
        return  # nothing to scale or add: the input had no value
    for column in lever.scale_with:
        linked, linked_year = inputs.effective(column)
        if linked is None:
            continue
        if base == 0:
            if linked == 0:
                continue
            raise ScenarioError(f"{where}: {lever.name} is 0, so {column} ({linked:.6g}) cannot be scaled with it. "
                                f"Fix: change {column} directly")
        scaled = linked * new / base
        _check_linked(column, scaled, where)
        inputs.write(column, scaled, linked, linked_year, f"scaled with {lever.label}", change.text)
    for column in lever.add_with:
        linked, linked_year = inputs.effective(column)
        if linked is None:
            continue
        total = linked + (new - base)
        _check_linked(column, total, where)
        inputs.write(column, total, linked, linked_year, f"contains {lever.label}", change.text)


def _apply_shift(inputs: _CountryInputs, shift: AssistanceShift) -> None:
    where = f"{shift.text} for {inputs.label}"
    source_column = ASSISTANCE_CATEGORIES[shift.source]
    target_column = ASSISTANCE_CATEGORIES[shift.target]
    source, source_year = inputs.effective(source_column)
    if source is None or source <= 0:
        carried = f", the value of {source_year} carried forward" if source_year not in (None, inputs.data_year) else ""
        shown = "no value" if source is None else f"{source:,.0f} US${carried}"
        raise ScenarioError(
            f"{where}: nothing to move: {shift.source} aid ({source_column}) has {shown} for {inputs.data_year} "
            f"(Greenbook obligations reach FY2020 and are carried forward {CARRY_FORWARD_YEARS} years). Fix: pick a "
            "year with recorded obligations, or set the amounts with --set"
        )
    target, target_year = inputs.effective(target_column, same_year_as=source_year)
    moved = source * shift.share
    inputs.write(source_column, source - moved, source, source_year, "moved from", shift.text)
    inputs.write(target_column, (target or 0.0) + moved, target, target_year, "moved to", shift.text)
    if shift.source == "capacity":
        # The cut is spread over capacity programmes in proportion, IMET included.
        imet, imet_year = inputs.effective("gb_imet_usd")
        if imet is not None:
            inputs.write("gb_imet_usd", imet * (1 - shift.share), imet, imet_year, "part of capacity aid", shift.text)
    capacity, _ = inputs.effective("aid_security_capacity_usd")
    governance, _ = inputs.effective("aid_security_governance_usd")
    if "aid_governance_share" in inputs.rows and capacity is not None and governance is not None:
        before, before_year = inputs.effective("aid_governance_share", same_year_as=source_year)
        security = capacity + governance
        if security > 0:
            inputs.write("aid_governance_share", governance / security, before, before_year,
                         "governance share of security aid", shift.text)


def apply_scenario(country_rows: pd.DataFrame, year: int, scenario: Scenario, label: str = ""
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A country's panel rows with the scenario applied to year ``year - 1``, and the inputs changed.

    Raises :class:`ScenarioError` when a change cannot be applied (no value to change, an impossible result).
    """
    inputs = _CountryInputs(country_rows, year, label or str(country_rows["iso3"].iloc[0]))
    for change in scenario.changes:
        if isinstance(change, SetChange):
            _apply_set(inputs, change)
        else:
            _apply_shift(inputs, change)
    columns = ["input", "role", "change", "value_year", "before", "after"]
    return inputs.frame(), pd.DataFrame(inputs.report, columns=columns)


def current_inputs(country_rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """Every input a scenario may change with the value a forecast for ``year`` sees (and the year it is from).

    Also the assistance categories money can be moved between, as rows named ``category:<name>``.
    """
    inputs = _CountryInputs(country_rows, year, str(country_rows["iso3"].iloc[0]))
    table = lever_table()
    # An index with a newer release shows the value the features use (V-Dem v14 where it has one).
    found = []
    for name in table["name"]:
        newer = [inputs.effective(m) for m in LEVERS[name].mirrors]
        found.append(newer[0] if newer and newer[0][0] is not None else inputs.effective(name))
    table["value"] = [value for value, _ in found]
    table["value_year"] = [value_year for _, value_year in found]
    _, capacity_year = inputs.effective(ASSISTANCE_CATEGORIES["capacity"])
    categories = []
    for category, column in ASSISTANCE_CATEGORIES.items():
        value, value_year = inputs.effective(column, same_year_as=capacity_year)
        categories.append({"name": f"category:{category}", "group": "assistance categories",
                           "label": f"U.S. {category} aid, obligations (Greenbook, classified): {column}",
                           "unit": "US$", "value": value, "value_year": value_year})
    return pd.concat([table, pd.DataFrame(categories)], ignore_index=True)


# -------------------------------------------------------------------------------------------------------------
# Scenario feature rows (one task per chunk of countries)
# -------------------------------------------------------------------------------------------------------------

# Features computed across countries (coup counts elsewhere); no scenario input reaches them.
_CROSS_COUNTRY = {name for name, feature in FEATURES.items() if feature.group == "contagion"}
# Countries per task: build_features costs about the same for one country as for dozens, so tasks batch them.
CHUNK_COUNTRIES = 16


@dataclass(frozen=True)
class CountryScenarios:
    """The work of one task: countries, the forecast year and the scenarios to apply to their panel rows."""

    gwcodes: tuple[int, ...]
    year: int
    scenarios: tuple[Scenario, ...]


@dataclass
class CountryScenarioRows:
    """Per-country feature values of each scenario, the inputs changed, and scenarios that could not apply."""

    gwcode: int
    features: pd.DataFrame  # one row per applied scenario: "scenario", "changed" (features), per-country features
    inputs: pd.DataFrame
    errors: dict[str, tuple[str, list[str] | None]] = field(default_factory=dict)  # scenario -> (why, allowed)


def country_scenario_rows(task: CountryScenarios, panel: pd.DataFrame) -> list[CountryScenarioRows]:
    """Rebuild the countries' features under each scenario, all in one ``build_features`` call.

    Each country's baseline and every scenario are stacked as separate pseudo-states, so the features of each
    are computed from its own history only; cross-country (contagion) features are taken from the baseline.
    ``panel`` is the whole panel (shared by all tasks; a cluster receives it once).
    """
    columns = [name for name in FEATURES if name not in _CROSS_COUNTRY]
    stacked: list[pd.DataFrame] = []
    plans: list[tuple[int, int, list[tuple[str, int]], list[pd.DataFrame], dict[str, tuple[str, list[str] | None]]]
                ] = []
    for gwcode in task.gwcodes:
        own = panel[(panel["gwcode"] == gwcode) & (panel["year"] <= task.year)]
        country_rows = own.sort_values("year").reset_index(drop=True)
        label = f"{country_rows['iso3'].iloc[0]} {task.year}"
        baseline_code = len(stacked)
        stacked.append(country_rows.assign(gwcode=baseline_code))
        applied: list[tuple[str, int]] = []
        inputs: list[pd.DataFrame] = []
        errors: dict[str, tuple[str, list[str] | None]] = {}
        for scenario in task.scenarios:
            try:
                changed, report = apply_scenario(country_rows, task.year, scenario, label)
            except ScenarioError as exc:
                errors[scenario.name] = (str(exc), exc.allowed)
                continue
            applied.append((scenario.name, len(stacked)))
            stacked.append(changed.assign(gwcode=len(stacked)))
            inputs.append(report.assign(gwcode=gwcode, scenario=scenario.name))
        plans.append((gwcode, baseline_code, applied, inputs, errors))
    built = build_features(pd.concat(stacked, ignore_index=True))
    built = built[built["year"] == task.year].set_index("gwcode")
    out = []
    for gwcode, baseline_code, applied, inputs, errors in plans:
        rows = built.loc[[code for _, code in applied], columns].reset_index(drop=True)
        baseline = built.loc[[baseline_code], columns].to_numpy(float)
        # Only the features that moved replace the full baseline row's values (a feature may also become missing).
        differs = ~np.isclose(rows.to_numpy(float), baseline, rtol=0, atol=0, equal_nan=True)
        rows.insert(0, "scenario", [name for name, _ in applied])
        rows.insert(1, "changed", [tuple(np.asarray(columns)[mask]) for mask in differs])
        frame_inputs = pd.concat(inputs, ignore_index=True) if inputs else pd.DataFrame(
            columns=["input", "role", "change", "value_year", "before", "after", "gwcode", "scenario"])
        out.append(CountryScenarioRows(gwcode, rows, frame_inputs, errors))
    return out

