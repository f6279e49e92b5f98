"""Who supports whom: every donor, arms supplier and peace operation, per recipient and year (frames in, frames out).

:func:`support_by_donor` turns the mapped source tables into one long table (source, donor, donor_type,
gwcode, year, kind, value, unit) that keeps donors and suppliers as their own dimension:

- ``arms_deliveries``: SIPRI trend-indicator values (TIV, millions) by supplier and delivery year; a volume
  index of major conventional weapons, never to be added to US$.
- ``oda_net``: OECD DAC2a net ODA by donor, US$ million at current prices (aggregates left out).
- ``peace_operation``: UN peacekeeping mission expenditure apportioned from financial years (July-June) to
  calendar years by days, US$ million; a calendar year appears only when both halves are in the data.

:func:`country_donors` is the per-year view of one country (or a group) used by ``coupwatch donors``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import cache

import pandas as pd

KINDS = {
    "arms_deliveries": "TIV m",
    "oda_net": "US$ m",
    "peace_operation": "US$ m",
}
SUPPORT_COLUMNS = ["source", "donor", "donor_type", "gwcode", "year", "kind", "value", "unit"]
ARMS_FIRST_YEAR, ARMS_LAST_YEAR = 1995, 2024
ODA_FIRST_YEAR, ODA_LAST_YEAR = 2002, 2019
ODA_OFFICIAL_TOTAL = "Official Donors, Total"
UNKNOWN_SUPPLIER = "unknown supplier(s)"
# Days a calendar year must be covered by the periods in the data before its apportioned sum counts.
_FULL_YEAR = 0.999
_NOT_A_COUNTRY = "__not_a_country__"
_STATE_ABBREVIATIONS = {"UAE"}  # SIPRI's name for the United Arab Emirates
# Donor names that contain a country's name but are foundations, lotteries, funds or banks.
_INSTITUTION_WORDS = ("lottery", "foundation", "fund", "bank", "trust", "institution", "organisation")


def _mapped(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["gw_match"] == "mapped"].astype({"gwcode": "int64"})


@cache
def _is_state_name(name: str) -> bool:
    """Whether a donor or supplier name is a country (country_converter knows it), not an institution."""
    from coupwatch.states.crosswalk import country_converter

    if name in _STATE_ABBREVIATIONS:
        return True
    lower = name.lower()
    if name.endswith("*") or "[" in name or lower.startswith(("unknown", "eu ", "un ")) or any(
        word in lower for word in _INSTITUTION_WORDS
    ):
        return False
    iso3 = country_converter().convert(names=[name], to="ISO3", not_found=_NOT_A_COUNTRY)
    return isinstance(iso3, str) and iso3 != _NOT_A_COUNTRY


def donor_type(name: str) -> str:
    """state, organisation, non_state_actor or unknown (SIPRI's marks), else by name."""
    if name.endswith("**"):
        return "organisation"
    if name.endswith("*"):
        return "non_state_actor"
    if name.lower().startswith("unknown"):
        return "unknown"
    return "state" if _is_state_name(name) else "organisation"


def arms_by_supplier(deliveries: pd.DataFrame) -> pd.DataFrame:
    """TIV delivered per recipient state, supplier and year (mapped rows of ``sipri_arms_deliveries``)."""
    rows = _mapped(deliveries)
    out = rows.groupby(["gwcode", "year", "supplier"], as_index=False).agg(value=("tiv_delivered_m", "sum"))
    out = out.rename(columns={"supplier": "donor"})
    out["source"], out["kind"], out["unit"] = "sipri_arms_deliveries", "arms_deliveries", KINDS["arms_deliveries"]
    return out


def oda_by_donor(oda: pd.DataFrame) -> pd.DataFrame:
    """Net ODA per recipient state, donor and year, aggregates left out (mapped rows of ``oda_dac2a``)."""
    rows = _mapped(oda)
    rows = rows[~rows["donor_is_aggregate"].astype(bool)]
    out = rows[["gwcode", "year", "donor", "oda_usd_m"]].rename(columns={"oda_usd_m": "value"})
    out["source"], out["kind"], out["unit"] = "oda_dac2a", "oda_net", KINDS["oda_net"]
    return out


def oda_totals(oda: pd.DataFrame) -> pd.DataFrame:
    """gwcode, year, oda_net_usd_m: the OECD's 'Official Donors, Total' per recipient state and year."""
    rows = _mapped(oda)
    rows = rows[rows["donor"] == ODA_OFFICIAL_TOTAL]
    return rows[["gwcode", "year", "oda_usd_m"]].rename(columns={"oda_usd_m": "oda_net_usd_m"}).reset_index(drop=True)


def apportion_to_years(frame: pd.DataFrame, value: str, keys: Sequence[str]) -> pd.DataFrame:
    """Spread each row's ``value`` over the calendar years of [period_start, period_end] by days.

    Returns ``keys``, year, ``value`` and ``covered`` (the share of that calendar year the periods cover,
    summed over rows; 1 = the whole year is in the data).
    """
    parts: list[dict[str, object]] = []
    for row in frame.itertuples(index=False):
        start, end = pd.Timestamp(str(row.period_start)).date(), pd.Timestamp(str(row.period_end)).date()
        total_days = (end - start).days + 1
        for year in range(start.year, end.year + 1):
            first, last = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
            days = (last - first).days + 1
            year_days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
            parts.append({**{k: getattr(row, k) for k in keys}, "year": year,
                          value: float(getattr(row, value)) * days / total_days, "covered": days / year_days})
    if not parts:
        return pd.DataFrame(columns=[*keys, "year", value, "covered"])
    out = pd.DataFrame(parts)
    return out.groupby([*keys, "year"], as_index=False)[[value, "covered"]].sum()


def peace_operations(expenses: pd.DataFrame) -> pd.DataFrame:
    """Mission expenditure (assessed budgets) per host state, mission and calendar year, US$ million.

    A calendar year counts only when the financial years in the data cover all of it.
    """
    rows = _mapped(expenses)
    rows = rows[rows["source_type"] == "Other Assessed"]
    years = apportion_to_years(rows, "amount_usd", ["gwcode", "mission"])
    years = years[years["covered"] >= _FULL_YEAR]
    out = years.rename(columns={"mission": "donor"}).drop(columns="covered")
    out["donor"] = "UN " + out["donor"].astype(str)
    out["value"] = out.pop("amount_usd") / 1e6
    out["source"], out["kind"], out["unit"] = "un_peacekeeping_expenses", "peace_operation", KINDS["peace_operation"]
    out["donor_type"] = "organisation"
    return out


def support_by_donor(arms: pd.DataFrame, oda: pd.DataFrame, expenses: pd.DataFrame) -> pd.DataFrame:
    """The long donor x recipient x year table of every kind (see the module docstring)."""
    parts = [arms_by_supplier(arms), oda_by_donor(oda)]
    for part in parts:
        part["donor_type"] = part["donor"].map(donor_type)
    parts.append(peace_operations(expenses))
    out = pd.concat([p[SUPPORT_COLUMNS] for p in parts], ignore_index=True)
    out = out.astype({"gwcode": "int64", "year": "int64", "value": "float64"})
    return out.sort_values(["gwcode", "year", "kind", "value"], ascending=[True, True, True, False],
                           ignore_index=True)


# ---------------------------------------------------------------------------------------------------------
# One country's view
# ---------------------------------------------------------------------------------------------------------

def short_name(donor: str) -> str:
    """A donor's short label: the OECD's bracketed abbreviation when it has one ('... [IDA]' -> 'IDA')."""
    if donor.endswith("]") and "[" in donor:
        return donor[donor.rindex("[") + 1:-1]
    return donor


def _top(rows: pd.DataFrame, n: int, unit: str) -> str:
    if rows.empty:
        return ""
    best = rows.sort_values("value", ascending=False).head(n)
    return "; ".join(f"{short_name(d)} {v:,.1f}" for d, v in zip(best["donor"], best["value"], strict=True)) + \
        f" ({unit})"


def country_donors(
    support: pd.DataFrame,
    panel: pd.DataFrame,
    gwcodes: Iterable[int],
    first_year: int,
    last_year: int,
    top: int = 3,
) -> pd.DataFrame:
    """Per country and year: net ODA and its top donors, arms deliveries and their suppliers, peace-operation
    spending, and U.S. security aid split into capacity and governance.

    ``support`` is :func:`support_by_donor`'s table; ``panel`` a country-year panel with iso3, country and the
    add_assistance, add_oda_by_donor and add_peace_operations columns (missing columns read as unknown).
    """
    codes = [int(c) for c in gwcodes]
    years = range(first_year, last_year + 1)
    rows = support[support["gwcode"].isin(codes) & support["year"].between(first_year, last_year)]
    by_key = {key: part for key, part in rows.groupby(["gwcode", "year", "kind"])}
    chosen = panel[panel["gwcode"].isin(codes) & panel["year"].between(first_year, last_year)].set_index(
        ["gwcode", "year"])

    def cell(code: int, year: int, column: str) -> float:
        if column not in chosen.columns or (code, year) not in chosen.index:
            return float("nan")
        value = pd.to_numeric(pd.Series([chosen.at[(code, year), column]]), errors="coerce").iloc[0]
        return float(value)

    out: list[dict[str, object]] = []
    names = panel.drop_duplicates("gwcode").set_index("gwcode")
    for code in codes:
        for year in years:
            oda = by_key.get((code, year, "oda_net"), rows.iloc[:0])
            arms = by_key.get((code, year, "arms_deliveries"), rows.iloc[:0])
            peace = by_key.get((code, year, "peace_operation"), rows.iloc[:0])
            arms_known = ARMS_FIRST_YEAR <= year <= ARMS_LAST_YEAR
            oda_known = ODA_FIRST_YEAR <= year <= ODA_LAST_YEAR
            bilateral = oda[oda["donor_type"] == "state"]
            out.append({
                "iso3": names.at[code, "iso3"] if code in names.index else "",
                "country": names.at[code, "country"] if code in names.index else str(code),
                "year": year,
                "oda_net_usd_m": cell(code, year, "oda_net_usd_m") if oda_known else float("nan"),
                "oda_top_donors": _top(oda, top, "US$ m") if oda_known else "",
                "oda_top_bilateral": (bilateral.sort_values("value").iloc[-1]["donor"] if len(bilateral) else "")
                if oda_known else "",
                "arms_tiv_m": float(arms["value"].sum()) if arms_known else float("nan"),
                "arms_suppliers": _top(arms, top, "TIV m") if arms_known else "",
                # The panel's column reads 0 inside the UN table's complete years and missing outside them.
                "peace_operations_usd_m": cell(code, year, "un_peacekeeping_usd_m"),
                "peace_operations": _top(peace, top, "US$ m"),
                "us_security_capacity_usd_m": cell(code, year, "aid_security_capacity_usd") / 1e6,
                "us_security_governance_usd_m": cell(code, year, "aid_security_governance_usd") / 1e6,
            })
    frame = pd.DataFrame(out)
    money = ["us_security_capacity_usd_m", "us_security_governance_usd_m"]
    frame[money] = frame[money].round(3)  # to the thousand dollars
    return frame


def supplier_totals(support: pd.DataFrame, gwcodes: Iterable[int], first_year: int, last_year: int,
                    kind: str = "arms_deliveries") -> pd.DataFrame:
    """donor, value: the sum over ``first_year``-``last_year`` for the countries, largest first."""
    rows = support[support["gwcode"].isin([int(c) for c in gwcodes]) & (support["kind"] == kind)
                   & support["year"].between(first_year, last_year)]
    totals = rows.groupby("donor", as_index=False).agg(value=("value", "sum"))
    return totals.sort_values("value", ascending=False, ignore_index=True)


def arms_shift(support: pd.DataFrame, gwcode: int, split_year: int = 2020, first_year: int = 2013,
               last_year: int = ARMS_LAST_YEAR) -> pd.DataFrame:
    """Supplier shares of TIV before (first_year..split_year) and after (split_year+1..last_year)."""
    before = supplier_totals(support, [gwcode], first_year, split_year).set_index("donor")["value"]
    after = supplier_totals(support, [gwcode], split_year + 1, last_year).set_index("donor")["value"]
    out = pd.DataFrame({"before": before, "after": after}).fillna(0.0)
    out["share_before"] = out["before"] / out["before"].sum() if out["before"].sum() else 0.0
    out["share_after"] = out["after"] / out["after"].sum() if out["after"].sum() else 0.0
    out.attrs.update({"before": f"{first_year}-{split_year}", "after": f"{split_year + 1}-{last_year}"})
    return out.sort_values("after", ascending=False).rename_axis("supplier").reset_index()


def _share_text(shares: pd.Series, n: int = 3) -> str:
    best = shares[shares > 0].sort_values(ascending=False).head(n)
    return ", ".join(f"{supplier} {share:.0%}" for supplier, share in best.items()) or "none"


def findings(support: pd.DataFrame, gwcode: int, name: str, first_year: int, last_year: int,
             split_year: int = 2020) -> list[str]:
    """Plain sentences on one country, computed from the data: who dominates ODA, and how arms supply
    moved after ``split_year`` (SIPRI TIV shares before and after)."""
    lines: list[str] = []
    oda_first, oda_last = max(first_year, ODA_FIRST_YEAR), min(last_year, ODA_LAST_YEAR)
    if oda_first <= oda_last:
        oda = supplier_totals(support, [gwcode], oda_first, oda_last, kind="oda_net")
        total = float(oda["value"].sum())
        if total > 0:
            top = oda.head(4)
            listing = ", ".join(f"{short_name(d)} {v:,.0f} ({v / total:.0%})" for d, v in
                                zip(top["donor"], top["value"], strict=True))
            lines.append(f"{name}, net ODA {oda_first}-{oda_last} (OECD DAC2a, US$ m): {total:,.0f} summed over "
                         f"every donor listed (private foundations included); largest {listing}.")
            states = oda[oda["donor"].map(donor_type) == "state"].head(3)
            lines.append(f"Largest bilateral donors {oda_first}-{oda_last}: " + ", ".join(
                f"{d} {v:,.0f}" for d, v in zip(states["donor"], states["value"], strict=True)) + ".")
    before_first = max(first_year, ARMS_FIRST_YEAR)
    if before_first <= split_year < min(last_year, ARMS_LAST_YEAR):
        shift = arms_shift(support, gwcode, split_year, before_first, min(last_year, ARMS_LAST_YEAR))
        if shift["before"].sum() > 0 or shift["after"].sum() > 0:
            indexed = shift.set_index("supplier")
            lines.append(
                f"Arms deliveries (SIPRI TIV m): {indexed['before'].sum():,.1f} in {shift.attrs['before']} "
                f"({_share_text(indexed['share_before'])}) against {indexed['after'].sum():,.1f} in "
                f"{shift.attrs['after']} ({_share_text(indexed['share_after'])}).")
    return lines
