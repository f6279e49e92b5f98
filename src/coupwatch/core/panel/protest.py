"""Mass mobilisation and protest: V-Dem v14 mobilisation, protest events (Mass Mobilization), campaigns (NAVCO),
protest-backed coups (Colpus) and domestic instability (Banks CNTS via Powell 2012).

Each adder follows :mod:`coupwatch.core.panel.joins`' rules: it never changes the row count, its columns are documented,
and values are missing (never zero) outside a source's coverage. Counts are zero inside coverage when the source
lists nothing for a state-year only where the source is a complete list (NAVCO campaigns, Colpus coups,
Powell & Thyne events); Mass Mobilization marks its own zero years, so a country-year it omits stays missing.
"""

from __future__ import annotations

import pandas as pd

from coupwatch.core.panel.joins import add_yearly, mapped, merge_columns, within_coverage, yearly_values
from coupwatch.core.panel.military import powell2012_values
from coupwatch.core.panel.skeleton import ColumnDoc, DataSource, panel_unit

# ---------------------------------------------------------------------------------------------------------
# V-Dem v14 mobilisation and civic space
# ---------------------------------------------------------------------------------------------------------

MOBILISATION = {
    "v2cagenmob": "Mass mobilisation: frequency and size of mass mobilisation events (latent, higher = more)",
    "v2caconmob": "Mobilisation concentrated in the capital (higher) rather than spread across the country",
    "v2cademmob": "Mobilisation for democracy: events for pro-democratic aims (latent, higher = more)",
    "v2caautmob": "Mobilisation for autocracy: events in support of non-democratic rulers (latent, higher = more)",
    "v2caviol": "Political violence by non-state actors (latent, higher = more)",
    "v2cacamps": "Political polarisation into antagonistic camps (latent, higher = more)",
    "v2caassemb": "Freedom of peaceful assembly (latent, higher = freer)",
    "v2exl_legitperf": "Government legitimation by performance (latent, higher = more)",
}
MOBILISATION_DOCS = tuple(
    ColumnDoc(name, f"{text}, V-Dem v14 (1970-2023)", "vdem_v14_mobilisation", "latent scale")
    for name, text in MOBILISATION.items()
)


