"""How an adder brings a source's values into a panel: the rules every ``add_*`` follows.

The row count never changes (:func:`merge_columns`), only rows mapped to a state that existed count
(:func:`mapped`), and values are missing, not zero, outside a source's coverage (:func:`within_coverage`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import pandas as pd


def merge_columns(
    panel: pd.DataFrame, values: pd.DataFrame, on: list[str], fill: Mapping[str, float | str] | None = None
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


def add_yearly(panel: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Left-join gwcode-year ``values`` to the panel."""
    return merge_columns(panel, values, ["gwcode", "year"])


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


def coverage_years(frame: pd.DataFrame) -> tuple[int, int]:
    """The first and last year of a source table's ``year`` column."""
    years = frame["year"].dropna().astype(int)
    return int(years.min()), int(years.max())


def yearly_values(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    year_column: str = "year",
    table: str,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """gwcode-year values from a mapped source table, renamed; two rows for one state-year is an error.

    Rows with no value in ``columns`` are dropped; ``labels`` are carried along without counting as values.
    """
    rows = mapped(frame)
    renames = {**columns, **(labels or {})}
    out = rows[["gwcode", year_column, *renames]].rename(columns={year_column: "year", **renames})
    out = out.astype({"gwcode": "int64", "year": "int64"})
    out = out.dropna(subset=list(columns.values()), how="all")
    dup = out.duplicated(subset=["gwcode", "year"], keep=False)
    if dup.any():
        sample = out[dup].head(4).to_dict("records")
        raise ValueError(
            f"{table}: several rows map to the same state-year, e.g. {sample}; add an override or ignore "
            "line in src/coupwatch/states/data so each state-year has one row"
        )
    return out


def state_year_wide(
    rows: pd.DataFrame, column: str, values: str, names: Mapping[str, str], aggfunc: Literal["first", "sum"] = "first"
) -> pd.DataFrame:
    """Long mapped rows to one row per state-year, one column per value of ``column`` renamed by ``names``."""
    wide = rows.pivot_table(index=["gwcode", "year"], columns=column, values=values, aggfunc=aggfunc)
    wide = wide.rename(columns=dict(names)).reset_index()
    wide.columns.name = None
    return wide.astype({"gwcode": "int64", "year": "int64"})


def spell_on(frame: pd.DataFrame, start: str, end: str, years: pd.DataFrame) -> pd.DataFrame:
    """For each state-year in ``years`` (gwcode, year), the spell covering 1 July of that year."""
    spells = mapped(frame).copy()
    spells["_start"] = pd.to_datetime(spells[start], errors="coerce")
    spells["_end"] = pd.to_datetime(spells[end], errors="coerce")
    merged = years.merge(spells, on="gwcode", how="inner")
    mid = pd.to_datetime(merged["year"].astype(str) + "-07-01")
    covering = merged[(merged["_start"] <= mid) & (merged["_end"].isna() | (merged["_end"] >= mid))]
    return covering.sort_values("_start").drop_duplicates(subset=["gwcode", "year"], keep="last")
