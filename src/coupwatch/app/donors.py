"""Warehouse-side inputs for ``coupwatch donors``, the donors section of briefs and the API (I/O at the edge).

Reads the ``support_by_donor`` table and the panel's ODA and U.S. assistance columns for the chosen states
and hands them to :mod:`coupwatch.core.donors`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from coupwatch.app.analysis import region_gwcodes
from coupwatch.core import donors
from coupwatch.errors import CoupwatchError
from coupwatch.store.reader import MissingTableError, Warehouse

PANEL_COLUMNS = ("gwcode", "year", "iso3", "country", "oda_net_usd_m", "un_peacekeeping_usd_m",
                 "aid_security_capacity_usd", "aid_security_governance_usd")
NOTES = {
    "oda": "OECD DAC2a net ODA, all sectors, US$ million at current prices, 2002-2019 (aggregates left out of the "
    "donor ranking); total ODA cannot be split into security and governance",
    "arms": "SIPRI trade register, TIV million (a volume index of major conventional weapons, not US$), delivery "
    "years 1995-2024; year values are noisy, compare multi-year sums",
    "peace_operations": "UN Secretariat expenses: assessed mission expenditure apportioned from July-June "
    "financial years to calendar years (complete years 2019-2022); the cost of the mission, not money to the "
    "host state",
    "us_security_aid": "USAID Greenbook obligations by U.S. fiscal year (to FY2020), split into capacity and "
    "governance by the assistance classification",
}


def _read(warehouse: Warehouse, gwcodes: Sequence[int], first_year: int,
          last_year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    try:
        support = warehouse.table("support_by_donor", gwcodes)
    except MissingTableError:
        raise CoupwatchError("the warehouse has no support_by_donor table; rebuild it with `coupwatch data build`") \
            from None
    panel = warehouse.panel_rows(gwcodes, first_year, last_year, PANEL_COLUMNS)
    return support, panel


def donors_view(country: str | None = None, region: str | None = None, first_year: int = 2002,
                last_year: int = 2024, top: int = 3) -> tuple[pd.DataFrame, dict[str, object]]:
    """Per country and year: top ODA donors, arms by supplier, peace operations, U.S. security aid; and notes
    (what each column rests on, and the findings per country)."""
    if first_year > last_year:
        raise CoupwatchError(f"--from {first_year} is after --to {last_year}")
    if (country is None) == (region is None):
        raise CoupwatchError("give a country (ISO3, e.g. MLI) or --region sahel|west_africa|africa, not both")
    with Warehouse() as warehouse:
        states = warehouse.states()
        gwcodes = region_gwcodes(region, states) if region else [states.lookup(str(country))]
        support, panel = _read(warehouse, gwcodes, first_year, last_year)
    if panel.empty:
        raise CoupwatchError(f"{country or region}: no state existed in {first_year}-{last_year}")
    present = [c for c in gwcodes if c in set(panel["gwcode"])]
    frame = donors.country_donors(support, panel, present, first_year, last_year, top=top)
    frame = frame.merge(panel[["gwcode", "year"]].assign(iso3=panel["iso3"]), on=["iso3", "year"], how="inner")
    frame = frame.drop(columns="gwcode")
    labels = panel.drop_duplicates("gwcode").set_index("gwcode")[["iso3", "country"]]
    found = {str(labels.at[c, "iso3"]): donors.findings(support, c, str(labels.at[c, "country"]), first_year,
                                                        last_year) for c in present}
    return frame.reset_index(drop=True), {**NOTES, "findings": found}