def add_mobilisation(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """Mass mobilisation, pro-democracy and pro-autocrat mobilisation, political violence, polarisation and
    assembly (V-Dem v14, 1970-2023, latent scale; missing before 1970 and after 2023)."""
    panel_unit(panel)
    table = data.table("vdem_v14_mobilisation")
    return add_yearly(panel, yearly_values(table, {c: c for c in MOBILISATION}, table="vdem_v14_mobilisation"))


# ---------------------------------------------------------------------------------------------------------
# Protest events (Mass Mobilization), campaigns (NAVCO), protest-backed coups (Colpus), unrest (Banks CNTS)
# ---------------------------------------------------------------------------------------------------------

MM_LAST_FULL_YEAR = 2019  # the release ends on 31 March 2020
MM_COLUMNS = {
    "n_events": ("mm_protests", "Protests of 50+ people with demands on the government (Mass Mobilization, "
                 "1990-2019; 2020 is partial and left missing)"),
    "n_protester_violence": ("mm_violent_protests", "Protests in which protesters used violence (MM)"),
    "n_demand_removal_of_politician": ("mm_removal_protests", "Protests demanding the removal of a politician (MM)"),
    "n_demand_political_behavior_process": ("mm_political_protests",
                                            "Protests demanding a change in political behaviour or process (MM)"),
    "n_participants_5000plus": ("mm_large_protests", "Protests of 5,000 people or more (MM; size missing for many "
                                "events before 2014, so undercounted then)"),
    "n_state_killings": ("mm_protests_met_with_killings", "Protests the state met with killings (MM)"),
}
NAVCO_COLUMNS = ["navco_campaigns", "navco_nonviolent_campaigns", "navco_regime_change_campaigns",
                 "navco_campaign_onsets"]
COLPUS_COLUMNS = ["colpus_attempts", "colpus_protester_backed"]
NAVCO_LAST_YEAR = 2019
COLPUS_LAST_YEAR = 2020  # the list ends with Mali, 18 August 2020
# Colpus's free-text civilian backers that stand for street mobilisation.
PROTEST_BACKERS = r"(?i)protest|demonstrat|student|popular|uprising|crowd"

PROTEST_DOCS = (
    *(ColumnDoc(name, text, "mm_country_year", "count") for name, text in MM_COLUMNS.values()),
    ColumnDoc("navco_campaigns", "Maximalist campaigns (>= 1,000 participants) active in the year, NAVCO 1.3 "
              "(to 2019)", "navco_campaigns", "count"),
    ColumnDoc("navco_nonviolent_campaigns", "Primarily nonviolent campaigns active in the year (NAVCO)",
              "navco_campaigns", "count"),
    ColumnDoc("navco_regime_change_campaigns", "Campaigns for regime change active in the year (NAVCO)",
              "navco_campaigns", "count"),
    ColumnDoc("navco_campaign_onsets", "Campaigns that began in the year (NAVCO)", "navco_campaigns", "count"),
    ColumnDoc("colpus_attempts", "Coup attempts, Colpus (1946-2020)", "colpus_coups", "count"),
    ColumnDoc("colpus_protester_backed", "Coup attempts Colpus lists as backed by protesters, students or a "
              "popular movement (1946-2020)", "colpus_coups", "count"),
    ColumnDoc("cnts_instability", "Domestic instability (Banks' Cross-National Time-Series, as in Powell "
              "2012; 1960-1999)", "powell2012_covariates", "index"),
)


def _campaign_years(campaigns: pd.DataFrame) -> pd.DataFrame:
    """One row per campaign and year it was active (BYEAR to EYEAR inclusive)."""
    rows = mapped(campaigns).dropna(subset=["BYEAR", "EYEAR"]).reset_index(drop=True)
    lengths = (rows["EYEAR"] - rows["BYEAR"] + 1).astype("int64").to_numpy()
    spans = rows.loc[rows.index.repeat(lengths)]
    offset = spans.groupby(level=0).cumcount()
    return spans.assign(year=spans["BYEAR"].astype("int64") + offset).astype({"gwcode": "int64"})


def add_protest(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """Protest events (Mass Mobilization, 1990-2019), mass campaigns (NAVCO 1.3, to 2019), protest-backed coups
    (Colpus, 1946-2020) and domestic instability (Banks CNTS via Powell 2012, 1960-1999)."""
    panel_unit(panel)
    # MM lists unified Germany (from October 1990) beside West Germany in 1990: both are GW 260, so rows that
    # land on one state-year add up.
    mm = (
        mapped(data.table("mm_country_year")).rename(columns={k: v for k, (v, _) in MM_COLUMNS.items()})
        .astype({"gwcode": "int64", "year": "int64"})
        .groupby(["gwcode", "year"])[[name for name, _ in MM_COLUMNS.values()]].sum().reset_index()
    )
    out = add_yearly(panel, mm)
    out = within_coverage(out, [name for name, _ in MM_COLUMNS.values()], 1990, MM_LAST_FULL_YEAR)

    active = _campaign_years(data.table("navco_campaigns"))
    active = active.assign(
        navco_campaigns=1,
        navco_nonviolent_campaigns=active["NONVIOL"].astype(int),
        navco_regime_change_campaigns=active["REGCHANGE"].astype(int),
        navco_campaign_onsets=(active["year"] == active["BYEAR"]).astype(int),
    )
    navco = active.groupby(["gwcode", "year"])[NAVCO_COLUMNS].sum().reset_index()
    out = merge_columns(out, navco, ["gwcode", "year"], fill=dict.fromkeys(NAVCO_COLUMNS, 0))
    out = within_coverage(out, NAVCO_COLUMNS, 1900, NAVCO_LAST_YEAR)

    coups = mapped(data.table("colpus_coups"))
    backers = coups["outsidesupporters"].astype("string").fillna("")
    colpus = (
        coups.assign(colpus_attempts=1, colpus_protester_backed=backers.str.contains(PROTEST_BACKERS).astype(int))
        .astype({"gwcode": "int64", "year": "int64"})
        .groupby(["gwcode", "year"])[COLPUS_COLUMNS].sum().reset_index()
    )
    out = merge_columns(out, colpus, ["gwcode", "year"], fill=dict.fromkeys(COLPUS_COLUMNS, 0))
    out = within_coverage(out, COLPUS_COLUMNS, 1946, COLPUS_LAST_YEAR)

    return add_yearly(out, powell2012_values(data, {"instab": "cnts_instability"}))
