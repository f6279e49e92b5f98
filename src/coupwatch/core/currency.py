"""How current a forecast's data are: per feature group, the last year with data and the years carried forward.

A forecast for year t reads the values of year t-1. Where a source stops earlier (V-Dem, WDI, REIGN), the
features carry its last value forward for at most ``CARRY_FORWARD_YEARS`` years (see ``coupwatch.core.features``).
For each state and feature group this module reports the latest year of t-1 or before in which any of the
group's panel columns has a value, and how many years that is behind t-1.

Pure core: a panel frame in, a frame out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

import pandas as pd

from coupwatch.cells import is_missing
from coupwatch.core.features import CARRY_FORWARD_YEARS, FEATURES

# The panel columns each feature group reads (a group added to features.py without an entry here is reported
# with no data year, so the gap shows rather than hides).
GROUP_COLUMNS: dict[str, tuple[str, ...]] = {
    "coup history": ("pt_attempts",),
    "contagion": ("pt_attempts",),
    "regime and governance": ("v2x_polyarchy", "v2x_jucon", "v2x_regime", "polity2", "gwf_regime", "wgi_pv"),
    "military": ("milex_gdp", "milex_const2024_usd_m", "armed_forces"),
    "economy": ("gdp_pc", "gdp_pc_growth", "inflation", "population", "revenue_gdp", "oda_gni"),
    "conflict": ("ucdp_internal_conflicts", "ucdp_conflicts", "ged_total_deaths"),
    "leaders": ("reign_leader_tenure_years", "leader_military_career", "exec_votes", "leader_irregular_entry"),
    "aid": ("us_aid_obligations_usd", "gb_imet_usd", "aid_security_capacity_usd"),
    # the protest series the models use (V-Dem v14 mobilisation; Mass Mobilization and NAVCO end in 2019)
    "protest": ("v2cagenmob", "v2cademmob"),
}


def feature_groups() -> list[str]:
    """The feature groups, in the order features.py declares them."""
    return list(dict.fromkeys(feature.group for feature in FEATURES.values()))


def data_currency(panel: pd.DataFrame, year: int, groups: Sequence[str] | None = None,
                  group_columns: Mapping[str, Sequence[str]] = GROUP_COLUMNS) -> pd.DataFrame:
    """For each state of ``year`` and each feature group: the latest year (<= ``year`` - 1) with data, the years
    carried forward to ``year`` - 1, and whether that is within the carry-forward limit.

    Columns: gwcode, group, data_through (nullable), carried_years (nullable), within_limit.
    """
    groups = list(groups) if groups is not None else feature_groups()
    known = panel[panel["year"] <= year - 1]
    states = panel.loc[panel["year"] == year - 1, "gwcode"].drop_duplicates()
    if states.empty:  # the year after the panel: states of its last year
        states = known.loc[known["year"] == known["year"].max(), "gwcode"].drop_duplicates()
    rows = []
    for group in groups:
        columns = [c for c in group_columns.get(group, ()) if c in known.columns]
        if columns:
            observed = known.loc[known[columns].notna().any(axis=1), ["gwcode", "year"]]
            latest = observed.groupby("gwcode")["year"].max()
        else:
            latest = pd.Series(dtype="int64")
        through = states.map(latest).astype("Int64")
        carried = (year - 1 - through).astype("Int64")
        rows.append(pd.DataFrame({
            "gwcode": states.to_numpy(), "group": group, "data_through": through.to_numpy(),
            "carried_years": carried.to_numpy(),
            "within_limit": (carried <= CARRY_FORWARD_YEARS).fillna(False).to_numpy(dtype=bool),
        }))
    return pd.concat(rows, ignore_index=True)


def currency_records(currency: pd.DataFrame) -> pd.DataFrame:
    """One row per state: ``data_as_of`` (a list of {group, data_through, carried_years}) and its text."""
    def records(frame: pd.DataFrame) -> list[dict[str, object]]:
        return [{"group": str(group), "data_through": _optional_int(through), "carried_years": _optional_int(carried)}
                for group, through, carried in zip(frame["group"], frame["data_through"], frame["carried_years"],
                                                   strict=True)]

    out = [{"gwcode": _optional_int(gwcode), "data_as_of": records(frame)}
           for gwcode, frame in currency.groupby("gwcode")]
    table = pd.DataFrame(out, columns=["gwcode", "data_as_of"])
    table["data_as_of_text"] = table["data_as_of"].map(currency_text)
    return table


def _optional_int(value: object) -> int | None:
    # Years arrive as int, numpy int or float (a column with gaps is float): all are whole numbers.
    return None if is_missing(value) else round(float(cast(float, value)))


def currency_text(entries: Sequence[Mapping[str, object]]) -> str:
    """E.g. "coup history 2025; regime and governance 2023 (+2 carried); aid none"."""
    parts = []
    for entry in entries:
        through, carried = entry.get("data_through"), entry.get("carried_years")
        if through is None:
            parts.append(f"{entry['group']} none")
        else:
            parts.append(f"{entry['group']} {through}" + (f" (+{carried} carried)" if carried else ""))
    return "; ".join(parts)


def data_as_of_summary(currency: pd.DataFrame | Sequence[Sequence[Mapping[str, object]]]) -> str:
    """One line for a page: per group, the data year most states have (e.g. "coup history 2025; ...").

    Takes :func:`data_currency`'s frame or a watchlist's ``data_as_of`` lists.
    """
    if not isinstance(currency, pd.DataFrame):
        currency = pd.DataFrame([entry for entries in currency for entry in entries],
                                columns=["group", "data_through", "carried_years"])
    parts = []
    for group, frame in currency.groupby("group", sort=False):
        years = frame["data_through"].dropna()
        parts.append(f"{group} {int(years.mode().max())}" if len(years) else f"{group} none")
    return "; ".join(parts)
