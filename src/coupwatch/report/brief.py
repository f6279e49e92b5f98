"""Country briefs and the regional comparison as HTML and PDF: the I/O edge.

Loads what a brief needs (warehouse panel and tables, provenance, the saved backtest's out-of-sample
predictions and the saved watchlist), lets :mod:`coupwatch.report.content` assemble the content,
renders it with Jinja2 into one self-contained HTML file (charts inline as SVG, CSS inline, nothing fetched
from the network) and prints it to PDF with WeasyPrint through a URL fetcher that serves local content only.

The web app calls :func:`render_brief_html` and :func:`render_brief_pdf`; the CLI calls :func:`write_brief` and
:func:`write_region`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pandas as pd
from jinja2 import Environment, PackageLoader

from coupwatch import __version__, config
from coupwatch.core.assistance import DEFAULT_BASE_YEAR
from coupwatch.errors import CoupwatchError, UnknownCountryError
from coupwatch.report.charts.render import to_svg
from coupwatch.report.content.assemble import build_country_brief, build_region_brief
from coupwatch.report.content.model import Brief, Evidence, State
from coupwatch.states import StateSystem
from coupwatch.states.regions import GROUP_WORDS, GROUPS, REGIONAL_VIEWS
from coupwatch.states.system import readable_name
from coupwatch.store.outputs import OutputCorruptError, SavedFolder, write_bytes, write_failure, write_text
from coupwatch.store.reader import MissingTableError, Warehouse
from coupwatch.store.saved import BACKTEST, MAIN_MODEL, backtest_dir, forecast_dir, load_forecast

OUTCOME = "attempt"
PEER_COUNT = 4


# ---------------------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------------------


def lookup_state(states: StateSystem, identifier: str, argument: str = "ISO3") -> int:
    """The GW code for a user's identifier; unknown ones raise with close matches, naming the argument."""
    try:
        return states.lookup(identifier)
    except UnknownCountryError as exc:
        raise UnknownCountryError(f"{argument}: {exc}") from None


def require_exists(states: StateSystem, gwcode: int, year: int, identifier: str, argument: str = "--year") -> None:
    """Fail when the state did not exist in ``year``, listing close matches that did."""
    try:
        states.require_exists(gwcode, year)
    except UnknownCountryError as exc:
        matches = ", ".join(states.close_matches(identifier, year=year, exclude=gwcode)) or "none"
        raise UnknownCountryError(f"{argument} {year}: {exc}. Close matches that existed in {year}: "
                                  f"{matches}") from None


def _state(states: StateSystem, gwcode: int) -> State:
    row = states.countries[states.countries["gwcode"] == gwcode].iloc[0]
    code = row["iso3"] if isinstance(row["iso3"], str) and row["iso3"] else str(row["gwc"])
    return State(int(gwcode), str(code), readable_name(str(row["name"])))


def _panel_years(warehouse: Warehouse) -> tuple[int, int, int]:
    """First and last panel year, and the last year with observed coup data (the default brief year)."""
    first, last = warehouse.panel_years()
    observed = warehouse.last_coup_data_year()
    return first, last, observed if observed is not None else last


def _check_year(year: int, first: int, last: int) -> None:
    if not first <= year <= last:
        raise CoupwatchError(f"--year {year} is outside the warehouse panel's years {first}-{last}. "
                             f"Fix: pick a year in {first}-{last}")


def default_peers(states: StateSystem, focus: State, year: int, population: pd.DataFrame
                  ) -> tuple[list[int], str]:
    """Peers for a country brief: the other members of its group (the Sahel's G5 for Mali), else up to four
    states of its UN subregion closest in population in ``year`` (or the latest year before)."""
    for name, members in GROUPS.items():
        if focus.code in members:
            codes = [states.lookup(m) for m in members if m != focus.code]
            alive = [c for c in codes if states.exists(c, year)]
            if alive:
                return alive, f"the other {GROUP_WORDS.get(name, name.replace('_', ' '))} states"
    countries = states.countries
    row = countries[countries["gwcode"] == focus.gwcode].iloc[0]
    same = countries[(countries["subregion"] == row["subregion"]) & (countries["gwcode"] != focus.gwcode)]
    alive = [int(c) for c in same["gwcode"] if states.exists(int(c), year)]
    if not alive:
        return [], f"no other state of {row['subregion']} existed in {year}"
    sizes = population.dropna(subset=["population"]).sort_values("year").groupby("gwcode")["population"].last()
    own = sizes.get(focus.gwcode)
    if own is None:
        chosen = sorted(alive)[:PEER_COUNT]
        return chosen, f"states of {row['subregion']} (no population figure to match on)"
    chosen = sorted(alive, key=lambda c: abs(float(sizes.get(c, float("inf"))) - float(own)))[:PEER_COUNT]
    return chosen, f"states of {row['subregion']} closest in population"


