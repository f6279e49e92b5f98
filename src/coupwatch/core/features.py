"""Forecast features: one row per state and year t, built only from what was known by the end of year t-1.

Every feature is computed on the panel as a value for year s ("state at s") and then attached to year t = s + 1
by a merge on (gwcode, year - 1): no value of year t or later can reach the row of year t. Series that stop
before the last year (V-Dem v12 ends 2021, WDI 2020) are carried forward from their last known value for at
most ``CARRY_FORWARD_YEARS`` years, which uses only the past; the share of missing values per feature is
reported by :func:`missing_report`, and missing values stay missing (the models handle them explicitly).

Pure core: a panel frame in, a feature frame out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

CARRY_FORWARD_YEARS = 3
# Feature rows go this many years past the panel's last year (its last year with observed coups), so the next
# years can be forecast: the panel's values are carried forward into them as into any year a source lacks.
YEARS_AHEAD = 2
PANEL_ID_COLUMNS = ["gwcode", "year", "iso3", "gwc", "country", "region", "subregion", "africa", "microstate"]
OUTCOMES = {"attempt": "pt_attempt", "success": "pt_success"}
KEYS = ["gwcode", "year"]


@dataclass(frozen=True)
class Feature:
    """A forecast feature: what it measures, where it comes from, and its group (for reports)."""

    name: str
    description: str
    source: str
    group: str


FEATURES: dict[str, Feature] = {}


def _feature(name: str, description: str, source: str, group: str) -> None:
    FEATURES[name] = Feature(name, description, source, group)


# Coup history (Powell & Thyne) ------------------------------------------------------------------------------
_feature("years_since_attempt", "Years since the last coup attempt (since 1950 or independence if none)",
         "Powell & Thyne", "coup history")
_feature("years_since_success", "Years since the last successful coup", "Powell & Thyne", "coup history")
_feature("log_years_since_attempt", "log(1 + years since the last coup attempt)", "Powell & Thyne", "coup history")
_feature("log_years_since_success", "log(1 + years since the last successful coup)", "Powell & Thyne",
         "coup history")
_feature("attempts_5y", "Coup attempts in the last 5 years", "Powell & Thyne", "coup history")
_feature("attempts_10y", "Coup attempts in the last 10 years", "Powell & Thyne", "coup history")
_feature("successes_10y", "Successful coups in the last 10 years", "Powell & Thyne", "coup history")
_feature("attempts_ever", "Coup attempts since 1950", "Powell & Thyne", "coup history")
_feature("attempt_last_year", "1 if a coup attempt took place last year", "Powell & Thyne", "coup history")
# Contagion ------------------------------------------------------------------------------------------------
_feature("region_attempts", "Coup attempts elsewhere in the same region last year", "Powell & Thyne", "contagion")
_feature("neighbour_attempts", "Coup attempts elsewhere in the same UN sub-region last year (stands in for "
         "neighbours: no contiguity data at hand)", "Powell & Thyne", "contagion")
_feature("world_attempts", "Coup attempts in the world last year", "Powell & Thyne", "contagion")
_feature("cdp_events_5y", "Coups, attempts and conspiracies in the last 5 years (Cline Center CDP, to 2022)",
         "Cline Center CDP", "coup history")
_feature("cdp_conspiracies_5y", "Coup conspiracies (plots stopped before action) in the last 5 years (CDP)",
         "Cline Center CDP", "coup history")
_feature("region_attempts_3y", "Coup attempts elsewhere in the region over the last 3 years", "Powell & Thyne",
         "contagion")
# Regime and governance --------------------------------------------------------------------------------------
for _name, _text in {
    "v2x_polyarchy": "Electoral democracy (V-Dem)",
    "v2x_jucon": "Judicial constraints on the executive (V-Dem)",
    "v2xlg_legcon": "Legislative constraints on the executive (V-Dem)",
    "v2x_cspart": "Civil society participation (V-Dem)",
    "v2x_corr": "Political corruption (V-Dem)",
    "v2x_clphy": "Physical violence index: freedom from political killings and torture (V-Dem)",
    "v2x_ex_military": "Military dimension of the executive (V-Dem)",
    "v2x_neopat": "Neopatrimonial rule (V-Dem)",
    "v2x_civlib": "Civil liberties (V-Dem)",
    "v2xcs_ccsi": "Core civil society index (V-Dem v14 where available, else v12)",
    "v2x_horacc_osp": "Horizontal accountability (V-Dem v14 where available, else v12)",
    "v2x_veracc_osp": "Vertical accountability (V-Dem v14 where available, else v12)",
}.items():
    _feature(_name, _text, "V-Dem", "regime and governance")
_feature("polyarchy_change_3y", "Change in electoral democracy over 3 years", "V-Dem", "regime and governance")
_feature("regime_type", "Regimes of the World: 0 closed autocracy .. 3 liberal democracy", "V-Dem",
         "regime and governance")
_feature("anocracy", "1 if Polity2 is between -5 and 5", "Polity5", "regime and governance")
_feature("polity2", "Polity2 score", "Polity5", "regime and governance")
_feature("military_regime", "1 if the GWF regime type involves the military", "REIGN (GWF)", "regime and governance")
_feature("personalist_regime", "1 if the GWF regime type is personalist", "REIGN (GWF)", "regime and governance")
_feature("provisional_regime", "1 if the GWF regime is provisional", "REIGN (GWF)", "regime and governance")
for _code, _text in {"pv": "political stability", "ge": "government effectiveness", "rl": "rule of law",
                     "va": "voice and accountability", "cc": "control of corruption"}.items():
    _feature(f"wgi_{_code}", f"WGI {_text}", "WGI", "regime and governance")
# Military ---------------------------------------------------------------------------------------------------
_feature("milex_gdp", "Military spending, percent of GDP", "SIPRI", "military")
_feature("milex_govt", "Military spending, percent of government spending", "SIPRI", "military")
_feature("milex_gdp_change_1y", "Change in military spending share of GDP over 1 year (points)", "SIPRI", "military")
_feature("milex_gdp_change_3y", "Change in military spending share of GDP over 3 years (points)", "SIPRI",
         "military")
_feature("milex_gdp_change_5y", "Change in military spending share of GDP over 5 years (points)", "SIPRI",
         "military")
_feature("milex_growth_5y", "Growth of real military spending over 5 years (log ratio, constant US$)", "SIPRI",
         "military")
_feature("log_milex_per_capita", "Military spending per person, log current US$", "SIPRI", "military")
_feature("log_armed_forces_per_1000", "Armed forces per 1,000 people, log", "WDI (IISS)", "military")
# Economy ----------------------------------------------------------------------------------------------------
_feature("log_gdp_pc", "GDP per person, log constant 2015 US$", "WDI", "economy")
_feature("gdp_pc_growth", "GDP per person growth, percent", "WDI", "economy")
_feature("growth_3y", "Average GDP per person growth over 3 years", "WDI", "economy")
_feature("inflation_log", "Inflation, signed log(1 + |percent|)", "WDI", "economy")
_feature("resource_rents", "Natural resource rents, percent of GDP", "WDI", "economy")
_feature("log_population", "Population, log", "UN WPP", "economy")
_feature("revenue_gdp", "Government revenue incl. grants, percent of GDP", "IMF WEO", "economy")
_feature("oda_gni", "Net ODA received, percent of GNI", "WDI", "economy")
# Conflict ---------------------------------------------------------------------------------------------------
_feature("internal_conflict", "1 if an intrastate armed conflict was active in the country", "UCDP/PRIO ACD",
         "conflict")
_feature("conflict_intensity", "Highest conflict intensity: 0 none, 1 minor, 2 war", "UCDP/PRIO ACD", "conflict")
_feature("years_at_war", "Consecutive years with an active armed conflict in the country", "UCDP/PRIO ACD",
         "conflict")
_feature("conflict_deaths_log", "Deaths in organised violence, log(1 + best estimate)", "UCDP GED", "conflict")
_feature("govt_killings_log", "Civilians killed by the government, log(1 + best estimate)", "UCDP GED", "conflict")
# Leaders ----------------------------------------------------------------------------------------------------
_feature("leader_tenure_log", "Leader's tenure, log(1 + years)", "REIGN", "leaders")
_feature("leader_military", "Leader's military career (1, 0.5 or 0)", "REIGN", "leaders")
_feature("leader_age", "Leader's age (after REIGN's last update in 2021, the leader then in office is assumed to "
         "remain and age)", "REIGN", "leaders")
_feature("years_since_exec_vote", "Years since the last executive election (after REIGN's 2020 data, counted on "
         "as if none was held)", "REIGN", "leaders")
_feature("years_since_leg_vote", "Years since the last legislative election", "REIGN", "leaders")
_feature("election_delays_3y", "Elections delayed or past their legal deadline in the last 3 years", "REIGN",
         "leaders")
_feature("elections_voided_5y", "Elections voided or ended by regime failure in the last 5 years", "REIGN",
         "leaders")
_feature("irregular_entry", "1 if the leader came to power irregularly", "Archigos (to 2015)", "leaders")
_feature("leader_changes", "Leaders who left office during the year", "Archigos (to 2015)", "leaders")
# Aid --------------------------------------------------------------------------------------------------------
_feature("us_aid_per_capita_log", "U.S. assistance obligations per person, signed log(1 + |US$|)",
         "ForeignAssistance.gov", "aid")
_feature("us_aid_gdp", "U.S. assistance obligations, percent of GDP", "ForeignAssistance.gov, IMF WEO", "aid")
_feature("imet_per_capita_log", "IMET obligations per million people, signed log(1 + |US$|)", "Greenbook", "aid")
_feature("security_capacity_aid_log", "U.S. security capacity aid per person, signed log(1 + |US$|)", "Greenbook",
         "aid")
_feature("capacity_without_governance", "Military burden growth over 5 years x (1 - judicial constraints): "
         "build-up of the military without institutions that constrain it", "SIPRI, V-Dem", "aid")
# Protest and mobilisation ----------------------------------------------------------------------------------
_feature("mobilisation", "Mass mobilisation (V-Dem v2cagenmob, latent scale)", "V-Dem v14", "protest")
_feature("mobilisation_change", "Change in mass mobilisation over 1 year", "V-Dem v14", "protest")
_feature("prodemocracy_mobilisation", "Mobilisation for democracy (V-Dem v2cademmob)", "V-Dem v14", "protest")
_feature("proautocrat_mobilisation", "Mobilisation for autocracy (V-Dem v2caautmob)", "V-Dem v14", "protest")
_feature("political_violence", "Political violence by non-state actors (V-Dem v2caviol)", "V-Dem v14", "protest")
_feature("polarisation", "Political polarisation (V-Dem v2cacamps)", "V-Dem v14", "protest")
_feature("protests_log", "Anti-government protests, log(1 + count) (Mass Mobilization, to 2019)",
         "Mass Mobilization", "protest")
_feature("removal_protests_log", "Protests demanding the removal of a politician, log(1 + count) (Mass "
         "Mobilization, to 2019)", "Mass Mobilization", "protest")
_feature("mass_campaign", "1 if a maximalist mass campaign was under way (NAVCO 1.3, to 2019)", "NAVCO", "protest")
_feature("exec_election_due", "1 if a regular executive election is scheduled for the forecast year (REIGN's "
         "list of March 2021, known in advance; to 2027)", "REIGN", "protest")
_feature("attempt_late_last_year", "1 if a coup attempt took place from July to December of last year",
         "Powell & Thyne", "protest")
_feature("autocratisation_episode", "1 if an autocratisation episode was under way (V-Dem ERT v15, to 2024)",
         "V-Dem ERT", "protest")

HISTORY_FEATURES = ("years_since_attempt", "years_since_success", "log_years_since_attempt",
                    "log_years_since_success", "attempts_5y", "attempts_10y", "successes_10y", "attempts_ever",
                    "attempt_last_year")

# Panel columns that may be carried forward past their source's last year (values, not outcomes).
CARRIED_COLUMNS = (
    "v2x_polyarchy", "v2x_jucon", "v2xlg_legcon", "v2x_cspart", "v2x_corr", "v2x_clphy", "v2x_ex_military",
    "v2x_neopat", "v2x_civlib", "v2xcs_ccsi", "v2x_horacc_osp", "v2x_veracc_osp", "v2x_regime", "polity2",
    "gwf_regime", "wgi_pv", "wgi_ge", "wgi_rl", "wgi_va", "wgi_cc", "milex_gdp", "milex_govt",
    "milex_const2024_usd_m", "milex_per_capita_usd", "armed_forces", "gdp_pc", "gdp_pc_growth", "inflation",
    "resource_rents", "population", "revenue_gdp", "gdp_usd_bn", "oda_gni", "leader_military_career",
    "reign_leader_tenure_years", "leader_age", "us_aid_obligations_usd", "gb_imet_usd",
    "aid_security_capacity_usd", "v2cagenmob", "v2cademmob", "v2caautmob", "v2caviol", "v2cacamps",
    "mm_protests", "mm_removal_protests", "navco_campaigns", "autocratisation_episode",
)
# Carried forward, these grow by one a year: the leader in office at the source's last update is assumed to stay.
AGEING_COLUMNS = ("reign_leader_tenure_years", "leader_age")


def _carry_forward(panel: pd.DataFrame, limit: int) -> pd.DataFrame:
    out = panel.sort_values(KEYS).copy()
    present = [c for c in CARRIED_COLUMNS if c in out.columns]
    ageing = [c for c in AGEING_COLUMNS if c in out.columns]
    known_year = {c: out["year"].where(out[c].notna()).groupby(out["gwcode"]).ffill(limit=limit) for c in ageing}
    out[present] = out.groupby("gwcode")[present].ffill(limit=limit)
    for column in ageing:
        out[column] = out[column] + (out["year"] - known_year[column])
    return out


def _rolling_sum(frame: pd.DataFrame, column: str, window: int) -> pd.Series:
    return frame.groupby("gwcode")[column].transform(lambda s: s.rolling(window, min_periods=1).sum())


def _years_since(frame: pd.DataFrame, indicator: str, first_year: pd.Series) -> pd.Series:
    """Years since the last year with ``indicator`` > 0, counting from ``first_year`` when there was none."""
    event_year = frame["year"].where(frame[indicator].fillna(0) > 0)
    last = event_year.groupby(frame["gwcode"]).ffill()
    return (frame["year"] - last.fillna(first_year - 1)).astype("float64")


def _change(frame: pd.DataFrame, column: str, years: int) -> pd.Series:
    past = frame[["gwcode", "year", column]].assign(year=frame["year"] + years)
    merged = frame[["gwcode", "year"]].merge(past, on=KEYS, how="left", suffixes=("", "_past"))
    return (frame[column].to_numpy() - merged[column].to_numpy()).astype("float64")


def _others_in_group(frame: pd.DataFrame, group: str, column: str) -> pd.Series:
    total = frame.groupby([group, "year"])[column].transform("sum")
    return (total - frame[column].fillna(0)).astype("float64")


def _consecutive(flag: pd.Series, by: pd.Series) -> pd.Series:
    """Run length of consecutive truthy values, per group."""
    flag = flag.fillna(0).astype(bool)
    breaks = (~flag).groupby(by).cumsum()
    return flag.groupby([by, breaks]).cumsum().astype("float64")


def _signed_log(values: pd.Series) -> pd.Series:
    return np.sign(values) * np.log1p(values.abs())


def state_values(panel: pd.DataFrame, carry_forward: int = CARRY_FORWARD_YEARS) -> pd.DataFrame:
    """Every feature's value for the state in year s (to be attached to year s + 1)."""
    frame = _carry_forward(panel, carry_forward)
    frame = frame[frame["year"] >= 1950].reset_index(drop=True)
    out = frame[KEYS].copy()
    first_year = frame.groupby("gwcode")["year"].transform("min").clip(lower=1950)

    attempts = frame["pt_attempts"].astype("float64")
    frame = frame.assign(_attempts=attempts, _successes=frame["pt_successes"].astype("float64"))
    out["years_since_attempt"] = _years_since(frame, "_attempts", first_year)
    out["years_since_success"] = _years_since(frame, "_successes", first_year)
    out["log_years_since_attempt"] = np.log1p(out["years_since_attempt"])
    out["log_years_since_success"] = np.log1p(out["years_since_success"])
    out["attempts_5y"] = _rolling_sum(frame, "_attempts", 5)
    out["attempts_10y"] = _rolling_sum(frame, "_attempts", 10)
    out["successes_10y"] = _rolling_sum(frame, "_successes", 10)
    out["attempts_ever"] = frame.groupby("gwcode")["_attempts"].cumsum()
    out["attempt_last_year"] = (attempts > 0).astype("float64").where(attempts.notna())

    cdp_events = frame["cdp_events"].astype("float64")
    cdp_covered = cdp_events.notna()
    out["cdp_events_5y"] = _rolling_sum(frame.assign(_cdp=cdp_events), "_cdp", 5).where(cdp_covered)
    out["cdp_conspiracies_5y"] = _rolling_sum(
        frame.assign(_plots=frame["cdp_conspiracies"].astype("float64")), "_plots", 5
    ).where(cdp_covered)

    out["region_attempts"] = _others_in_group(frame, "region", "_attempts")
    out["neighbour_attempts"] = _others_in_group(frame, "subregion", "_attempts")
    out["world_attempts"] = frame.groupby("year")["_attempts"].transform("sum") - attempts.fillna(0)
    frame["_region_others"] = out["region_attempts"]
    out["region_attempts_3y"] = _rolling_sum(frame, "_region_others", 3)

    for column in ("v2x_polyarchy", "v2x_jucon", "v2xlg_legcon", "v2x_cspart", "v2x_corr", "v2x_clphy",
                   "v2x_ex_military", "v2x_neopat", "v2x_civlib"):
        out[column] = frame[column].astype("float64")
    for column in ("v2xcs_ccsi", "v2x_horacc_osp", "v2x_veracc_osp"):
        newer = frame.get(f"{column}_v14")
        values = frame[column].astype("float64")
        out[column] = values if newer is None else newer.astype("float64").fillna(values)
    out["polyarchy_change_3y"] = _change(frame, "v2x_polyarchy", 3)
    out["regime_type"] = frame["v2x_regime"].astype("float64")
    polity = frame["polity2"].astype("float64")
    out["polity2"] = polity
    out["anocracy"] = polity.between(-5, 5).astype("float64").where(polity.notna())
    regime = frame["gwf_regime"].astype("string")
    for name, pattern in (("military_regime", "military"), ("personalist_regime", "personal"),
                          ("provisional_regime", "provisional")):
        out[name] = regime.str.contains(pattern).astype("float64").where(regime.notna())
    for code in ("pv", "ge", "rl", "va", "cc"):
        out[f"wgi_{code}"] = frame[f"wgi_{code}"].astype("float64")

    out["milex_gdp"] = frame["milex_gdp"].astype("float64")
    out["milex_govt"] = frame["milex_govt"].astype("float64")
    for years in (1, 3, 5):
        out[f"milex_gdp_change_{years}y"] = _change(frame, "milex_gdp", years)
    real = np.log(frame["milex_const2024_usd_m"].astype("float64").where(lambda v: v > 0))
    out["milex_growth_5y"] = _change(frame.assign(_log_real=real), "_log_real", 5)
    out["log_milex_per_capita"] = np.log1p(frame["milex_per_capita_usd"].astype("float64"))
    population = frame["population"].astype("float64")
    out["log_armed_forces_per_1000"] = np.log1p(frame["armed_forces"].astype("float64") / population * 1000)

    out["log_gdp_pc"] = np.log(frame["gdp_pc"].astype("float64"))
    out["gdp_pc_growth"] = frame["gdp_pc_growth"].astype("float64")
    out["growth_3y"] = frame.groupby("gwcode")["gdp_pc_growth"].transform(
        lambda s: s.astype("float64").rolling(3, min_periods=2).mean()
    )
    out["inflation_log"] = _signed_log(frame["inflation"].astype("float64"))
    out["resource_rents"] = frame["resource_rents"].astype("float64")
    out["log_population"] = np.log(population)
    out["revenue_gdp"] = frame["revenue_gdp"].astype("float64")
    out["oda_gni"] = frame["oda_gni"].astype("float64")

    conflicts = frame["ucdp_internal_conflicts"].astype("float64")
    out["internal_conflict"] = (conflicts > 0).astype("float64").where(conflicts.notna())
    out["conflict_intensity"] = frame["ucdp_max_intensity"].astype("float64")
    out["years_at_war"] = _consecutive(frame["ucdp_conflicts"].astype("float64") > 0, frame["gwcode"])
    out["conflict_deaths_log"] = np.log1p(frame["ged_total_deaths"].astype("float64"))
    out["govt_killings_log"] = np.log1p(frame["ged_govt_killings"].astype("float64"))

    out["leader_tenure_log"] = np.log1p(frame["reign_leader_tenure_years"].astype("float64").clip(lower=0))
    out["leader_military"] = frame["leader_military_career"].astype("float64")
    out["leader_age"] = frame["leader_age"].astype("float64")
    # After the election list ends, years since the last vote keep counting for CARRY_FORWARD years (as if no
    # election was held); counts of delays and voided elections are unknown there.
    covered = frame["exec_votes"].notna()
    last_covered = frame["year"].where(covered).groupby(frame["gwcode"]).ffill()
    fresh_enough = (frame["year"] - last_covered) <= carry_forward
    for kind in ("exec", "leg"):
        since = _years_since(frame.assign(_votes=frame[f"{kind}_votes"].astype("float64")), "_votes", first_year)
        out[f"years_since_{kind}_vote"] = since.where(fresh_enough)
    out["election_delays_3y"] = _rolling_sum(
        frame.assign(_d=frame["election_delays"].astype("float64")), "_d", 3
    ).where(covered)
    out["elections_voided_5y"] = _rolling_sum(
        frame.assign(_v=frame["elections_voided"].astype("float64")), "_v", 5
    ).where(covered)
    out["irregular_entry"] = frame["leader_irregular_entry"].astype("float64")
    out["leader_changes"] = frame["leader_changes"].astype("float64")

    aid = frame["us_aid_obligations_usd"].astype("float64")
    # Obligations can be negative (de-obligations), hence the signed log.
    out["us_aid_per_capita_log"] = _signed_log(aid / population)
    out["us_aid_gdp"] = aid / (frame["gdp_usd_bn"].astype("float64") * 1e9) * 100
    out["imet_per_capita_log"] = _signed_log(frame["gb_imet_usd"].astype("float64") / population * 1e6)
    out["security_capacity_aid_log"] = _signed_log(frame["aid_security_capacity_usd"].astype("float64") / population)
    out["capacity_without_governance"] = out["milex_gdp_change_5y"] * (1 - out["v2x_jucon"])

    out["mobilisation"] = frame["v2cagenmob"].astype("float64")
    out["mobilisation_change"] = _change(frame, "v2cagenmob", 1)
    out["prodemocracy_mobilisation"] = frame["v2cademmob"].astype("float64")
    out["proautocrat_mobilisation"] = frame["v2caautmob"].astype("float64")
    out["political_violence"] = frame["v2caviol"].astype("float64")
    out["polarisation"] = frame["v2cacamps"].astype("float64")
    out["protests_log"] = np.log1p(frame["mm_protests"].astype("float64"))
    out["removal_protests_log"] = np.log1p(frame["mm_removal_protests"].astype("float64"))
    campaigns = frame["navco_campaigns"].astype("float64")
    out["mass_campaign"] = (campaigns > 0).astype("float64").where(campaigns.notna())
    # The value at year s is REIGN's schedule for year s + 1, fixed in advance: the forecast year's election.
    out["exec_election_due"] = frame["exec_vote_scheduled_next_year"].astype("float64")
    late = frame["pt_attempts_late"].astype("float64")
    out["attempt_late_last_year"] = (late > 0).astype("float64").where(late.notna())
    out["autocratisation_episode"] = frame["autocratisation_episode"].astype("float64")
    missing_doc = set(out.columns) - set(KEYS) - set(FEATURES)
    if missing_doc:  # pragma: no cover - a developer forgot to document a feature
        raise AssertionError(f"undocumented features: {sorted(missing_doc)}")
    return out


