"""What-if scenarios: change a country's inputs, rebuild its features, and compare modelled coup risk.

A scenario for forecast year Y changes panel inputs of year Y-1 (what the forecast for Y sees): military
spending, V-Dem and WGI governance indices, U.S. assistance (including moving money between categories),
conflict deaths, the economy. The features are then rebuilt with :func:`coupwatch.core.features.build_features`, so
derived features follow their inputs (the 1-, 3- and 5-year changes in the military burden, real spending
growth, spending per person, ``capacity_without_governance``, aid per person). Values a source stopped
reporting are changed where the forecast carries them forward from (at most ``CARRY_FORWARD_YEARS`` earlier).

Risk comes from the model the forecast uses (fitted on every labelled year before Y with the backtest's tuning).
The 90% interval of the difference comes from refits on bootstrap resamples of countries; each refit scores the
baseline and the scenario rows, so the interval is of paired differences (their 5th to 95th percentiles, widened
to include the full-data estimate); the shares of refits in which the scenario lowers or raises the risk are
reported too. The intervals of the two risks are the watchlist's (:func:`coupwatch.core.forecast.centred_interval`).
Changed features outside the range of the training data are flagged as extrapolation. Contributions (log-odds)
before and after say which features moved the risk.

These are modelled associations, not proven effects (see :data:`CAVEAT`).

Pure core: frames in, frames out. The country x scenario feature builds and the bootstrap refits are mapped
through an executor (serial, or Dask via :mod:`coupwatch.scale`) with identical results.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, SupportsInt, cast

import numpy as np
import pandas as pd

from coupwatch.core.evaluate.backtest import BacktestResult, Executor, SerialExecutor, final_window, fit_final
from coupwatch.core.explain import wording
from coupwatch.core.features import CARRIED_COLUMNS, CARRY_FORWARD_YEARS, FEATURES, build_features
from coupwatch.core.forecast import RefitStore, bootstrap_predictions, centred_interval, check_year, default_year
from coupwatch.core.refits import REFITS, SEED
from coupwatch.errors import CoupwatchError

CAVEAT = (
    "These are modelled associations, not proven effects: the model learned how coup attempts went together "
    "with these inputs in past country-years. Changing an input in the model does not show that changing it in "
    "the world would change the risk, or by this much."
)

Mode = Literal["relative", "add", "value"]


class ScenarioError(CoupwatchError, ValueError):
    """A scenario names an unknown input, asks for an impossible value, or cannot be applied to a country.

    ``allowed`` lists the valid names or the allowed range when there is one (the API returns it).
    """

    def __init__(self, message: str, allowed: Sequence[str] | None = None) -> None:
        super().__init__(message)
        self.allowed = list(allowed) if allowed is not None else None


# -------------------------------------------------------------------------------------------------------------
# Inputs a scenario may change
# -------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Lever:
    """A panel input a scenario may change, its allowed range, and the inputs that move with it.

    ``scale_with``: columns multiplied by the same ratio (the same spending in other units). ``add_with``:
    totals that contain this input and change by the same amount. ``mirrors``: the same index in another
    release (V-Dem v14 next to v12), changed the same way.
    """

    name: str
    label: str
    unit: str
    group: str
    low: float | None = None
    high: float | None = None
    aliases: tuple[str, ...] = ()
    scale_with: tuple[str, ...] = ()
    add_with: tuple[str, ...] = ()
    mirrors: tuple[str, ...] = ()
    allowed: tuple[float, ...] = ()
    range_note: str = ""

    def allowed_text(self) -> str:
        if self.allowed:
            return "one of " + ", ".join(f"{v:g}" for v in self.allowed)
        if self.low is not None and self.high is not None:
            return f"{self.low:g} to {self.high:g}"
        if self.low is not None:
            return f"{self.low:g} or more"
        if self.high is not None:
            return f"{self.high:g} or less"
        return "any number"


LEVERS: dict[str, Lever] = {}


def _lever(name: str, label: str, unit: str, group: str, **kwargs: Any) -> None:
    LEVERS[name] = Lever(name, label, unit, group, **kwargs)


_SPENDING = ("milex_gdp", "milex_govt", "milex_per_capita_usd", "milex_const2024_usd_m", "milex_current_usd_m")
_lever("milex_gdp", "Military spending, percent of GDP (SIPRI)", "% of GDP", "military", low=0.0,
       aliases=("milex", "military_spending", "military_burden"),
       scale_with=tuple(c for c in _SPENDING if c != "milex_gdp"),
       range_note="no upper bound: war-time spending has exceeded GDP (Kuwait 1991)")
_lever("milex_govt", "Military spending, percent of government spending (SIPRI)", "% of government spending",
       "military", low=0.0, high=100.0, aliases=("milex_share_government",),
       scale_with=tuple(c for c in _SPENDING if c != "milex_govt"))
_lever("milex_per_capita_usd", "Military spending per person, current US$ (SIPRI)", "US$ per person", "military",
       low=0.0, aliases=("milex_per_capita",), scale_with=tuple(c for c in _SPENDING if c != "milex_per_capita_usd"))
_lever("armed_forces", "Armed forces personnel (WDI, from IISS)", "people", "military", low=0.0,
       aliases=("troops", "soldiers"))
_VDEM = {
    "v2x_polyarchy": ("Electoral democracy", ("vdem_polyarchy", "polyarchy", "democracy")),
    "v2x_jucon": ("Judicial constraints on the executive", ("vdem_jucon", "judicial_constraints")),
    "v2xlg_legcon": ("Legislative constraints on the executive", ("vdem_legcon", "legislative_constraints")),
    "v2x_cspart": ("Civil society participation", ("vdem_cspart", "civil_society_participation")),
    "v2xcs_ccsi": ("Core civil society index", ("vdem_ccsi", "civil_society")),
    "v2x_corr": ("Political corruption", ("vdem_corr", "corruption")),
    "v2x_clphy": ("Physical violence index (freedom from political killings and torture)", ("vdem_clphy",)),
    "v2x_ex_military": ("Military dimension of the executive", ("vdem_ex_military",)),
    "v2x_neopat": ("Neopatrimonial rule", ("vdem_neopat",)),
    "v2x_civlib": ("Civil liberties", ("vdem_civlib", "civil_liberties")),
    "v2x_horacc_osp": ("Horizontal accountability", ("vdem_horacc", "vdem_horacc_osp", "horizontal_accountability")),
    "v2x_veracc_osp": ("Vertical accountability", ("vdem_veracc", "vdem_veracc_osp", "vertical_accountability")),
}
for _name, (_label, _other_names) in _VDEM.items():
    _mirror = (f"{_name}_v14",) if _name in ("v2xcs_ccsi", "v2x_horacc_osp", "v2x_veracc_osp") else ()
    _lever(_name, f"{_label} (V-Dem)", "index 0-1", "governance", low=0.0, high=1.0, aliases=_other_names,
           mirrors=_mirror)
_lever("v2x_regime", "Regimes of the World: 0 closed autocracy .. 3 liberal democracy (V-Dem)", "category",
       "governance", low=0.0, high=3.0, allowed=(0.0, 1.0, 2.0, 3.0), aliases=("regime_type", "vdem_regime"))
_lever("polity2", "Polity2 score (Polity5)", "score -10..10", "governance", low=-10.0, high=10.0,
       allowed=tuple(float(v) for v in range(-10, 11)), aliases=("polity",))
for _code, _text in {"pv": "political stability", "ge": "government effectiveness", "rl": "rule of law",
                     "va": "voice and accountability", "cc": "control of corruption"}.items():
    _lever(f"wgi_{_code}", f"WGI {_text}", "standard-normal units", "governance", low=-4.0, high=4.0,
           aliases=(_text.replace(" ", "_"),),
           range_note="WGI estimates are standard-normal units, nearly all within -2.5 to 2.5")
_lever("gdp_pc_growth", "GDP per person growth (WDI)", "percent", "economy", low=-100.0,
       aliases=("growth", "gdp_growth"))
_lever("inflation", "Inflation, consumer prices (WDI)", "percent", "economy", low=-100.0)
_lever("resource_rents", "Natural resource rents (WDI)", "% of GDP", "economy", low=0.0, high=100.0)
_lever("revenue_gdp", "Government revenue incl. grants (IMF WEO)", "% of GDP", "economy", low=0.0,
       aliases=("revenue",))
_lever("aid_security_capacity_usd", "U.S. security capacity aid, obligations (Greenbook, classified)", "US$",
       "assistance", low=0.0, aliases=("capacity_aid", "security_capacity_aid", "train_and_equip"),
       scale_with=("gb_imet_usd",), add_with=("us_aid_obligations_usd",),
       range_note="a scenario sets obligations; negative amounts (de-obligations) are not scenarios")
_lever("aid_security_governance_usd", "U.S. security governance aid, obligations (Greenbook, classified)", "US$",
       "assistance", low=0.0, aliases=("governance_aid", "security_governance_aid"),
       add_with=("us_aid_obligations_usd",))
_lever("gb_imet_usd", "U.S. IMET (military education and training) obligations (Greenbook)", "US$", "assistance",
       low=0.0, aliases=("imet",), add_with=("aid_security_capacity_usd", "us_aid_obligations_usd"))
_lever("us_aid_obligations_usd", "All U.S. assistance obligations (ForeignAssistance.gov)", "US$", "assistance",
       low=0.0, aliases=("us_aid", "total_us_aid"))
_lever("ged_total_deaths", "Deaths in organised violence (UCDP GED)", "deaths", "conflict", low=0.0,
       aliases=("conflict_deaths",))
_lever("ged_govt_killings", "Civilians killed by the government (UCDP GED)", "deaths", "conflict", low=0.0,
       aliases=("government_killings",), add_with=("ged_total_deaths",))
_lever("leader_military_career", "Leader's military career (REIGN): 1 military, 0.5 some, 0 civilian", "category",
       "leaders", low=0.0, high=1.0, allowed=(0.0, 0.5, 1.0), aliases=("leader_military",))

# Money a scenario may move between assistance categories (panel columns of Greenbook obligations).
ASSISTANCE_CATEGORIES = {
    "capacity": "aid_security_capacity_usd",
    "governance": "aid_security_governance_usd",
    "democracy": "aid_democracy_governance_usd",
    "conflict": "aid_conflict_mitigation_usd",
    "development": "aid_other_development_usd",
    "humanitarian": "aid_humanitarian_usd",
}


# Greenbook categories the features do not read, looked up like the capacity aid they come with (same table,
# same years), so a change to them starts from the year the forecast's capacity aid comes from.
_GREENBOOK_COLUMNS = {*ASSISTANCE_CATEGORIES.values(), "aid_governance_share"}


def _aliases() -> dict[str, str]:
    out = {name: name for name in LEVERS}
    for lever in LEVERS.values():
        out.update({alias: lever.name for alias in lever.aliases})
    return out


def valid_names_text() -> str:
    """Every input name with its aliases, for error messages."""
    return "; ".join(f"{n} ({', '.join(v.aliases)})" if v.aliases else n for n, v in LEVERS.items())


def resolve_lever(name: str, where: str = "--set") -> Lever:
    """The input a user's name (panel column or alias, any case) refers to."""
    key = name.strip().lower()
    aliases = _aliases()
    if key in aliases:
        return LEVERS[aliases[key]]
    close = difflib.get_close_matches(key, list(aliases), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise ScenarioError(
        f"{where}: unknown scenario input {name!r}.{hint} Valid names (aliases in brackets): {valid_names_text()}",
        allowed=list(aliases),
    )


def lever_table() -> pd.DataFrame:
    """The inputs a scenario may change: name, aliases, meaning, unit, allowed range."""
    return pd.DataFrame([
        {"name": lever.name, "aliases": ", ".join(lever.aliases), "group": lever.group, "label": lever.label,
         "unit": lever.unit, "low": lever.low, "high": lever.high, "allowed": lever.allowed_text(),
         "moves_with": ", ".join(lever.scale_with + lever.add_with + lever.mirrors), "note": lever.range_note}
        for lever in LEVERS.values()
    ])


# -------------------------------------------------------------------------------------------------------------
# Scenario definitions
# -------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SetChange:
    """Change one input: by a share of its value (``relative``, -0.3 = -30%), by an amount, or to a value."""

    lever: str
    mode: Mode
    amount: float
    text: str


@dataclass(frozen=True)
class AssistanceShift:
    """Move ``share`` (0-1) of the ``source`` category's obligations to ``target``; the total stays the same."""

    source: str
    target: str
    share: float
    text: str


Change = SetChange | AssistanceShift


@dataclass(frozen=True)
class Scenario:
    name: str
    changes: tuple[Change, ...]
    description: str = ""

    def text(self) -> str:
        return "; ".join(change.text for change in self.changes) or "no change"


_NUMBER = r"[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?"


def _number(text: str, where: str, example: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ScenarioError(f"{where}: expected a number, got {text!r}. Example: {example}") from None
    if not math.isfinite(value):
        raise ScenarioError(f"{where}: expected a finite number, got {text!r}. Example: {example}")
    return value


def parse_set(text: str, where: str = "--set") -> SetChange:
    """``name=-30%`` (relative), ``name=+0.1`` / ``name=-0.1`` (add), ``name=0.5`` (set to a value)."""
    example = "--set milex_gdp=-30% or --set vdem_jucon=+0.1 or --set v2x_jucon=0.6"
    if "=" not in text:
        raise ScenarioError(f"{where} {text!r}: expected NAME=CHANGE. Examples: {example}")
    name, raw = (part.strip() for part in text.split("=", 1))
    lever = resolve_lever(name, f"{where} {text!r}")
    value = raw.replace(" ", "").replace("\u2212", "-")
    if value.endswith("%"):
        if not value.startswith(("+", "-")):
            raise ScenarioError(
                f"{where} {text!r}: a percentage must be signed, +30% or -30% (a relative change); to set a value, "
                f"give the number alone, e.g. {lever.name}=2.5"
            )
        share = _number(value[:-1], f"{where} {text!r}", example) / 100
        if lever.low is not None and lever.low >= 0 and share < -1:
            raise ScenarioError(
                f"{where} {text!r}: a cut of more than 100% makes {lever.name} negative; allowed range "
                f"{lever.allowed_text()} ({lever.unit})", allowed=["-100% or more"]
            )
        return SetChange(lever.name, "relative", share, f"{lever.name}={value}")
    amount = _number(value, f"{where} {text!r}", example)
    if value.startswith(("+", "-")):
        return SetChange(lever.name, "add", amount, f"{lever.name}={value}")
    _check_value(lever, lever.name, amount, f"{where} {text!r}")
    return SetChange(lever.name, "value", amount, f"{lever.name}={value}")


def parse_shift(text: str, where: str = "--shift-assistance") -> AssistanceShift:
    """``capacity->governance:25%``: move 25% of capacity obligations to governance."""
    categories = ", ".join(ASSISTANCE_CATEGORIES)
    match = re.fullmatch(rf"\s*(\w+)\s*->\s*(\w+)\s*:\s*({_NUMBER})\s*%\s*", text)
    if not match:
        raise ScenarioError(
            f"{where}: expected FROM->TO:PERCENT such as capacity->governance:25%, got {text!r} "
            f"(categories: {categories})"
        )
    source, target, share = match.group(1).lower(), match.group(2).lower(), float(match.group(3))
    for category in (source, target):
        if category not in ASSISTANCE_CATEGORIES:
            raise ScenarioError(f"{where} {text!r}: unknown assistance category {category!r}; valid: {categories}",
                                allowed=list(ASSISTANCE_CATEGORIES))
    if source == target:
        raise ScenarioError(f"{where} {text!r}: FROM and TO are the same category")
    if not 0 <= share <= 100:
        raise ScenarioError(f"{where} {text!r}: the share moved must be 0% to 100%, got {share:g}%",
                            allowed=["0-100"])
    return AssistanceShift(source, target, share / 100, f"{source}->{target}:{share:g}%")


def scenario_from_options(sets: Sequence[str] = (), shifts: Sequence[str] = (), name: str | None = None
                          ) -> Scenario:
    """One scenario from command-line style changes (applied in the order given)."""
    changes: list[Change] = [parse_set(text) for text in sets]
    changes += [parse_shift(text) for text in shifts]
    scenario = Scenario(name or "", tuple(changes))
    return scenario if name else Scenario(scenario.text(), scenario.changes)


def scenarios_from_toml(text: str, file: str = "scenarios.toml") -> list[Scenario]:
    """Named scenarios from TOML: one table per scenario with ``set``, ``shift_assistance``, ``description``.

    ``set`` is a list of ``"NAME=CHANGE"`` strings or a table ``{NAME = "CHANGE" or number}`` (a bare number
    sets the value); ``shift_assistance`` is a string or a list of ``"FROM->TO:PERCENT"``.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{file}: not valid TOML ({exc}). Fix the file's syntax") from None
    if not document:
        raise ScenarioError(f"{file}: no scenarios. Add a table per scenario, e.g. [rebalance] with "
                            "shift_assistance = [\"capacity->governance:25%\"]")
    scenarios = []
    for name, body in document.items():
        where = f"{file} [{name}]"
        if not isinstance(body, dict):
            raise ScenarioError(f"{where}: expected a table with set/shift_assistance/description, got {body!r}")
        unknown = set(body) - {"set", "shift_assistance", "description"}
        if unknown:
            raise ScenarioError(f"{where}: unknown keys {sorted(unknown)}; allowed: set, shift_assistance, "
                                "description")
        changes: list[Change] = []
        sets = body.get("set", [])
        if isinstance(sets, dict):
            sets = [f"{key}={value}" if isinstance(value, str) else f"{key}={float(value)!r}"
                    for key, value in sets.items()]
        if isinstance(sets, str):
            sets = [sets]
        changes += [parse_set(str(item), f"{where} set") for item in sets]
        shifts = body.get("shift_assistance", [])
        shifts = [shifts] if isinstance(shifts, str) else shifts
        changes += [parse_shift(str(item), f"{where} shift_assistance") for item in shifts]
        if not changes:
            raise ScenarioError(f"{where}: no changes; give set = [...] or shift_assistance = [...]")
        scenarios.append(Scenario(str(name), tuple(changes), str(body.get("description", ""))))
    return scenarios


# -------------------------------------------------------------------------------------------------------------
# Applying a scenario to a country's panel rows
# -------------------------------------------------------------------------------------------------------------

def _check_value(lever: Lever, column: str, value: float, where: str) -> None:
    if lever.allowed and not any(math.isclose(value, v, abs_tol=1e-9) for v in lever.allowed):
        raise ScenarioError(f"{where}: {column} = {value:.6g} is impossible; allowed: {lever.allowed_text()} "
                            f"({lever.unit})", allowed=[f"{v:g}" for v in lever.allowed])
    too_low = lever.low is not None and value < lever.low - 1e-12
    too_high = lever.high is not None and value > lever.high + 1e-12
    if too_low or too_high:
        note = f"; {lever.range_note}" if lever.range_note else ""
        raise ScenarioError(f"{where}: {column} = {value:.6g} is impossible; allowed range {lever.allowed_text()} "
                            f"({lever.unit}){note}", allowed=[lever.allowed_text()])


def _check_linked(column: str, value: float, where: str) -> None:
    if column in LEVERS:
        _check_value(LEVERS[column], column, value, where)
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
        if column in CARRIED_COLUMNS or column in _GREENBOOK_COLUMNS:
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
    _check_value(lever, lever.name, new, where + origin)
    inputs.write(lever.name, new, base, from_year, "changed", change.text)
    for column in lever.mirrors:
        mirror_base, mirror_year = inputs.effective(column)
        if mirror_base is None and change.mode != "value":
            continue
        mirror_new = _new_value(change.mode, mirror_base if mirror_base is not None else 0.0, change.amount)
        _check_value(lever, column, mirror_new, where)
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


# -------------------------------------------------------------------------------------------------------------
# Scoring
# -------------------------------------------------------------------------------------------------------------

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


_CATEGORY_WORDS = {column: f"U.S. {category} aid (Greenbook obligations, US$)"
                   for category, column in ASSISTANCE_CATEGORIES.items()}


def input_label(column: str) -> str:
    """A panel input in words: the lever's label, the assistance category, else the panel column's description."""
    if column in LEVERS:
        return LEVERS[column].label
    if column in _CATEGORY_WORDS:
        return _CATEGORY_WORDS[column]
    from coupwatch.core.panel import COLUMNS  # the panel's column documentation (imported late: it is large)

    return COLUMNS[column].description if column in COLUMNS else column.replace("_", " ")


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

    fitted = fit_final(features, specs[model], specs, backtest, outcome, before=year)
    p = fitted.predict_proba(targets)[:, -1]
    start = final_window(backtest, outcome)
    boot = (bootstrap_predictions(features, fitted, year, outcome, start, draws, seed, executor, targets=targets,
                                  store=store)
            if draws > 0 else np.empty((0, len(targets))))
    used = _model_columns(fitted, features)
    contributions = (fitted.contributions(targets).reset_index(drop=True) if hasattr(fitted, "contributions")
                     else pd.DataFrame(0.0, index=range(len(targets)), columns=used))
    train = features[(features["year"] >= start) & (features["year"] < year) & features[outcome].notna()]
    train_min, train_max = train[used].min(), train[used].max()

    inputs = pd.concat([part.inputs for part in built], ignore_index=True)
    summary_rows: list[dict[str, Any]] = []
    moved_parts: list[pd.DataFrame] = []
    base_position = {int(code): i for i, code in enumerate(baseline["gwcode"])}
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
            "scenario": name, "model": model, "p_baseline": float(p[i]), "p_scenario": float(p[j]),
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