# ---------------------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------------------


def _events(warehouse: Warehouse, codes: Sequence[int], focus: int | None) -> dict[str, pd.DataFrame]:
    leaders_for = [focus] if focus is not None else []
    return {
        "coup_events": warehouse.table("pt_events", codes),
        "cdp_events": warehouse.table("cdp_events", codes),
        "reign_leaders": warehouse.table("reign_leaders", leaders_for),
        "archigos_leaders": warehouse.table("archigos_leaders", leaders_for),
        "greenbook_military": warehouse.us_military_obligations(codes),
        "cbj_accounts": warehouse.budget_request_accounts(codes),
        "conflicts": warehouse.conflicts(codes),
    }


@dataclass
class _Saved:
    watchlist: pd.DataFrame | None
    forecast_note: str
    predictions: pd.DataFrame | None
    backtest_note: str
    backtest_period: str


def _saved_runs(target: int, compute_forecast: bool) -> _Saved:
    """The saved watchlist for ``target`` (computed and saved when missing and allowed) and the backtest."""
    folder = backtest_dir()
    predictions, backtest_note, period = None, "", ""
    file = folder / "predictions.parquet"
    if file.exists():
        saved = SavedFolder.open(folder, BACKTEST)
        frame = pd.read_parquet(io.BytesIO(saved.read(file.name)),
                                filters=[("model", "==", MAIN_MODEL), ("outcome", "==", OUTCOME)])
        predictions = frame.dropna(subset=["p"])
        if saved.has("metrics.json"):
            settings = json.loads(saved.read("metrics.json")).get("settings", {})
            period = f"{settings.get('first_test_year')}–{settings.get('last_test_year')}"
        elif len(predictions):
            period = f"{int(predictions['year'].min())}–{int(predictions['year'].max())}"
    else:
        backtest_note = f"No saved backtest in {folder}. Fix: run `coupwatch backtest`."
    watchlist: pd.DataFrame | None
    try:
        watchlist = load_forecast(target, outcome=OUTCOME, model=MAIN_MODEL)
    except OutputCorruptError:
        raise  # a damaged forecast is reported, not silently recomputed
    except CoupwatchError:
        watchlist = None
    note = f"Saved forecast for {target} ({MAIN_MODEL})."
    if watchlist is None:
        missing = f"{forecast_dir()}: no saved forecast for {target}"
        if not compute_forecast:
            note = f"{missing}. Fix: run `coupwatch forecast --year {target}`."
        elif predictions is None:
            note = f"{missing} and no saved backtest to make one. Fix: run `coupwatch backtest` then " \
                   f"`coupwatch forecast --year {target}`."
        else:
            from coupwatch.app.forecast import run_and_save_forecast

            try:
                watchlist, path = run_and_save_forecast(target, model=MAIN_MODEL, outcome=OUTCOME)
                note = f"Forecast for {target} computed for this brief and saved to {path}."
            except (CoupwatchError, ValueError) as exc:
                note = f"No forecast for {target} could be made: {exc}."
    return _Saved(watchlist, note, predictions, backtest_note, period)


# The answer only changes with the warehouse or the claims file, so it is kept per version of both.
_CLAIMS_CACHE: dict[tuple[object, ...], pd.DataFrame] = {}


def claims_about(warehouse: Warehouse, code: str) -> tuple[pd.DataFrame | None, str]:
    """The claims table of ``coupwatch claims CODE`` (same checks, reading only the states the claims name)."""
    from coupwatch.app.analysis import check_claims
    from coupwatch.core import claims

    chosen = claims.claims_for(claims.load_claims(), code)
    if not chosen:
        return None, f"The packaged claims file ({claims.packaged_path()}) has none about {code}."
    path, packaged = config.warehouse_path(), Path(claims.packaged_path())
    key = (code, str(path.resolve()), path.stat().st_mtime_ns, packaged.stat().st_mtime_ns)
    if key not in _CLAIMS_CACHE:
        states = _states(warehouse)
        named = {states.lookup(c) for claim in chosen for c in claim.countries()}
        # Only the named states' rows are read: the indicators come out the same in half the time.
        source = warehouse.source(sorted(named), states)
        if len(_CLAIMS_CACHE) > 64:
            _CLAIMS_CACHE.clear()
        _CLAIMS_CACHE[key] = check_claims(chosen, source, warehouse.provenance())
    return _CLAIMS_CACHE[key].copy(), ""


