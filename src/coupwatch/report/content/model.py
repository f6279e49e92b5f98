"""What a brief is made of (state, evidence, sections, charts, tables, references) and who it is about."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, SupportsInt, cast

import altair as alt
import numpy as np
import pandas as pd


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
