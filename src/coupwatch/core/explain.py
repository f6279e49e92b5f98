"""Drivers as explanations: one entry per concept, in a plain sentence, about what is unusual in this state.

A model's contributions (TreeSHAP or coefficient x standardised value) say how each feature moves one state's
log-odds. Read raw, the same feature leads almost everywhere (the military's role in the executive was the first
driver of 189 of 197 states): what the model weighs everywhere is not what sets a state apart. So contributions
are summed by concept (coup history, military in politics, governance, economy, conflict, assistance, protest),
each concept's sum is compared with the median state's that year, and the concepts whose difference is largest
lead. Each entry names the feature that carries most of that difference, its value in the reader's units (years,
not log-years; deaths, not log-deaths) and where the state stands among all states that year.

Pure core: frames in, lists of dicts out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from coupwatch.core.features import FEATURES

CONCEPTS = ("coup history", "military in politics", "governance", "economy", "conflict", "assistance", "protest")
DRIVER_COUNT = 3
# A value among the top or bottom fifth of states this year is unusual; a concept moves the log-odds by at least
# MATERIAL_LOG_ODDS against the median state before its unusual value ranks it ahead of larger, ordinary effects.
TAIL = 0.2
MATERIAL_LOG_ODDS = 0.1

# Feature groups map to concepts; the features listed here belong to another concept than their group's.
_CONCEPT_OF_GROUP = {"coup history": "coup history", "contagion": "coup history", "regime and governance":
                     "governance", "military": "military in politics", "economy": "economy", "conflict": "conflict",
                     "leaders": "governance", "aid": "assistance"}
_CONCEPT_EXCEPTIONS = {
    "v2x_ex_military": "military in politics", "military_regime": "military in politics",
    "provisional_regime": "military in politics", "leader_military": "military in politics",
    "irregular_entry": "military in politics", "capacity_without_governance": "military in politics",
    "oda_gni": "assistance", "v2x_cspart": "protest", "v2xcs_ccsi": "protest",
}


def concept_of(feature: str) -> str:
    """The concept a feature belongs to (a protest or mobilisation feature added later maps by its group)."""
    if feature in _CONCEPT_EXCEPTIONS:
        return _CONCEPT_EXCEPTIONS[feature]
    group = FEATURES[feature].group if feature in FEATURES else ""
    return _CONCEPT_OF_GROUP.get(group, group if group in CONCEPTS else "governance")


@dataclass(frozen=True)
class Wording:
    """How to say a feature's value: a plain label, the value in the reader's units, and whether higher is
    'more' of something (for 'higher than N% of states')."""

    label: str
    show: Callable[[float], str]


def _index(value: float) -> str:
    return f"{value:.2f}"


def _count(value: float) -> str:
    return f"{value:,.0f}"


def _years(value: float) -> str:
    years = round(value)
    return f"{years} year" if years == 1 else f"{years} years"


def _since(value: float) -> str:
    """Years since an event attached to the next year: 0 means it happened in the latest year of data."""
    return "less than a year" if round(value) == 0 else _years(value)


def _log_years(value: float) -> str:
    return _years(math.expm1(value))


def _log_since(value: float) -> str:
    return _since(math.expm1(value))


def _percent(value: float) -> str:
    return f"{value:.1f}%"


def _points(value: float) -> str:
    return f"{value:+.1f} points"


def _yes_no(value: float) -> str:
    return "yes" if value >= 0.5 else "no"


def _signed_log_dollars(value: float) -> str:
    dollars = math.copysign(math.expm1(abs(value)), value)
    return f"${dollars:,.2f}" if abs(dollars) < 10 else f"${dollars:,.0f}"


def _log_count(value: float) -> str:
    return f"{math.expm1(value):,.0f}"


def _log_dollars(value: float) -> str:
    return f"${math.exp(value):,.0f}"


def _log_people(value: float) -> str:
    people = math.exp(value)
    return f"{people / 1e6:,.1f} million" if people >= 1e6 else f"{people:,.0f}"


def _log_per_1000(value: float) -> str:
    return f"{math.exp(value):.1f} per 1,000 people"


def _regime(value: float) -> str:
    names = ("closed autocracy", "electoral autocracy", "electoral democracy", "liberal democracy")
    return names[int(np.clip(round(value), 0, 3))]


def _career(value: float) -> str:
    return {1.0: "a military career", 0.5: "some military service"}.get(round(value * 2) / 2, "no military career")


def _signed_log_percent(value: float) -> str:
    return f"{math.copysign(math.expm1(abs(value)), value):.1f}%"


WORDING: dict[str, Wording] = {
    "years_since_attempt": Wording("time since the last coup attempt", _since),
    "years_since_success": Wording("time since the last successful coup", _since),
    "log_years_since_attempt": Wording("time since the last coup attempt", _log_since),
    "log_years_since_success": Wording("time since the last successful coup", _log_since),
    "attempts_5y": Wording("coup attempts in the last 5 years", _count),
    "attempts_10y": Wording("coup attempts in the last 10 years", _count),
    "successes_10y": Wording("successful coups in the last 10 years", _count),
    "attempts_ever": Wording("coup attempts since 1950", _count),
    "attempt_last_year": Wording("a coup attempt last year", _yes_no),
    "region_attempts": Wording("coup attempts elsewhere in the region last year", _count),
    "neighbour_attempts": Wording("coup attempts in neighbouring states last year", _count),
    "world_attempts": Wording("coup attempts in the world last year", _count),
    "cdp_events_5y": Wording("coups, attempts and plots in the last 5 years", _count),
    "cdp_conspiracies_5y": Wording("coup plots stopped in the last 5 years", _count),
    "region_attempts_3y": Wording("coup attempts elsewhere in the region in 3 years", _count),
    "v2x_polyarchy": Wording("electoral democracy score (V-Dem, 0-1)", _index),
    "v2x_jucon": Wording("judicial constraints on the executive (V-Dem, 0-1)", _index),
    "v2xlg_legcon": Wording("legislative constraints on the executive (V-Dem, 0-1)", _index),
    "v2x_cspart": Wording("civil society participation (V-Dem, 0-1)", _index),
    "v2x_corr": Wording("political corruption (V-Dem, 0-1)", _index),
    "v2x_clphy": Wording("freedom from political killings and torture (V-Dem, 0-1)", _index),
    "v2x_ex_military": Wording("the military's hold on the executive (V-Dem, 0-1)", _index),
    "v2x_neopat": Wording("neopatrimonial rule (V-Dem, 0-1)", _index),
    "v2x_civlib": Wording("civil liberties (V-Dem, 0-1)", _index),
    "v2xcs_ccsi": Wording("the strength of civil society (V-Dem, 0-1)", _index),
    "v2x_horacc_osp": Wording("checks by courts and parliament (V-Dem)", _index),
    "v2x_veracc_osp": Wording("accountability to voters (V-Dem)", _index),
    "polyarchy_change_3y": Wording("change in electoral democracy over 3 years (V-Dem)", lambda v: f"{v:+.2f}"),
    "regime_type": Wording("regime type (V-Dem)", _regime),
    "anocracy": Wording("a mixed regime, neither democracy nor autocracy (Polity)", _yes_no),
    "polity2": Wording("Polity score (-10 to 10)", lambda v: f"{v:+.0f}"),
    "military_regime": Wording("a regime led by the military (GWF)", _yes_no),
    "personalist_regime": Wording("a personalist regime (GWF)", _yes_no),
    "provisional_regime": Wording("a provisional, transitional government (GWF)", _yes_no),
    "wgi_pv": Wording("political stability (World Bank, -2.5 to 2.5)", _index),
    "wgi_ge": Wording("government effectiveness (World Bank, -2.5 to 2.5)", _index),
    "wgi_rl": Wording("rule of law (World Bank, -2.5 to 2.5)", _index),
    "wgi_va": Wording("voice and accountability (World Bank, -2.5 to 2.5)", _index),
    "wgi_cc": Wording("control of corruption (World Bank, -2.5 to 2.5)", _index),
    "milex_gdp": Wording("military spending", lambda v: f"{v:.1f}% of GDP"),
    "milex_govt": Wording("military spending", lambda v: f"{v:.1f}% of government spending"),
    "milex_gdp_change_1y": Wording("change in military spending in a year (share of GDP)", _points),
    "milex_gdp_change_3y": Wording("change in military spending over 3 years (share of GDP)", _points),
    "milex_gdp_change_5y": Wording("change in military spending over 5 years (share of GDP)", _points),
    "milex_growth_5y": Wording("growth of real military spending over 5 years",
                               lambda v: f"{math.expm1(v) * 100:+.0f}%"),
    "log_milex_per_capita": Wording("military spending per person", _log_dollars),
    "log_armed_forces_per_1000": Wording("armed forces", _log_per_1000),
    "log_gdp_pc": Wording("income per person (constant 2015 US$)", _log_dollars),
    "gdp_pc_growth": Wording("growth of income per person", _percent),
    "growth_3y": Wording("growth of income per person over 3 years (average)", _percent),
    "inflation_log": Wording("inflation", _signed_log_percent),
    "resource_rents": Wording("natural resource rents", lambda v: f"{v:.1f}% of GDP"),
    "log_population": Wording("population", _log_people),
    "revenue_gdp": Wording("government revenue", lambda v: f"{v:.1f}% of GDP"),
    "internal_conflict": Wording("an armed conflict inside the country", _yes_no),
    "conflict_intensity": Wording("conflict intensity", lambda v: ("none", "minor conflict", "war")[
        int(np.clip(round(v), 0, 2))]),
    "years_at_war": Wording("consecutive years of armed conflict", _years),
    "conflict_deaths_log": Wording("deaths in organised violence last year", _log_count),
    "govt_killings_log": Wording("civilians killed by government forces last year", _log_count),
    "leader_tenure_log": Wording("the leader's time in office", _log_years),
    "leader_military": Wording("the leader's background", _career),
    "leader_age": Wording("the leader's age", lambda v: f"{v:.0f}"),
    "years_since_exec_vote": Wording("time since the last presidential election", _since),
    "years_since_leg_vote": Wording("time since the last legislative election", _since),
    "election_delays_3y": Wording("elections delayed in the last 3 years", _count),
    "elections_voided_5y": Wording("elections voided in the last 5 years", _count),
    "irregular_entry": Wording("a leader who took power irregularly", _yes_no),
    "leader_changes": Wording("leaders who left office last year", _count),
    "us_aid_per_capita_log": Wording("U.S. assistance per person", _signed_log_dollars),
    "us_aid_gdp": Wording("U.S. assistance", lambda v: f"{v:.2f}% of GDP"),
    "imet_per_capita_log": Wording("U.S. officer training (IMET) per million people", _signed_log_dollars),
    "security_capacity_aid_log": Wording("U.S. security capacity aid per person", _signed_log_dollars),
    "capacity_without_governance": Wording("military build-up without judicial checks (0 = none)", _index),
    "oda_gni": Wording("development aid received", lambda v: f"{v:.1f}% of national income"),
}


def wording(feature: str) -> Wording:
    """A feature's plain wording; a feature without one speaks through its documented description."""
    if feature in WORDING:
        return WORDING[feature]
    description = FEATURES[feature].description if feature in FEATURES else feature
    return Wording(description[:1].lower() + description[1:], lambda v: f"{v:.3g}")


