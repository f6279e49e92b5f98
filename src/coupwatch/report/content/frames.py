"""The panel read per state and year, and the small frame helpers every section shares."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from coupwatch.app.briefs import Evidence, PanelValues, State
from coupwatch.cells import is_missing


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
    """The marks :func:`coupwatch.report.charts.brief.lines` draws for a frame: points too when there are few series."""
    return ("line", "symbol") if frame["series"].nunique() <= 5 else ("line",)


def column_sources(docs: pd.DataFrame, columns: Iterable[str]) -> list[str]:
    by_name = docs.set_index("name")["source"] if len(docs) else pd.Series(dtype=str)
    return list(dict.fromkeys(str(by_name[c]) for c in columns if c in by_name.index))


def watch_row(evidence: Evidence, state: State) -> pd.Series | None:
    watchlist = evidence.watchlist
    if watchlist is None:
        return None
    rows = watchlist[watchlist["gwcode"] == state.gwcode]
    return rows.iloc[0] if len(rows) else None


def first_year(evidence: Evidence, state: State) -> int:
    years = evidence.panel.loc[evidence.panel["gwcode"] == state.gwcode, "year"]
    return int(years.min()) if len(years) else evidence.year


def change_row(values: pd.Series, base_year: int, year: int) -> tuple[float, tuple[int, float] | None, float, float]:
    base = float(values.get(base_year, math.nan))
    last = latest(values[values.index <= year])
    change = last[1] - base if last is not None else math.nan
    ratio = last[1] / base if last is not None and not is_missing(base) and base != 0 else math.nan
    return base, last, change, ratio


def indicator_frame(panel: PanelValues, gwcode: int, labels: Mapping[str, str], first: int, last: int, *,
                     per: float = 1.0, name: str = "series") -> pd.DataFrame:
    """One state's columns as a long frame (year, ``name`` = the column's label, value divided by ``per``)."""
    parts = []
    for column, label in labels.items():
        values = series(panel, gwcode, column, first, last)
        parts.append(pd.DataFrame({"year": values.index, name: label, "value": values.to_numpy() / per}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["year", name, "value"])
