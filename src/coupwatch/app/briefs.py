"""A brief's evidence: the warehouse rows, saved backtest and forecast, claims and scenarios it reads.

The application side of the briefs: reads the warehouse through the store's reader, reads the saved runs (making
and saving the forecast when a brief asks for one that is missing), checks the claims and runs the packaged
scenarios through the one scenario engine. :mod:`coupwatch.report.content` turns the evidence into a brief and
:mod:`coupwatch.report.brief` renders it; neither reads a file.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import SupportsInt, cast

import numpy as np
import pandas as pd

from coupwatch import config
from coupwatch.core.assistance import DEFAULT_BASE_YEAR
from coupwatch.errors import CoupwatchError, UnknownCountryError
from coupwatch.states import StateSystem
from coupwatch.states.regions import GROUP_WORDS, GROUPS, REGIONAL_VIEWS
from coupwatch.states.system import readable_name
from coupwatch.store.brief_cache import brief_dependencies, cache_folder, read_cached, write_cached
from coupwatch.store.file_versions import file_version
from coupwatch.store.outputs import OutputCorruptError, SavedFolder
from coupwatch.store.reader import MissingTableError, Warehouse
from coupwatch.store.saved import BACKTEST, MAIN_MODEL, METRICS_FILE, backtest_dir, forecast_dir, load_forecast
from coupwatch.store.schemas import BacktestMetrics


@dataclass(frozen=True)
class State:
    """A Gleditsch-Ward state as a brief names it (``code`` is the ISO3 code, else the G&W letter code)."""

    gwcode: int
    code: str
    name: str



@dataclass
class Evidence:
    """Everything a brief reads, as frames. Gathered by :func:`country_evidence` and
    :func:`region_evidence`.

    ``panel`` holds country-year rows of every state in the brief up to ``year``; the event tables hold
    the rows of those states only; ``coverage_ends`` gives the last date each event source covers.
    """

    year: int
    base_year: int
    panel: pd.DataFrame
    column_docs: pd.DataFrame
    coup_events: pd.DataFrame
    cdp_events: pd.DataFrame
    reign_leaders: pd.DataFrame
    archigos_leaders: pd.DataFrame
    conflicts: pd.DataFrame
    provenance: pd.DataFrame
    sources: pd.DataFrame
    coverage_ends: Mapping[str, pd.Timestamp]
    watchlist: pd.DataFrame | None = None
    forecast_note: str = ""
    predictions: pd.DataFrame | None = None
    backtest_note: str = ""
    backtest_period: str = ""
    model: str = "ensemble"
    claims: pd.DataFrame | None = None
    claims_note: str = ""
    cbj_accounts: pd.DataFrame | None = None  # State Department budget tables by account (IMET, FMF, PKO ...)
    greenbook_military: pd.DataFrame | None = None  # Greenbook military obligations by year and program
    scenarios: pd.DataFrame | None = None  # the packaged scenarios' summary for the focus state
    scenarios_note: str = ""
    scenario_refits: int = 0
    built_at: str = ""
    generated_at: str = ""
    # The warehouse's support_by_donor rows of the brief's states (coupwatch.core.donors), when built.
    support: pd.DataFrame | None = None
    values: PanelValues = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.values = PanelValues(self.panel)


class PanelValues:
    """The panel's columns per state as float series indexed by year, split and converted once."""

    def __init__(self, panel: pd.DataFrame) -> None:
        self.panel = panel
        # gwcode is an integer column; the stubs type a group key as any scalar.
        self._rows = ({int(cast(SupportsInt, code)): rows for code, rows in panel.groupby("gwcode")}
                      if len(panel) else {})
        self._cache: dict[tuple[int, str], pd.Series] = {}

    def series(self, gwcode: int, column: str) -> pd.Series:
        key = (gwcode, column)
        if key not in self._cache:
            rows = self._rows.get(gwcode)
            if rows is None or column not in rows.columns:
                self._cache[key] = pd.Series(dtype=float)
            else:
                numbers = pd.to_numeric(rows[column], errors="coerce").astype("Float64")
                values = numbers.to_numpy(dtype=float, na_value=np.nan)
                self._cache[key] = pd.Series(values, index=rows["year"].astype(int).to_numpy()).dropna().sort_index()
        return self._cache[key]


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
        if saved.has(METRICS_FILE):
            settings = saved.document(METRICS_FILE, BacktestMetrics).settings
            period = f"{settings.first_test_year}–{settings.last_test_year}"
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
    from coupwatch.core import claims

    chosen = claims.claims_for(claims.load_claims(), code)
    if not chosen:
        return None, f"The packaged claims file ({claims.packaged_path()}) has none about {code}."
    path, packaged = config.warehouse_path(), Path(claims.packaged_path())
    key = (code, file_version(path), file_version(packaged))
    if key not in _CLAIMS_CACHE:
        folder = cache_folder("brief-claims", code, [packaged.read_text(encoding="utf-8")])
        cached = read_cached(folder)
        if cached is not None and cached[0] is not None:
            checked = cached[0]
        else:
            states = _states(warehouse)
            named = {states.lookup(c) for claim in chosen for c in claim.countries()}
            # Only the named states' rows are read: the indicators come out the same in half the time.
            source = warehouse.source(sorted(named), states)
            from coupwatch.app.analysis import check_claims

            checked = check_claims(chosen, source, warehouse.provenance())
            write_cached(folder, checked)
        if len(_CLAIMS_CACHE) > 64:
            _CLAIMS_CACHE.clear()
        _CLAIMS_CACHE[key] = checked
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
    key = (file_version(path),)
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


