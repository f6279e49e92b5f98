"""U.S. security assistance split into capacity and governance (Greenbook, foreignassistance.gov)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, SupportsInt, cast

import pandas as pd

from coupwatch.app.briefs import Evidence, State
from coupwatch.cells import is_missing
from coupwatch.report.charts import brief as charts
from coupwatch.report.content.formatting import NOT_AVAILABLE, usd, words
from coupwatch.report.content.frames import indicator_frame, latest, line_marks, series
from coupwatch.report.content.model import ChartItem, Scope, Section, TableItem

CAPACITY, GOVERNANCE = "Security capacity (training, equipment)", "Security governance (oversight, reform)"


TRANSACTION_COLUMNS = {
    "us_aid_obligations_usd": "Obligations",
    "us_aid_disbursements_usd": "Disbursements",
    "us_aid_appropriated_usd": "Appropriated and planned",
    "us_aid_request_usd": "President's budget request",
}


def assistance_section(evidence: Evidence, scope: Scope) -> Section:
    section = Section("security-assistance", "Security assistance", "",
                      tables_used=["greenbook_obligations", "us_aid_country", "weo"])
    base_year, year = evidence.base_year, evidence.year
    panel = evidence.values
    first = base_year - 2
    split_rows: list[State] = []
    shares: dict[str, dict[str, Any]] = {}
    for state in scope.states:
        capacity = series(panel, state.gwcode, "aid_security_capacity_usd", first, year)
        governance = series(panel, state.gwcode, "aid_security_governance_usd", first, year)
        if capacity.empty and governance.empty:
            continue
        years = sorted(set(capacity.index) | set(governance.index))
        window = [y for y in years if y >= base_year]
        cap_total = float(capacity.reindex(window).fillna(0).sum())
        gov_total = float(governance.reindex(window).fillna(0).sum())
        share = gov_total / (cap_total + gov_total) if cap_total + gov_total > 0 else math.nan
        dependence = series(panel, state.gwcode, "us_security_aid_revenue_pct", base_year, year)
        shares[state.name] = {"capacity": cap_total, "governance": gov_total, "share": share,
                              "years": (min(window), max(window)) if window else None,
                              "dependence": latest(dependence),
                              # Indexed by year, so the label of the peak is an integer.
                              "dependence_max": (int(cast(SupportsInt, dependence.idxmax())), float(dependence.max()))
                              if len(dependence) else None}
        split_rows.append(state)
    focus = scope.focus
    focus_split = shares.get(focus.name) if focus else None
    if focus is not None:
        capacity = series(panel, focus.gwcode, "aid_security_capacity_usd", first, year)
        governance = series(panel, focus.gwcode, "aid_security_governance_usd", first, year)
        if len(capacity) or len(governance):
            frame = pd.concat([
                pd.DataFrame({"year": capacity.index, "category": CAPACITY, "value": capacity.to_numpy() / 1e6}),
                pd.DataFrame({"year": governance.index, "category": GOVERNANCE,
                              "value": governance.to_numpy() / 1e6}),
            ], ignore_index=True)
            if frame["value"].abs().sum() > 0:
                section.charts.append(ChartItem("aid-split", charts.stacked_bars(
                    frame, f"{focus.name}: U.S. security-related aid by purpose, FY{int(frame['year'].min())}–"
                    f"{int(frame['year'].max())}", "US$ million (obligations)", ",.1f",
                    {CAPACITY: "#6b3e26", GOVERNANCE: "#2c7fb8"},
                    subtitle="Greenbook obligations split by the assistance classification", x_title="Fiscal year"),
                    ("rect",), ("greenbook_obligations",)))
    known_shares = {n: s for n, s in shares.items() if not is_missing(s["share"])}
    if len(known_shares) >= 2 or (focus is None and known_shares):
        label_years = next(iter(known_shares.values()))["years"]
        bars = pd.DataFrame({"label": list(known_shares), "value": [s["share"] for s in known_shares.values()]})
        section.charts.append(ChartItem("governance-share", charts.bars(
            bars, f"Governance share of U.S. security-related aid, FY{label_years[0]}–{label_years[1]}",
            "governance / (capacity + governance)", ".1%", focus.name if focus else None,
            subtitle="Greenbook obligations, classified"), ("rect", "text"), ("greenbook_obligations",)))
    if focus is not None:
        totals = indicator_frame(panel, focus.gwcode, TRANSACTION_COLUMNS, first, year, per=1e6)
        if len(totals):
            section.charts.append(ChartItem("aid-totals", charts.lines(
                totals, f"{focus.name}: all U.S. foreign assistance by transaction type, FY{first}–{year}",
                "US$ million", ",.0f", None, subtitle="ForeignAssistance.gov country summary; a request or plan "
                "is not money received"), line_marks(totals), ("us_aid_country",)))
        section.reading = _assistance_reading(evidence, focus, focus_split, shares, totals, section)
    else:
        section.reading = _region_assistance_reading(evidence, scope, shares, section)
    if split_rows:
        section.tables.append(TableItem(
            f"U.S. security-related aid, FY{base_year}–{min(year, _greenbook_last(shares))} (Greenbook obligations, "
            "classified)",
            ["State", "Capacity", "Governance", "Governance share", "Dependence, latest", "Dependence, peak"],
            [[s.name, usd(shares[s.name]["capacity"]), usd(shares[s.name]["governance"]),
              "n/a" if is_missing(shares[s.name]["share"]) else f"{shares[s.name]['share']:.1%}",
              _dependence_text(shares[s.name]["dependence"]), _dependence_text(shares[s.name]["dependence_max"])]
             for s in split_rows], [False, True, True, True, True, True]))
    section.missing.append("The dependence ratio here counts U.S. aid only; the donors section and the claims table "
                           "add UN missions, the French operation and EU missions.")
    return section


def _greenbook_last(shares: Mapping[str, Mapping[str, Any]]) -> int:
    years = [s["years"][1] for s in shares.values() if s["years"]]
    return max(years) if years else 0


def _dependence_text(value: tuple[int, float] | None) -> str:
    return "n/a" if value is None else f"{value[1]:.2f}% (FY{value[0]})"


def _assistance_reading(evidence: Evidence, focus: State, split: Mapping[str, Any] | None,
                        shares: Mapping[str, Mapping[str, Any]], totals: pd.DataFrame, section: Section) -> str:
    base_year, year = evidence.base_year, evidence.year
    parts = []
    if split is None or split["years"] is None:
        parts.append(f"The Greenbook has no U.S. security-related aid figures for {focus.name} since FY{base_year}, "
                     "so the split between capacity and governance is not available in the data at hand.")
        section.missing.append(f"{NOT_AVAILABLE}: the capacity vs governance split for {focus.name}.")
    elif is_missing(split["share"]):
        parts.append(f"The Greenbook records no U.S. security-related aid for {focus.name} in "
                     f"FY{split['years'][0]}–{split['years'][1]}, so there is no split to report.")
    else:
        first, last = split["years"]
        parts.append(f"From FY{first} to FY{last} the United States obligated {usd(split['capacity'])} in "
                     f"security capacity aid (training and equipment) to {focus.name} and "
                     f"{usd(split['governance'])} in security governance aid: governance was "
                     f"{split['share']:.1%} of the total.")
        peers = {n: s for n, s in shares.items() if n != focus.name and not is_missing(s["share"])}
        if peers:
            parts.append("Peers over the same years: " + ", ".join(f"{n} {s['share']:.1%}" for n, s in peers.items())
                         + ".")
            negative = [n for n, s in peers.items() if s["governance"] < 0]
            if negative:
                parts.append(f"A negative share ({words(negative)}) means de-obligations exceeded new governance "
                             "obligations.")
        if last < year:
            parts.append(f"The Greenbook ends in FY{last}; later years are not in the data at hand.")
    if split is not None and split["dependence"] is not None:
        dep_year, dep = split["dependence"]
        peak_year, peak = split["dependence_max"]
        if peak > 0:
            parts.append(f"U.S. security-related aid equalled {dep:.2f}% of government revenue in FY{dep_year} "
                         f"(peak {peak:.2f}% in FY{peak_year}); this counts U.S. aid only.")
        else:
            parts.append(f"With no U.S. security-related aid, the dependence ratio was 0% in every year to "
                         f"FY{dep_year}.")
    else:
        section.missing.append(f"{NOT_AVAILABLE}: the dependence ratio (U.S. security aid over government revenue) "
                               f"for {focus.name}.")
    if len(totals):
        last_year = int(totals["year"].max())
        latest_rows = totals[totals["year"] == last_year]
        figures = [f"{label.lower()} {usd(value * 1e6)}"
                   for label, value in zip(latest_rows["series"].tolist(), latest_rows["value"].tolist(), strict=True)]
        parts.append(f"All U.S. aid in FY{last_year} (ForeignAssistance.gov): {words(figures)}.")
    else:
        section.missing.append(f"{NOT_AVAILABLE}: ForeignAssistance.gov totals for {focus.name}.")
    drg = latest(series(evidence.values, focus.gwcode, "drg_share_us_aid", base_year, year))
    if drg is not None:
        parts.append(f"Democracy, human rights and governance was {drg[1]:.1%} of U.S. aid obligations in "
                     f"FY{drg[0]}.")
    return " ".join(parts)


def _region_assistance_reading(evidence: Evidence, scope: Scope, shares: Mapping[str, Mapping[str, Any]],
                               section: Section) -> str:
    known = {n: s for n, s in shares.items() if not is_missing(s["share"])}
    if not known:
        section.missing.append(f"{NOT_AVAILABLE}: the capacity vs governance split for these states.")
        return "The Greenbook has no classified U.S. security-related aid for these states in these years."
    first, last = next(iter(known.values()))["years"]
    ordered = sorted(known.items(), key=lambda kv: kv[1]["share"])
    parts = [f"Governance was a small part of U.S. security-related aid everywhere: from {ordered[0][1]['share']:.1%} "
             f"({ordered[0][0]}) to {ordered[-1][1]['share']:.1%} ({ordered[-1][0]}) of the total in "
             f"FY{first}–{last}." if ordered[-1][1]["share"] < 0.5 else
             f"The governance share of U.S. security-related aid in FY{first}–{last} ranged from "
             f"{ordered[0][1]['share']:.1%} ({ordered[0][0]}) to {ordered[-1][1]['share']:.1%} ({ordered[-1][0]})."]
    biggest = max(known.items(), key=lambda kv: kv[1]["capacity"])
    parts.append(f"The largest capacity programme went to {biggest[0]} ({usd(biggest[1]['capacity'])}).")
    dependence = {n: s["dependence"] for n, s in shares.items() if s["dependence"] is not None}
    if dependence:
        top = max(dependence.items(), key=lambda kv: kv[1][1])
        parts.append(f"The highest latest dependence ratio (U.S. security aid / revenue) is {top[0]}'s, "
                     f"{top[1][1]:.2f}% in FY{top[1][0]}.")
    return " ".join(parts)
