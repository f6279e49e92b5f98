"""The panel's skeleton: every Gleditsch-Ward state-year (or state-month), its unit, and where adders read sources.

A panel carries its unit and state system in ``DataFrame.attrs``; adders refuse a frame that is not a panel.
Adders read source tables from a :class:`DataSource` the caller passes: the warehouse reader, or
:class:`FrameSource` (frames in memory, as the warehouse build and the tests have them).
"""

from __future__ import annotations

from collections.abc import Mapping
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


def _frame_panel(base: pd.DataFrame, states: StateSystem, unit: str, start: int, end: int) -> pd.DataFrame:
    countries = states.countries[["gwcode", "iso3", "gwc", "name", "region", "subregion", "africa", "microstate"]]
    panel = base.merge(countries.rename(columns={"name": "country"}), on="gwcode", how="left")
    panel["gwcode"] = panel["gwcode"].astype("int64")
    panel["year"] = panel["year"].astype("int64")
    panel.attrs.update({"unit": unit, "system": "gleditsch-ward", "start": start, "end": end})
    return panel


def country_years(start: int, end: int, data: DataSource) -> pd.DataFrame:
    """Every Gleditsch-Ward state-year from ``start`` to ``end`` (a state counts if it existed on any day).

    Columns: gwcode, year, iso3, gwc (G&W letter code), country, region, subregion (UN), africa, microstate.
    """
    states = data.states
    return _frame_panel(states.state_years(start, end), states, UNIT_YEAR, start, end)


def country_months(start: int, end: int, data: DataSource) -> pd.DataFrame:
    """Every Gleditsch-Ward state-month from January ``start`` to December ``end``."""
    states = data.states
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


def panel_keys(panel: pd.DataFrame) -> list[str]:
    """The columns that identify a row: gwcode and year, and month in a country-month panel."""
    return ["gwcode", "year", "month"] if panel_unit(panel) == UNIT_MONTH else ["gwcode", "year"]