def with_years_ahead(panel: pd.DataFrame, years: int = YEARS_AHEAD) -> pd.DataFrame:
    """The panel with ``years`` more years for the states of its last year, every value unknown (missing)."""
    last = int(panel["year"].max())
    alive = panel.loc[panel["year"] == last, [c for c in PANEL_ID_COLUMNS if c in panel.columns]]
    ahead = [alive.assign(year=last + step) for step in range(1, years + 1)]
    return pd.concat([panel, *ahead], ignore_index=True).sort_values(KEYS).reset_index(drop=True)


def build_features(panel: pd.DataFrame, carry_forward: int = CARRY_FORWARD_YEARS,
                   years_ahead: int = YEARS_AHEAD) -> pd.DataFrame:
    """Feature rows for every state-year t of the panel and ``years_ahead`` years after it, each from data of
    years <= t - 1 (carried forward at most ``carry_forward`` years), plus outcomes of t (missing ahead).

    Columns: gwcode, year, iso3, country, region, microstate, the features of :data:`FEATURES`, and the outcomes
    ``attempt`` and ``success`` (missing where Powell & Thyne do not cover year t).
    """
    panel = with_years_ahead(panel, years_ahead) if years_ahead > 0 else panel
    states = state_values(panel, carry_forward)
    shifted = states.assign(year=states["year"] + 1)
    # microstate: evaluation samples (coupwatch.core.evaluate.samples) leave microstates out; it is not a feature.
    base = panel[["gwcode", "year", "iso3", "country", "region", "microstate"]]
    out = base.merge(shifted, on=KEYS, how="left")
    # A state's first year has no year t-1 of its own: it has had no coups since independence.
    first = out.groupby("gwcode")["year"].transform("min")
    newborn = out["year"] == first
    for column in ("attempts_5y", "attempts_10y", "successes_10y", "attempts_ever", "attempt_last_year"):
        out.loc[newborn & out[column].isna(), column] = 0.0
    for column in ("years_since_attempt", "years_since_success", "log_years_since_attempt",
                   "log_years_since_success"):
        out.loc[newborn & out[column].isna(), column] = 0.0
    for name, column in OUTCOMES.items():
        out[name] = panel[column].astype("float64").to_numpy()
    out.attrs["feature_data_through"] = "year t-1"
    return out


