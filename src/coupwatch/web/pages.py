"""Dashboard pages, rendered on the server with Jinja2: home (map, watchlist, what changed), country, sources,
the country index and the offline API docs."""

from __future__ import annotations

import math
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader

from coupwatch.core.currency import data_as_of_summary
from coupwatch.core.evaluate.samples import SAMPLES
from coupwatch.core.refits import REFITS
from coupwatch.report.charts import dashboard
from coupwatch.store.reader import Warehouse
from coupwatch.web.deps import StoreDep, WarehouseDep
from coupwatch.web.store import (
    MAIN_MODEL,
    BadParameterError,
    CountryRef,
    Store,
    WebError,
    file_stamps,
    records,
    watchlist_records,
)
from coupwatch.web.worldmap import WorldMap, build_world_map, default_iso2_to_iso3

router = APIRouter(include_in_schema=False)


# Risk bins of the map and the watchlist (coup attempts are rare: most states sit below 1%).
BINS = (0.005, 0.01, 0.02, 0.05, 0.10)
COLOURS = ("#fdf0c2", "#fde68a", "#fbbf24", "#f97316", "#dc2626", "#7f1d1d")
AFRICA_VIEW = "africa"
CHART_COLUMNS = ["year", "milex_gdp", "aid_security_capacity_usd", "aid_security_governance_usd",
                 "aid_governance_share", *dashboard.GOVERNANCE_SERIES]
CHART_FIRST_YEAR = 1990
DEFAULT_ROWS = 30


def _pct(value: object, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value) * 100:.{digits}f}%"  # type: ignore[arg-type]


