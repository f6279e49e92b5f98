"""Panel adders for mass mobilisation, protest, campaigns, regime episodes and coup timing.

Each adder follows :mod:`coupwatch.core.panel`'s rules: it never changes the row count, its columns are documented,
and values are missing (never zero) outside a source's coverage. Counts are zero inside coverage when the source
lists nothing for a state-year only where the source is a complete list (NAVCO campaigns, Colpus coups,
Powell & Thyne events); Mass Mobilization marks its own zero years, so a country-year it omits stays missing.
"""

from __future__ import annotations

import pandas as pd

from coupwatch.core import panel as pn
from coupwatch.core.panel import (
    ColumnDoc,
    DataSource,
    _add_yearly,
    _document,
    _keys,
    _source,
    _yearly,
    mapped,
    merge_columns,
    panel_unit,
    within_coverage,
)

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
_document(
    "add_mobilisation",
    [ColumnDoc(name, f"{text}, V-Dem v14 (1970-2023)", "vdem_v14_mobilisation", "latent scale")
     for name, text in MOBILISATION.items()],
)


def add_mobilisation(panel: pd.DataFrame, data: DataSource | None = None) -> pd.DataFrame:
    """Mass mobilisation, pro-democracy and pro-autocrat mobilisation, political violence, polarisation and
    assembly (V-Dem v14, 1970-2023, latent scale; missing before 1970 and after 2023)."""
    panel_unit(panel)
    table = _source(data).table("vdem_v14_mobilisation")
    return _add_yearly(panel, _yearly(table, {c: c for c in MOBILISATION}, table="vdem_v14_mobilisation"))


# ---------------------------------------------------------------------------------------------------------
# Regime episodes (V-Dem ERT v15, to 2024)
# ---------------------------------------------------------------------------------------------------------

_document(
    "add_episodes",
    [
        ColumnDoc("ert_regime", "Regimes of the World 0-3 from V-Dem v15 via ERT (to 2024)", "vdem_ert", "0-3"),
        ColumnDoc("ert_polyarchy", "Electoral democracy index, V-Dem v15 via ERT (to 2024)", "vdem_ert", "index"),
        ColumnDoc("autocratisation_episode", "1 while an autocratisation episode is under way (ERT v15, to 2024)",
                  "vdem_ert", "0/1"),
        ColumnDoc("democratisation_episode", "1 while a democratisation episode is under way (ERT v15, to 2024)",
                  "vdem_ert", "0/1"),
    ],
)


def add_episodes(panel: pd.DataFrame, data: DataSource | None = None) -> pd.DataFrame:
    """Regime type, electoral democracy and episodes of autocratisation and democratisation (ERT v15)."""
    panel_unit(panel)
    table = _source(data).table("vdem_ert")
    values = _yearly(
        table,
        {"v2x_regime": "ert_regime", "v2x_polyarchy": "ert_polyarchy", "aut_ep": "autocratisation_episode",
         "dem_ep": "democratisation_episode"},
        table="vdem_ert",
    )
    return _add_yearly(panel, values)


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

_document(
    "add_protest",
    [ColumnDoc(name, text, "mm_country_year", "count") for name, text in MM_COLUMNS.values()]
    + [
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
    ],
)


def _campaign_years(campaigns: pd.DataFrame) -> pd.DataFrame:
    """One row per campaign and year it was active (BYEAR to EYEAR inclusive)."""
    rows = mapped(campaigns).dropna(subset=["BYEAR", "EYEAR"]).reset_index(drop=True)
    lengths = (rows["EYEAR"] - rows["BYEAR"] + 1).astype("int64").to_numpy()
    spans = rows.loc[rows.index.repeat(lengths)]
    offset = spans.groupby(level=0).cumcount()
    return spans.assign(year=spans["BYEAR"].astype("int64") + offset).astype({"gwcode": "int64"})