@dataclass
class CountryEvidence:
    """What a country brief reads: the evidence, the country it is about and its peers (and why those)."""

    evidence: Evidence
    focus: State
    peers: list[State]
    peers_basis: str


@dataclass
class RegionEvidence:
    """What a regional comparison reads: the evidence and the states of each group, in display order."""

    evidence: Evidence
    title: str
    groups: dict[str, list[State]]
    dashed_groups: list[str]


def country_evidence(iso3: str, year: int | None = None, peers: Sequence[str] | None = None, *,
                     base_year: int | None = None, compute_forecast: bool = True) -> CountryEvidence:
    """The evidence of a country brief, from the warehouse and the saved backtest and forecast (the forecast
    made and saved first when it is missing and ``compute_forecast``)."""
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
    return CountryEvidence(evidence, focus, peer_states, basis)


_SCENARIO_CACHE: dict[tuple[object, ...], tuple[pd.DataFrame | None, str, int]] = {}


def scenario_results(gwcode: int, target: int) -> tuple[pd.DataFrame | None, str, int]:
    """The packaged scenarios (coupwatch/data/scenarios.toml) for one state, through the one scenario engine with
    the forecast's refit count and saved refits; a note for scenarios that could not apply.

    Results are kept in memory and on disk (see :mod:`coupwatch.store.brief_cache`): a brief from the same files reads
    them back without importing the models."""
    key = (gwcode, target, repr(brief_dependencies()))
    if key not in _SCENARIO_CACHE:
        saved = _saved_scenarios(gwcode, target)
        if saved is None:
            saved = _computed_scenarios(gwcode, target)
            if saved[0] is None and saved[2] == 0:
                return saved  # the engine refused: say why, keep nothing
            _save_scenarios(gwcode, target, saved)
        if len(_SCENARIO_CACHE) > 16:
            _SCENARIO_CACHE.clear()
        _SCENARIO_CACHE[key] = saved
    return _SCENARIO_CACHE[key]


def _computed_scenarios(gwcode: int, target: int) -> tuple[pd.DataFrame | None, str, int]:
    from coupwatch.app.backtest import load_backtest, load_features, load_panel
    from coupwatch.core.refits import REFITS
    from coupwatch.core.scenarios.score import run_scenarios
    from coupwatch.store.refit_cache import DiskRefitStore
    from coupwatch.store.scenario_files import packaged_scenarios

    chosen = packaged_scenarios()
    descriptions = {s.name: s.description for s in chosen}
    panel = load_panel()
    try:
        result = run_scenarios(panel, load_backtest(), chosen, [gwcode], target, features=load_features(),
                               strict=False, store=DiskRefitStore())
    except CoupwatchError as error:
        return None, str(error), 0
    summary = result.summary.assign(description=result.summary["scenario"].map(descriptions)) \
        if not result.summary.empty else None
    # A reason reads "<change> for MLI 2026: why. Fix: ..."; the brief keeps the why.
    note = "; ".join(f"{row.scenario} ({str(row.reason).split(f' {target}: ', 1)[-1].split('. Fix:')[0]})"
                     for row in result.skipped.itertuples())
    return summary, f"Not applied: {note}" if note else "", REFITS


def _scenario_cache_folder(gwcode: int, target: int) -> Path:
    from coupwatch.core.refits import REFITS, SEED
    from coupwatch.store.scenario_files import packaged_scenarios_text

    return cache_folder("brief-scenarios", f"{gwcode}-{target}", [packaged_scenarios_text(), REFITS, SEED])


def _saved_scenarios(gwcode: int, target: int) -> tuple[pd.DataFrame | None, str, int] | None:
    """The scenario results saved by an earlier brief from the same files, or None."""
    cached = read_cached(_scenario_cache_folder(gwcode, target))
    if cached is None:
        return None
    summary, meta = cached
    return summary, str(meta["note"]), int(cast(SupportsInt, meta["refits"]))


def _save_scenarios(gwcode: int, target: int, results: tuple[pd.DataFrame | None, str, int]) -> None:
    summary, note, refits = results
    write_cached(_scenario_cache_folder(gwcode, target), summary, note=note, refits=refits)


def region_key(region: str) -> str:
    """A region view's key as users may type it (``Sahel``, ``west-africa``)."""
    return str(region).strip().lower().replace("-", "_")


def region_evidence(region: str, year: int | None = None, *, base_year: int | None = None,
                    compute_forecast: bool = True) -> RegionEvidence:
    """The evidence of a regional comparison (``sahel``: the G5 Sahel with the coastal watch)."""
    key = region_key(region)
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
    return RegionEvidence(evidence, f"{REGIONAL_VIEWS[key].title}: coup risk, military burden and security "
                          "assistance compared", groups, dashed)