def _pp(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    points = float(value) * 100  # type: ignore[arg-type]
    return f"{points:+.1f} pp" if abs(points) >= 0.05 else "±0.0 pp"


def _number(value: object, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value):,.{digits}f}"  # type: ignore[arg-type]


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("coupwatch.web", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(pct=_pct, pp=_pp, number=_number)
    return env


ENV = _environment()
ENV.globals["refits"] = REFITS  # the scenario panel refits the model as often as the forecast did


def bin_of(p: float) -> int:
    return sum(p >= edge for edge in BINS)


def legend() -> list[dict[str, str]]:
    edges = [0.0, *BINS]
    out = []
    for index, colour in enumerate(COLOURS):
        label = f"≥ {_pct(edges[index], 1)}" if index == len(COLOURS) - 1 else (
            f"{_pct(edges[index], 1)}–{_pct(edges[index + 1], 1)}")
        out.append({"colour": colour, "label": label})
    return out


def render(name: str, request: Request | None = None, **context: Any) -> str:
    return ENV.get_template(name).render(path=request.url.path if request else "", **context)


def render_error(request: Request, status: int, detail: str, allowed: list[str] | None) -> str:
    titles = {404: "Not found", 422: "That request is not valid", 503: "Not built yet", 405: "Not allowed"}
    return render("error.html.j2", request, status=status, title=titles.get(status, "Error"), detail=detail,
                  allowed=allowed or [])


def world_map(store: Store) -> WorldMap:
    """The world map keyed by ISO3 with GW names as tooltips (built once per app)."""

    def build() -> WorldMap:
        names: dict[str, str] = {}
        try:
            warehouse = store.warehouse()
            names = {c.iso3: c.name for c in store.countries(warehouse).values() if c.iso3}
        except WebError:
            pass
        return build_world_map(default_iso2_to_iso3(), names)

    return store.memo.get("world_map", build)


def _view_box(box: tuple[float, float, float, float]) -> str:
    return " ".join(f"{v:.1f}" for v in box)


# ---- home ----------------------------------------------------------------------------------------------------

def _movers(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    changed = [r for r in rows if r.get("change") is not None]
    up = sorted((r for r in changed if r["change"] > 0), key=lambda r: -r["change"])[:5]
    down = sorted((r for r in changed if r["change"] < 0), key=lambda r: r["change"])[:5]
    entered = [r for r in rows if r["rank"] <= 20 and (r.get("rank_last_year") or 10**6) > 20]
    left = [r for r in changed if r["rank"] > 20 and (r.get("rank_last_year") or 10**6) <= 20]
    return {"up": up, "down": down, "entered": entered, "left": sorted(left, key=lambda r: r["rank_last_year"])}


def _headline(store: Store) -> dict[str, Any] | None:
    metrics = store.backtest_metrics()
    if metrics is None:
        return None
    headline, settings = metrics.headline, metrics.settings
    return {"period": headline.period, "model": headline.main_model, "row": headline.main_row(),
            "first": settings.first_test_year, "last": settings.last_test_year, "built_at": metrics.built_at}


def home_html(store: Store, warehouse: Warehouse, request: Request, year: int | None,
              region: str | None, limit: int | None) -> str:
    regions = store.regions(warehouse)
    chosen = store.region(warehouse, region) if region else None
    years = sorted(store.forecast_files())
    context: dict[str, Any] = {"regions": list(regions.values()), "region": chosen, "years": years,
                               "legend": legend(), "headline": _headline(store), "active": "home"}
    if not years:
        from coupwatch.web.store import forecast_missing_message

        context["notice"] = forecast_missing_message(store.forecast_folder)
        return render("home.html.j2", request, **context)
    frame, path = store.forecast(year)
    countries = store.countries(warehouse)
    forecast_year = int(frame["year"].iloc[0])
    coups = store.coups_in(warehouse, forecast_year - 1)
    rows = watchlist_records(frame)
    for row in rows:
        ref = countries.get(int(row["gwcode"]))
        row["code"] = ref.code if ref else row["iso3"]
    shown = [r for r in rows if chosen is None or r["gwcode"] in chosen.gwcodes]
    top = max((r["p"] for r in shown), default=0.0) or 1.0
    cut = shown[:limit] if limit else shown
    wmap = world_map(store)
    africa = [c.iso3 for c in countries.values() if c.africa and c.iso3]
    view = AFRICA_VIEW if chosen and chosen.gwcodes and all(
        countries[g].africa for g in chosen.gwcodes if g in countries) else "world"
    map_data = {
        r["iso3"]: {"name": r["country"], "p": r["p"], "low": r.get("p_low"), "high": r.get("p_high"),
                    "rank": r["rank"], "colour": COLOURS[bin_of(r["p"])], "code": r["code"],
                    "dim": bool(chosen and r["gwcode"] not in chosen.gwcodes)}
        for r in rows if r.get("iso3")
    }
    context.update(
        year=forecast_year, rows=cut, total=len(rows), shown=len(shown), limit=limit, top=top,
        file=path.name, movers=_movers(shown), coups=records(coups), previous_year=forecast_year - 1,
        map_data=map_data, world_view=_view_box(wmap.view_box),
        africa_view=_view_box(wmap.view_box_for(africa)), view=view,
        interval=round(float(frame["interval_level"].iloc[0]) * 100), model=str(frame["model"].iloc[0]),
        data_as_of=data_as_of_summary(list(frame["data_as_of"])) if "data_as_of" in frame.columns else None,
    )
    return render("home.html.j2", request, **context)


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    store: StoreDep,
    warehouse: WarehouseDep,
    year: Annotated[int | None, Query()] = None,
    region: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[str | None, Query(max_length=8, description="top N rows, or all")] = None,
) -> HTMLResponse:
    region = region or None
    rows = _limit(limit)
    key = ("home", year, region, rows, store.forecast_stamps())
    return HTMLResponse(store.memo.get(key, lambda: home_html(store, warehouse, request, year, region, rows)))


def _limit(text: str | None) -> int | None:
    """Rows of the watchlist table: a number, ``all``, or the default when empty."""
    if not text:
        return DEFAULT_ROWS
    if text == "all":
        return None
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise BadParameterError(f"limit={text!r} is not a whole number from 1 to 1000 or 'all'",
                           allowed=["1-1000", "all"])
    return int(text)


# ---- country ---------------------------------------------------------------------------------------------------

def _latest(panel: pd.DataFrame, column: str) -> tuple[Any, int | None]:
    if column not in panel:
        return None, None
    known = panel[["year", column]].dropna()
    if known.empty:
        return None, None
    return known[column].iloc[-1], int(known["year"].iloc[-1])


def country_html(store: Store, warehouse: Warehouse, request: Request, country: CountryRef) -> str:
    from coupwatch.web import api, donors

    coups = store.coups(warehouse, country.gwcode)
    first = max(CHART_FIRST_YEAR, country.first_year)
    available = store.panel_info(warehouse)[2]
    wanted = [c for c in [*CHART_COLUMNS, *donors.CHART_COLUMNS] if c in available and c != "year"]
    panel = store.panel(warehouse, country, first, country.last_year, wanted)
    regions = store.regions(warehouse)
    forecast_row: dict[str, Any] | None = None
    total = None
    notices: list[str] = []
    years = store.forecast_files()
    if years:
        frame, _ = store.forecast()
        total = len(frame)
        hit = frame[frame["gwcode"] == country.gwcode]
        if len(hit):
            forecast_row = watchlist_records(hit)[0]
    else:
        from coupwatch.web.store import forecast_missing_message

        notices.append(forecast_missing_message(store.forecast_folder))
    history: dict[str, Any] | None = None
    try:
        history = api.history_payload(store, country, coups, MAIN_MODEL, "attempt")
    except WebError as exc:
        notices.append(exc.detail)
    specs = {
        "risk": dashboard.risk_history_spec(history["years"], coups) if history else None,
        "burden": dashboard.burden_spec(panel, coups),
        "assistance": dashboard.assistance_spec(panel),
        "governance": dashboard.governance_spec(panel, coups),
        "arms": dashboard.arms_spec(panel),
        "oda": dashboard.oda_spec(panel),
    }
    empty = {
        "risk": "No out-of-sample risk for this state: it is not in the saved backtest.",
        "burden": "SIPRI has no military-spending share of GDP for this state.",
        "assistance": "No U.S. security assistance classified for this state in the Greenbook data.",
        "governance": "V-Dem does not cover this state.",
        "arms": "SIPRI records no deliveries of major arms to this state since 1995.",
        "oda": "No ODA to this state in the OECD DAC2a table (2002-2019).",
    }
    milex, milex_year = _latest(panel, "milex_gdp")
    polyarchy, polyarchy_year = _latest(panel, "v2x_polyarchy")
    share, share_year = _latest(panel, "aid_governance_share")
    region_slug = next((r.slug for r in regions.values() if r.label == country.region), None)
    events = [{"year": int(r["year"]), "success": bool((r["successes"] or 0) > 0), "attempts": int(r["attempts"])}
              for r in coups[coups["attempts"].fillna(0) > 0].to_dict("records")]
    return render(
        "country.html.j2", request, country=country, forecast=forecast_row, total=total, notices=notices,
        specs=specs, empty=empty, events=events, history=history, region_slug=region_slug,
        facts=[
            ("Military spending", f"{_number(milex)}% of GDP" if milex is not None else "–", milex_year, "SIPRI"),
            ("Electoral democracy", _number(polyarchy, 3), polyarchy_year, "V-Dem, 0-1"),
            ("Governance share of U.S. security aid", _pct(share), share_year, "Greenbook, classified"),
        ],
        active="country",
    )


@router.get("/countries/{code}", response_class=HTMLResponse)
def country_page(
    request: Request,
    code: Annotated[str, Path(max_length=40)],
    store: StoreDep,
    warehouse: WarehouseDep,
) -> HTMLResponse:
    country = store.country(warehouse, code)
    key = ("country", country.gwcode, store.forecast_stamps(), file_stamps(store.predictions_path))
    return HTMLResponse(store.memo.get(key, lambda: country_html(store, warehouse, request, country)))


@router.get("/countries", response_class=HTMLResponse, response_model=None)
def countries_page(
    request: Request,
    store: StoreDep,
    warehouse: WarehouseDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The index of states; ``?q=`` jumps to the state a code or name finds (the header's search box)."""
    countries = sorted(store.countries(warehouse).values(), key=lambda c: c.name)
    if q:
        # Any code or name, today's or former, with or without accents; several partial matches list.
        countries = store.search(warehouse, q.strip())
        if len(countries) == 1:
            return RedirectResponse(f"/countries/{countries[0].code}", status_code=303)
    return HTMLResponse(render("countries.html.j2", request, countries=countries, q=q, active="countries"))


# ---- accuracy ------------------------------------------------------------------------------------------------

def _score_section(period: str, sample: str | None) -> str:
    """A heading for pooled scores: the period, and the sample unless it is every state."""
    return period if sample in (None, "all") else f"{period}, {SAMPLES[sample].label}"


def accuracy_html(store: Store, request: Request) -> str:
    from coupwatch.web import api

    payload = api.accuracy_payload(store)
    first, last = (int(y) for y in payload["headline_period"].split("-"))
    per_year = pd.DataFrame(payload["per_year"])
    ablation = payload["ablation"]
    specs = dashboard.accuracy_specs(store.backtest(), per_year, (first, last),
                                  pd.DataFrame(ablation["rows"]) if ablation else None, payload["headline_sample"])
    headline_section = _score_section(payload["headline_period"], payload["headline_sample"])
    pooled = [{**row, "section": _score_section(row["period"], row.get("sample"))} for row in payload["pooled"]]
    pooled.sort(key=lambda r: (r["section"], r["model"] != payload["main_model"], r["model"]))
    periods = sorted(dict.fromkeys(r["section"] for r in pooled),
                     key=lambda p: (p != headline_section, p.split(",")[0] != payload["headline_period"], p))
    cases = payload["cases"]
    return render("accuracy.html.j2", request, accuracy=payload, pooled=pooled, periods=periods, specs=specs,
                  cases=cases, in_top20=sum(1 for c in cases if c["rank"] is not None and c["rank"] <= 20),
                  active="accuracy")


@router.get("/accuracy", response_class=HTMLResponse)
def accuracy_page(request: Request, store: StoreDep) -> HTMLResponse:
    key = ("accuracy_page", file_stamps(store.metrics_path, store.predictions_path, store.ablation_file))
    return HTMLResponse(store.memo.get(key, lambda: accuracy_html(store, request)))


# ---- sources and docs -----------------------------------------------------------------------------------------

@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, store: StoreDep, warehouse: WarehouseDep) -> HTMLResponse:
    def build() -> str:
        items = store.sources(warehouse)
        built = store.build_info(warehouse)
        return render("sources.html.j2", request, sources=items, built=built, active="sources")

    return HTMLResponse(store.memo.get("sources_page", build))


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    """Swagger UI from the installed swagger-ui-py package, started by our own script (no CDN, no inline JS)."""
    return HTMLResponse(render("docs.html.j2", request, openapi_url="/openapi.json", active="docs"))


@router.get("/favicon.ico")
def favicon() -> RedirectResponse:
    return RedirectResponse("/assets/favicon.svg", status_code=308)