def add_protest(panel: pd.DataFrame, data: DataSource | None = None) -> pd.DataFrame:
    """Protest events (Mass Mobilization, 1990-2019), mass campaigns (NAVCO 1.3, to 2019), protest-backed coups
    (Colpus, 1946-2020) and domestic instability (Banks CNTS via Powell 2012, 1960-1999)."""
    panel_unit(panel)
    source = _source(data)
    # MM lists unified Germany (from October 1990) beside West Germany in 1990: both are GW 260, so rows that
    # land on one state-year add up.
    mm = (
        mapped(source.table("mm_country_year")).rename(columns={k: v for k, (v, _) in MM_COLUMNS.items()})
        .astype({"gwcode": "int64", "year": "int64"})
        .groupby(["gwcode", "year"])[[name for name, _ in MM_COLUMNS.values()]].sum().reset_index()
    )
    out = _add_yearly(panel, mm)
    out = within_coverage(out, [name for name, _ in MM_COLUMNS.values()], 1990, MM_LAST_FULL_YEAR)

    active = _campaign_years(source.table("navco_campaigns"))
    active = active.assign(
        navco_campaigns=1,
        navco_nonviolent_campaigns=active["NONVIOL"].astype(int),
        navco_regime_change_campaigns=active["REGCHANGE"].astype(int),
        navco_campaign_onsets=(active["year"] == active["BYEAR"]).astype(int),
    )
    navco = active.groupby(["gwcode", "year"])[NAVCO_COLUMNS].sum().reset_index()
    out = merge_columns(out, navco, ["gwcode", "year"], fill=dict.fromkeys(NAVCO_COLUMNS, 0))
    out = within_coverage(out, NAVCO_COLUMNS, 1900, NAVCO_LAST_YEAR)

    coups = mapped(source.table("colpus_coups"))
    backers = coups["outsidesupporters"].astype("string").fillna("")
    colpus = (
        coups.assign(colpus_attempts=1, colpus_protester_backed=backers.str.contains(PROTEST_BACKERS).astype(int))
        .astype({"gwcode": "int64", "year": "int64"})
        .groupby(["gwcode", "year"])[COLPUS_COLUMNS].sum().reset_index()
    )
    out = merge_columns(out, colpus, ["gwcode", "year"], fill=dict.fromkeys(COLPUS_COLUMNS, 0))
    out = within_coverage(out, COLPUS_COLUMNS, 1946, COLPUS_LAST_YEAR)

    return _add_yearly(out, _powell2012(source, {"instab": "cnts_instability"}))


# ---------------------------------------------------------------------------------------------------------
# Coup-proofing (Powell 2012 replication data, to 2006)
# ---------------------------------------------------------------------------------------------------------

_document(
    "add_coup_proofing",
    [
        ColumnDoc("counterbalancing", "Counterbalancing of the regular army by other armed forces (Belkin & "
                  "Schofer, as in Powell 2012; to 2006)", "powell2012_covariates", "index"),
        ColumnDoc("military_organisations", "Effective number of military organisations (Pilster & Böhmelt, as in "
                  "Powell 2012; to 2006)", "powell2012_covariates", "count"),
        ColumnDoc("paramilitary_ratio", "Paramilitary personnel per regular soldier (Powell 2012; to 2006)",
                  "powell2012_covariates", "ratio"),
    ],
)


def _powell2012(source: DataSource, columns: dict[str, str]) -> pd.DataFrame:
    """Powell (2012) values per GW state-year, renamed.

    The file splits some states' series over two codes in the same years (the Soviet Union under 364 and 365,
    Germany under 255 and 260, each code carrying different covariates), so rows that land on one state-year
    are combined: each column takes the value present (the first, should both carry one).
    """
    rows = mapped(source.table("powell2012_covariates")).rename(columns=columns)
    rows = rows.astype({"gwcode": "int64", "year": "int64"})
    values = rows.groupby(["gwcode", "year"])[list(columns.values())].first().reset_index()
    return values.dropna(subset=list(columns.values()), how="all")