def standing(value: float | None, others: pd.Series) -> tuple[float | None, str]:
    """Where ``value`` stands among ``others`` (this year's states): the share of states below it, and words."""
    known = others.dropna().to_numpy(dtype=float)
    if value is None or not np.isfinite(value) or known.size == 0:
        return None, "no data this year"
    below = float(np.mean(known < value))
    above = float(np.mean(known > value))
    if below >= 0.5:
        return below, f"higher than {below:.0%} of states"
    if above >= 0.5:
        return below, f"lower than {above:.0%} of states"
    return below, "about the middle of all states"


def _sentence(concept: str, direction: str, feature: str, value: float | None, where: str, share_yes: float
              ) -> str:
    words = wording(feature)
    shown = "no data" if value is None else words.show(value)
    head = f"{concept[:1].upper()}{concept[1:]} {direction} the risk"
    if value is None:
        return f"{head}: {words.label} is not known (the model treats it as missing)."
    if words.show is _yes_no:
        if shown == "yes":
            return f"{head}: {words.label} ({share_yes:.0%} of states this year)."
        negated = words.label.removeprefix("an ").removeprefix("a ")
        return f"{head}: no {negated} ({share_yes:.0%} of states had one)."
    return f"{head}: {words.label} {_verb(words.label)} {shown}, {where}."


