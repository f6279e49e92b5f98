"""Support from every donor: arms imports by supplier (SIPRI), net ODA by donor (OECD DAC2a)
and UN peace operations in the country (UN Secretariat expenses).

Each adder keeps the panel's rows, sets its columns to missing outside the source's coverage, and reads 0
(not missing) for a state-year inside the coverage with nothing recorded. The donor x recipient x year detail
stays in the warehouse table ``support_by_donor`` (:func:`coupwatch.core.donors.support_by_donor`).
"""

from __future__ import annotations

import pandas as pd

from coupwatch.core import donors
from coupwatch.core.panel.joins import add_yearly, within_coverage
from coupwatch.core.panel.skeleton import ColumnDoc, DataSource, panel_unit

# Suppliers and donors shown as their own panel columns: the ones the Sahel's story turns on.
ARMS_SUPPLIER_COLUMNS = {
    "Russia": "arms_tiv_russia_m",
    "China": "arms_tiv_china_m",
    "United States": "arms_tiv_us_m",
    "France": "arms_tiv_france_m",
    "Turkiye": "arms_tiv_turkiye_m",
}
ODA_DONOR_COLUMNS = {
    "United States": "oda_us_usd_m",
    "France": "oda_france_usd_m",
    "EU Institutions": "oda_eu_usd_m",
    "International Development Association [IDA]": "oda_ida_usd_m",
}

ARMS_IMPORTS_DOCS = (
    ColumnDoc("arms_imports_tiv_m", "Arms imports from all suppliers: SIPRI TIV of major conventional weapons "
              "delivered in the year (trade register, 1995-2024; a volume index, not US$)",
              "sipri_arms_deliveries", "TIV m"),
    ColumnDoc("arms_suppliers_n", "Number of suppliers delivering major conventional weapons in the year "
              "(SIPRI; 'unknown supplier(s)' counts as one)", "sipri_arms_deliveries", "count"),
    ColumnDoc("arms_top_supplier", "Largest supplier by TIV delivered in the year (SIPRI's name)",
              "sipri_arms_deliveries"),
    ColumnDoc("arms_top_supplier_share", "Largest supplier's share of the year's TIV delivered",
              "sipri_arms_deliveries", "0-1"),
    *(ColumnDoc(column, f"Arms imports from {supplier}, SIPRI TIV delivered in the year", "sipri_arms_deliveries",
                "TIV m")
      for supplier, column in ARMS_SUPPLIER_COLUMNS.items()),
)


