"""Country-year and country-month panels of Gleditsch-Ward states, peacesciencer's shape.

``country_years(1990, 2023)`` gives every state-year that existed; each ``add_*`` function adds documented
columns from one area (coups, V-Dem, SIPRI, conflict, ...) and never changes the number of rows. The panel
carries its unit and state system in ``DataFrame.attrs``; adders refuse a frame that is not a panel.

The functions are pure when given a ``data`` source (any object with ``table(name)`` and ``states``); with no
source they read the local warehouse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from coupwatch.states.system import StateSystem

UNIT_YEAR = "country-year"
UNIT_MONTH = "country-month"


class DataSource(Protocol):
    """Where adders get source tables: the warehouse, or frames in memory."""

    @property
    def states(self) -> StateSystem: ...

    def table(self, name: str) -> pd.DataFrame: ...


@dataclass(frozen=True)
class FrameSource:
    """Source tables held in memory (used by the warehouse build and by tests)."""

    tables: Mapping[str, pd.DataFrame]
    states: StateSystem

    def table(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(f"source table {name!r} is not loaded; loaded: {', '.join(self.tables)}") from None


@dataclass(frozen=True)
class ColumnDoc:
    """What a panel column means, where it comes from, and when its value is known."""

    name: str
    description: str
    source: str
    unit: str = ""


COLUMNS: dict[str, ColumnDoc] = {}


def _document(adder: str, docs: Iterable[ColumnDoc]) -> None:
    for doc in docs:
        COLUMNS[doc.name] = doc
    ADDERS.setdefault(adder, [])
    ADDERS[adder].extend(d.name for d in docs)


ADDERS: dict[str, list[str]] = {}


def _source(data: DataSource | None) -> DataSource:
    if data is not None:
        return data
    from coupwatch.warehouse import WarehouseSource  # I/O only when the caller gave no data

    return WarehouseSource.open_default()


# ---------------------------------------------------------------------------------------------------------
# Panels
# ---------------------------------------------------------------------------------------------------------

def _frame_panel(base: pd.DataFrame, states: StateSystem, unit: str, start: int, end: int) -> pd.DataFrame:
    countries = states.countries[["gwcode", "iso3", "gwc", "name", "region", "africa", "microstate"]]
    panel = base.merge(countries.rename(columns={"name": "country"}), on="gwcode", how="left")
    panel["gwcode"] = panel["gwcode"].astype("int64")
    panel["year"] = panel["year"].astype("int64")
    panel.attrs.update({"unit": unit, "system": "gleditsch-ward", "start": start, "end": end})
    return panel


def country_years(start: int, end: int, data: DataSource | None = None) -> pd.DataFrame:
    """Every Gleditsch-Ward state-year from ``start`` to ``end`` (a state counts if it existed on any day).

    Columns: gwcode, year, iso3, gwc (G&W letter code), country, region, africa, microstate.
    """
    states = _source(data).states
    return _frame_panel(states.state_years(start, end), states, UNIT_YEAR, start, end)


def country_months(start: int, end: int, data: DataSource | None = None) -> pd.DataFrame:
    """Every Gleditsch-Ward state-month from January ``start`` to December ``end``."""
    states = _source(data).states
    panel = _frame_panel(states.state_months(start, end), states, UNIT_MONTH, start, end)
    panel["month"] = panel["month"].astype("int64")
    return panel[["gwcode", "year", "month", *[c for c in panel.columns if c not in ("gwcode", "year", "month")]]]


def panel_unit(panel: pd.DataFrame) -> str:
    unit = panel.attrs.get("unit")
    if unit not in (UNIT_YEAR, UNIT_MONTH):
        raise TypeError(
            "expected a panel from country_years() or country_months() (its attrs['unit'] is "
            f"{unit!r}); supported units: {UNIT_YEAR}, {UNIT_MONTH}"
        )
    return str(unit)


def _keys(panel: pd.DataFrame) -> list[str]:
    return ["gwcode", "year", "month"] if panel_unit(panel) == UNIT_MONTH else ["gwcode", "year"]


def merge_columns(
    panel: pd.DataFrame, values: pd.DataFrame, on: list[str], fill: Mapping[str, object] | None = None
) -> pd.DataFrame:
    """Left-join ``values`` (unique on ``on``) to the panel; the row count cannot change."""
    if values.duplicated(subset=on).any():
        dup = values[values.duplicated(subset=on, keep=False)].head(4)
        raise ValueError(f"values to add are not unique on {on}: {dup.to_dict('records')}")
    clash = [c for c in values.columns if c in panel.columns and c not in on]
    base = panel.drop(columns=clash)
    out = base.merge(values, on=on, how="left", validate="many_to_one")
    if len(out) != len(panel):  # pragma: no cover - guarded by validate above
        raise AssertionError("an add changed the panel's row count")
    for column, value in (fill or {}).items():
        out[column] = out[column].fillna(value)
    out.attrs = dict(panel.attrs)
    return out


def mapped(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that mapped to a state that existed in the row's year."""
    return frame[frame["gw_match"] == "mapped"]


