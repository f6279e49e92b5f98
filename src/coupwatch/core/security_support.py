"""Foreign security support over government revenue, per year, each component named with its source.

Components (US$ million, calendar years):

- ``un_peacekeeping``: assessed expenditure of the UN missions hosted (UN Secretariat expenses), apportioned
  from July-June financial years to calendar years by days.
- ``french_operation``: Operation Barkhane's yearly cost (press and expert estimates quoted in
  ``mali_security_presence_costs``; the figures cover the whole Sahel operation, so they overstate Mali's part).
- ``eu_missions``: EUTM Mali and EUCAP Sahel Mali common-cost budgets per mandate, apportioned by days.
- ``us_security_aid``: U.S. security-related aid (Greenbook obligations classified as security capacity or
  governance, U.S. fiscal year).
- ``us_peace_operation_support``: U.S. obligations booked to the country that pay for a mission's or other
  states' troops deployed there (classified ``peace_operation_support``).

Arms deliveries are left out: SIPRI values them in trend-indicator values, not dollars. Euro and CFA franc
amounts become dollars at the year's rate implied by IMF WEO (GDP in CFA francs / GDP in US$) and the fixed
parity of 655.957 CFA francs per euro. Revenue comes with grants (IMF WEO general government revenue) and
without (the Global Macro Database's WDI column: central government revenue excluding grants).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from coupwatch.core import donors
from coupwatch.core.panel import DataSource

CFA_PER_EUR = 655.957  # the CFA franc's fixed parity with the euro since 1999
PRESENCE_COUNTRY = 432  # the quoted-costs table is about Mali only


@dataclass(frozen=True)
class Component:
    label: str
    source: str
    note: str


COMPONENTS = {
    "un_peacekeeping": Component("UN peacekeeping mission(s) in the country", "un_peacekeeping_expenses",
                                 "assessed mission expenditure (UN budget-performance reports)"),
    "french_operation": Component("French military operation (Barkhane)", "mali_security_presence_costs",
                                  "press/expert estimate of the yearly cost of the whole Sahel operation"),
    "eu_missions": Component("EU missions (EUTM Mali, EUCAP Sahel Mali)", "mali_security_presence_costs",
                             "common-cost budgets per mandate set by EU Council decisions, spread over the "
                             "mandate by days (contributors' national costs excluded)"),
    "us_security_aid": Component("U.S. security aid (capacity + governance)", "greenbook_obligations",
                                 "Greenbook obligations classified as security capacity or governance, U.S. "
                                 "fiscal year"),
    "us_peace_operation_support": Component(
        "U.S. support to peace operations in the country", "greenbook_obligations",
        "Greenbook obligations the classification attributes to a mission's or other states' troops deployed in "
        "the country (e.g. FY2012 PKO for AFISMA), not to the host's forces"),
}
# Quoted periods that give only their end: the start we assume, and why.
ASSUMED_STARTS = {
    ("EUCAP Sahel Mali", dt.date(2021, 1, 14)): (
        dt.date(2019, 1, 15),
        "the February 2019 decision extended the mandate that had run to 14 January 2019 (quoted in the "
        "2017-18 row's page), so its budget covers 15 January 2019 to 14 January 2021",
    ),
}
EU_OPERATIONS = ("EUTM Mali", "EUCAP Sahel Mali")
FRENCH_OPERATIONS = ("Barkhane",)
_FULL_YEAR = 0.999
_ANNUALISE_FROM = 0.9


def usd_per_eur(weo: pd.DataFrame, gwcode: int) -> pd.Series:
    """US$ per euro by year, implied by WEO's GDP in CFA francs and in US$ for a CFA franc country."""
    rows = weo[(weo["gw_match"] == "mapped") & (weo["gwcode"] == gwcode)]
    wide = rows.pivot_table(index="year", columns="subject_code", values="value", aggfunc="first")
    if not {"NGDP", "NGDPD"} <= set(wide.columns):
        return pd.Series(dtype="float64")
    cfa_per_usd = wide["NGDP"] / wide["NGDPD"]
    return (CFA_PER_EUR / cfa_per_usd).rename("usd_per_eur")