def add_arms_imports(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """Arms imports (SIPRI TIV) from all suppliers, the largest supplier, and the main suppliers' TIV."""
    panel_unit(panel)
    by_supplier = donors.arms_by_supplier(data.table("sipri_arms_deliveries"))
    keys = ["gwcode", "year"]
    grouped = by_supplier.groupby(keys)["value"]
    values = pd.DataFrame({"arms_imports_tiv_m": grouped.sum(), "arms_suppliers_n": grouped.size()})
    top = by_supplier.sort_values("value", ascending=False).drop_duplicates(keys).set_index(keys)
    values["arms_top_supplier"] = top["donor"].astype(object)
    total = values["arms_imports_tiv_m"]
    values["arms_top_supplier_share"] = (top["value"] / total).where(total > 0)
    wide = by_supplier[by_supplier["donor"].isin(list(ARMS_SUPPLIER_COLUMNS))].pivot_table(
        index=keys, columns="donor", values="value", aggfunc="sum").rename(columns=ARMS_SUPPLIER_COLUMNS)
    values = values.join(wide, how="left").reset_index()
    values.columns.name = None
    counts = ["arms_imports_tiv_m", "arms_suppliers_n", *ARMS_SUPPLIER_COLUMNS.values()]
    for column in counts:
        if column not in values:
            values[column] = 0.0
    out = add_yearly(panel, values[[*keys, *counts, "arms_top_supplier", "arms_top_supplier_share"]])
    for column in counts:
        out[column] = out[column].astype("float64").fillna(0.0)
    out = within_coverage(out, counts, donors.ARMS_FIRST_YEAR, donors.ARMS_LAST_YEAR)
    out["arms_suppliers_n"] = out["arms_suppliers_n"].astype("Int64")
    return out


ODA_BY_DONOR_DOCS = (
    ColumnDoc("oda_net_usd_m", "Net ODA received from all official donors ('Official Donors, Total'), US$ "
              "million at current prices (OECD DAC2a, 2002-2019)", "oda_dac2a", "US$ m"),
    ColumnDoc("oda_top_donor", "Largest ODA donor of the year, bilateral or multilateral (OECD DAC2a)",
              "oda_dac2a"),
    ColumnDoc("oda_top_donor_usd_m", "Net ODA from the largest donor, US$ million", "oda_dac2a", "US$ m"),
    ColumnDoc("oda_top_bilateral_donor", "Largest bilateral (state) ODA donor of the year (OECD DAC2a)",
              "oda_dac2a"),
    ColumnDoc("oda_top_bilateral_usd_m", "Net ODA from the largest bilateral donor, US$ million", "oda_dac2a",
              "US$ m"),
    *(ColumnDoc(column, f"Net ODA from {donor}, US$ million at current prices (OECD DAC2a)", "oda_dac2a", "US$ m")
      for donor, column in ODA_DONOR_COLUMNS.items()),
)


def add_oda_by_donor(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """Net ODA received (all official donors), the largest donor and bilateral donor, and main donors' ODA."""
    panel_unit(panel)
    table = data.table("oda_dac2a")
    by_donor = donors.oda_by_donor(table)
    keys = ["gwcode", "year"]
    values = donors.oda_totals(table).set_index(keys)
    ranked = by_donor.sort_values("value", ascending=False)
    top = ranked.drop_duplicates(keys).set_index(keys)
    values = values.join(top[["donor", "value"]].rename(
        columns={"donor": "oda_top_donor", "value": "oda_top_donor_usd_m"}), how="outer")
    states = ranked[ranked["donor"].map(donors.donor_type) == "state"].drop_duplicates(keys).set_index(keys)
    values = values.join(states[["donor", "value"]].rename(
        columns={"donor": "oda_top_bilateral_donor", "value": "oda_top_bilateral_usd_m"}), how="left")
    wide = by_donor[by_donor["donor"].isin(list(ODA_DONOR_COLUMNS))].pivot_table(
        index=keys, columns="donor", values="value", aggfunc="sum").rename(columns=ODA_DONOR_COLUMNS)
    values = values.join(wide, how="left").reset_index()
    values.columns.name = None
    amounts = ["oda_net_usd_m", *ODA_DONOR_COLUMNS.values()]
    for column in amounts:
        if column not in values:
            values[column] = float("nan")
    for column in ("oda_top_donor", "oda_top_bilateral_donor"):
        values[column] = values[column].astype(object)
    out = add_yearly(panel, values)
    covered = out["year"].between(donors.ODA_FIRST_YEAR, donors.ODA_LAST_YEAR)
    for column in amounts:
        out[column] = out[column].astype("float64")
        out.loc[covered, column] = out.loc[covered, column].fillna(0.0)
    return within_coverage(out, [*amounts, "oda_top_donor_usd_m", "oda_top_bilateral_usd_m"],
                           donors.ODA_FIRST_YEAR, donors.ODA_LAST_YEAR)


PEACE_OPERATIONS_DOCS = (
    ColumnDoc("un_peacekeeping_usd_m", "UN peacekeeping missions hosted: assessed mission expenditure, US$ "
              "million, apportioned from July-June financial years to the calendar year by days (UN "
              "Secretariat expenses; complete calendar years 2019-2022). The cost of the missions, not money "
              "given to the host state", "un_peacekeeping_expenses", "US$ m"),
    ColumnDoc("un_peacekeeping_missions", "UN peacekeeping missions hosted in the year",
              "un_peacekeeping_expenses"),
)


def add_peace_operations(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """UN peacekeeping spending in the host country per calendar year, and the missions."""
    panel_unit(panel)
    operations = donors.peace_operations(data.table("un_peacekeeping_expenses"))
    keys = ["gwcode", "year"]
    values = operations.groupby(keys).agg(
        un_peacekeeping_usd_m=("value", "sum"),
        un_peacekeeping_missions=("donor", lambda names: ", ".join(sorted(set(names)))),
    ).reset_index()
    out = add_yearly(panel, values)
    first, last = (int(operations["year"].min()), int(operations["year"].max())) if len(operations) else (0, -1)
    covered = out["year"].between(first, last)
    out["un_peacekeeping_usd_m"] = out["un_peacekeeping_usd_m"].astype("float64")
    out.loc[covered, "un_peacekeeping_usd_m"] = out.loc[covered, "un_peacekeeping_usd_m"].fillna(0.0)
    out["un_peacekeeping_missions"] = out["un_peacekeeping_missions"].astype(object)
    return within_coverage(out, ["un_peacekeeping_usd_m"], first, last)