def _evidence(warehouse: Warehouse, codes: Sequence[int], focus: int | None, year: int, base_year: int,
              saved: _Saved, claims: tuple[pd.DataFrame | None, str]) -> Evidence:
    panel = warehouse.panel_rows(codes, last_year=year)
    events = _events(warehouse, codes, focus)
    built = warehouse.build_info().get("built_at")
    return Evidence(
        year=year, base_year=base_year, panel=panel, column_docs=warehouse.column_docs(), **events,
        provenance=warehouse.provenance(), sources=warehouse.table("sources"),
        coverage_ends=warehouse.event_coverage_ends(),
        watchlist=saved.watchlist, forecast_note=saved.forecast_note, predictions=saved.predictions,
        backtest_note=saved.backtest_note, backtest_period=saved.backtest_period, model=MAIN_MODEL,
        claims=claims[0], claims_note=claims[1], built_at=str(built) if built is not None else "",
        scenarios=None, scenarios_note="", scenario_refits=0,  # set by country_brief when it runs them
        generated_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), support=_support(warehouse, codes),
    )


def _support(warehouse: Warehouse, codes: Sequence[int]) -> pd.DataFrame | None:
    """The donor x recipient x year rows of the brief's states (None from a warehouse built without them)."""
    try:
        return warehouse.table("support_by_donor", codes)
    except MissingTableError:
        return None


_STATES_CACHE: dict[tuple[object, ...], StateSystem] = {}


def _states(warehouse: Warehouse) -> StateSystem:
    """The warehouse's state system, built once per warehouse file version (it takes a tenth of a second)."""
    path = config.warehouse_path()
    key = (str(path.resolve()), path.stat().st_mtime_ns)
    if key not in _STATES_CACHE:
        _STATES_CACHE.clear()
        _STATES_CACHE[key] = warehouse.states()
    return _STATES_CACHE[key]


def resolve_base_year(base_year: int | None, year: int, first: int | None = None) -> int:
    """The base year for changes: 2012 by default (ten years before ``year`` when 2012 is not before it); a given
    one must lie in the panel (from ``first``) and before ``year``."""
    if base_year is None:
        return DEFAULT_BASE_YEAR if year > DEFAULT_BASE_YEAR else year - 10
    if base_year >= year:
        raise CoupwatchError(f"--base-year {base_year} is not before --year {year}. Fix: pick a base year before "
                             f"{year} (changes are measured from it)")
    if first is not None and base_year < first:
        raise CoupwatchError(f"--base-year {base_year} is before the warehouse panel's first year {first}. Fix: pick "
                             f"a base year in {first}-{year - 1}")
    return int(base_year)


def country_brief(iso3: str, year: int | None = None, peers: Sequence[str] | None = None, *,
                  base_year: int | None = None, compute_forecast: bool = True) -> Brief:
    """The content of a country brief, from the warehouse and the saved backtest and forecast."""
    if not str(iso3 or "").strip():
        raise UnknownCountryError("ISO3: no country given. Fix: pass an ISO3 code such as MLI")
    with Warehouse() as warehouse:
        states = _states(warehouse)
        gwcode = lookup_state(states, iso3, "ISO3")
        first, last, observed = _panel_years(warehouse)
        year = observed if year is None else int(year)
        _check_year(year, first, last)
        require_exists(states, gwcode, year, iso3)
        base = resolve_base_year(base_year, year, first)
        focus = _state(states, gwcode)
        if peers is None:
            population = warehouse.panel_rows(last_year=year, columns=["gwcode", "year", "population"])
            peer_codes, basis = default_peers(states, focus, year, population)
        else:
            peer_codes = []
            for peer in peers:
                code = lookup_state(states, peer, "--peers")
                require_exists(states, code, year, peer, argument=f"--peers {peer} in")
                if code != gwcode and code not in peer_codes:
                    peer_codes.append(code)
            basis = "chosen by the user"
        peer_states = [_state(states, c) for c in peer_codes]
        saved = _saved_runs(year + 1, compute_forecast)
        claims = claims_about(warehouse, focus.code)
        evidence = _evidence(warehouse, [gwcode, *peer_codes], gwcode, year, base, saved, claims)
    if saved.watchlist is not None and saved.predictions is not None:
        evidence.scenarios, evidence.scenarios_note, evidence.scenario_refits = scenario_results(gwcode, year + 1)
    else:
        evidence.scenarios_note = "no saved forecast and backtest to run scenarios on"
    return build_country_brief(evidence, focus, peer_states, basis)


