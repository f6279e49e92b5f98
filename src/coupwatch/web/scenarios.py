"""What-if scenarios over HTTP: POST /api/scenarios and GET /api/scenarios/inputs.

A request changes one country's inputs of the year before the forecast year and gets back the baseline and
scenario risk with paired bootstrap intervals, the inputs changed and the features that moved the risk (see
:mod:`coupwatch.core.scenarios`). Nothing is written: the warehouse and the saved backtest are only read. Each
computation refits the model ``draws`` times, so requests run one at a time and identical requests are served
from memory.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from coupwatch.core.refits import REFITS
from coupwatch.core.scenarios.apply import current_inputs
from coupwatch.core.scenarios.levers import ASSISTANCE_CATEGORIES, ScenarioError, lever_table
from coupwatch.core.scenarios.options import Change, Scenario, parse_set, parse_shift
from coupwatch.core.scenarios.score import CAVEAT, run_scenarios
from coupwatch.store.reader import YEAR_PANEL, Warehouse
from coupwatch.store.refit_cache import DiskRefitStore
from coupwatch.web.api import ERRORS
from coupwatch.web.deps import StoreDep, WarehouseDep
from coupwatch.web.guards import MAX_BODY_BYTES
from coupwatch.web.models import ErrorResponse
from coupwatch.web.store import (
    BadParameterError,
    CountryRef,
    NotFoundError,
    Store,
    UnavailableError,
    backtest_missing_message,
    file_stamps,
)

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])

Category = Literal["capacity", "governance", "democracy", "conflict", "development", "humanitarian"]
MOVED_ROWS = 12
_compute_lock = threading.Lock()


# ---- request and response models ------------------------------------------------------------------------------

class InputChange(BaseModel):
    """Change one input: by a percentage of its value, by an amount, or to a value."""

    model_config = ConfigDict(extra="forbid")
    input: str = Field(min_length=1, max_length=60, description="Input name or alias; GET /api/scenarios/inputs "
                       "lists them with their allowed ranges", examples=["milex_gdp", "vdem_jucon"])
    mode: Literal["relative", "add", "value"] = Field(description="relative: amount is a percent change (-30 "
                                                      "means -30%); add: amount is added; value: the input "
                                                      "becomes amount")
    amount: float = Field(allow_inf_nan=False, ge=-1e15, le=1e15, examples=[-30])


class AssistanceShift(BaseModel):
    """Move a share of one assistance category's obligations to another (the total stays the same)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    source: Category = Field(alias="from", examples=["capacity"])
    target: Category = Field(alias="to", examples=["governance"])
    percent: float = Field(ge=0, le=100, allow_inf_nan=False, description="Share moved, 0-100", examples=[25])


class ScenarioSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, min_length=1, max_length=80, description="Label (default: the changes in words)")
    changes: list[InputChange] = Field(default_factory=list, max_length=20)
    shifts: list[AssistanceShift] = Field(default_factory=list, max_length=6)


class ScenarioRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    country: str = Field(min_length=1, max_length=40, description="ISO3 code", examples=["MLI"])
    year: int | None = Field(None, ge=1000, le=3000, description="Forecast year (default: the next forecast year); "
                             "the changes apply to the inputs of the year before")
    model: str = Field("ensemble", min_length=1, max_length=40, description="Model of the saved backtest")
    draws: int = Field(REFITS, ge=0, le=200, examples=[REFITS], description="Bootstrap refits for the intervals "
                       "(0: none); the default is the forecast's, so the baseline interval is the forecast's")
    scenarios: list[ScenarioSpec] = Field(min_length=1, max_length=5)


class InputChanged(BaseModel):
    input: str = Field(description="Panel column")
    label: str = Field(description="The input in words")
    role: str = Field(description="changed, or how it follows a change (scaled with, contains, moved to ...)")
    change: str
    value_year: int | None = Field(description="Year of the value changed (a carried-forward value's own year)")
    before: float | None
    after: float | None


class FeatureMoved(BaseModel):
    feature: str
    label: str = Field(description="The feature in words")
    description: str
    value_before: float | None
    value_after: float | None
    value_changed: bool = Field(description="False: the value is the same; its contribution moved through "
                                "interactions in the model")
    in_model: bool
    contribution_before: float = Field(description="Contribution to the log-odds before")
    contribution_after: float
    contribution_change: float
    train_min: float | None = None
    train_max: float | None = None
    extrapolation: bool = Field(description="The new value is outside the range of the training data")


class ScenarioOutcome(BaseModel):
    scenario: str = Field(description="The scenario's name, or its changes in words when it has none")
    changes: str = Field(description="The changes as options, e.g. milex_gdp=-30%; capacity->governance:25%")
    description: str | None = None
    p_baseline: float
    p_baseline_low: float | None = None
    p_baseline_high: float | None = None
    p_scenario: float
    p_scenario_low: float | None = None
    p_scenario_high: float | None = None
    difference: float = Field(description="p_scenario - p_baseline")
    difference_low: float | None = Field(None, description="Lower end of the interval of the paired difference")
    difference_high: float | None = None
    relative_change: float | None = None
    draws_lower: float | None = Field(None, description="Share of bootstrap refits in which the scenario lowers "
                                      "the risk")
    draws_higher: float | None = None
    extrapolation: bool
    extrapolated_features: list[str]
    features_changed: list[str]
    features_not_in_model: list[str]
    inputs: list[InputChanged]
    moved: list[FeatureMoved] = Field(description=f"Up to {MOVED_ROWS} features, largest change in contribution "
                                      "first")


