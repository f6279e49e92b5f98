"""Conflict: UCDP battle, non-state and one-sided deaths, and the years of armed conflict."""

from __future__ import annotations

from typing import SupportsInt, cast

import pandas as pd

from coupwatch.app.briefs import Evidence, State
from coupwatch.report.charts import brief as charts
from coupwatch.report.content.formatting import NOT_AVAILABLE, count, plural, words
from coupwatch.report.content.frames import first_year, indicator_frame, latest, line_marks, long_frame, series
from coupwatch.report.content.model import ChartItem, Scope, Section, TableItem

INTENSITY = {1: "Minor (25–999 battle deaths)", 2: "War (1,000+ battle deaths)"}


DEATH_TYPES = {
    "ged_state_based_deaths": ("State-based violence", "#b2182b"),
    "ged_nonstate_deaths": ("Non-state violence", "#f58518"),
    "ged_onesided_deaths": ("One-sided violence against civilians", "#6b3e26"),
}


def conflict_section(evidence: Evidence, scope: Scope) -> Section:
    section = Section("conflict", "Armed conflict", "", tables_used=["ucdp_acd", "ucdp_ged_cy"])
    year = evidence.year
    # UCDP GED starts in 1989; briefs about earlier years still show the armed conflict years before.
    first = min(1989, year - 20)
    panel = evidence.values
    focus = scope.focus
    if focus is None:
        deaths = long_frame(panel, scope.states, "ged_total_deaths", first, year)
        if len(deaths):
            section.charts.append(ChartItem("deaths", charts.lines(
                deaths, f"Deaths in organised violence, {first}–{year}", "deaths (best estimate)", ",.0f", None,
                None, subtitle="UCDP GED, all violence types", dashed=scope.dashed()), line_marks(deaths),
                ("ucdp_ged_cy",)))
        section.reading = _region_conflict_reading(evidence, scope)
        return section
    first = max(first, first_year(evidence, focus))
    deaths = indicator_frame(panel, focus.gwcode, {c: label for c, (label, _) in DEATH_TYPES.items()}, first, year,
                              name="category")
    conflicts = evidence.conflicts[(evidence.conflicts["gwcode"] == focus.gwcode)
                                   & evidence.conflicts["year"].between(first, year)]
    if len(deaths) and deaths["value"].sum() > 0:
        section.charts.append(ChartItem("deaths", charts.stacked_bars(
            deaths, f"{focus.name}: deaths in organised violence, {first}–{year}", "deaths (best estimate)", ",.0f",
            {label: colour for label, colour in DEATH_TYPES.values()}, subtitle="UCDP Georeferenced Event Dataset",
            years=range(first, year + 1)),
            ("rect",), ("ucdp_ged_cy",)))
    elif deaths.empty:
        section.missing.append(f"{NOT_AVAILABLE}: UCDP GED deaths for {focus.name}.")
    if len(conflicts):
        per_year = conflicts.assign(category=conflicts["intensity_level"].map(INTENSITY), value=1)
        section.charts.append(ChartItem("conflict-years", charts.stacked_bars(
            per_year[["year", "category", "value"]], f"{focus.name}: state-based armed conflicts by intensity, "
            f"{first}–{year}", "conflicts active", "d",
            {label: colour for label, colour in zip(INTENSITY.values(), ("#fdae61", "#b2182b"), strict=True)},
            subtitle="UCDP/PRIO Armed Conflict Dataset, conflicts located in the state",
            years=range(first, year + 1)), ("rect",), ("ucdp_acd",)))
        rows = []
        for _, rows_of in conflicts.groupby("conflict_id"):
            ordered = rows_of.sort_values("year")
            sides = f"{ordered['side_a'].iloc[-1]} vs {ordered['side_b'].iloc[-1]}"
            issue = ordered["territory_name"].dropna()
            rows.append([sides, f"territory ({issue.iloc[-1]})" if len(issue) else "government",
                         f"{int(ordered['year'].min())}–{int(ordered['year'].max())}", str(len(ordered)),
                         INTENSITY.get(int(ordered["intensity_level"].max()), "")])
        rows.sort(key=lambda r: r[2].split("–")[1], reverse=True)
        section.tables.append(TableItem(f"Armed conflicts located in {focus.name}, {first}–{year} (UCDP/PRIO)",
                                        ["Sides", "Incompatibility", "Years", "Active years", "Highest intensity"],
                                        rows, [False, False, True, True, False]))
    section.reading = _conflict_reading(evidence, focus, deaths, conflicts, first)
    return section


def _conflict_reading(evidence: Evidence, focus: State, deaths: pd.DataFrame, conflicts: pd.DataFrame,
                      first: int) -> str:
    year = evidence.year
    active = sorted(set(conflicts["year"].astype(int)))
    wars = sorted(set(conflicts.loc[conflicts["intensity_level"] == 2, "year"].astype(int)))
    span = year - first + 1
    parts = []
    if active:
        parts.append(f"UCDP/PRIO record state-based armed conflict in {focus.name} in {len(active)} of the {span} "
                     f"years {first}–{year}" + (f", {plural(len(wars), 'year')} at war intensity "
                                                f"({words([str(w) for w in wars[-5:]])}"
                                                + (" among them" if len(wars) > 5 else "") + ")" if wars else "")
                     + ".")
        streak = 0
        for y in range(year, first - 1, -1):
            if y not in active:
                break
            streak += 1
        if streak > 1:
            parts.append(f"Conflict has been active every year since {year - streak + 1}.")
        latest_rows = conflicts[conflicts["year"] == active[-1]]
        opponents = sorted(set(latest_rows["side_b"].dropna().astype(str)))
        parts.append(f"In {active[-1]} the government fought {words(opponents)}.")
    else:
        parts.append(f"UCDP/PRIO record no state-based armed conflict located in {focus.name} in {first}–{year}.")
    totals = deaths.groupby("year")["value"].sum() if len(deaths) else pd.Series(dtype=float)
    if len(totals) and totals.sum() > 0:
        peak_year = int(cast(SupportsInt, totals.idxmax()))  # totals are indexed by year
        last_year = int(totals.index.max())
        by_type = deaths[deaths["year"] == last_year].set_index("category")["value"]
        parts.append(f"UCDP GED counts {count(totals.loc[last_year])} deaths in organised violence in {last_year} ("
                     + ", ".join(f"{label.lower()} {count(by_type.get(label, 0))}" for label, _ in DEATH_TYPES.values())
                     + f"); the peak was {count(totals.max())} in {peak_year}.")
    elif len(totals):
        parts.append(f"UCDP GED records no deaths in organised violence in {focus.name} in {first}–{year}.")
    return " ".join(parts)


def _region_conflict_reading(evidence: Evidence, scope: Scope) -> str:
    year = evidence.year
    totals = {}
    for state in scope.states:
        values = series(evidence.values, state.gwcode, "ged_total_deaths", evidence.base_year, year)
        if len(values):
            totals[state.name] = (float(values.sum()), latest(values))
    if not totals:
        return f"UCDP GED has no figures for these states since {evidence.base_year}."
    ordered = sorted(totals.items(), key=lambda kv: -kv[1][0])
    parts = [f"Since {evidence.base_year}, UCDP GED counts the most deaths in organised violence in {ordered[0][0]} "
             f"({count(ordered[0][1][0])}), then " + ", ".join(f"{n} ({count(t[0])})" for n, t in ordered[1:4]) + "."]
    quiet = [n for n, t in totals.items() if t[0] == 0]
    if quiet:
        parts.append(f"None are recorded in {words(quiet)}.")
    return " ".join(parts)
