"""The REST API under /api, plus /healthz."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from coupwatch.cells import is_missing
from coupwatch.states.system import readable_name
from coupwatch.store.reader import Warehouse, WarehouseReadError
from coupwatch.store.schemas import FrozenScores, PooledScores, YearScores
from coupwatch.web.deps import StoreDep, WarehouseDep
from coupwatch.web.models import (
    Accuracy,
    AssistanceResponse,
    CountryList,
    ErrorResponse,
    Health,
    PanelResponse,
    RiskHistory,
    SourcesResponse,
    Watchlist,
    WatchlistRow,
)
from coupwatch.web.store import (
    MAIN_MODEL,
    BadParameterError,
    CountryRef,
    Store,
    UnavailableError,
    WebError,
    backtest_missing_message,
    file_stamps,
    forecast_missing_message,
    records,
)

router = APIRouter(prefix="/api", tags=["api"])
health_router = APIRouter(tags=["health"])

CodePath = Annotated[str, Path(description="ISO3 code, e.g. MLI (the GW letter code for the five states without "
                                           "one)", max_length=40, examples=["MLI"])]
FromYear = Annotated[int | None, Query(alias="from", description="First year (default: the country's first year "
                                                                  "in the panel)")]
ToYear = Annotated[int | None, Query(alias="to", description="Last year (default: the country's last year)")]

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "The Host header names a host this server does not answer to"},
    404: {"model": ErrorResponse, "description": "Unknown country, with close matches"},
    422: {"model": ErrorResponse, "description": "A parameter is invalid; the message lists what is allowed"},
    503: {"model": ErrorResponse, "description": "The warehouse, backtest or forecast has not been built yet"},
}
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}
JSON_MEDIA = "application/json"


class Format(StrEnum):
    json = "json"
    csv = "csv"


FormatQuery = Annotated[Format, Query(alias="format", description="json or csv")]


class Outcome(StrEnum):
    attempt = "attempt"
    success = "success"


def _csv(frame: pd.DataFrame, name: str) -> Response:
    return Response(frame.to_csv(index=False), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def _json(payload: bytes | str) -> Response:
    return Response(payload, media_type=JSON_MEDIA)


def country_payload(country: CountryRef) -> dict[str, Any]:
    return {"gwcode": country.gwcode, "iso3": country.iso3, "country": country.name}


# ---- countries and panel -----------------------------------------------------------------------------------

@router.get("/countries", response_model=CountryList, responses=ERRORS, summary="Every state in the panel")
def list_countries(store: StoreDep, warehouse: WarehouseDep) -> Response:
    """Gleditsch-Ward code, ISO3, name, region and the years each state covers in the country-year panel."""

    def build() -> bytes:
        countries = [dataclasses.asdict(c) for c in store.countries(warehouse).values()]
        return CountryList(count=len(countries), countries=countries).model_dump_json().encode()  # type: ignore[arg-type]

    return _json(store.memo.get("api_countries", build))


@router.get("/countries/{iso3}/panel", response_model=PanelResponse, responses={**ERRORS, **CSV_RESPONSE},
            summary="Country-year panel rows")
def country_panel(
    iso3: CodePath,
    store: StoreDep,
    warehouse: WarehouseDep,
    first: FromYear = None,
    last: ToYear = None,
    columns: Annotated[str | None, Query(description="Comma-separated panel columns (default: all); the key "
                                                     "columns gwcode, year, iso3 and country always come along",
                                         max_length=4000)] = None,
    fmt: FormatQuery = Format.json,
) -> Response:
    """The country's rows of the harmonised country-year panel, with each column's description, source and unit."""
    chosen = [c.strip() for c in columns.split(",") if c.strip()] if columns else None
    country = store.country(warehouse, iso3)
    start, end = store.check_years(warehouse, country, first, last)
    frame = store.panel(warehouse, country, start, end, chosen)
    info = store.column_info(warehouse, list(frame.columns))
    if fmt is Format.csv:
        return _csv(frame, f"{country.code}_panel_{start}_{end}")
    body = PanelResponse(**country_payload(country), first_year=start, last_year=end,
                         columns=info, rows=records(frame))  # type: ignore[arg-type]
    return _json(body.model_dump_json())


# ---- forecasts -----------------------------------------------------------------------------------------------

def _watchlist_rows(frame: pd.DataFrame) -> tuple[list[bytes], list[int]]:
    rows, codes = [], []
    for record in records(frame):
        rows.append(WatchlistRow.model_validate(record).model_dump_json().encode())
        codes.append(int(record["gwcode"]))
    return rows, codes


def watchlist_json(store: Store, warehouse: Warehouse, year: int | None, region: str | None,
                   limit: int | None) -> bytes:
    """The watchlist as JSON bytes. Rows are validated and serialised once per saved forecast file; a request
    only picks and joins them, which keeps the busiest endpoint cheap."""
    stamps = store.forecast_stamps()
    if not stamps:  # before the region check: without a forecast nothing else matters
        raise UnavailableError(forecast_missing_message(store.forecast_folder))
    chosen = None
    if region:
        chosen = store.region(warehouse, region)
    # Keyed by the forecast file's state so a new `coupwatch forecast` shows at once.
    key = ("watchlist", year, chosen.slug if chosen else None, stamps)

    def pick() -> tuple[dict[str, Any], list[bytes]]:
        frame, path = store.forecast(year)
        rows, codes = _watchlist_rows(frame)
        picked = [row for row, code in zip(rows, codes, strict=True) if chosen is None or code in chosen.gwcodes]
        first = frame.iloc[0]
        head = {
            "year": int(first["year"]), "outcome": str(first["outcome"]), "model": str(first["model"]),
            "interval_level": float(first["interval_level"]), "region": chosen.label if chosen else None,
            "total": len(rows), "file": path.name,
        }
        return head, picked

    head, picked = store.memo.get(key, pick)
    if limit is not None:
        picked = picked[:limit]
    text = json.dumps({**head, "count": len(picked)}, separators=(",", ":"))
    return text[:-1].encode() + b',"rows":[' + b",".join(picked) + b"]}"


@router.get("/forecasts", response_model=Watchlist, responses={**ERRORS, **CSV_RESPONSE},
            summary="The ranked watchlist")
async def forecasts(
    store: StoreDep,
    warehouse: WarehouseDep,
    year: Annotated[int | None, Query(description="Forecast year (default: the latest saved)")] = None,
    region: Annotated[str | None, Query(description="Region slug or name: sub_saharan_africa, africa, sahel, "
                                                    "west_africa, middle_east_and_north_africa, asia, americas, "
                                                    "europe, oceania", max_length=100)] = None,
    limit: Annotated[int | None, Query(ge=1, le=1000, description="At most this many rows")] = None,
    fmt: FormatQuery = Format.json,
) -> Response:
    """Coup-attempt probability per state with its interval, last year's out-of-sample risk, the change and
    the drivers (what sets each state apart, by concept), ranked. Filter by region; cut with limit; CSV with
    format=csv."""
    if fmt is Format.csv:
        return _csv(*watchlist_csv(store, warehouse, year, region, limit))
    return _json(watchlist_json(store, warehouse, year, region, limit))


WATCHLIST_CSV_COLUMNS = ["rank", "iso3", "country", "region", "year", "p", "p_low", "p_high", "interval_level",
                         "p_last_year", "change", "drivers_text", "data_as_of_text", "model", "outcome"]


def watchlist_csv(store: Store, warehouse: Warehouse, year: int | None, region: str | None,
                  limit: int | None) -> tuple[pd.DataFrame, str]:
    """The watchlist rows the JSON answer holds, as a flat table (drivers in a few words) and a file name."""
    if not store.forecast_stamps():
        raise UnavailableError(forecast_missing_message(store.forecast_folder))
    frame, _ = store.forecast(year)
    if region:
        chosen = store.region(warehouse, region)
        frame = frame[frame["gwcode"].isin(chosen.gwcodes)]
    if limit is not None:
        frame = frame.head(limit)
    shown = frame.reindex(columns=WATCHLIST_CSV_COLUMNS)
    return shown, f"coupwatch_watchlist_{int(frame['year'].iloc[0]) if len(frame) else year}"


# ---- risk history and assistance ----------------------------------------------------------------------------

@router.get("/countries/{iso3}/risk-history", response_model=RiskHistory, responses={**ERRORS, **CSV_RESPONSE},
            summary="Out-of-sample risk per year and actual coups")
def risk_history(
    iso3: CodePath,
    store: StoreDep,
    warehouse: WarehouseDep,
    model: Annotated[str, Query(description="Backtest model (default ensemble)", max_length=100)] = MAIN_MODEL,
    outcome: Annotated[Outcome, Query(description="attempt or success")] = Outcome.attempt,
    fmt: FormatQuery = Format.json,
) -> Response:
    """Each backtest year's out-of-sample probability (from a model trained only on earlier years), whether a
    coup attempt happened, and the saved forecast for the next year; plus every coup year of the state."""
    country = store.country(warehouse, iso3)
    coups = store.coups(warehouse, country.gwcode)
    body = history_payload(store, country, coups, model, outcome.value)
    if fmt is Format.csv:
        return _csv(pd.DataFrame(body["years"]), f"{country.code}_risk_history_{model}_{outcome.value}")
    return _json(RiskHistory.model_validate(body).model_dump_json())


def history_payload(store: Store, country: CountryRef, coups: pd.DataFrame, model: str, outcome: str
                    ) -> dict[str, Any]:
    predictions = store.backtest()
    models = sorted(predictions["model"].unique())
    if model not in models:
        raise BadParameterError(f"unknown model {model!r}; models in the saved backtest: {', '.join(models)}",
                           allowed=models)
    chosen = predictions[(predictions["model"] == model) & (predictions["outcome"] == outcome)
                         & (predictions["gwcode"] == country.gwcode)]
    history = chosen[["year", "p", "observed"]].merge(coups, on="year", how="left").sort_values("year")
    years: list[dict[str, Any]] = [
        {"year": r["year"], "p": r["p"], "kind": "backtest", "observed": r["observed"], "attempts": r["attempts"],
         "successes": r["successes"]}
        for r in records(history)
    ]
    files = store.forecast_files(outcome, model)
    if files:
        frame, _ = store.forecast(max(files), outcome=outcome, model=model)
        row = frame[frame["gwcode"] == country.gwcode]
        if len(row):
            year = int(row["year"].iloc[0])
            known = coups[coups["year"] == year]
            attempts = None if known.empty or pd.isna(known["attempts"].iloc[0]) else int(known["attempts"].iloc[0])
            years.append({"year": year, "p": float(row["p"].iloc[0]), "p_low": _float(row["p_low"].iloc[0]),
                          "p_high": _float(row["p_high"].iloc[0]), "kind": "forecast",
                          "observed": None if attempts is None else int(attempts > 0), "attempts": attempts,
                          "successes": None if known.empty or pd.isna(known["successes"].iloc[0])
                          else int(known["successes"].iloc[0])})
    events = coups[coups["attempts"].fillna(0) > 0]
    return {**country_payload(country), "model": model, "outcome": outcome, "years": years,
            "coups": [{"year": int(r["year"]), "attempts": int(r["attempts"]), "successes": int(r["successes"] or 0)}
                      for r in events.to_dict("records")]}


def _float(value: object) -> float | None:
    # float() takes any number; the stubs do not type it for a plain object.
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def assistance_payload(store: Store, warehouse: Warehouse, country: CountryRef, first: int | None,
                       last: int | None) -> tuple[dict[str, Any], pd.DataFrame]:
    from coupwatch.app.analysis import ASSISTANCE_COLUMNS
    from coupwatch.core import assistance

    start, end = store.check_years(warehouse, country, first, last, default_first=2000)
    available = store.panel_info(warehouse)[2]
    columns = [c for c in ASSISTANCE_COLUMNS if c in available]
    frame = store.panel(warehouse, country, start, end, [*columns, "aid_classification"])
    classification = frame["aid_classification"].dropna()
    notes = {
        "what": "indicators of coupwatch.core.assistance as built into the warehouse panel (packaged classification, "
                f"base year {assistance.DEFAULT_BASE_YEAR}); for another base year or classification run "
                f"`coupwatch assistance {country.code} --base-year YEAR --classification FILE`",
        "government_spending": "DERIVED: SIPRI military spending / SIPRI share of government spending",
        "years": "Greenbook and ForeignAssistance.gov by U.S. fiscal year; SIPRI, WDI and IMF by calendar year",
        "dependence": "U.S. aid only: French, EU and UN security spending are not in the data",
    }
    gap = store.sector_gaps(warehouse).get(country.iso3 or "")
    if gap:
        notes["sector_gaps"] = gap
    rows = frame[["year", *columns]]
    payload = {**country_payload(country), "base_year": assistance.DEFAULT_BASE_YEAR,
               "classification": str(classification.iloc[0]) if len(classification) else None, "notes": notes,
               "columns": store.column_info(warehouse, ["year", *columns]), "rows": records(rows)}
    return payload, rows


@router.get("/countries/{iso3}/assistance", response_model=AssistanceResponse, responses={**ERRORS, **CSV_RESPONSE},
            summary="Security assistance: capacity vs governance")
def country_assistance(
    iso3: CodePath,
    store: StoreDep,
    warehouse: WarehouseDep,
    first: Annotated[int | None, Query(alias="from", description="First year (default 2000)")] = None,
    last: ToYear = None,
    fmt: FormatQuery = Format.json,
) -> Response:
    """U.S. security capacity and security governance aid, the governance share, DRG and peace-and-security
    shares, military aid per soldier and relative to military and government spending, the military burden
    and its change since the base year, and V-Dem accountability indices (coupwatch.core.assistance)."""
    country = store.country(warehouse, iso3)
    payload, rows = assistance_payload(store, warehouse, country, first, last)
    if fmt is Format.csv:
        return _csv(rows.assign(iso3=country.iso3, country=country.name), f"{country.code}_assistance")
    return _json(AssistanceResponse.model_validate(payload).model_dump_json())


# ---- accuracy ------------------------------------------------------------------------------------------------

SCORE_KEYS = ("model", "outcome", "sample", "period", "year", "auc_roc", "auc_roc_low", "auc_roc_high", "auc_pr",
              "auc_pr_low", "auc_pr_high", "brier", "brier_skill", "log_loss", "recall_top10", "recall_top20",
              "recall_top30", "events", "rows")


def _scores(rows: Sequence[PooledScores | YearScores | FrozenScores]) -> list[dict[str, Any]]:
    return [{k: getattr(row, k, None) for k in SCORE_KEYS} for row in rows]


def accuracy_payload(store: Store) -> dict[str, Any]:
    """The saved backtest's scores (coup attempts), its case table and the saved ablation, as one document."""
    metrics = store.backtest_metrics()
    if metrics is None:
        raise UnavailableError(backtest_missing_message(store.backtest_folder))
    headline = metrics.headline
    main = headline.main_model
    attempts = [r for r in metrics.pooled if r.outcome == "attempt"]
    per_year = [r for r in metrics.per_year if r.outcome == "attempt"]
    states = {r.year: int(r.rows) for r in per_year if r.model == main}
    cases = [{"year": r.year, "gwcode": r.gwcode, "iso3": r.iso3, "country": readable_name(r.country),
              "p": r.p.get(main), "rank": r.rank.get(main), "states": states.get(r.year, 0)}
             for r in metrics.cases.rows]
    ablation = store.ablation_summary()
    settings = metrics.settings
    return {
        "built_at": metrics.built_at, "first_test_year": settings.first_test_year,
        "last_test_year": settings.last_test_year, "main_model": main, "headline_period": headline.period,
        "headline_sample": headline.sample, "headline_sample_label": headline.sample_label,
        "headline_sample_description": headline.sample_description,
        "targets": [target.model_dump() for target in headline.targets], "pooled": _scores(attempts),
        "per_year": _scores(per_year),
        # The API keeps its key; the freeze year is metrics.frozen.freeze_after.
        "frozen_2019": _scores(metrics.frozen.rows), "cases": cases,
        "ablation": None if ablation is None else {
            "built_at": ablation.built_at, "model": ablation.model, "outcome": ablation.outcome,
            "first_test_year": ablation.settings.first_test_year,
            "last_test_year": ablation.settings.last_test_year,
            "bootstrap_draws": ablation.bootstrap_draws, "rows": [row.model_dump() for row in ablation.table]},
    }