_SCENARIO_CACHE: dict[tuple[object, ...], tuple[pd.DataFrame | None, str, int]] = {}


def scenario_results(gwcode: int, target: int) -> tuple[pd.DataFrame | None, str, int]:
    """The packaged scenarios (coupwatch/data/scenarios.toml) for one state, through the one scenario engine with
    the forecast's refit count and saved refits; a note for scenarios that could not apply."""
    from coupwatch.app.backtest import load_backtest, load_features, load_panel
    from coupwatch.core.refits import REFITS
    from coupwatch.core.scenarios.score import run_scenarios
    from coupwatch.store.refit_cache import DiskRefitStore
    from coupwatch.store.scenario_files import packaged_scenarios

    stamps = tuple(p.stat().st_mtime_ns if p.exists() else 0
                   for p in (config.warehouse_path(), backtest_dir() / "predictions.parquet"))
    key = (gwcode, target, str(config.warehouse_path().resolve()), stamps)
    if key not in _SCENARIO_CACHE:
        chosen = packaged_scenarios()
        descriptions = {s.name: s.description for s in chosen}
        panel = load_panel()
        try:
            result = run_scenarios(panel, load_backtest(), chosen, [gwcode], target, features=load_features(panel),
                                   strict=False, store=DiskRefitStore())
        except CoupwatchError as error:
            return None, str(error), 0
        summary = result.summary.assign(description=result.summary["scenario"].map(descriptions)) \
            if not result.summary.empty else None
        # A reason reads "<change> for MLI 2026: why. Fix: ..."; the brief keeps the why.
        note = "; ".join(f"{row.scenario} ({str(row.reason).split(f' {target}: ', 1)[-1].split('. Fix:')[0]})"
                         for row in result.skipped.itertuples())
        if len(_SCENARIO_CACHE) > 16:
            _SCENARIO_CACHE.clear()
        _SCENARIO_CACHE[key] = (summary, f"Not applied: {note}" if note else "", REFITS)
    return _SCENARIO_CACHE[key]


def _region_key(region: str) -> str:
    """A region view's key as users may type it (``Sahel``, ``west-africa``)."""
    return str(region).strip().lower().replace("-", "_")


def region_brief(region: str, year: int | None = None, *, base_year: int | None = None,
                 compute_forecast: bool = True) -> Brief:
    """The content of a regional comparison (``sahel``: the G5 Sahel with the coastal watch)."""
    key = _region_key(region)
    if key not in REGIONAL_VIEWS:
        raise CoupwatchError(f"--region {region!r} is not one of: {', '.join(REGIONAL_VIEWS)}")
    with Warehouse() as warehouse:
        states = _states(warehouse)
        first, last, observed = _panel_years(warehouse)
        year = observed if year is None else int(year)
        _check_year(year, first, last)
        base = resolve_base_year(base_year, year, first)
        groups: dict[str, list[State]] = {}
        for label, group in REGIONAL_VIEWS[key].groups:
            codes = [states.lookup(code) for code in GROUPS[group]]
            groups[label] = [_state(states, c) for c in codes if states.exists(c, year)]
        codes = [s.gwcode for members in groups.values() for s in members]
        saved = _saved_runs(year + 1, compute_forecast)
        evidence = _evidence(warehouse, codes, None, year, base, saved, (None, ""))
    dashed = [label for label, _ in REGIONAL_VIEWS[key].groups[1:]]
    return build_region_brief(evidence, f"{REGIONAL_VIEWS[key].title}: coup risk, military burden and "
                                      "security assistance compared", groups, dashed)


# ---------------------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------------------


@cache
def _environment() -> Environment:
    # Escape everything: names, claims and notes come from data files; only the charts' SVG is marked safe.
    return Environment(loader=PackageLoader("coupwatch.report", "templates"), autoescape=True,
                       trim_blocks=True, lstrip_blocks=True)


_ID = re.compile(r'\bid="([^"]+)"')


