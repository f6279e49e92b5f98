"""The military: spending (SIPRI), armed forces and arms imports (WDI from IISS and SIPRI), and coup-proofing
(Powell's 2012 replication data)."""

from __future__ import annotations

import pandas as pd

from coupwatch.core.panel.economy import wdi_wide
from coupwatch.core.panel.joins import add_yearly, mapped, yearly_values
from coupwatch.core.panel.skeleton import ColumnDoc, DataSource, panel_unit

MILEX_DOCS = (
    ColumnDoc("milex_gdp", "Military expenditure, percent of GDP (SIPRI)", "sipri_milex", "percent"),
    ColumnDoc("milex_govt", "Military expenditure, percent of government spending (SIPRI, from 1988)",
              "sipri_milex", "percent"),
    ColumnDoc("milex_const2024_usd_m", "Military expenditure, constant 2024 US$ million (SIPRI)",
              "sipri_milex", "US$ m"),
    ColumnDoc("milex_current_usd_m", "Military expenditure, current US$ million (SIPRI)", "sipri_milex", "US$ m"),
    ColumnDoc("milex_per_capita_usd", "Military expenditure per person, current US$ (SIPRI, from 1988)",
              "sipri_milex", "US$"),
    ColumnDoc("milex_gdp_status", "SIPRI's quality mark on milex_gdp: value, estimate (blue), uncertain (red)",
              "sipri_milex"),
    ColumnDoc(
        "govt_spending_usd_m",
        "Government spending, current US$ million, DERIVED as SIPRI military spending divided by its share "
        "of government spending",
        "sipri_milex",
        "US$ m",
    ),
)
WDI_MILITARY = {
    "MS.MIL.TOTL.P1": ("armed_forces", "Armed forces personnel (WDI from IISS, to 2019)", "persons"),
    "MS.MIL.TOTL.TF.ZS": ("armed_forces_labour", "Armed forces personnel, percent of labour force (WDI)", "percent"),
    "MS.MIL.MPRT.KD": ("arms_imports_tiv", "Arms imports, SIPRI trend-indicator values (WDI, to 2020)", "TIV"),
}
WDI_MILITARY_DOCS = tuple(ColumnDoc(name, text, "wdi", unit) for name, text, unit in WDI_MILITARY.values())


def add_milex(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """SIPRI military expenditure: share of GDP and of government spending, levels, per capita; armed forces
    and arms imports (WDI)."""
    panel_unit(panel)
    values = yearly_values(
        data.table("sipri_milex"),
        {
            "milex_share_gdp": "milex_gdp",
            "milex_share_govt_spending": "milex_govt",
            "milex_const2024_usd_m": "milex_const2024_usd_m",
            "milex_current_usd_m": "milex_current_usd_m",
            "milex_per_capita_usd": "milex_per_capita_usd",
        },
        table="sipri_milex",
        labels={"milex_share_gdp_status": "milex_gdp_status"},
    )
    values["milex_gdp"] = values["milex_gdp"] * 100
    values["milex_govt"] = values["milex_govt"] * 100
    values["govt_spending_usd_m"] = values["milex_current_usd_m"] / (values["milex_govt"] / 100)
    out = add_yearly(panel, values)
    return add_yearly(out, wdi_wide(data.table("wdi"), WDI_MILITARY))


# ---------------------------------------------------------------------------------------------------------
# Coup-proofing (Powell 2012 replication data, to 2006)
# ---------------------------------------------------------------------------------------------------------

COUP_PROOFING_DOCS = (
    ColumnDoc("counterbalancing", "Counterbalancing of the regular army by other armed forces (Belkin & "
              "Schofer, as in Powell 2012; to 2006)", "powell2012_covariates", "index"),
    ColumnDoc("military_organisations", "Effective number of military organisations (Pilster & Böhmelt, as in "
              "Powell 2012; to 2006)", "powell2012_covariates", "count"),
    ColumnDoc("paramilitary_ratio", "Paramilitary personnel per regular soldier (Powell 2012; to 2006)",
              "powell2012_covariates", "ratio"),
)


def powell2012_values(data: DataSource, columns: dict[str, str]) -> pd.DataFrame:
    """Powell (2012) values per GW state-year, renamed.

    The file splits some states' series over two codes in the same years (the Soviet Union under 364 and 365,
    Germany under 255 and 260, each code carrying different covariates), so rows that land on one state-year
    are combined: each column takes the value present (the first, should both carry one).
    """
    rows = mapped(data.table("powell2012_covariates")).rename(columns=columns)
    rows = rows.astype({"gwcode": "int64", "year": "int64"})
    values = rows.groupby(["gwcode", "year"])[list(columns.values())].first().reset_index()
    return values.dropna(subset=list(columns.values()), how="all")


def add_coup_proofing(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """Coup-proofing measures from Powell's (2012) replication data (COW country-years 1960-2006)."""
    panel_unit(panel)
    columns = {"counterbal": "counterbalancing", "EffectiveNumber": "military_organisations",
               "paramilitary": "paramilitary_ratio"}
    return add_yearly(panel, powell2012_values(data, columns))