def _in_usd_m(amount: float, currency: str, rate: float) -> float:
    if currency == "USD":
        return amount / 1e6
    if currency == "EUR":
        return amount * rate / 1e6
    if currency == "XOF":
        return amount / CFA_PER_EUR * rate / 1e6
    raise ValueError(f"no conversion for currency {currency!r} (USD, EUR, XOF are known)")


def presence_components(costs: pd.DataFrame, rates: pd.Series, first_year: int, last_year: int) -> pd.DataFrame:
    """year, component, usd_m, estimate for the French operation and the EU missions (Mali's quoted costs)."""
    rows: list[dict[Any, Any]] = []
    rate_of: dict[int, float] = {int(y): float(r) for y, r in zip(rates.index.tolist(), rates.tolist(), strict=True)}
    french = costs[costs["operation"].isin(FRENCH_OPERATIONS) & costs["per_year"].astype(bool)]
    for cost in french.to_dict("records"):
        year = pd.Timestamp(cost["period_start"]).year
        if first_year <= year <= last_year and year in rate_of:
            rows.append({"year": year, "component": "french_operation", "estimate": True,
                         "usd_m": _in_usd_m(float(cost["amount"]), str(cost["currency"]), rate_of[year])})
    eu = costs[costs["operation"].isin(EU_OPERATIONS)].copy()
    starts: list[object] = []
    for mandate in eu.to_dict("records"):
        start = mandate["period_start"]
        if pd.isna(start):
            assumed = ASSUMED_STARTS.get((str(mandate["operation"]), pd.Timestamp(mandate["period_end"]).date()))
            start = pd.Timestamp(assumed[0]) if assumed is not None else pd.NaT
        starts.append(start)
    eu["period_start"] = pd.to_datetime(pd.Series(starts, index=eu.index, dtype=object))
    eu = eu.dropna(subset=["period_start"]).reset_index(drop=True)
    spread = donors.apportion_to_years(eu, "amount", ["operation", "currency"])
    spread = spread[spread["year"].between(first_year, last_year) & spread["year"].isin(list(rate_of))]
    spread["usd_m"] = [_in_usd_m(float(a), str(c), rate_of[int(y)]) for a, c, y in
                       zip(spread["amount"], spread["currency"], spread["year"], strict=True)]
    missions = spread.groupby(["year", "operation"], as_index=False)[["usd_m", "covered"]].sum()
    # A mission-year whose mandates in the data cover 90% or more of the year is scaled to the whole year
    # (an estimate); less is left out. The EU total counts only when every mission's year is known.
    missions = missions[missions["covered"] >= _ANNUALISE_FROM]
    missions["estimate"] = missions["covered"] < _FULL_YEAR
    missions["usd_m"] = missions["usd_m"] / missions["covered"].clip(upper=1.0)
    known = missions.groupby("year")["operation"].nunique()
    missions = missions[missions["year"].isin(known[known == len(EU_OPERATIONS)].index)]
    eu_years = missions.groupby("year", as_index=False).agg(usd_m=("usd_m", "sum"), estimate=("estimate", "max"))
    rows.extend(eu_years.assign(component="eu_missions").to_dict("records"))
    return pd.DataFrame(rows, columns=["year", "component", "usd_m", "estimate"])


def components(
    gwcode: int,
    first_year: int,
    last_year: int,
    peacekeeping: pd.DataFrame,
    costs: pd.DataFrame,
    weo: pd.DataFrame,
    us_security_aid_usd: pd.Series,
    us_peace_operation_support_usd: pd.Series | None = None,
) -> pd.DataFrame:
    """year, component, usd_m, estimate, source: every component of foreign security support known per year.

    ``peacekeeping`` is the ``un_peacekeeping_expenses`` table, ``costs`` ``mali_security_presence_costs``,
    ``us_security_aid_usd`` the panel's U.S. security aid by year (US$).
    """
    parts: list[pd.DataFrame] = []
    missions = donors.peace_operations(peacekeeping)
    missions = missions[(missions["gwcode"] == gwcode) & missions["year"].between(first_year, last_year)]
    if len(missions):
        parts.append(missions.groupby("year", as_index=False).agg(usd_m=("value", "sum")).assign(
            component="un_peacekeeping", estimate=False))
    if gwcode == PRESENCE_COUNTRY:
        parts.append(presence_components(costs, usd_per_eur(weo, gwcode), first_year, last_year))
    for name, series in (("us_security_aid", us_security_aid_usd),
                         ("us_peace_operation_support", us_peace_operation_support_usd)):
        if series is None:
            continue
        us = series.dropna()
        us = us[(us.index >= first_year) & (us.index <= last_year)]
        if len(us):
            parts.append(pd.DataFrame({"year": us.index.astype(int), "usd_m": us.to_numpy(dtype="float64") / 1e6,
                                       "component": name, "estimate": False}))
    if not parts:
        return pd.DataFrame(columns=["year", "component", "usd_m", "estimate", "source"])
    out = pd.concat([p[["year", "component", "usd_m", "estimate"]] for p in parts if len(p)], ignore_index=True)
    out["source"] = out["component"].map(lambda c: COMPONENTS[c].source)
    return out.sort_values(["year", "component"], ignore_index=True)