@router.get("/accuracy", response_model=Accuracy, responses=ERRORS, summary="How accurate the forecasts were")
def accuracy(store: StoreDep) -> Response:
    """Out-of-sample scores of every model on coup attempts from the saved rolling-origin backtest: pooled by
    period and per test year, with 95% bootstrap intervals; the project's targets and whether they are met; a
    model frozen at the end of 2019 scoring the years after; every attempt from 2011 with the main model's
    probability and rank that year; and, when `coupwatch ablation` has been run, what each feature group adds."""
    return _json(store.memo.get(("api_accuracy", file_stamps(store.metrics_path, store.ablation_file)),
                                lambda: Accuracy.model_validate(accuracy_payload(store)).model_dump_json().encode()))


# ---- sources and health ----------------------------------------------------------------------------------------

@router.get("/sources", response_model=SourcesResponse, responses=ERRORS, summary="Provenance and citations")
def sources(store: StoreDep, warehouse: WarehouseDep) -> Response:
    """Every source: publisher, version, licence, coverage, citation (BibTeX), and for each table the file,
    its official URL, where it was fetched from, its sha256 and whether that matches the pinned hash."""

    def build() -> bytes:
        items = store.sources(warehouse)
        built = store.build_info(warehouse).get("built_at")
        return SourcesResponse(built_at=built, count=len(items), sources=items).model_dump_json().encode()  # type: ignore[arg-type]

    return _json(store.memo.get("api_sources", build))