def feature_names(groups: Sequence[str] | None = None) -> list[str]:
    """Feature names, optionally only those of some groups (e.g. ["coup history"])."""
    return [f.name for f in FEATURES.values() if groups is None or f.group in groups]


def missing_report(features: pd.DataFrame, years: Callable[[pd.Series], pd.Series] | None = None) -> pd.DataFrame:
    """Share of missing values per feature (optionally for the rows whose year passes ``years``)."""
    rows = features if years is None else features[years(features["year"])]
    shares = rows[feature_names()].isna().mean()
    return (
        pd.DataFrame({"feature": shares.index, "missing_share": shares.to_numpy()})
        .assign(group=lambda f: f["feature"].map(lambda n: FEATURES[n].group),
                source=lambda f: f["feature"].map(lambda n: FEATURES[n].source))
        .sort_values("missing_share", ascending=False)
        .reset_index(drop=True)
    )


def feature_table(used_by: Mapping[str, Sequence[str]], features: pd.DataFrame | None = None,
                  groups: Sequence[str] | None = None) -> pd.DataFrame:
    """Every feature with its group, source and description, the models that use it (``used_by``: model name ->
    its columns) and, given feature rows, the share of those rows where it is missing."""
    known = {f.group for f in FEATURES.values()}
    unknown = [g for g in groups or () if g not in known]
    if unknown:
        raise ValueError(f"unknown feature group(s) {unknown}; the groups are {sorted(known)}")
    names = feature_names(groups or None)
    shares = features[names].isna().mean() if features is not None and len(features) else None
    rows = []
    for name in names:
        feature = FEATURES[name]
        models = [model for model, columns in used_by.items() if name in columns]
        row: dict[str, object] = {
            "feature": name, "group": feature.group, "source": feature.source,
            "description": feature.description, "known_by": "end of year t-1",
            "models": ", ".join(models) or "none (source ends too early)",
        }
        if features is not None:
            row["missing_share"] = float(shares[name]) if shares is not None else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)
