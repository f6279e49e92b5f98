"""What a country brief and the regional comparison say, assembled from frames.

Pure: frames in, a :class:`Brief` out (sections with readings, Altair charts, tables, notes on what is
missing, and the sources behind every chart). Every reading is written from the numbers computed here; a
section whose data are absent says which data are missing instead of staying blank.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, SupportsInt, cast

import altair as alt
import numpy as np
import pandas as pd

from coupwatch.core.explain import driver_sentence
from coupwatch.report.charts import brief as bc
from coupwatch.report.citations import references

# ---------------------------------------------------------------------------------------------------------
# Inputs and outputs
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """A Gleditsch-Ward state as a brief names it (``code`` is the ISO3 code, else the G&W letter code)."""

    gwcode: int
    code: str
    name: str


@dataclass
class Evidence:
    """Everything a brief reads, as frames. Built by the I/O edge (``coupwatch.report.brief``).

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


@dataclass
class ChartItem:
    """A chart, the marks it must draw, the warehouse tables it shows and its caption (set at numbering)."""

    name: str
    chart: alt.TopLevelMixin
    marks: tuple[str, ...]
    tables: tuple[str, ...]
    note: str = ""
    caption: str = ""


@dataclass
class TableItem:
    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]


@dataclass
class Section:
    key: str
    title: str
    reading: str
    charts: list[ChartItem] = field(default_factory=list)
    tables: list[TableItem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    tables_used: list[str] = field(default_factory=list)


@dataclass
class Reference:
    number: int
    source: str
    title: str
    publisher: str
    version: str
    licence: str
    citations: list[str]
    tables: list[dict[str, Any]]


@dataclass
class KeyFigure:
    label: str
    value: str
    note: str = ""


@dataclass
class Brief:
    kind: str
    title: str
    subtitle: str
    year: int
    key_figures: list[KeyFigure]
    sections: list[Section]
    references: list[Reference]
    generated_at: str
    states: list[State]


# ---------------------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------------------

NOT_AVAILABLE = "Not available in the data at hand"


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(math.isnan(float(value)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def probability(p: float) -> str:
    return "n/a" if is_missing(p) else (f"{p:.2%}" if p < 0.01 else f"{p:.1%}")


def percent(value: float, digits: int = 2) -> str:
    return "n/a" if is_missing(value) else f"{value:.{digits}f}%"


def points(delta: float, digits: int = 2, unit: str = "points") -> str:
    if is_missing(delta):
        return "n/a"
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    return f"{sign}{abs(delta):.{digits}f} {unit}".strip()


def usd(value: float) -> str:
    if is_missing(value):
        return "n/a"
    magnitude = abs(value)
    sign = "−" if value < 0 else ""
    if magnitude >= 1e9:
        return f"{sign}${magnitude / 1e9:.2f} billion"
    if magnitude >= 1e6:
        return f"{sign}${magnitude / 1e6:.1f} million"
    if magnitude >= 1e3:
        return f"{sign}${magnitude / 1e3:,.0f} thousand"
    return f"{sign}${magnitude:,.0f}"


def change_points(change: float) -> str:
    """A change of probability (0-1) in percentage points, with two decimals when it is below 0.1."""
    if is_missing(change):
        return "n/a"
    return points(change * 100, 1 if abs(change) >= 0.00095 else 2, "pts")


def index(value: float, digits: int = 2) -> str:
    return "n/a" if is_missing(value) else f"{value:.{digits}f}"


def count(value: float) -> str:
    return "n/a" if is_missing(value) else f"{value:,.0f}"


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def day(date: pd.Timestamp) -> str:
    return f"{date.day} {date.strftime('%B %Y')}"


def words(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def plural(number: int, singular: str, many: str | None = None) -> str:
    return f"{number} {singular if number == 1 else (many or singular + 's')}"


# ---------------------------------------------------------------------------------------------------------
# Frame helpers
# ---------------------------------------------------------------------------------------------------------


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


def series(values: PanelValues, gwcode: int, column: str, first: int | None = None,
           last: int | None = None) -> pd.Series:
    """A column of one state as floats indexed by year (gaps dropped), optionally cut to first..last."""
    out = values.series(gwcode, column)
    if first is not None or last is not None:
        out = out[(out.index >= (first if first is not None else -10_000))
                  & (out.index <= (last if last is not None else 10_000))]
    return out


def value_in(panel: PanelValues, gwcode: int, column: str, year: int) -> float:
    values = series(panel, gwcode, column, year, year)
    return float(values.iloc[0]) if len(values) else math.nan


def latest(values: pd.Series) -> tuple[int, float] | None:
    return (int(values.index[-1]), float(values.iloc[-1])) if len(values) else None


def long_frame(panel: PanelValues, states: Sequence[State], column: str, first: int, last: int) -> pd.DataFrame:
    """year, series (state name), value for ``column`` over the states."""
    parts = []
    for state in states:
        values = series(panel, state.gwcode, column, first, last)
        if len(values):
            parts.append(pd.DataFrame({"year": values.index, "series": state.name, "value": values.to_numpy()}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["year", "series", "value"])


def line_marks(frame: pd.DataFrame) -> tuple[str, ...]:
    """The marks :func:`brief_charts.lines` draws for a frame: points too when there are few series."""
    return ("line", "symbol") if frame["series"].nunique() <= 5 else ("line",)


def column_sources(docs: pd.DataFrame, columns: Iterable[str]) -> list[str]:
    by_name = docs.set_index("name")["source"] if len(docs) else pd.Series(dtype=str)
    return list(dict.fromkeys(str(by_name[c]) for c in columns if c in by_name.index))


# ---------------------------------------------------------------------------------------------------------
# Scope: who the brief is about
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The states of a brief in display order; ``focus`` is the country a country brief is about."""

    states: tuple[State, ...]
    focus: State | None
    groups: Mapping[int, str]
    dashed_groups: frozenset[str] = frozenset()

    @property
    def others(self) -> list[State]:
        return [s for s in self.states if self.focus is None or s.gwcode != self.focus.gwcode]

    def dashed(self) -> list[str]:
        return [s.name for s in self.states if self.groups.get(s.gwcode) in self.dashed_groups]

    def group_of(self, state: State) -> str:
        return self.groups.get(state.gwcode, "")


# ---------------------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------------------


def _watch_row(evidence: Evidence, state: State) -> pd.Series | None:
    watchlist = evidence.watchlist
    if watchlist is None:
        return None
    rows = watchlist[watchlist["gwcode"] == state.gwcode]
    return rows.iloc[0] if len(rows) else None


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (IMET, GDP, WGI)."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() or any(c.isupper() for c in first[1:]) else text[:1].lower() + text[1:]


def _driver_value(value: object) -> str:
    return "missing" if is_missing(value) else f"{float(value):.3g}"  # type: ignore[arg-type]


def headline_section(evidence: Evidence, scope: Scope) -> Section:
    target = evidence.year + 1
    section = Section("headline", f"Headline: risk of a coup attempt in {target}", "",
                      tables_used=["pt_country_year"])
    watchlist = evidence.watchlist
    if watchlist is None or watchlist.empty:
        section.reading = (f"No forecast for {target} is available, so this brief cannot state a current risk. "
                           f"{evidence.forecast_note}")
        section.missing.append(f"{NOT_AVAILABLE}: a saved forecast for {target}. {evidence.forecast_note}")
        return section
    total = len(watchlist)
    median = float(watchlist["p"].median())
    rows = []
    for state in scope.states:
        row = _watch_row(evidence, state)
        if row is not None:
            rows.append({"label": state.name, "p": float(row["p"]), "p_low": float(row["p_low"]),
                         "p_high": float(row["p_high"]), "group": scope.group_of(state),
                         "rank": int(row["rank"]), "change": float(row["change"]),
                         "p_last_year": float(row["p_last_year"])})
    frame = pd.DataFrame(rows)
    missing_states = [s.name for s in scope.states if s.name not in set(frame.get("label", []))]
    if missing_states:
        section.missing.append(f"{NOT_AVAILABLE}: a {target} forecast for {words(missing_states)} (the "
                               "forecast covers states with feature rows for that year).")
    level = round(float(watchlist["interval_level"].iloc[0]) * 100) if "interval_level" in watchlist else 90
    focus = scope.focus
    if focus is not None:
        row = _watch_row(evidence, focus)
        if row is None:
            section.reading = (f"The {target} forecast covers {total} states but not {focus.name}, so no current "
                               "risk can be stated for it.")
        else:
            section.reading = _headline_reading(focus, row, total, median, target, level, frame, evidence.year)
            if isinstance(row.get("data_as_of_text"), str):  # forecasts saved before it have none
                section.reading += f" Data as of (latest year per feature group): {row['data_as_of_text']}."
            section.tables.append(_drivers_table(row, evidence.year))
    else:
        section.reading = _region_headline_reading(frame, total, median, target, scope)
    if len(frame):
        frame_sorted = frame.sort_values("p", ascending=False)
        section.tables.append(TableItem(
            f"Forecast for {target} ({evidence.model}; {level}% interval; rank among {total} states)",
            ["State", *(["Group"] if focus is None else []), "Risk", f"{level}% interval", "Rank",
             f"Change since {evidence.year}"],
            [[r["label"], *([r["group"]] if focus is None else []), probability(r["p"]),
              f"{probability(r['p_low'])}–{probability(r['p_high'])}", f"{r['rank']} of {total}",
              change_points(r["change"])] for r in frame_sorted.to_dict("records")],
            [False, *([False] if focus is None else []), True, True, True, True]))
        chart = bc.risk_intervals(frame, f"Probability of a coup attempt in {target}",
                                  focus.name if focus else None, median,
                                  subtitle=f"Point: forecast; bar: {level}% interval; dashed: median of all "
                                  f"{total} states", colour_by_group=focus is None)
        section.charts.append(ChartItem("risk", chart, ("rule", "symbol", "text"), ("pt_country_year",),
                                        note=f"Model: {evidence.model}, fitted on every year before {target}; "
                                        f"features from data to the end of {evidence.year}."))
    return section


def _headline_reading(focus: State, row: pd.Series, total: int, median: float, target: int, level: int,
                      frame: pd.DataFrame, year: int) -> str:
    p, low, high = float(row["p"]), float(row["p_low"]), float(row["p_high"])
    rank = int(row["rank"])
    parts = [f"The model puts the probability of a coup attempt in {focus.name} in {target} at {probability(p)}"]
    if not is_missing(low):
        parts[0] += f" ({level}% interval {probability(low)} to {probability(high)})"
    parts[0] += (f", about 1 in {max(1, round(1 / p))}" if p > 0 else "") + "."
    ratio = p / median if median > 0 else math.nan
    parts.append(f"That ranks {ordinal(rank)} of {total} states; the median state is at {probability(median)}"
                 + (f", so {focus.name}'s risk is {ratio:.1f} times the median." if not is_missing(ratio) else "."))
    change, last = float(row["change"]), float(row["p_last_year"])
    if not is_missing(change):
        direction = "up" if change > 0 else "down"
        size = change_points(abs(change)).lstrip("+±").replace(" pts", "")
        parts.append(f"It is {direction} {size} percentage points from the out-of-sample estimate "
                     f"for {year} ({probability(last)}).")
    drivers = row.get("drivers")
    if isinstance(drivers, list | tuple) and drivers:
        parts.append(f"What sets {focus.name} apart from other states: "
                     + " ".join(driver_sentence(d) for d in drivers)
                     + " These are associations the model learned, not proven causes.")
    others = frame[frame["label"] != focus.name]
    if len(others):
        top = others.sort_values("p", ascending=False).iloc[0]
        group_rank = int((frame["p"] > p).sum()) + 1
        parts.append(f"Among the {len(frame)} states compared here, {focus.name} ranks {ordinal(group_rank)}; the "
                     f"highest of the others is {top['label']} at {probability(float(top['p']))}.")
    return " ".join(parts)


def _region_headline_reading(frame: pd.DataFrame, total: int, median: float, target: int, scope: Scope) -> str:
    if frame.empty:
        return f"None of these states is in the {target} forecast."
    ordered = frame.sort_values("p", ascending=False)
    top = ordered.iloc[0]
    parts = [f"For {target}, {top['label']} has the highest modelled probability of a coup attempt among these "
             f"{len(frame)} states, {probability(float(top['p']))} (rank {int(top['rank'])} of {total})."]
    above = int((frame["p"] > median).sum())
    parts.append(f"{plural(above, 'of them is', 'of them are')} above the median of all states "
                 f"({probability(median)}).")
    for group, rows in frame.groupby("group", sort=False):
        parts.append(f"{group}: median {probability(float(rows['p'].median()))}, from "
                     f"{rows.sort_values('p').iloc[0]['label']} ({probability(float(rows['p'].min()))}) to "
                     f"{rows.sort_values('p').iloc[-1]['label']} ({probability(float(rows['p'].max()))}).")
    rising = frame[frame["change"] > 0]["label"].tolist()
    if rising:
        parts.append(f"Risk rose since the {target - 1} estimate for {words(rising)}.")
    return " ".join(parts)


def _drivers_table(row: pd.Series, year: int) -> TableItem:
    drivers = row.get("drivers")
    rows = []
    if isinstance(drivers, list | tuple):
        for driver in drivers:
            concept = str(driver.get("concept") or driver["description"])
            value = driver.get("shown") or _driver_value(driver["value"])
            label = str(driver.get("label") or "value")
            shift = float(driver.get("versus_median", driver["contribution"]))
            rows.append([concept[:1].upper() + concept[1:], f"{label}: {value}",
                         str(driver.get("standing") or ""), f"{driver['direction']} ({shift:+.2f})"])
    return TableItem(f"What sets the forecast apart (values known at the end of {year}; effect on the log-odds "
                     "compared with the median state)",
                     ["Concept", "Evidence", "Among all states", "Effect"], rows, [False, False, False, True])


def risk_history_section(evidence: Evidence, scope: Scope) -> Section:
    section = Section("risk-history", "Risk history: out-of-sample forecasts and actual coups", "",
                      tables_used=["pt_country_year", "pt_events"])
    predictions = evidence.predictions
    year = evidence.year
    if predictions is None or predictions.empty:
        section.reading = f"No backtest predictions are available. {evidence.backtest_note}"
        section.missing.append(f"{NOT_AVAILABLE}: out-of-sample predictions. {evidence.backtest_note}")
        return section
    predictions = predictions[predictions["year"] <= year]
    if predictions.empty:
        section.reading = (f"The saved backtest ({evidence.backtest_period}) has no out-of-sample prediction for "
                           f"{year} or earlier.")
        section.missing.append(f"{NOT_AVAILABLE}: out-of-sample predictions up to {year}; run `coupwatch backtest "
                               "--from YEAR` to cover earlier years.")
        return section
    ranks = predictions.assign(rank=predictions.groupby("year")["p"].rank(ascending=False, method="min"))
    per_year = ranks.groupby("year").agg(median=("p", "median"), states=("p", "size"))
    codes = {s.gwcode for s in scope.states}
    mine = ranks[ranks["gwcode"].isin(codes)]
    first, last = int(predictions["year"].min()), int(predictions["year"].max())
    focus = scope.focus
    names = {s.gwcode: s.name for s in scope.states}
    parts = []
    if focus is not None:
        own = mine[mine["gwcode"] == focus.gwcode].sort_values("year")
        parts.append(pd.DataFrame({"year": own["year"], "series": focus.name, "p": own["p"]}))
        peers = mine[mine["gwcode"] != focus.gwcode]
        if len(peers):
            peer_median = peers.groupby("year")["p"].median()
            parts.append(pd.DataFrame({"year": peer_median.index, "series": "Peers, median",
                                       "p": peer_median.to_numpy()}))
        parts.append(pd.DataFrame({"year": per_year.index, "series": "All states, median",
                                   "p": per_year["median"].to_numpy()}))
    else:
        for state in scope.states:
            own = mine[mine["gwcode"] == state.gwcode].sort_values("year")
            parts.append(pd.DataFrame({"year": own["year"], "series": state.name, "p": own["p"]}))
    history = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["year", "series", "p"])
    history = history.dropna(subset=["p"])
    coups = _coup_years(evidence.values, scope, first, last)
    forecast = None
    if focus is not None:
        row = _watch_row(evidence, focus)
        if row is not None:
            forecast = {"year": year + 1, "p": float(row["p"]), "p_low": float(row["p_low"]),
                        "p_high": float(row["p_high"])}
    if focus is not None and not (history["series"] == focus.name).any():
        section.reading = (f"The backtest ({evidence.backtest_period}) made no prediction for {focus.name}; "
                           "its features were missing in every test year.")
        section.missing.append(f"{NOT_AVAILABLE}: out-of-sample predictions for {focus.name}.")
        return section
    title = ("Out-of-sample probability of a coup attempt" if focus else
             "Out-of-sample probability of a coup attempt, by state")
    subtitle = (f"Each year predicted by a model fitted only on earlier years; red lines: coup attempts in "
                f"{focus.name}" if focus else "Each year predicted by a model fitted only on earlier years")
    chart_coups = coups[coups["gwcode"] == focus.gwcode] if focus is not None else coups.iloc[0:0]
    points_on = coups if focus is None else chart_coups
    coup_points = points_on.rename(columns={"state": "series"}).merge(history, on=["series", "year"])
    chart = bc.risk_history(history, chart_coups, forecast, title, focus.name if focus else "",
                            subtitle=subtitle + ("; triangles: coup attempts" if len(coup_points) else ""),
                            dashed=scope.dashed(), coup_points=coup_points)
    marks = ("line", "symbol") + (("rule",) if len(chart_coups) or forecast else ())
    section.charts.append(ChartItem("risk-history", chart, marks, ("pt_country_year",),
                                    note=f"Model: {evidence.model}; rolling-origin backtest "
                                    f"{evidence.backtest_period}."))
    if focus is not None:
        section.reading = _history_reading(focus, own, per_year, coups, evidence.backtest_period)
        observed = series(evidence.values, focus.gwcode, "pt_attempts", first, last)
        section.tables.append(TableItem(
            f"{focus.name}: out-of-sample probability and rank per year",
            ["Year", "Probability", "Rank", "Median of all states", "Coup attempts (P&T)"],
            [[str(int(year)), probability(p), f"{int(rank)} of {int(per_year.loc[year, 'states'])}",
              probability(float(per_year.loc[year, "median"])),
              count(observed.get(int(year), math.nan))]
             for year, p, rank in zip(own["year"].tolist(), own["p"].tolist(), own["rank"].tolist(), strict=True)],
            [False, True, True, True, True]))
    else:
        section.reading = _region_history_reading(mine, names, coups, evidence.backtest_period, per_year)
    return section


def _coup_years(panel: PanelValues, scope: Scope, first: int, last: int) -> pd.DataFrame:
    rows = []
    for state in scope.states:
        successes = series(panel, state.gwcode, "pt_successes", first, last)
        failures = series(panel, state.gwcode, "pt_failures", first, last)
        for year in sorted(set(successes[successes > 0].index) | set(failures[failures > 0].index)):
            kinds = []
            if successes.get(year, 0) > 0:
                kinds.append("coup")
            if failures.get(year, 0) > 0:
                kinds.append("failed attempt")
            rows.append({"gwcode": state.gwcode, "state": state.name, "year": int(year),
                         "label": f"{' + '.join(kinds)} {year}",
                         "successes": int(successes.get(year, 0)), "failures": int(failures.get(year, 0))})
    return pd.DataFrame(rows, columns=["gwcode", "state", "year", "label", "successes", "failures"])


def _history_reading(focus: State, own: pd.DataFrame, per_year: pd.DataFrame, coups: pd.DataFrame,
                     period: str) -> str:
    # By position: idxmin() is typed as any Hashable, which .loc does not take; own's labels are unique.
    low, high = own.iloc[own["p"].argmin()], own.iloc[own["p"].argmax()]
    parts = [f"In the backtest ({period}), each year's probability for {focus.name} came from a model fitted only "
             f"on earlier years. It ranged from {probability(float(low['p']))} in {int(low['year'])} to "
             f"{probability(float(high['p']))} in {int(high['year'])}."]
    above = int(sum(float(p) > float(per_year.loc[year, "median"])
                    for year, p in zip(own["year"].tolist(), own["p"].tolist(), strict=True)))
    parts.append(f"It was above the median state in {above} of {len(own)} years.")
    mine = coups[coups["gwcode"] == focus.gwcode]
    by_year = own.set_index("year")
    judged = []
    for year, label in zip(mine["year"].tolist(), mine["label"].tolist(), strict=True):
        if year in by_year.index:
            hit = by_year.loc[year]
            judged.append(f"{year} ({label.rsplit(' ', 1)[0]}): {probability(float(hit['p']))}, ranked "
                          f"{ordinal(int(hit['rank']))} of {int(per_year.loc[year, 'states'])}")
    if judged:
        in_top = sum(1 for year in mine["year"].tolist() if year in by_year.index
                     and int(by_year.loc[year, "rank"]) <= 20)
        parts.append(f"Years with a coup attempt: {'; '.join(judged)}. "
                     f"{in_top} of {len(judged)} were in the top 20 that year.")
    else:
        parts.append(f"Powell & Thyne record no coup attempt in {focus.name} in the backtest years.")
    return " ".join(parts)


def _region_history_reading(mine: pd.DataFrame, names: Mapping[int, str], coups: pd.DataFrame, period: str,
                            per_year: pd.DataFrame) -> str:
    if mine.empty:
        return "The backtest made no prediction for these states."
    parts = [f"Out-of-sample probabilities from the backtest ({period}) for {len(names)} states."]
    judged = []
    for gwcode, state, year in zip(coups["gwcode"].tolist(), coups["state"].tolist(), coups["year"].tolist(),
                                   strict=True):
        hit = mine[(mine["gwcode"] == gwcode) & (mine["year"] == year)]
        if len(hit):
            judged.append(f"{state} {year} ({probability(float(hit['p'].iloc[0]))}, ranked "
                          f"{ordinal(int(hit['rank'].iloc[0]))} of {int(per_year.loc[year, 'states'])})")
    if judged:
        parts.append(f"Coup attempts in these years and what the model said beforehand: {'; '.join(judged)}.")
    else:
        parts.append("None of these states had a coup attempt in the backtest years.")
    mean_rank = mine.groupby("gwcode")["rank"].mean().sort_values()
    parts.append(f"On average over the backtest, {names[int(mean_rank.index[0])]} ranked highest "
                 f"(mean rank {mean_rank.iloc[0]:.0f}) and {names[int(mean_rank.index[-1])]} lowest "
                 f"(mean rank {mean_rank.iloc[-1]:.0f}).")
    return " ".join(parts)


EVENT_KIND_PT = {"successful": "successful coup", "failed": "failed attempt"}
EVENT_KIND_CDP = {"coup": "successful coup", "attempted": "failed attempt", "conspiracy": "conspiracy or plot"}
ARCHIGOS_EXIT = {"Irregular": "left irregularly", "Foreign": "removed by foreign force",
                 "Still in Office": "still in office (end of data)"}


def _pt_dates(events: pd.DataFrame) -> pd.Series:
    parts = events[["year", "month", "day"]].apply(pd.to_numeric, errors="coerce")
    parts = parts.fillna({"month": 1, "day": 1}).astype(int)
    return pd.to_datetime(parts)


def timeline_section(evidence: Evidence, scope: Scope) -> Section:
    section = Section("timeline", "Coups and leaders", "",
                      tables_used=["pt_events", "cdp_events", "reign_leaders", "archigos_leaders"])
    year = evidence.year
    ends = evidence.coverage_ends
    if scope.focus is None:
        return _region_timeline(evidence, scope, section)
    focus = scope.focus
    first = max(_first_year(evidence, focus), 1950)
    window_end = pd.Timestamp(year=year, month=12, day=31)
    pt = evidence.coup_events[evidence.coup_events["gwcode"] == focus.gwcode].copy()
    pt["date"] = _pt_dates(pt) if len(pt) else pd.Series(dtype="datetime64[ns]")
    pt = pt[(pt["date"].dt.year >= first) & (pt["date"] <= window_end)]
    cdp = evidence.cdp_events[evidence.cdp_events["gwcode"] == focus.gwcode].copy()
    cdp["date"] = pd.to_datetime(cdp["event_date"])
    cdp = cdp[(cdp["date"].dt.year >= first) & (cdp["date"] <= window_end)]
    lane_pt, lane_cdp = "Coup attempts (Powell & Thyne)", "Coup events (Cline CDP)"
    lane_reign, lane_archigos = "Leaders (REIGN)", "Leaders (Archigos)"
    events = pd.concat([
        pd.DataFrame({"lane": lane_pt, "date": pt["date"], "kind": pt["outcome"].map(EVENT_KIND_PT)}),
        pd.DataFrame({"lane": lane_cdp, "date": cdp["date"], "kind": cdp["event_type"].map(EVENT_KIND_CDP)}),
    ], ignore_index=True).dropna(subset=["kind"])
    spells = pd.concat([
        _reign_spells(evidence.reign_leaders, focus.gwcode, ends.get("reign"), lane_reign),
        _archigos_spells(evidence.archigos_leaders, focus.gwcode, lane_archigos),
    ], ignore_index=True)
    start = pd.Timestamp(year=first, month=1, day=1)
    spells["start"], spells["end"] = pd.to_datetime(spells["start"]), pd.to_datetime(spells["end"])
    spells = spells[(spells["end"] >= start) & (spells["start"] <= window_end)].copy()
    # The stubs only take numbers or arrays as clip bounds; pandas clips datetime columns by a Timestamp.
    spells["start"] = spells["start"].clip(lower=start)  # type: ignore[call-overload]
    spells["end"] = spells["end"].clip(upper=window_end)  # type: ignore[call-overload]
    spells = _label_spells(spells, first, year)
    reading = _timeline_reading(focus, pt, cdp, spells, first, ends, lane_reign, lane_archigos)
    section.reading = reading
    for source, frame, name in (("Powell & Thyne", pt, "pt"), ("Cline CDP", cdp, "cdp")):
        if frame.empty and name in ends:
            section.missing.append(f"{source} record no coup event for {focus.name} from {first} to "
                                   f"{min(year, ends[name].year)}.")
    if spells[spells["lane"] == lane_reign].empty:
        section.missing.append(f"{NOT_AVAILABLE}: REIGN leader spells for {focus.name}.")
    if spells[spells["lane"] == lane_archigos].empty:
        section.missing.append(f"{NOT_AVAILABLE}: Archigos leader spells for {focus.name} (Archigos ends in "
                               f"{ends['archigos'].year if 'archigos' in ends else 2015}).")
    if len(events) or len(spells):
        lanes_present = [lane for lane in (lane_pt, lane_cdp, lane_reign, lane_archigos)
                         if lane in set(events["lane"]) | set(spells["lane"])]
        chart = bc.timeline(spells, events, first, year, f"{focus.name}: coup events and leaders, {first}–{year}",
                            subtitle="Points: coup events; bars: leaders in office", lanes=lanes_present)
        marks = (("rect",) if len(spells) else ()) + (("symbol",) if len(events) else ())
        section.charts.append(ChartItem("timeline", chart, marks,
                                        ("pt_events", "cdp_events", "reign_leaders", "archigos_leaders")))
    rows = []
    for row in pt.sort_values("date").itertuples():
        rows.append([day(row.date), "Powell & Thyne", EVENT_KIND_PT.get(row.outcome, str(row.outcome))])
    for row in cdp.sort_values("date").itertuples():
        flags = [label for column, label in (("military", "military"), ("dissident", "dissident"),
                                              ("palace", "palace"), ("rebel", "rebel"), ("popular", "popular"))
                 if column in cdp.columns and getattr(row, column) == 1]
        rows.append([day(row.date), "Cline CDP", EVENT_KIND_CDP.get(row.event_type, str(row.event_type))
                     + (f" ({', '.join(flags)})" if flags else "")])
    if rows:
        rows.sort(key=lambda r: pd.Timestamp(r[0]))
        section.tables.append(TableItem(f"Coup events in {focus.name}, {first}–{year}", ["Date", "Source", "Event"],
                                        rows, [False, False, False]))
    return section


def _first_year(evidence: Evidence, state: State) -> int:
    years = evidence.panel.loc[evidence.panel["gwcode"] == state.gwcode, "year"]
    return int(years.min()) if len(years) else evidence.year


def _reign_spells(leaders: pd.DataFrame, gwcode: int, coverage_end: pd.Timestamp | None, lane: str) -> pd.DataFrame:
    rows = leaders[leaders["gwcode"] == gwcode].sort_values("start_date")
    out = []
    starts = pd.to_datetime(rows["start_date"]).tolist()
    for number, row in enumerate(rows.to_dict("records")):
        start = pd.Timestamp(row["start_date"])
        if number + 1 < len(starts):
            end, ongoing = starts[number + 1], False
        elif not is_missing(row["eyear"]):
            end, ongoing = pd.Timestamp(year=int(row["eyear"]), month=int(row["emonth"] or 12), day=28), False
        else:
            end, ongoing = (coverage_end or start), True
        career = row["militarycareer"]
        kind = ("career not coded" if is_missing(career) else
                "military career" if float(career) >= 0.5 else "civilian career")
        out.append({"lane": lane, "leader": str(row["leader"]), "start": start, "end": end, "kind": kind,
                    "ongoing": ongoing})
    return pd.DataFrame(out, columns=["lane", "leader", "start", "end", "kind", "ongoing"])


def _archigos_spells(leaders: pd.DataFrame, gwcode: int, lane: str) -> pd.DataFrame:
    rows = leaders[leaders["gwcode"] == gwcode].sort_values("startdate")
    out = [{"lane": lane, "leader": str(row["leader"]), "start": pd.Timestamp(row["startdate"]),
            "end": pd.Timestamp(row["enddate"]),
            "kind": ARCHIGOS_EXIT.get(str(row["exit"]), "left regularly, died or retired"),
            "ongoing": str(row["exit"]) == "Still in Office", "exitcode": str(row["exitcode"])}
           for row in rows.to_dict("records")]
    return pd.DataFrame(out, columns=["lane", "leader", "start", "end", "kind", "ongoing", "exitcode"])


def _label_spells(spells: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Mark spells long enough on the chart's time axis to carry their leader's name."""
    if spells.empty:
        return spells.assign(middle=pd.Series(dtype="datetime64[ns]"), label_shown=pd.Series(dtype=bool))
    pixels_per_year = bc.WIDTH / max(1, last - first + 1)
    years = (spells["end"] - spells["start"]).dt.days / 365.25
    spells = spells.copy()
    spells["middle"] = spells["start"] + (spells["end"] - spells["start"]) / 2
    spells["label_shown"] = years * pixels_per_year >= spells["leader"].str.len() * 4.6 + 4
    return spells


def _timeline_reading(focus: State, pt: pd.DataFrame, cdp: pd.DataFrame, spells: pd.DataFrame, first: int,
                      ends: Mapping[str, pd.Timestamp], lane_reign: str, lane_archigos: str) -> str:
    parts = []
    pt_end = ends.get("pt")
    coverage = f" (to {pt_end.strftime('%B %Y')})" if pt_end is not None else ""
    if len(pt):
        successes = int((pt["outcome"] == "successful").sum())
        last = pt.sort_values("date").iloc[-1]
        parts.append(f"Powell & Thyne{coverage} record {plural(len(pt), 'coup attempt')} in {focus.name} since "
                     f"{first}: {successes} successful and {len(pt) - successes} failed. The most recent was on "
                     f"{day(last['date'])} ({EVENT_KIND_PT.get(last['outcome'], last['outcome'])}).")
    else:
        parts.append(f"Powell & Thyne{coverage} record no coup attempt in {focus.name} since {first}.")
    if len(cdp):
        kinds = cdp["event_type"].value_counts()
        parts.append(f"The Cline Center's CDP (to {ends['cdp'].year if 'cdp' in ends else 2022}) lists "
                     f"{plural(int(kinds.get('coup', 0)), 'realised coup')}, "
                     f"{plural(int(kinds.get('attempted', 0)), 'failed attempt')} and "
                     f"{plural(int(kinds.get('conspiracy', 0)), 'conspiracy', 'conspiracies')}.")
    reign = spells[spells["lane"] == lane_reign]
    if len(reign):
        military = int((reign["kind"] == "military career").sum())
        coded = int((reign["kind"] != "career not coded").sum())
        current = reign.sort_values("start").iloc[-1]
        tail = (f"{current['leader']} (in office since {day(current['start'])}) was the leader when its lists end"
                if bool(current["ongoing"]) else f"the last listed is {current['leader']}")
        careers = (f"{military} of the {coded} with a coded career "
                   f"{'was a military officer' if military == 1 else 'were military officers'}" if coded
                   else "their careers are not coded")
        parts.append(f"REIGN lists {plural(len(reign), 'leader spell')} in office in this period; {careers}; "
                     f"{tail}.")
    archigos = spells[spells["lane"] == lane_archigos]
    if len(archigos):
        irregular = int(archigos["kind"].isin(["left irregularly", "removed by foreign force"]).sum())
        military_exits = int(archigos["exitcode"].str.contains("Military", na=False).sum())
        parts.append(f"Archigos (to {ends['archigos'].year if 'archigos' in ends else 2015}) records "
                     f"{irregular} of {len(archigos)} leaders leaving office irregularly, {military_exits} of them "
                     "removed by the military.")
    return " ".join(parts)


def _region_timeline(evidence: Evidence, scope: Scope, section: Section) -> Section:
    year = evidence.year
    first = evidence.base_year - 12
    events = evidence.coup_events.copy()
    events["date"] = _pt_dates(events) if len(events) else pd.Series(dtype="datetime64[ns]")
    names = {s.gwcode: s.name for s in scope.states}
    events = events[events["gwcode"].isin(names) & (events["date"].dt.year >= first)
                    & (events["date"].dt.year <= year)]
    frame = pd.DataFrame({"lane": events["gwcode"].map(names), "date": events["date"],
                          "kind": events["outcome"].map(EVENT_KIND_PT)})
    lanes = [s.name for s in scope.states]
    spells = pd.DataFrame(columns=["lane", "leader", "start", "end", "kind", "middle", "label_shown"])
    if len(frame):
        chart = bc.timeline(spells, frame, first, year, f"Coup attempts, {first}–{year} (Powell & Thyne)",
                            subtitle="One row per state", lanes=lanes)
        section.charts.append(ChartItem("timeline", chart, ("symbol",), ("pt_events",)))
    rows, parts = [], []
    for group in dict.fromkeys(scope.groups.values()):
        members = [s for s in scope.states if scope.group_of(s) == group]
        hits = events[events["gwcode"].isin([s.gwcode for s in members])]
        successes = int((hits["outcome"] == "successful").sum())
        with_coups = [names[int(g)] for g in hits["gwcode"].unique()]
        parts.append(f"{group}: {plural(len(hits), 'coup attempt')} since {first} ({successes} successful)"
                     + (f", in {words(with_coups)}." if with_coups else "."))
    for row in events.sort_values("date").itertuples():
        rows.append([day(row.date), names[int(row.gwcode)], EVENT_KIND_PT.get(row.outcome, str(row.outcome))])
    section.reading = (f"Powell & Thyne (to {evidence.coverage_ends['pt'].strftime('%B %Y')}) " if "pt" in
                       evidence.coverage_ends else "Powell & Thyne ") + "record these coup attempts. " + " ".join(parts)
    if rows:
        section.tables.append(TableItem(f"Coup attempts {first}–{year}", ["Date", "State", "Event"], rows,
                                        [False, False, False]))
    else:
        section.missing.append(f"Powell & Thyne record no coup attempt in these states from {first} to {year}.")
    return section


def _window(evidence: Evidence, state: State | None, before_base: int) -> tuple[int, int]:
    first = evidence.base_year - before_base
    if state is not None:
        first = max(first, _first_year(evidence, state))
    return first, evidence.year


def _change_row(values: pd.Series, base_year: int, year: int) -> tuple[float, tuple[int, float] | None, float, float]:
    base = float(values.get(base_year, math.nan))
    last = latest(values[values.index <= year])
    change = last[1] - base if last is not None else math.nan
    ratio = last[1] / base if last is not None and not is_missing(base) and base != 0 else math.nan
    return base, last, change, ratio


def burden_section(evidence: Evidence, scope: Scope) -> Section:
    section = Section("military-burden", "Military burden", "", tables_used=["sipri_milex"])
    base_year, year = evidence.base_year, evidence.year
    first, last = _window(evidence, None, 4)
    first = max(first, min((_first_year(evidence, s) for s in scope.states), default=first))
    panel = evidence.values
    gdp = long_frame(panel, scope.states, "milex_gdp", first, last)
    govt = long_frame(panel, scope.states, "milex_govt", first, last)
    focus_name = scope.focus.name if scope.focus else None
    without = [s.name for s in scope.states if not (gdp["series"] == s.name).any()]
    if without:
        section.missing.append(f"{NOT_AVAILABLE}: SIPRI military spending as a share of GDP for {words(without)} "
                               f"in {first}–{last}.")
    if len(gdp):
        section.charts.append(ChartItem("milex-gdp", bc.lines(
            gdp, f"Military spending, % of GDP, {first}–{last}", "% of GDP", ".1f", focus_name, base_year,
            subtitle="SIPRI; dashed line: base year", dashed=scope.dashed()), line_marks(gdp), ("sipri_milex",)))
    if len(govt):
        section.charts.append(ChartItem("milex-govt", bc.lines(
            govt, f"Military spending, % of government spending, {first}–{last}", "% of government spending", ".1f",
            focus_name, base_year, subtitle="SIPRI", dashed=scope.dashed()), line_marks(govt), ("sipri_milex",)))
    rows, changes = [], {}
    for state in scope.states:
        values = series(panel, state.gwcode, "milex_gdp", last=year)
        base, now, change, ratio = _change_row(values, base_year, year)
        govt_values = series(panel, state.gwcode, "milex_govt", last=year)
        govt_base, govt_now, govt_change, _ = _change_row(govt_values, base_year, year)
        if now is None and govt_now is None:
            continue
        changes[state.name] = (base, now, change, ratio)
        rows.append([state.name, percent(base), f"{percent(now[1])} ({now[0]})" if now else "n/a",
                     points(change), "n/a" if is_missing(ratio) else f"{ratio:.2f}×", percent(govt_base),
                     f"{percent(govt_now[1])} ({govt_now[0]})" if govt_now else "n/a", points(govt_change)])
    if rows:
        section.tables.append(TableItem(
            f"Change since {base_year} (SIPRI; latest year to {year})",
            ["State", f"% GDP {base_year}", "% GDP latest", "Change", "Ratio", f"% govt {base_year}",
             "% govt latest", "Change"], rows, [False, True, True, True, True, True, True, True]))
    if scope.focus is not None:
        values = series(panel, scope.focus.gwcode, "milex_gdp", first, last)
        govt_values = series(panel, scope.focus.gwcode, "milex_govt", first, last)
        usd_values = series(panel, scope.focus.gwcode, "milex_const2024_usd_m", first, last)
        years = sorted(set(values.index) | set(govt_values.index))
        if years:
            section.tables.append(TableItem(
                f"{scope.focus.name} by year (SIPRI)",
                ["Year", "% of GDP", "% of government spending", "Constant 2024 US$ m"],
                [[str(y), percent(values.get(y, math.nan)), percent(govt_values.get(y, math.nan)),
                  count(usd_values.get(y, math.nan))] for y in years], [False, True, True, True]))
        section.reading = _burden_reading(evidence, scope, scope.focus, changes)
    else:
        section.reading = _region_burden_reading(evidence, scope, changes)
    return section


def _last_coup_year(panel: PanelValues, gwcode: int, first: int, last: int) -> int | None:
    successes = series(panel, gwcode, "pt_successes", first, last)
    years = successes[successes > 0].index
    return int(years[-1]) if len(years) else None


def _burden_reading(evidence: Evidence, scope: Scope, focus: State,
                    changes: Mapping[str, tuple[float, tuple[int, float] | None, float, float]]) -> str:
    base_year, year = evidence.base_year, evidence.year
    if focus.name not in changes or changes[focus.name][1] is None:
        return (f"SIPRI has no military spending figures for {focus.name} as a share of GDP up to {year}, so its "
                "military burden cannot be shown; the peers' figures are shown for context where they exist.")
    base, now, change, ratio = changes[focus.name]
    assert now is not None
    parts = []
    if is_missing(base):
        parts.append(f"SIPRI has no {base_year} figure for {focus.name}; its latest military burden is "
                     f"{percent(now[1])} of GDP ({now[0]}).")
    else:
        parts.append(f"{focus.name}'s military spending was {percent(base)} of GDP in {base_year} and "
                     f"{percent(now[1])} in {now[0]}, {points(change)} ({ratio:.2f} times the {base_year} level).")
    coup_year = _last_coup_year(evidence.values, focus.gwcode, base_year + 1, year)
    if coup_year is not None and coup_year != now[0]:
        at_coup = value_in(evidence.values, focus.gwcode, "milex_gdp", coup_year)
        if not is_missing(at_coup):
            parts.append(f"In {coup_year}, the year of the latest successful coup, it stood at {percent(at_coup)}.")
    govt = series(evidence.values, focus.gwcode, "milex_govt", last=year)
    govt_base, govt_now, _, _ = _change_row(govt, base_year, year)
    if govt_now is not None and not is_missing(govt_base):
        parts.append(f"As a share of government spending it went from {percent(govt_base)} to "
                     f"{percent(govt_now[1])} ({govt_now[0]}).")
    peers = {name: c for name, c in changes.items() if name != focus.name and not is_missing(c[2])}
    if peers and not is_missing(change):
        ordered = sorted([*peers.items(), (focus.name, changes[focus.name])], key=lambda kv: -kv[1][2])
        position = [name for name, _ in ordered].index(focus.name) + 1
        median = float(np.median([c[2] for c in peers.values()]))
        parts.append(f"Among the peers ({words(list(peers))}), the median change since {base_year} was "
                     f"{points(median)}; ranked from the largest increase, {focus.name} comes "
                     f"{ordinal(position)} of {len(ordered)}.")
    status = evidence.panel.loc[(evidence.panel["gwcode"] == focus.gwcode) & (evidence.panel["year"] == now[0]),
                                "milex_gdp_status"] if "milex_gdp_status" in evidence.panel else pd.Series(dtype=str)
    if len(status) and str(status.iloc[0]) in {"estimate", "uncertain"}:
        quality = "an estimate" if str(status.iloc[0]) == "estimate" else "uncertain"
        parts.append(f"SIPRI marks the {now[0]} figure as {quality}.")
    return " ".join(parts)


def _region_burden_reading(evidence: Evidence, scope: Scope,
                           changes: Mapping[str, tuple[float, tuple[int, float] | None, float, float]]) -> str:
    base_year = evidence.base_year
    known = {name: c for name, c in changes.items() if not is_missing(c[2])}
    if not known:
        return f"SIPRI has no comparable military burden figures for these states since {base_year}."
    ordered = sorted(known.items(), key=lambda kv: -kv[1][2])
    parts = [f"Since {base_year}, the military burden (SIPRI, % of GDP) rose most in {ordered[0][0]} "
             f"({percent(ordered[0][1][0])} to {percent(ordered[0][1][1][1])} in {ordered[0][1][1][0]}, "  # type: ignore[index]
             f"{points(ordered[0][1][2])})"]
    parts[0] += (f" and least in {ordered[-1][0]} ({points(ordered[-1][1][2])})." if len(ordered) > 1 else ".")
    doubled = [name for name, c in known.items() if not is_missing(c[3]) and c[3] >= 2]
    if doubled:
        parts.append(f"It at least doubled in {words(doubled)}.")
    for group in dict.fromkeys(scope.groups.values()):
        members = [s.name for s in scope.states if scope.group_of(s) == group and s.name in known]
        if members:
            parts.append(f"{group}: median change {points(float(np.median([known[m][2] for m in members])))}.")
    return " ".join(parts)


CAPACITY, GOVERNANCE = "Security capacity (training, equipment)", "Security governance (oversight, reform)"
TRANSACTION_COLUMNS = {
    "us_aid_obligations_usd": "Obligations",
    "us_aid_disbursements_usd": "Disbursements",
    "us_aid_appropriated_usd": "Appropriated and planned",
    "us_aid_request_usd": "President's budget request",
}


def assistance_section(evidence: Evidence, scope: Scope) -> Section:
    section = Section("security-assistance", "Security assistance", "",
                      tables_used=["greenbook_obligations", "us_aid_country", "weo"])
    base_year, year = evidence.base_year, evidence.year
    panel = evidence.values
    first = base_year - 2
    split_rows: list[State] = []
    shares: dict[str, dict[str, Any]] = {}
    for state in scope.states:
        capacity = series(panel, state.gwcode, "aid_security_capacity_usd", first, year)
        governance = series(panel, state.gwcode, "aid_security_governance_usd", first, year)
        if capacity.empty and governance.empty:
            continue
        years = sorted(set(capacity.index) | set(governance.index))
        window = [y for y in years if y >= base_year]
        cap_total = float(capacity.reindex(window).fillna(0).sum())
        gov_total = float(governance.reindex(window).fillna(0).sum())
        share = gov_total / (cap_total + gov_total) if cap_total + gov_total > 0 else math.nan
        dependence = series(panel, state.gwcode, "us_security_aid_revenue_pct", base_year, year)
        shares[state.name] = {"capacity": cap_total, "governance": gov_total, "share": share,
                              "years": (min(window), max(window)) if window else None,
                              "dependence": latest(dependence),
                              # Indexed by year, so the label of the peak is an integer.
                              "dependence_max": (int(cast(SupportsInt, dependence.idxmax())), float(dependence.max()))
                              if len(dependence) else None}
        split_rows.append(state)
    focus = scope.focus
    focus_split = shares.get(focus.name) if focus else None
    if focus is not None:
        capacity = series(panel, focus.gwcode, "aid_security_capacity_usd", first, year)
        governance = series(panel, focus.gwcode, "aid_security_governance_usd", first, year)
        if len(capacity) or len(governance):
            frame = pd.concat([
                pd.DataFrame({"year": capacity.index, "category": CAPACITY, "value": capacity.to_numpy() / 1e6}),
                pd.DataFrame({"year": governance.index, "category": GOVERNANCE,
                              "value": governance.to_numpy() / 1e6}),
            ], ignore_index=True)
            if frame["value"].abs().sum() > 0:
                section.charts.append(ChartItem("aid-split", bc.stacked_bars(
                    frame, f"{focus.name}: U.S. security-related aid by purpose, FY{int(frame['year'].min())}–"
                    f"{int(frame['year'].max())}", "US$ million (obligations)", ",.1f",
                    {CAPACITY: "#6b3e26", GOVERNANCE: "#2c7fb8"},
                    subtitle="Greenbook obligations split by the assistance classification", x_title="Fiscal year"),
                    ("rect",), ("greenbook_obligations",)))
    known_shares = {n: s for n, s in shares.items() if not is_missing(s["share"])}
    if len(known_shares) >= 2 or (focus is None and known_shares):
        label_years = next(iter(known_shares.values()))["years"]
        bars = pd.DataFrame({"label": list(known_shares), "value": [s["share"] for s in known_shares.values()]})
        section.charts.append(ChartItem("governance-share", bc.bars(
            bars, f"Governance share of U.S. security-related aid, FY{label_years[0]}–{label_years[1]}",
            "governance / (capacity + governance)", ".1%", focus.name if focus else None,
            subtitle="Greenbook obligations, classified"), ("rect", "text"), ("greenbook_obligations",)))
    if focus is not None:
        totals = _indicator_frame(panel, focus.gwcode, TRANSACTION_COLUMNS, first, year, per=1e6)
        if len(totals):
            section.charts.append(ChartItem("aid-totals", bc.lines(
                totals, f"{focus.name}: all U.S. foreign assistance by transaction type, FY{first}–{year}",
                "US$ million", ",.0f", None, subtitle="ForeignAssistance.gov country summary; a request or plan "
                "is not money received"), line_marks(totals), ("us_aid_country",)))
        section.reading = _assistance_reading(evidence, focus, focus_split, shares, totals, section)
    else:
        section.reading = _region_assistance_reading(evidence, scope, shares, section)
    if split_rows:
        section.tables.append(TableItem(
            f"U.S. security-related aid, FY{base_year}–{min(year, _greenbook_last(shares))} (Greenbook obligations, "
            "classified)",
            ["State", "Capacity", "Governance", "Governance share", "Dependence, latest", "Dependence, peak"],
            [[s.name, usd(shares[s.name]["capacity"]), usd(shares[s.name]["governance"]),
              "n/a" if is_missing(shares[s.name]["share"]) else f"{shares[s.name]['share']:.1%}",
              _dependence_text(shares[s.name]["dependence"]), _dependence_text(shares[s.name]["dependence_max"])]
             for s in split_rows], [False, True, True, True, True, True]))
    section.missing.append("The dependence ratio here counts U.S. aid only; the donors section and the claims table "
                           "add UN missions, the French operation and EU missions.")
    return section


def _greenbook_last(shares: Mapping[str, Mapping[str, Any]]) -> int:
    years = [s["years"][1] for s in shares.values() if s["years"]]
    return max(years) if years else 0


def _dependence_text(value: tuple[int, float] | None) -> str:
    return "n/a" if value is None else f"{value[1]:.2f}% (FY{value[0]})"


def _assistance_reading(evidence: Evidence, focus: State, split: Mapping[str, Any] | None,
                        shares: Mapping[str, Mapping[str, Any]], totals: pd.DataFrame, section: Section) -> str:
    base_year, year = evidence.base_year, evidence.year
    parts = []
    if split is None or split["years"] is None:
        parts.append(f"The Greenbook has no U.S. security-related aid figures for {focus.name} since FY{base_year}, "
                     "so the split between capacity and governance is not available in the data at hand.")
        section.missing.append(f"{NOT_AVAILABLE}: the capacity vs governance split for {focus.name}.")
    elif is_missing(split["share"]):
        parts.append(f"The Greenbook records no U.S. security-related aid for {focus.name} in "
                     f"FY{split['years'][0]}–{split['years'][1]}, so there is no split to report.")
    else:
        first, last = split["years"]
        parts.append(f"From FY{first} to FY{last} the United States obligated {usd(split['capacity'])} in "
                     f"security capacity aid (training and equipment) to {focus.name} and "
                     f"{usd(split['governance'])} in security governance aid: governance was "
                     f"{split['share']:.1%} of the total.")
        peers = {n: s for n, s in shares.items() if n != focus.name and not is_missing(s["share"])}
        if peers:
            parts.append("Peers over the same years: " + ", ".join(f"{n} {s['share']:.1%}" for n, s in peers.items())
                         + ".")
            negative = [n for n, s in peers.items() if s["governance"] < 0]
            if negative:
                parts.append(f"A negative share ({words(negative)}) means de-obligations exceeded new governance "
                             "obligations.")
        if last < year:
            parts.append(f"The Greenbook ends in FY{last}; later years are not in the data at hand.")
    if split is not None and split["dependence"] is not None:
        dep_year, dep = split["dependence"]
        peak_year, peak = split["dependence_max"]
        if peak > 0:
            parts.append(f"U.S. security-related aid equalled {dep:.2f}% of government revenue in FY{dep_year} "
                         f"(peak {peak:.2f}% in FY{peak_year}); this counts U.S. aid only.")
        else:
            parts.append(f"With no U.S. security-related aid, the dependence ratio was 0% in every year to "
                         f"FY{dep_year}.")
    else:
        section.missing.append(f"{NOT_AVAILABLE}: the dependence ratio (U.S. security aid over government revenue) "
                               f"for {focus.name}.")
    if len(totals):
        last_year = int(totals["year"].max())
        latest_rows = totals[totals["year"] == last_year]
        figures = [f"{label.lower()} {usd(value * 1e6)}"
                   for label, value in zip(latest_rows["series"].tolist(), latest_rows["value"].tolist(), strict=True)]
        parts.append(f"All U.S. aid in FY{last_year} (ForeignAssistance.gov): {words(figures)}.")
    else:
        section.missing.append(f"{NOT_AVAILABLE}: ForeignAssistance.gov totals for {focus.name}.")
    drg = latest(series(evidence.values, focus.gwcode, "drg_share_us_aid", base_year, year))
    if drg is not None:
        parts.append(f"Democracy, human rights and governance was {drg[1]:.1%} of U.S. aid obligations in "
                     f"FY{drg[0]}.")
    return " ".join(parts)


def _region_assistance_reading(evidence: Evidence, scope: Scope, shares: Mapping[str, Mapping[str, Any]],
                               section: Section) -> str:
    known = {n: s for n, s in shares.items() if not is_missing(s["share"])}
    if not known:
        section.missing.append(f"{NOT_AVAILABLE}: the capacity vs governance split for these states.")
        return "The Greenbook has no classified U.S. security-related aid for these states in these years."
    first, last = next(iter(known.values()))["years"]
    ordered = sorted(known.items(), key=lambda kv: kv[1]["share"])
    parts = [f"Governance was a small part of U.S. security-related aid everywhere: from {ordered[0][1]['share']:.1%} "
             f"({ordered[0][0]}) to {ordered[-1][1]['share']:.1%} ({ordered[-1][0]}) of the total in "
             f"FY{first}–{last}." if ordered[-1][1]["share"] < 0.5 else
             f"The governance share of U.S. security-related aid in FY{first}–{last} ranged from "
             f"{ordered[0][1]['share']:.1%} ({ordered[0][0]}) to {ordered[-1][1]['share']:.1%} ({ordered[-1][0]})."]
    biggest = max(known.items(), key=lambda kv: kv[1]["capacity"])
    parts.append(f"The largest capacity programme went to {biggest[0]} ({usd(biggest[1]['capacity'])}).")
    dependence = {n: s["dependence"] for n, s in shares.items() if s["dependence"] is not None}
    if dependence:
        top = max(dependence.items(), key=lambda kv: kv[1][1])
        parts.append(f"The highest latest dependence ratio (U.S. security aid / revenue) is {top[0]}'s, "
                     f"{top[1][1]:.2f}% in FY{top[1][0]}.")
    return " ".join(parts)


VDEM_INDICES = {
    "v2x_jucon": ("Judicial constraints on the executive", True),
    "v2xlg_legcon": ("Legislative constraints on the executive", True),
    "v2x_cspart": ("Civil society participation", True),
    "v2x_corr": ("Political corruption (higher = worse)", False),
    "v2x_clphy": ("Freedom from political killings and torture", True),
    "v2x_ex_military": ("Military role in the executive (higher = more)", False),
}
WGI_INDICATORS = {
    "wgi_va": ("Voice and accountability", True),
    "wgi_pv": ("Political stability, no violence", True),
    "wgi_ge": ("Government effectiveness", True),
    "wgi_rq": ("Regulatory quality", True),
    "wgi_rl": ("Rule of law", True),
    "wgi_cc": ("Control of corruption", True),
}


def _indicator_frame(panel: PanelValues, gwcode: int, labels: Mapping[str, str], first: int, last: int, *,
                     per: float = 1.0, name: str = "series") -> pd.DataFrame:
    """One state's columns as a long frame (year, ``name`` = the column's label, value divided by ``per``)."""
    parts = []
    for column, label in labels.items():
        values = series(panel, gwcode, column, first, last)
        parts.append(pd.DataFrame({"year": values.index, name: label, "value": values.to_numpy() / per}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["year", name, "value"])


def governance_section(evidence: Evidence, scope: Scope) -> Section:
    section = Section("governance", "Governance", "", tables_used=["vdem_v12_selected", "wgi"])
    base_year, year = evidence.base_year, evidence.year
    panel = evidence.values
    first = base_year - 10
    focus = scope.focus
    if focus is not None:
        first = max(first, _first_year(evidence, focus))
        vdem = _indicator_frame(panel, focus.gwcode, {c: label for c, (label, _) in VDEM_INDICES.items()}, first,
                                year)
        wgi = _indicator_frame(panel, focus.gwcode, {c: label for c, (label, _) in WGI_INDICATORS.items()}, first,
                               year)
        if len(vdem):
            section.charts.append(ChartItem("vdem", bc.lines(
                vdem, f"{focus.name}: V-Dem indices, {int(vdem['year'].min())}–{int(vdem['year'].max())}",
                "index (0–1)",
                ".1f", None, base_year, subtitle="V-Dem v12; dashed line: base year", y_domain=(0, 1),
                height=240), line_marks(vdem), ("vdem_v12_selected",)))
        else:
            section.missing.append(f"{NOT_AVAILABLE}: V-Dem indices for {focus.name} (V-Dem does not code it).")
        if len(wgi):
            section.charts.append(ChartItem("wgi", bc.lines(
                wgi,
                f"{focus.name}: Worldwide Governance Indicators, {int(wgi['year'].min())}–{int(wgi['year'].max())}",
                "estimate (about −2.5 to 2.5)", ".1f", None, base_year, subtitle="World Bank WGI, 2024 update"),
                line_marks(wgi), ("wgi",)))
        else:
            section.missing.append(f"{NOT_AVAILABLE}: Worldwide Governance Indicators for {focus.name}.")
    else:
        for column in ("v2x_jucon", "v2x_ex_military"):
            frame = long_frame(panel, scope.states, column, first, year)
            if len(frame):
                section.charts.append(ChartItem(f"vdem-{column}", bc.lines(
                    frame, f"{VDEM_INDICES[column][0]}, {first}–{int(frame['year'].max())}", "index (0–1)", ".1f",
                    None, base_year, subtitle="V-Dem v12", dashed=scope.dashed(), y_domain=(0, 1)),
                    line_marks(frame), ("vdem_v12_selected",)))
        frame = long_frame(panel, scope.states, "wgi_pv", first, year)
        if len(frame):
            section.charts.append(ChartItem("wgi-pv", bc.lines(
                frame, f"Political stability and absence of violence, {first}–{int(frame['year'].max())}",
                "WGI estimate", ".1f", None, base_year, subtitle="World Bank WGI", dashed=scope.dashed()),
                line_marks(frame), ("wgi",)))
    rows, changes = _governance_rows(evidence, scope)
    if rows:
        header = (["Indicator", f"{base_year}", "Latest", "Change", "Peers, median latest", "Rank among states"]
                  if focus is not None else ["Indicator", *[s.name for s in scope.states]])
        section.tables.append(TableItem(
            f"Governance indicators: {'change since ' + str(base_year) if focus else 'latest values'} "
            "(V-Dem v12, WGI)", header, rows, [False, *[True] * (len(header) - 1)]))
    section.reading = (_governance_reading(evidence, focus, changes) if focus is not None
                       else _region_governance_reading(evidence, scope))
    return section


def _governance_rows(evidence: Evidence, scope: Scope) -> tuple[list[list[str]], dict[str, Any]]:
    base_year, year = evidence.base_year, evidence.year
    panel = evidence.values
    indicators = {**VDEM_INDICES, **WGI_INDICATORS}
    rows: list[list[str]] = []
    changes: dict[str, Any] = {}
    focus = scope.focus
    for column, (label, higher_is_better) in indicators.items():
        if focus is None:
            values = [latest(series(panel, s.gwcode, column, last=year)) for s in scope.states]
            if any(v is not None for v in values):
                rows.append([label, *[("n/a" if v is None else f"{v[1]:.2f} ({v[0]})") for v in values]])
            continue
        own = series(panel, focus.gwcode, column, last=year)
        if own.empty:
            continue
        base, now, change, _ = _change_row(own, base_year, year)
        assert now is not None
        peer_latest = {s.name: latest(series(panel, s.gwcode, column, last=year)) for s in scope.others}
        peer_values = [v[1] for v in peer_latest.values() if v is not None]
        group = [now[1], *peer_values]
        ordered = sorted(group, reverse=higher_is_better)
        rank = ordered.index(now[1]) + 1
        changes[column] = {"label": label, "base": base, "now": now, "change": change, "better": higher_is_better,
                           "rank": rank, "group": len(group)}
        rows.append([label, index(base), f"{index(now[1])} ({now[0]})", points(change, 2, ""),
                     index(float(np.median(peer_values))) if peer_values else "n/a",
                     f"{rank} of {len(group)} (1 = best)"])
    return rows, changes


def _governance_reading(evidence: Evidence, focus: State, changes: Mapping[str, Any]) -> str:
    base_year = evidence.base_year
    if not changes:
        return (f"Neither V-Dem nor the Worldwide Governance Indicators cover {focus.name}, so its governance "
                "cannot be described with the data at hand.")
    parts = []
    vdem = {c: v for c, v in changes.items() if c in VDEM_INDICES and not is_missing(v["change"])}
    if vdem:
        worse = [v for v in vdem.values() if (v["change"] < 0) == v["better"] and abs(v["change"]) >= 0.02]
        better = [v for v in vdem.values() if (v["change"] > 0) == v["better"] and abs(v["change"]) >= 0.02]
        last_year = max(v["now"][0] for v in vdem.values())
        described = [f"{v['label'].split(' (')[0].lower()} from {index(v['base'])} to {index(v['now'][1])}"
                     for v in sorted(worse, key=lambda v: -abs(v["change"]))]
        parts.append(f"Between {base_year} and {last_year}, V-Dem shows {len(worse)} of {len(vdem)} indices "
                     f"worsening" + (f": {words(described)}." if described else "."))
        if better:
            parts.append("Improving: " + words([f"{v['label'].split(' (')[0].lower()} ({index(v['base'])} to "
                                                f"{index(v['now'][1])})" for v in better]) + ".")
        if last_year < evidence.year:
            parts.append(f"V-Dem v12 ends in {last_year}.")
    elif any(c in VDEM_INDICES for c in changes):
        parts.append(f"V-Dem has no {base_year} values for {focus.name}, so no change can be computed.")
    military = changes.get("v2x_ex_military")
    if military is not None:
        parts.append(f"The military's role in choosing and removing the executive scores {index(military['now'][1])} "
                     f"({military['now'][0]}) on V-Dem's 0–1 scale.")
    wgi = {c: v for c, v in changes.items() if c in WGI_INDICATORS and not is_missing(v["change"])}
    if wgi:
        largest = max(wgi.values(), key=lambda v: abs(v["change"]))
        verb = "fell" if largest["change"] < 0 else "rose"
        parts.append(f"In the WGI, {largest['label'].lower()} moved most since {base_year}: it {verb} from "
                     f"{index(largest['base'])} to {index(largest['now'][1])} ({largest['now'][0]}).")
        bottom = [v["label"].lower() for v in wgi.values() if v["rank"] == v["group"] and v["group"] > 1]
        if bottom:
            parts.append(f"{focus.name} is last among the states compared on {words(bottom)}.")
    return " ".join(parts) or f"No governance indicator for {focus.name} has a {base_year} value to compare with."


def _region_governance_reading(evidence: Evidence, scope: Scope) -> str:
    base_year, year = evidence.base_year, evidence.year
    parts = []
    for column in ("v2x_jucon", "v2x_ex_military"):
        label, higher_is_better = VDEM_INDICES[column]
        moves = {}
        for state in scope.states:
            values = series(evidence.values, state.gwcode, column, last=year)
            base, now, change, _ = _change_row(values, base_year, year)
            if now is not None and not is_missing(change):
                moves[state.name] = (base, now, change)
        if not moves:
            continue
        worst = (min if higher_is_better else max)(moves.items(), key=lambda kv: kv[1][2])
        parts.append(f"{label.split(' (')[0]}: the largest deterioration since {base_year} was in {worst[0]} "
                     f"({index(worst[1][0])} to {index(worst[1][1][1])} in {worst[1][1][0]}).")
    return " ".join(parts) or f"V-Dem has no {base_year} values for these states."


INTENSITY = {1: "Minor (25–999 battle deaths)", 2: "War (1,000+ battle deaths)"}
DEATH_TYPES = {
    "ged_state_based_deaths": ("State-based violence", "#b2182b"),
    "ged_nonstate_deaths": ("Non-state violence", "#f58518"),
    "ged_onesided_deaths": ("One-sided violence against civilians", "#6b3e26"),
}


def conflict_section(evidence: Evidence, scope: Scope) -> Section:
    section = Section("conflict", "Armed conflict", "", tables_used=["ucdp_acd", "ucdp_ged_cy"])
    year = evidence.year
    # UCDP GED starts in 1989; briefs about earlier years still show the armed conflict years before.
    first = min(1989, year - 20)
    panel = evidence.values
    focus = scope.focus
    if focus is None:
        deaths = long_frame(panel, scope.states, "ged_total_deaths", first, year)
        if len(deaths):
            section.charts.append(ChartItem("deaths", bc.lines(
                deaths, f"Deaths in organised violence, {first}–{year}", "deaths (best estimate)", ",.0f", None,
                None, subtitle="UCDP GED, all violence types", dashed=scope.dashed()), line_marks(deaths),
                ("ucdp_ged_cy",)))
        section.reading = _region_conflict_reading(evidence, scope)
        return section
    first = max(first, _first_year(evidence, focus))
    deaths = _indicator_frame(panel, focus.gwcode, {c: label for c, (label, _) in DEATH_TYPES.items()}, first, year,
                              name="category")
    conflicts = evidence.conflicts[(evidence.conflicts["gwcode"] == focus.gwcode)
                                   & evidence.conflicts["year"].between(first, year)]
    if len(deaths) and deaths["value"].sum() > 0:
        section.charts.append(ChartItem("deaths", bc.stacked_bars(
            deaths, f"{focus.name}: deaths in organised violence, {first}–{year}", "deaths (best estimate)", ",.0f",
            {label: colour for label, colour in DEATH_TYPES.values()}, subtitle="UCDP Georeferenced Event Dataset",
            years=range(first, year + 1)),
            ("rect",), ("ucdp_ged_cy",)))
    elif deaths.empty:
        section.missing.append(f"{NOT_AVAILABLE}: UCDP GED deaths for {focus.name}.")
    if len(conflicts):
        per_year = conflicts.assign(category=conflicts["intensity_level"].map(INTENSITY), value=1)
        section.charts.append(ChartItem("conflict-years", bc.stacked_bars(
            per_year[["year", "category", "value"]], f"{focus.name}: state-based armed conflicts by intensity, "
            f"{first}–{year}", "conflicts active", "d",
            {label: colour for label, colour in zip(INTENSITY.values(), ("#fdae61", "#b2182b"), strict=True)},
            subtitle="UCDP/PRIO Armed Conflict Dataset, conflicts located in the state",
            years=range(first, year + 1)), ("rect",), ("ucdp_acd",)))
        rows = []
        for _, rows_of in conflicts.groupby("conflict_id"):
            ordered = rows_of.sort_values("year")
            sides = f"{ordered['side_a'].iloc[-1]} vs {ordered['side_b'].iloc[-1]}"
            issue = ordered["territory_name"].dropna()
            rows.append([sides, f"territory ({issue.iloc[-1]})" if len(issue) else "government",
                         f"{int(ordered['year'].min())}–{int(ordered['year'].max())}", str(len(ordered)),
                         INTENSITY.get(int(ordered["intensity_level"].max()), "")])
        rows.sort(key=lambda r: r[2].split("–")[1], reverse=True)
        section.tables.append(TableItem(f"Armed conflicts located in {focus.name}, {first}–{year} (UCDP/PRIO)",
                                        ["Sides", "Incompatibility", "Years", "Active years", "Highest intensity"],
                                        rows, [False, False, True, True, False]))
    section.reading = _conflict_reading(evidence, focus, deaths, conflicts, first)
    return section


def _conflict_reading(evidence: Evidence, focus: State, deaths: pd.DataFrame, conflicts: pd.DataFrame,
                      first: int) -> str:
    year = evidence.year
    active = sorted(set(conflicts["year"].astype(int)))
    wars = sorted(set(conflicts.loc[conflicts["intensity_level"] == 2, "year"].astype(int)))
    span = year - first + 1
    parts = []
    if active:
        parts.append(f"UCDP/PRIO record state-based armed conflict in {focus.name} in {len(active)} of the {span} "
                     f"years {first}–{year}" + (f", {plural(len(wars), 'year')} at war intensity "
                                                f"({words([str(w) for w in wars[-5:]])}"
                                                + (" among them" if len(wars) > 5 else "") + ")" if wars else "")
                     + ".")
        streak = 0
        for y in range(year, first - 1, -1):
            if y not in active:
                break
            streak += 1
        if streak > 1:
            parts.append(f"Conflict has been active every year since {year - streak + 1}.")
        latest_rows = conflicts[conflicts["year"] == active[-1]]
        opponents = sorted(set(latest_rows["side_b"].dropna().astype(str)))
        parts.append(f"In {active[-1]} the government fought {words(opponents)}.")
    else:
        parts.append(f"UCDP/PRIO record no state-based armed conflict located in {focus.name} in {first}–{year}.")
    totals = deaths.groupby("year")["value"].sum() if len(deaths) else pd.Series(dtype=float)
    if len(totals) and totals.sum() > 0:
        peak_year = int(cast(SupportsInt, totals.idxmax()))  # totals are indexed by year
        last_year = int(totals.index.max())
        by_type = deaths[deaths["year"] == last_year].set_index("category")["value"]
        parts.append(f"UCDP GED counts {count(totals.loc[last_year])} deaths in organised violence in {last_year} ("
                     + ", ".join(f"{label.lower()} {count(by_type.get(label, 0))}" for label, _ in DEATH_TYPES.values())
                     + f"); the peak was {count(totals.max())} in {peak_year}.")
    elif len(totals):
        parts.append(f"UCDP GED records no deaths in organised violence in {focus.name} in {first}–{year}.")
    return " ".join(parts)


def _region_conflict_reading(evidence: Evidence, scope: Scope) -> str:
    year = evidence.year
    totals = {}
    for state in scope.states:
        values = series(evidence.values, state.gwcode, "ged_total_deaths", evidence.base_year, year)
        if len(values):
            totals[state.name] = (float(values.sum()), latest(values))
    if not totals:
        return f"UCDP GED has no figures for these states since {evidence.base_year}."
    ordered = sorted(totals.items(), key=lambda kv: -kv[1][0])
    parts = [f"Since {evidence.base_year}, UCDP GED counts the most deaths in organised violence in {ordered[0][0]} "
             f"({count(ordered[0][1][0])}), then " + ", ".join(f"{n} ({count(t[0])})" for n, t in ordered[1:4]) + "."]
    quiet = [n for n, t in totals.items() if t[0] == 0]
    if quiet:
        parts.append(f"None are recorded in {words(quiet)}.")
    return " ".join(parts)


def claims_section(evidence: Evidence, scope: Scope) -> Section:
    focus = scope.focus
    name = focus.name if focus else "these states"
    section = Section("claims", f"Claims about {name} checked against the data", "")
    claims = evidence.claims
    if claims is None or claims.empty:
        section.reading = (f"No published claim about {name} is in the claims file(s) used here, so there is "
                           f"nothing to check. {evidence.claims_note}".strip())
        section.missing.append(f"No claims recorded for {name}. Add claims in a file shaped like the packaged "
                               "claims.toml and pass it with `coupwatch claims --claims FILE`.")
        return section
    verdicts = claims["verdict"].value_counts()
    frame = pd.DataFrame({"verdict": verdicts.index, "claims": verdicts.to_numpy()})
    section.charts.append(ChartItem("verdicts", bc.verdicts(frame, f"{len(claims)} claims by verdict"),
                                    ("rect", "text"), (), note="Claims from the claims file(s), each checked "
                                    "against the tables named in the table's Sources column."))
    described = [f"{plural(int(n), 'claim')} {v}" for v, n in verdicts.items()]
    parts = [f"{plural(len(claims), 'claim')} about {name} were checked against the warehouse: {words(described)}."]
    for row in claims[claims["verdict"] != "supported"].itertuples():
        parts.append(f"“{row.quote}”: {row.verdict} ({row.our_figure}).")
    section.reading = " ".join(parts)
    section.tables.append(TableItem("Claims, our figures and verdicts", ["Claim", "Our figure", "Verdict",
                                                                           "Why", "Sources"],
                                    [[str(r.quote), str(r.our_figure), str(r.verdict), str(r.explanation),
                                      str(r.sources)] for r in claims.itertuples()],
                                    [False, False, False, False, False]))
    tables: set[str] = set()
    for text in claims["sources"].astype(str):
        tables.update(part.rsplit("(", 1)[-1].rstrip(")") for part in text.split("; ") if "(" in part)
    section.tables_used = sorted(tables)
    return section


COVERAGE_COLUMNS = {
    "pt_attempts": "Powell & Thyne coups",
    "cdp_events": "Cline CDP coups",
    "reign_leader_tenure_years": "REIGN leaders",
    "leader_changes": "Archigos leaders",
    "milex_gdp": "SIPRI military spending",
    "v2x_jucon": "V-Dem v12 indices",
    "v2x_horacc_osp_v14": "V-Dem v14 indices",
    "wgi_rl": "WGI",
    "ucdp_conflicts": "UCDP/PRIO armed conflict",
    "ged_total_deaths": "UCDP GED deaths",
    "gb_military_usd": "Greenbook (U.S. aid by account)",
    "us_aid_obligations_usd": "ForeignAssistance.gov totals",
    "drg_share_us_aid": "ForeignAssistance.gov sectors",
    "revenue_gdp": "IMF WEO revenue",
    "population": "UN population",
}


def sources_section(evidence: Evidence, scope: Scope) -> Section:
    """Coverage of the brief's sources for the country; :func:`finish_sources` adds the tables once numbered."""
    section = Section("sources", "Sources and versions", "")
    focus = scope.focus
    year = evidence.year
    if focus is None:
        return section
    first = max(1946, year - 40, _first_year(evidence, focus))
    gaps, short, coverage_rows = [], [], []
    for column, label in COVERAGE_COLUMNS.items():
        values = series(evidence.values, focus.gwcode, column, first, year)
        if values.empty:
            gaps.append(label)
            continue
        coverage_rows.append(pd.DataFrame({"source": label, "year": values.index}))
        if values.index.max() < year:
            short.append(f"{label} to {int(values.index.max())}")
    parts = []
    if gaps:
        parts.append(f"For {focus.name}, nothing from {words(gaps)} is available in {first}–{year}.")
        section.missing.append(f"{NOT_AVAILABLE} for {focus.name}: {words(gaps)}.")
    if short:
        parts.append(f"Coverage ends before {year} for {words(short)}.")
    section.reading = " ".join(parts)
    if coverage_rows:
        frame = pd.concat(coverage_rows, ignore_index=True)
        section.charts.append(ChartItem("coverage", bc.coverage(
            frame, first, year, f"Years with data for {focus.name}, {first}–{year}",
            subtitle="A gap means the source has no value for that year"), ("rect",),
            tuple(column_sources(evidence.column_docs, COVERAGE_COLUMNS))))
    return section


def finish_sources(section: Section, evidence: Evidence, used: Sequence[str], refs: Sequence[Reference]) -> None:
    """Say which tables the brief used and whether their files match the pinned releases; list them."""
    rows = evidence.provenance[evidence.provenance["table_name"].isin(used)]
    matches = int(rows["hash_matches_pin"].astype(bool).sum()) if "hash_matches_pin" in rows else len(rows)
    origins = sorted(set(rows["origin"].astype(str))) if "origin" in rows else []
    lead = (f"This brief draws on {plural(len(rows), 'warehouse table')} from {plural(len(refs), 'source')} "
            f"(references below); {matches} of {len(rows)} files match the sha256 pinned for their release"
            + (f", read from the {words(origins)}" if origins else "") + ".")
    if evidence.built_at:
        lead += f" The warehouse was built on {evidence.built_at[:10]}."
    section.reading = " ".join(p for p in (lead, section.reading) if p)
    table_rows = []
    for ref in refs:
        for table in ref.tables:
            table_rows.append([f"[{ref.number}]", str(table["table_name"]), str(table["file"]), count(table["rows"]),
                               str(table["sha256"])[:12], "yes" if table["pinned"] else "no"])
    section.tables.append(TableItem("Tables used (from the provenance table)",
                                    ["Ref.", "Table", "File", "Rows", "sha256", "Pinned hash"], table_rows,
                                    [False, False, False, True, False, False]))


# ---------------------------------------------------------------------------------------------------------
# References and assembly
# ---------------------------------------------------------------------------------------------------------


def number_references(sections: Sequence[Section], provenance: pd.DataFrame,
                      sources: pd.DataFrame) -> tuple[list[Reference], list[str]]:
    """Number the sources in order of first use; set each chart's caption with its references."""
    by_table = provenance.drop_duplicates("table_name").set_index("table_name")
    by_source = sources.drop_duplicates("source").set_index("source") if len(sources) else pd.DataFrame()
    order: dict[str, int] = {}
    used: list[str] = []

    def number_of(table: str) -> int | None:
        if table not in by_table.index:
            return None
        if table not in used:
            used.append(table)
        source = str(by_table.loc[table, "source"])
        return order.setdefault(source, len(order) + 1)

    for section in sections:
        for chart in section.charts:
            cited = []
            for table in chart.tables:
                number = number_of(table)
                if number is not None:
                    title = str(by_table.loc[table, "title"])
                    version = str(by_table.loc[table, "version"])
                    label = f"{title}, {version} [{number}]"
                    if label not in cited:
                        cited.append(label)
            if len(cited) > 4:
                numbers = sorted({int(label.rsplit("[", 1)[1].rstrip("]")) for label in cited})
                caption = "Sources: " + ", ".join(f"[{n}]" for n in numbers) + " (see the references)."
            else:
                caption = ("Source: " + "; ".join(cited) + ".") if cited else ""
            chart.caption = " ".join(p for p in (caption, chart.note) if p)
        for table in section.tables_used:
            number_of(table)
    refs = []
    for source, number in sorted(order.items(), key=lambda kv: kv[1]):
        tables = [t for t in used if str(by_table.loc[t, "source"]) == source]
        first = by_table.loc[tables[0]]
        citation = str(by_source.loc[source, "citation"]) if source in by_source.index else ""
        refs.append(Reference(
            number=number, source=source, title=str(first["title"]), publisher=str(first["publisher"]),
            version=str(first["version"]), licence=str(first["licence"]),
            citations=references(citation) if citation else [],
            tables=[{"table_name": t, "file": by_table.loc[t, "file"], "sha256": by_table.loc[t, "sha256"],
                     "rows": by_table.loc[t, "rows"],
                     "pinned": bool(by_table.loc[t, "hash_matches_pin"]), "origin": by_table.loc[t, "origin"],
                     "url": by_table.loc[t, "url"]} for t in tables]))
    return refs, used


def _key_figures(evidence: Evidence, focus: State) -> list[KeyFigure]:
    figures = []
    row = _watch_row(evidence, focus)
    target = evidence.year + 1
    if row is not None:
        figures.append(KeyFigure(f"Coup-attempt risk {target}", probability(float(row["p"])),
                                 f"90% interval {probability(float(row['p_low']))}–{probability(float(row['p_high']))}"
                                 if not is_missing(row["p_low"]) else ""))
        total = 0 if evidence.watchlist is None else len(evidence.watchlist)
        figures.append(KeyFigure("Global rank", f"{int(row['rank'])} of {total}",
                                 "1 = highest risk"))
        figures.append(KeyFigure(f"Change since {evidence.year}", change_points(float(row["change"])),
                                 f"from {probability(float(row['p_last_year']))}"))
    else:
        figures.append(KeyFigure(f"Coup-attempt risk {target}", "n/a", "no forecast available"))
    values = series(evidence.values, focus.gwcode, "milex_gdp", last=evidence.year)
    _, now, change, _ = _change_row(values, evidence.base_year, evidence.year)
    figures.append(KeyFigure("Military burden", f"{percent(now[1])} of GDP" if now else "n/a",
                             f"{points(change)} since {evidence.base_year}" if now and not is_missing(change)
                             else "SIPRI has no figure"))
    attempts = series(evidence.values, focus.gwcode, "pt_attempts", evidence.base_year, evidence.year)
    figures.append(KeyFigure(f"Coup attempts {evidence.base_year}–{evidence.year}",
                             count(attempts.sum()) if len(attempts) else "n/a", "Powell & Thyne"))
    from coupwatch.report.brief_summary import assistance_balance

    balance = assistance_balance(evidence, focus)
    if balance is not None and balance[0] + balance[1] > 0:
        capacity, governance, first, last = balance
        figures.append(KeyFigure("U.S. security aid to governance", f"{governance / (capacity + governance):.1%}",
                                 f"of {usd(capacity + governance)}, FY{first}–{last}"))
    return figures


def _sections(evidence: Evidence, scope: Scope, with_claims: bool) -> tuple[list[Section], list[Reference]]:
    """Every section of a brief in reading order, sources numbered by first use and listed in the last one."""
    from coupwatch.report.brief_donors import donors_section  # its own module; it builds on this one
    from coupwatch.report.brief_summary import explain_outliers, summary_section, training_section
    from coupwatch.report.brief_whatif import whatif_section

    # A country brief opens with its first page (summary_section), a regional one with the headline.
    first = summary_section if scope.focus is not None else headline_section
    builders = [first, *([whatif_section] if scope.focus is not None else []), risk_history_section,
                timeline_section, burden_section, assistance_section, donors_section, training_section,
                governance_section, conflict_section, *([claims_section] if with_claims else []), sources_section]
    sections = [build(evidence, scope) for build in builders]
    explain_outliers(sections, evidence, scope)
    refs, used = number_references(sections, evidence.provenance, evidence.sources)
    finish_sources(sections[-1], evidence, used, refs)
    return sections, refs


def build_country_brief(evidence: Evidence, focus: State, peers: Sequence[State], peers_basis: str) -> Brief:
    """The country brief: headline, risk history, coups and leaders, military burden, security assistance,
    governance, conflict, claims and sources."""
    scope = Scope(tuple([focus, *peers]), focus, {focus.gwcode: focus.name, **{p.gwcode: "Peers" for p in peers}})
    sections, refs = _sections(evidence, scope, with_claims=True)
    peer_names = words([p.name for p in peers]) if peers else "none"
    subtitle = (f"Data to the end of {evidence.year}; forecast for {evidence.year + 1}. Peers: {peer_names} "
                f"({peers_basis}). Base year {evidence.base_year}.")
    return Brief("country", f"{focus.name}: coup risk, military burden and security assistance", subtitle,
                 evidence.year, _key_figures(evidence, focus), sections, refs, evidence.generated_at,
                 list(scope.states))


def build_region_brief(evidence: Evidence, title: str, groups: Mapping[str, Sequence[State]],
                       dashed_groups: Iterable[str] = ()) -> Brief:
    """The regional comparison: the same sections across the states of one or more groups."""
    states = [s for members in groups.values() for s in members]
    scope = Scope(tuple(states), None, {s.gwcode: group for group, members in groups.items() for s in members},
                  frozenset(dashed_groups))
    sections, refs = _sections(evidence, scope, with_claims=False)
    membership = "; ".join(f"{group}: {words([s.name for s in members])}" for group, members in groups.items())
    subtitle = (f"Data to the end of {evidence.year}; forecast for {evidence.year + 1}. {membership}. "
                f"Base year {evidence.base_year}.")
    figures = []
    risks = [(float(row["p"]), s) for s in states if (row := _watch_row(evidence, s)) is not None]
    if risks:
        # The first state with the highest risk, as max over the states in order would pick.
        top_p, top = max(risks, key=lambda pair: pair[0])
        figures.append(KeyFigure(f"Highest risk {evidence.year + 1}", top.name, probability(top_p)))
    attempts = sum(float(series(evidence.values, s.gwcode, "pt_attempts", evidence.base_year, evidence.year).sum())
                   for s in states)
    figures.append(KeyFigure(f"Coup attempts {evidence.base_year}–{evidence.year}", count(attempts), "Powell & Thyne"))
    figures.append(KeyFigure("States compared", str(len(states)), ", ".join(groups)))
    return Brief("region", title, subtitle, evidence.year, figures, sections, refs, evidence.generated_at, states)