_PLURAL_STARTS = ("coup attempts", "coups", "successful coups", "deaths", "civilians", "elections", "leaders",
                  "consecutive years", "coup plots", "armed forces", "checks")


def _verb(label: str) -> str:
    plural = label.startswith(_PLURAL_STARTS)
    if "last year" in label:
        return "were" if plural else "was"
    return "are" if plural else "is"


def _rank_key(entry: dict[str, Any]) -> tuple[bool, float]:
    """Unusual and material first (by size), then the rest by size: what sets the state apart leads."""
    percentile = entry["percentile"]
    tail = percentile is not None and (percentile <= TAIL or percentile >= 1 - TAIL)
    shift = abs(entry["versus_median"])
    return (not (tail and shift >= MATERIAL_LOG_ODDS), -shift)


def concept_drivers(contributions: pd.DataFrame, values: pd.DataFrame, count: int = DRIVER_COUNT
                    ) -> list[list[dict[str, Any]]]:
    """For each row of ``contributions`` (one state, one column per feature; all states of one year), the
    ``count`` concepts that set the state most apart from the median state, as explanation entries.

    ``values`` holds the feature values with the same index; the median and the standings are over its rows.
    """
    features = [f for f in contributions.columns if f in values.columns]
    concept = {f: concept_of(f) for f in features}
    by_concept = contributions[features].T.groupby(pd.Series(concept)).sum().T
    unusual = by_concept - by_concept.median()
    feature_unusual = contributions[features] - contributions[features].median()
    out: list[list[dict[str, Any]]] = []
    for index in contributions.index:
        entries = []
        for name in unusual.columns:
            members = [f for f in features if concept[f] == name]
            lead = str(feature_unusual.loc[index, members].abs().idxmax())
            # Feature and contribution columns hold floats; the stubs type a cell as any scalar.
            raw = cast(float, values.at[index, lead])
            value = None if pd.isna(raw) else float(raw)
            percentile, where = standing(value, values[lead])
            shift = float(cast(float, unusual.at[index, name]))
            direction = "raises" if shift > 0 else "lowers"
            entries.append({
                "concept": name,
                "feature": lead,
                "label": wording(lead).label,
                "description": FEATURES[lead].description if lead in FEATURES else lead,
                "value": value,
                "shown": None if value is None else wording(lead).show(value),
                "percentile": percentile,
                "standing": where,
                "contribution": float(cast(float, by_concept.at[index, name])),
                "versus_median": shift,
                "direction": direction,
                "sentence": _sentence(name, direction, lead, value, where,
                                      float((values[lead].dropna() >= 0.5).mean()) if value is not None else 0.0),
                "features": members,
            })
        out.append(sorted(entries, key=_rank_key)[:count])
    return out


def driver_sentence(driver: dict[str, Any]) -> str:
    """A driver in a sentence (forecasts saved before concept drivers have only a description and a value)."""
    if driver.get("sentence"):
        return str(driver["sentence"])
    value = driver.get("value")
    shown = "missing" if value is None else f"{float(value):.3g}"
    return f"{driver['description'].rstrip('.')} ({shown}) {driver['direction']} the risk."


def drivers_text(drivers: Sequence[dict[str, Any]]) -> str:
    """Drivers in a few words for a table cell: "coup history ↑; conflict ↑; economy ↓"."""
    parts = []
    for driver in drivers:
        arrow = "↑" if driver["direction"] == "raises" else "↓"
        parts.append(f"{driver.get('concept') or driver.get('feature')} {arrow}")
    return "; ".join(parts)