def revenue_without_grants_usd_bn(gmd: pd.DataFrame, gdp_usd_bn: pd.Series, gwcode: int) -> pd.Series:
    """Central government revenue excluding grants (GMD's WDI column, % of GDP) x GDP in US$ bn, by year."""
    rows = gmd[(gmd["gw_match"] == "mapped") & (gmd["gwcode"] == gwcode)].set_index("year")["WDI"].astype("float64")
    return (rows / 100 * gdp_usd_bn.reindex(rows.index)).dropna().rename("revenue_without_grants_usd_bn")


def dependence(parts: pd.DataFrame, revenue_usd_bn: pd.Series, revenue_without_grants_usd_bn: pd.Series,
               first_year: int, last_year: int) -> pd.DataFrame:
    """Per year: each component (US$ m), the total, which components are missing or estimates, and the total
    as a percent of revenue with and without grants (only when no component is missing)."""
    amounts: dict[Any, dict[Any, Any]] = parts.pivot_table(
        index="year", columns="component", values="usd_m", aggfunc="sum").to_dict("index")
    estimated: dict[Any, Any] = parts[parts["estimate"].astype(bool)].groupby("year")["component"].agg(
        lambda c: sorted(set(c))).to_dict()
    with_by_year: dict[Any, Any] = revenue_usd_bn.to_dict()
    without_by_year: dict[Any, Any] = revenue_without_grants_usd_bn.to_dict()
    rows: list[dict[str, object]] = []
    for year in range(first_year, last_year + 1):
        row: dict[str, object] = {"year": year}
        present: dict[str, float] = {}
        for name in COMPONENTS:
            value = float(amounts.get(year, {}).get(name, float("nan")))
            row[f"{name}_usd_m"] = value
            if not math.isnan(value):
                present[name] = value
        total = sum(present.values()) if present else float("nan")
        with_grants = float(with_by_year.get(year, float("nan"))) * 1e3
        without = float(without_by_year.get(year, float("nan"))) * 1e3
        # A ratio is shown only when every component is known: a partial sum would understate dependence.
        complete = len(present) == len(COMPONENTS)
        row.update({
            "total_usd_m": total,
            "missing_components": ", ".join(n for n in COMPONENTS if n not in present),
            "estimated_components": ", ".join(estimated.get(year, [])),
            "revenue_with_grants_usd_m": with_grants,
            "pct_of_revenue_with_grants": total / with_grants * 100 if complete and with_grants > 0 else float("nan"),
            "revenue_without_grants_usd_m": without,
            "pct_of_revenue_without_grants": total / without * 100 if complete and without > 0 else float("nan"),
        })
        rows.append(row)
    return pd.DataFrame(rows)


def for_country(data: DataSource, gwcode: int, panel_rows: pd.DataFrame, first_year: int,
                last_year: int) -> pd.DataFrame:
    """:func:`dependence` for one state from a panel data source (``data.table(name)``) and its panel rows
    (year, us_security_aid_usd, revenue_usd_bn, gdp_usd_bn: add_economy and add_assistance columns)."""
    table = data.table
    rows = panel_rows.set_index("year")
    parts = components(gwcode, first_year, last_year, table("un_peacekeeping_expenses"),
                       table("mali_security_presence_costs"), table("weo"), rows["us_security_aid_usd"],
                       rows["aid_peace_operation_support_usd"])
    without = revenue_without_grants_usd_bn(table("gmd_govrev"), rows["gdp_usd_bn"], gwcode)
    return dependence(parts, rows["revenue_usd_bn"], without, first_year, last_year)
