"""Economy: GDP, growth, inflation, resource rents and aid dependence (World Bank WDI), population (UN WPP),
government revenue and expenditure (IMF WEO)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from coupwatch.core.panel.joins import add_yearly, mapped, state_year_wide, yearly_values
from coupwatch.core.panel.skeleton import ColumnDoc, DataSource, panel_unit

WDI_ECONOMY = {
    "NY.GDP.PCAP.KD": ("gdp_pc", "GDP per person, constant 2015 US$ (WDI, 2022 vintage, to 2020)", "US$"),
    "NY.GDP.PCAP.KD.ZG": ("gdp_pc_growth", "GDP per person growth (WDI, to 2020)", "percent"),
    "FP.CPI.TOTL.ZG": ("inflation", "Consumer price inflation (WDI, to 2021)", "percent"),
    "NY.GDP.TOTL.RT.ZS": ("resource_rents", "Natural resource rents, percent of GDP (WDI, to 2019)", "percent"),
    "DT.ODA.ODAT.GN.ZS": ("oda_gni", "Net official development assistance received, percent of GNI (WDI, to 2019)",
                          "percent"),
}
WEO_FIRST_PROJECTION_YEAR = 2022
WEO_SUBJECTS = {
    "GGR_NGDP": ("revenue_gdp", "General government revenue incl. grants, percent of GDP (IMF WEO Apr 2022, "
                 "to 2021; no projections)", "percent"),
    "GGX_NGDP": ("govt_expenditure_gdp", "General government expenditure, percent of GDP (IMF WEO Apr 2022)",
                 "percent"),
    "NGDPD": ("gdp_usd_bn", "GDP, current US$ billion (IMF WEO Apr 2022, to 2021)", "US$ bn"),
}
ECONOMY_DOCS = (
    *(ColumnDoc(name, text, "wdi", unit) for name, text, unit in WDI_ECONOMY.values()),
    ColumnDoc("population", "Population (UN World Population Prospects 2024 via Our World in Data, "
              "estimates to 2023)", "population_wpp", "persons"),
    *(ColumnDoc(name, text, "weo", unit) for name, text, unit in WEO_SUBJECTS.values()),
    ColumnDoc("revenue_usd_bn", "General government revenue, current US$ billion, DERIVED as revenue_gdp x "
              "gdp_usd_bn (IMF WEO)", "weo", "US$ bn"),
)


def wdi_wide(frame: pd.DataFrame, indicators: Mapping[str, tuple[str, str, str]]) -> pd.DataFrame:
    """WDI's long rows for ``indicators`` (code -> (column, description, unit)) as one column per indicator."""
    rows = mapped(frame)
    rows = rows[rows["indicator_code"].isin(list(indicators))]
    return state_year_wide(rows, "indicator_code", "value", {code: name for code, (name, _, _) in indicators.items()})


def add_economy(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """GDP per person and growth, inflation, resource rents, aid dependence (WDI); population (UN WPP);
    government revenue and expenditure (IMF WEO April 2022 to 2021: the vintage's projections are left out)."""
    panel_unit(panel)
    out = add_yearly(panel, wdi_wide(data.table("wdi"), WDI_ECONOMY))
    population = yearly_values(data.table("population_wpp"), {"population": "population"}, table="population_wpp")
    out = add_yearly(out, population)
    weo = mapped(data.table("weo"))
    # The April 2022 vintage projects from 2022; 2020-21 are IMF staff estimates where actuals lag.
    weo = weo[(weo["year"] < WEO_FIRST_PROJECTION_YEAR) & weo["subject_code"].isin(list(WEO_SUBJECTS))]
    wide = state_year_wide(weo, "subject_code", "value", {code: name for code, (name, _, _) in WEO_SUBJECTS.items()})
    wide["revenue_usd_bn"] = wide["revenue_gdp"] / 100 * wide["gdp_usd_bn"]
    return add_yearly(out, wide)