class ScenarioResponse(BaseModel):
    gwcode: int
    iso3: str | None
    country: str
    year: int = Field(description="Forecast year")
    data_year: int = Field(description="Year whose inputs were changed")
    model: str
    outcome: str
    draws: int
    interval_level: float
    caveat: str
    results: list[ScenarioOutcome]


class ScenarioInput(BaseModel):
    name: str
    aliases: list[str]
    group: str
    label: str
    unit: str
    low: float | None = None
    high: float | None = None
    allowed: str | None = Field(None, description="Allowed values in words")
    moves_with: list[str] = Field(default_factory=list, description="Inputs changed along with this one")
    note: str | None = None
    value: float | None = Field(None, description="The value the forecast sees (with a country)")
    value_year: int | None = None


class ScenarioInputs(BaseModel):
    gwcode: int | None = None
    iso3: str | None = None
    country: str | None = None
    year: int
    data_year: int
    inputs: list[ScenarioInput]
    categories: list[ScenarioInput] = Field(description="Assistance categories money can be moved between")
    caveat: str


# ---- what the computation needs, loaded once per warehouse and backtest ----------------------------------------

def _context(store: Store, warehouse: Warehouse) -> tuple[pd.DataFrame, pd.DataFrame, Any]:
    """The panel and features of the warehouse (built once per warehouse) and the saved backtest (the store's)."""
    if not store.metrics_path.exists():
        raise UnavailableError(backtest_missing_message(store.backtest_folder))
    backtest = store.backtest_result()

    def load() -> tuple[pd.DataFrame, pd.DataFrame]:
        from coupwatch.core.features import build_features
        from coupwatch.store.feature_cache import cached_features

        panel = warehouse.table(YEAR_PANEL)
        return panel, cached_features(store.warehouse_path, lambda: build_features(panel))

    panel, features = store.memo.get(("scenario_context", file_stamps(store.warehouse_path)), load)
    return panel, features, backtest


def _country(store: Store, warehouse: Warehouse, code: str) -> CountryRef:
    try:
        return store.country(warehouse, code)
    except NotFoundError as exc:
        raise BadParameterError(f"country: {exc.detail}", allowed=exc.allowed) from exc


def _year(features: pd.DataFrame, year: int | None) -> int:
    from coupwatch.core.forecast import default_year

    if year is None:
        return default_year(features)
    years = features["year"]
    first, last = int(years.min()) + 1, int(years.max())
    if not first <= year <= last:
        raise BadParameterError(f"year={year}: scenarios are possible for forecast years {first}-{last}",
                                allowed=[f"{first}-{last}"])
    return year


def _scenario(spec: ScenarioSpec, position: int) -> Scenario:
    changes: list[Change] = []
    for number, change in enumerate(spec.changes):
        where = f"scenarios[{position}].changes[{number}]"
        amount = f"{change.amount:+g}%" if change.mode == "relative" else (
            f"{change.amount:+g}" if change.mode == "add" else f"{change.amount:g}")
        changes.append(parse_set(f"{change.input}={amount}", where))
    for number, shift in enumerate(spec.shifts):
        changes.append(parse_shift(f"{shift.source}->{shift.target}:{shift.percent:g}%",
                                   f"scenarios[{position}].shifts[{number}]"))
    if not changes:
        raise BadParameterError(f"scenarios[{position}]: no changes; give changes and/or shifts",
                                allowed=["changes", "shifts"])
    unnamed = Scenario("", tuple(changes))
    return Scenario(spec.name or unnamed.words(), unnamed.changes, spec.name or "")