def within_coverage(panel: pd.DataFrame, columns: list[str], first: int | None, last: int | None) -> pd.DataFrame:
    """Set ``columns`` to missing outside the source's coverage years (unknown, not zero)."""
    outside = pd.Series(False, index=panel.index)
    if first is not None:
        outside |= panel["year"] < first
    if last is not None:
        outside |= panel["year"] > last
    for column in columns:
        values = panel[column]
        whole = values.dropna().eq(values.dropna().round()).all()
        panel[column] = values.astype("Int64" if whole else "Float64")
        panel.loc[outside, column] = pd.NA
    return panel


# ---------------------------------------------------------------------------------------------------------
# Coups
# ---------------------------------------------------------------------------------------------------------

_document(
    "add_coups",
    [
        ColumnDoc("pt_attempts", "Coup attempts (failed or successful), Powell & Thyne", "pt_events", "count"),
        ColumnDoc("pt_successes", "Successful coups, Powell & Thyne", "pt_events", "count"),
        ColumnDoc("pt_failures", "Failed coup attempts, Powell & Thyne", "pt_events", "count"),
        ColumnDoc("pt_attempt", "1 if at least one coup attempt, Powell & Thyne", "pt_events", "0/1"),
        ColumnDoc("pt_success", "1 if at least one successful coup, Powell & Thyne", "pt_events", "0/1"),
        ColumnDoc("cdp_coups", "Realised coups, Cline Center CDP", "cdp_events", "count"),
        ColumnDoc("cdp_attempts", "Attempted coups that failed, Cline Center CDP", "cdp_events", "count"),
        ColumnDoc("cdp_conspiracies", "Coup conspiracies (plots stopped before action), CDP", "cdp_events", "count"),
        ColumnDoc("cdp_events", "All CDP events (coups, attempts, conspiracies)", "cdp_events", "count"),
    ],
)

PT_COLUMNS = ["pt_attempts", "pt_successes", "pt_failures", "pt_attempt", "pt_success"]
CDP_COLUMNS = ["cdp_coups", "cdp_attempts", "cdp_conspiracies", "cdp_events"]


def _coverage_years(frame: pd.DataFrame) -> tuple[int, int]:
    years = frame["year"].dropna().astype(int)
    return int(years.min()), int(years.max())


def add_coups(panel: pd.DataFrame, data: DataSource | None = None) -> pd.DataFrame:
    """Coup attempts, successes and failures (Powell & Thyne) with CDP counts alongside.

    Counts are zero in covered years without events and missing outside a source's coverage (P&T from 1950
    to its last year; CDP 1945-2022).
    """
    keys = _keys(panel)
    source = _source(data)
    pt = mapped(source.table("pt_events"))
    pt_counts = (
        pt.assign(
            pt_attempts=1,
            pt_successes=(pt["coup"] == 2).astype(int),
            pt_failures=(pt["coup"] == 1).astype(int),
        )
        .groupby(keys)[["pt_attempts", "pt_successes", "pt_failures"]]
        .sum()
        .reset_index()
    )
    out = merge_columns(panel, pt_counts, keys, fill=dict.fromkeys(PT_COLUMNS[:3], 0))
    out["pt_attempt"] = (out["pt_attempts"] > 0).astype(int)
    out["pt_success"] = (out["pt_successes"] > 0).astype(int)
    pt_cy = source.table("pt_country_year")
    pt_first = 1950
    pt_last = int(pt_cy.loc[pt_cy["year"] < pt_cy["version"].str.extract(r"V(\d{4})")[0].astype(int), "year"].max())
    out = within_coverage(out, PT_COLUMNS, pt_first, pt_last)

    cdp = mapped(source.table("cdp_events"))
    kinds = cdp["event_type"].str.lower()
    cdp_counts = (
        cdp.assign(
            cdp_coups=(kinds == "coup").astype(int),
            cdp_attempts=(kinds == "attempted").astype(int),
            cdp_conspiracies=(kinds == "conspiracy").astype(int),
            cdp_events=1,
        )
        .groupby(keys)[CDP_COLUMNS]
        .sum()
        .reset_index()
    )
    out = merge_columns(out, cdp_counts, keys, fill=dict.fromkeys(CDP_COLUMNS, 0))
    _, cdp_last = _coverage_years(source.table("cdp_events"))
    return within_coverage(out, CDP_COLUMNS, 1945, cdp_last)


ADD_FUNCTIONS: dict[str, Callable[..., pd.DataFrame]] = {"add_coups": add_coups}


def describe_columns(panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """The documentation of every panel column (or of the columns of ``panel``)."""
    docs = pd.DataFrame([d.__dict__ for d in COLUMNS.values()])
    adder_of = {col: adder for adder, cols in ADDERS.items() for col in cols}
    docs["added_by"] = docs["name"].map(adder_of)
    if panel is not None:
        docs = docs[docs["name"].isin(panel.columns)]
    return docs.reset_index(drop=True)