def add_coup_proofing(panel: pd.DataFrame, data: DataSource | None = None) -> pd.DataFrame:
    """Coup-proofing measures from Powell's (2012) replication data (COW country-years 1960-2006)."""
    panel_unit(panel)
    columns = {"counterbal": "counterbalancing", "EffectiveNumber": "military_organisations",
               "paramilitary": "paramilitary_ratio"}
    return _add_yearly(panel, _powell2012(_source(data), columns))


# ---------------------------------------------------------------------------------------------------------
# Coup timing and scheduled elections
# ---------------------------------------------------------------------------------------------------------

LATE_MONTHS_FROM = 7  # "the last months of the year": July to December
SCHEDULED_EVENTS = ("Vote, As Scheduled", "Upcoming, Scheduled", "Upcoming, Deadline")
_document(
    "add_timing",
    [
        ColumnDoc("pt_attempts_late", "Coup attempts from July to December (Powell & Thyne)", "pt_events", "count"),
        ColumnDoc(
            "exec_vote_scheduled_next_year",
            "1 if REIGN lists a regular executive election for the NEXT year (held as scheduled, or still upcoming "
            "when the list was made in March 2021): a date fixed in advance, so known by the end of this year",
            "reign_elections", "0/1",
        ),
        ColumnDoc("leg_vote_scheduled_next_year", "1 if REIGN lists a regular legislative election for the next "
                  "year (as above)", "reign_elections", "0/1"),
    ],
)
ELECTION_LAST_LISTED_YEAR = 2027  # REIGN lists scheduled elections up to 2027


def add_timing(panel: pd.DataFrame, data: DataSource | None = None) -> pd.DataFrame:
    """Coup attempts in the second half of the year (Powell & Thyne) and regular elections due next year (REIGN).

    ``*_scheduled_next_year`` at year s describes year s + 1: regular elections are set by law or announced
    ahead, so the value is known by the end of year s. Early (called) elections are not counted.
    """
    keys = _keys(panel)
    if "month" in keys:
        raise TypeError("add_timing supports country-year panels only (unit 'country-year')")
    source = _source(data)
    pt = mapped(source.table("pt_events"))
    late = (
        pt[pt["month"] >= LATE_MONTHS_FROM].assign(pt_attempts_late=1).astype({"gwcode": "int64", "year": "int64"})
        .groupby(["gwcode", "year"])[["pt_attempts_late"]].sum().reset_index()
    )
    out = merge_columns(panel, late, ["gwcode", "year"], fill={"pt_attempts_late": 0})
    # the same coverage as add_coups: the release's country-year file says which years it codes
    out = within_coverage(out, ["pt_attempts_late"], 1950, int(source.table("pt_country_year")["year"].max()))

    elections = mapped(source.table("reign_elections"))
    event = elections["event"].astype("string").str.strip()
    scheduled = elections[event.isin(SCHEDULED_EVENTS)]
    kinds = scheduled.assign(
        exec_vote_scheduled_next_year=(scheduled["type"] == "X").astype(int),
        leg_vote_scheduled_next_year=(scheduled["type"] == "L").astype(int),
        year=scheduled["elec_year"].astype("int64") - 1,
    ).astype({"gwcode": "int64"})
    columns = ["exec_vote_scheduled_next_year", "leg_vote_scheduled_next_year"]
    due = kinds.groupby(["gwcode", "year"])[columns].max().reset_index()
    out = merge_columns(out, due, ["gwcode", "year"], fill=dict.fromkeys(columns, 0))
    return within_coverage(out, columns, None, ELECTION_LAST_LISTED_YEAR - 1)


ADD_FUNCTIONS = {
    "add_mobilisation": add_mobilisation,
    "add_episodes": add_episodes,
    "add_protest": add_protest,
    "add_coup_proofing": add_coup_proofing,
    "add_timing": add_timing,
}
# Registered with the panel's adders (coupwatch.core.panel imports this module at its end, so either import order
# works).
pn.ADD_FUNCTIONS.update(ADD_FUNCTIONS)