def _clean(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _names(text: object) -> list[str]:
    return [part for part in str(text or "").split(", ") if part]


def compute(store: Store, warehouse: Warehouse, request: ScenarioRequest) -> bytes:
    """The response body for a request (cached per identical request); a refused scenario raises ScenarioError."""
    panel, features, backtest = _context(store, warehouse)
    country = _country(store, warehouse, request.country)
    year = _year(features, request.year)
    scenarios = [_scenario(spec, position) for position, spec in enumerate(request.scenarios)]
    labels = [s.name for s in scenarios]
    if len(set(labels)) != len(labels):
        raise BadParameterError(f"scenario names must differ, got {labels}", allowed=["distinct names"])
    key = ("scenario_response", file_stamps(store.predictions_path, store.metrics_path), request.model_dump_json(),
           year, country.gwcode)

    def run() -> bytes:
        with _compute_lock:
            result = run_scenarios(panel, backtest, scenarios, [country.gwcode], year, features=features,
                                   model=request.model, draws=request.draws,
                                   store=DiskRefitStore(store.home / "cache" / "refits"))
        descriptions = {s.name: s.description or None for s in scenarios}
        outcomes = []
        for row in _rows(result.summary):
            name = row["scenario"]
            inputs = result.inputs[result.inputs["scenario"] == name]
            moved = result.moved[result.moved["scenario"] == name].head(MOVED_ROWS)
            outcomes.append(ScenarioOutcome(
                **{k: v for k, v in row.items() if k in ScenarioOutcome.model_fields and k not in (
                    "extrapolated_features", "features_changed", "features_not_in_model")},
                description=descriptions.get(name),
                extrapolated_features=_names(row["extrapolated_features"]),
                features_changed=_names(row["features_changed"]),
                features_not_in_model=_names(row["features_not_in_model"]),
                inputs=[InputChanged(**{k: r[k] for k in InputChanged.model_fields}) for r in _rows(inputs)],
                moved=[FeatureMoved(**{k: r[k] for k in FeatureMoved.model_fields}) for r in _rows(moved)],
            ))
        body = ScenarioResponse(gwcode=country.gwcode, iso3=country.iso3, country=country.name, year=year,
                                data_year=year - 1, model=result.model, outcome=result.outcome, draws=result.draws,
                                interval_level=result.level, caveat=result.caveat, results=outcomes)
        return body.model_dump_json().encode()

    return store.memo.get(key, run)


# ---- routes ----------------------------------------------------------------------------------------------------

@router.post("", response_model=ScenarioResponse, summary="What-if: change inputs, compare risk", responses={
    **ERRORS, 413: {"model": ErrorResponse, "description": f"The body is over {MAX_BODY_BYTES:,} bytes"}})
def run_scenario(request: ScenarioRequest, store: StoreDep, warehouse: WarehouseDep) -> Response:
    """Change a country's inputs of the year before the forecast year (military spending, V-Dem and WGI
    governance, U.S. assistance, conflict, economy; or move assistance between categories), rebuild its forecast
    features and compare the model's coup-attempt risk with the baseline. The interval of the difference comes
    from the same bootstrap refits scoring both (paired). Unknown inputs and impossible values are refused with
    the valid names or the allowed range. The answers are modelled associations, not proven effects."""
    try:
        return Response(compute(store, warehouse, request), media_type="application/json")
    except ScenarioError as exc:
        raise BadParameterError(str(exc), allowed=exc.allowed) from exc


@router.get("/inputs", response_model=ScenarioInputs, responses=ERRORS, summary="Inputs a scenario may change")
def scenario_inputs(
    store: StoreDep,
    warehouse: WarehouseDep,
    country: Annotated[str | None, Query(description="ISO3 code: adds the values the forecast sees",
                                         max_length=40)] = None,
    year: Annotated[int | None, Query(description="Forecast year (default: the next forecast year)")] = None,
) -> Response:
    """Every input with its aliases, unit, allowed range and the inputs that move with it; with a country, the
    value of each that the forecast for the year sees (and the year that value is from)."""
    panel, features, _ = _context(store, warehouse)
    chosen_year = _year(features, year)
    ref = None
    if country:
        ref = store.country(warehouse, country)  # unknown: 404 with close matches, as for a country in a path

    def build() -> bytes:
        if ref is not None:
            rows = panel[(panel["gwcode"] == ref.gwcode) & (panel["year"] <= chosen_year)]
            if rows.empty or int(rows["year"].max()) < chosen_year - 1:
                raise BadParameterError(f"{ref.name} has no panel row for {chosen_year - 1}",
                                        allowed=[f"{ref.first_year + 1}-{ref.last_year + 1}"])
            table = current_inputs(rows, chosen_year)
        else:
            table = pd.concat([lever_table(), pd.DataFrame(
                [{"name": f"category:{c}", "group": "assistance categories", "label": f"U.S. {c} aid, obligations",
                  "unit": "US$"} for c in ASSISTANCE_CATEGORIES])], ignore_index=True)
        items = []
        for row in _rows(table):
            items.append(ScenarioInput(
                name=row["name"], aliases=_names(row.get("aliases")), group=row["group"], label=row["label"],
                unit=row["unit"], low=row.get("low"), high=row.get("high"), allowed=row.get("allowed"),
                moves_with=_names(row.get("moves_with")), note=row.get("note") or None, value=row.get("value"),
                value_year=None if row.get("value_year") is None else int(row["value_year"]),
            ))
        body = ScenarioInputs(
            gwcode=ref.gwcode if ref else None, iso3=ref.iso3 if ref else None, country=ref.name if ref else None,
            year=chosen_year, data_year=chosen_year - 1,
            inputs=[i for i in items if not i.name.startswith("category:")],
            categories=[i for i in items if i.name.startswith("category:")], caveat=CAVEAT)
        return body.model_dump_json().encode()

    key = ("scenario_inputs", ref.gwcode if ref else None, chosen_year, id(panel))
    return Response(store.memo.get(key, build), media_type="application/json")
