"""Armed conflict (UCDP/PRIO Armed Conflict Dataset) and deaths in organised violence (UCDP GED country-year)."""

from __future__ import annotations

import pandas as pd

from coupwatch.core.panel.joins import mapped, merge_columns, within_coverage, yearly_values
from coupwatch.core.panel.skeleton import ColumnDoc, DataSource, panel_unit

CONFLICT_DOCS = (
    ColumnDoc("ucdp_conflicts", "Active state-based armed conflicts located in the country (UCDP/PRIO ACD v25.1)",
              "ucdp_acd_locations", "count"),
    ColumnDoc("ucdp_internal_conflicts", "Active intrastate or internationalised intrastate conflicts in the "
              "country (ACD types 3 and 4)", "ucdp_acd_locations", "count"),
    ColumnDoc("ucdp_interstate_conflicts", "Active interstate conflicts located in the country (ACD type 2)",
              "ucdp_acd_locations", "count"),
    ColumnDoc("ucdp_war", "1 if any conflict in the country reached 1,000 battle deaths (intensity 2)",
              "ucdp_acd_locations", "0/1"),
    ColumnDoc("ucdp_max_intensity", "Highest conflict intensity in the country: 0 none, 1 minor, 2 war",
              "ucdp_acd_locations", "0-2"),
    ColumnDoc("ged_state_based_deaths", "Deaths in state-based violence, best estimate (UCDP GED country-year "
              "v25.1, from 1989)", "ucdp_ged_cy", "deaths"),
    ColumnDoc("ged_nonstate_deaths", "Deaths in non-state violence, best estimate (UCDP, from 1989)",
              "ucdp_ged_cy", "deaths"),
    ColumnDoc("ged_onesided_deaths", "Civilians killed in one-sided violence by any actor, best estimate (UCDP)",
              "ucdp_ged_cy", "deaths"),
    ColumnDoc("ged_govt_killings", "Civilians killed by the country's own government, best estimate (UCDP)",
              "ucdp_ged_cy", "deaths"),
    ColumnDoc("ged_total_deaths", "All deaths in organised violence, best estimate (UCDP)", "ucdp_ged_cy",
              "deaths"),
)
ACD_FIRST_YEAR = 1946
GED_FIRST_YEAR = 1989


def add_conflict(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """Armed conflict (UCDP/PRIO ACD) and deaths in organised violence (UCDP GED country-year)."""
    panel_unit(panel)
    acd = mapped(data.table("ucdp_acd_locations"))
    acd_last = int(acd["year"].max())
    kinds = acd.assign(
        ucdp_conflicts=1,
        ucdp_internal_conflicts=acd["type_of_conflict"].isin([3, 4]).astype(int),
        ucdp_interstate_conflicts=(acd["type_of_conflict"] == 2).astype(int),
        ucdp_war=(acd["intensity_level"] == 2).astype(int),
        ucdp_max_intensity=acd["intensity_level"].astype(int),
    ).astype({"gwcode": "int64", "year": "int64"})
    counts = kinds.groupby(["gwcode", "year"]).agg(
        ucdp_conflicts=("ucdp_conflicts", "sum"),
        ucdp_internal_conflicts=("ucdp_internal_conflicts", "sum"),
        ucdp_interstate_conflicts=("ucdp_interstate_conflicts", "sum"),
        ucdp_war=("ucdp_war", "max"),
        ucdp_max_intensity=("ucdp_max_intensity", "max"),
    ).reset_index()
    acd_columns = [c for c in counts.columns if c not in ("gwcode", "year")]
    out = merge_columns(panel, counts, ["gwcode", "year"], fill=dict.fromkeys(acd_columns, 0))
    out = within_coverage(out, acd_columns, ACD_FIRST_YEAR, acd_last)
    ged = yearly_values(
        data.table("ucdp_ged_cy"),
        {
            "sb_total_deaths_best_cy": "ged_state_based_deaths",
            "ns_total_deaths_best_cy": "ged_nonstate_deaths",
            "os_total_deaths_best_cy": "ged_onesided_deaths",
            "os_main_govt_killings_best_cy": "ged_govt_killings",
            "cumulative_total_deaths_in_orgvio_best_cy": "ged_total_deaths",
        },
        year_column="year_cy",
        table="ucdp_ged_cy",
    )
    ged_columns = [c for c in ged.columns if c not in ("gwcode", "year")]
    out = merge_columns(out, ged, ["gwcode", "year"])
    ged_last = int(ged["year"].max())
    covered = (out["year"] >= GED_FIRST_YEAR) & (out["year"] <= ged_last)
    for column in ged_columns:
        out[column] = out[column].astype("Float64")
        out.loc[covered, column] = out.loc[covered, column].fillna(0)
    return out