@health_router.get("/healthz", response_model=Health, responses={400: ERRORS[400], 503: {"model": Health}},
                   summary="Health")
def healthz(store: StoreDep) -> Response:
    """ok when the warehouse, backtest and forecast are there and every saved output matches its manifest;
    degraded without the backtest or a forecast, or with a damaged output (named in messages); unavailable (503)
    without the warehouse."""
    messages: list[str] = []
    built_at = None
    warehouse = True
    try:
        built_at = store.build_info(store.warehouse()).get("built_at")
    except (WebError, WarehouseReadError) as exc:
        warehouse = False
        messages.append(str(exc))
    backtest = store.predictions_path.exists()
    if not backtest:
        messages.append(backtest_missing_message(store.backtest_folder))
    years = sorted(store.forecast_files())
    if not years:
        messages.append(forecast_missing_message(store.forecast_folder))
    damaged = store.output_problems()
    messages.extend(damaged)
    status: Literal["ok", "degraded", "unavailable"] = (
        "unavailable" if not warehouse else ("ok" if backtest and years and not damaged else "degraded"))
    body = Health(status=status, warehouse=warehouse, built_at=built_at, backtest=backtest, forecast_years=years,
                  briefs=True, messages=messages)
    return Response(body.model_dump_json(), media_type=JSON_MEDIA, status_code=503 if not warehouse else 200)