def namespaced_svg(svg: str, prefix: str) -> str:
    """Prefix the ids inside an SVG so that several charts inline in one page do not share clip paths."""
    ids = set(_ID.findall(svg))
    for name in sorted(ids, key=len, reverse=True):
        svg = svg.replace(f'id="{name}"', f'id="{prefix}-{name}"')
        svg = svg.replace(f"url(#{name})", f"url(#{prefix}-{name})")
        svg = svg.replace(f'href="#{name}"', f'href="#{prefix}-{name}"')
    return svg


def render_html(brief: Brief) -> str:
    """One self-contained HTML page: CSS inline, every chart inline as SVG."""
    svgs: dict[str, str] = {}
    for section in brief.sections:
        for chart in section.charts:
            key = f"{section.key}-{chart.name}"
            svgs[key] = namespaced_svg(to_svg(chart.chart, validate=False), key)
    return _environment().get_template("brief.html.j2").render(brief=brief, svgs=svgs, version=__version__)


@cache
def _local_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Serves ``data:`` URLs and files inside ``root``; refuses http, https, ftp and other files.

        Refused URLs are kept in ``refused`` so callers and tests can see that nothing left the machine.
        """

        def __init__(self, root: Path | None) -> None:
            super().__init__(allowed_protocols=("data", "file"), fail_on_errors=False)
            self.root = root.resolve() if root is not None else None
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and self.root is not None:
                path = Path(unquote(urlparse(url).path)).resolve()
                if path.is_relative_to(self.root):
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"{url}: briefs load local content only (data: URLs and files in {self.root})")

    return LocalOnlyFetcher


def local_only_fetcher(root: Path | None = None) -> Any:
    """A WeasyPrint URL fetcher for ``data:`` URLs and files inside ``root`` only (see ``.refused``)."""
    return _local_fetcher_class()(root)


def html_to_pdf(html: str, root: Path | None = None, fetcher: Any = None) -> bytes:
    """Print brief HTML to PDF (A4, from the page's @page rules) without touching the network."""
    from weasyprint import HTML

    fetcher = fetcher if fetcher is not None else local_only_fetcher(root)
    base = root.resolve().as_uri() + "/" if root is not None else None
    return bytes(HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf())


def render_brief_html(iso3: str, year: int | None = None, peers: list[str] | None = None, *,
                      base_year: int | None = None, compute_forecast: bool = True) -> str:
    """The country brief as one self-contained HTML page."""
    return render_html(country_brief(iso3, year, peers, base_year=base_year, compute_forecast=compute_forecast))


def render_brief_pdf(iso3: str, year: int | None = None, peers: list[str] | None = None, *,
                     base_year: int | None = None, compute_forecast: bool = True) -> bytes:
    """The country brief as an A4 PDF."""
    return html_to_pdf(render_brief_html(iso3, year, peers, base_year=base_year, compute_forecast=compute_forecast))


def render_region_html(region: str, year: int | None = None, *, base_year: int | None = None,
                       compute_forecast: bool = True) -> str:
    """The regional comparison (e.g. ``sahel``) as one self-contained HTML page."""
    return render_html(region_brief(region, year, base_year=base_year, compute_forecast=compute_forecast))


def _write(brief: Brief, name: str, out: Path, pdf: bool) -> list[Path]:
    """Write the brief (and its PDF) into ``out``, each file whole or not at all."""
    html = render_html(brief)
    rerun = "`coupwatch brief`"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_failure(out, exc, rerun) from exc
    written = [write_text(out / f"{name}.html", html, rerun=rerun)]
    if pdf:
        written.append(write_bytes(out / f"{name}.pdf", html_to_pdf(html, root=out), rerun=rerun))
    return written


def write_brief(iso3: str, year: int | None = None, peers: list[str] | None = None, *, out: Path = Path("."),
                pdf: bool = False, base_year: int | None = None) -> list[Path]:
    """Write brief-<ISO3>-<year>.html (and .pdf) into ``out``; returns the paths written."""
    brief = country_brief(iso3, year, peers, base_year=base_year)
    return _write(brief, f"brief-{brief.states[0].code}-{brief.year}", out, pdf)


def write_region(region: str, year: int | None = None, *, out: Path = Path("."), pdf: bool = False,
                 base_year: int | None = None) -> list[Path]:
    """Write region-<region>-<year>.html (and .pdf) into ``out``; returns the paths written."""
    brief = region_brief(region, year, base_year=base_year)
    return _write(brief, f"region-{_region_key(region)}-{brief.year}", out, pdf)
