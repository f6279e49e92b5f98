"""Military burden: SIPRI spending as a share of GDP and of government spending since the base year."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from coupwatch.app.briefs import Evidence, PanelValues, State
from coupwatch.cells import is_missing
from coupwatch.report.charts import brief as charts
from coupwatch.report.content.formatting import NOT_AVAILABLE, count, ordinal, percent, points, words
from coupwatch.report.content.frames import change_row, first_year, line_marks, long_frame, series, value_in
from coupwatch.report.content.model import ChartItem, Scope, Section, TableItem


def _window(evidence: Evidence, state: State | None, before_base: int) -> tuple[int, int]:
    first = evidence.base_year - before_base
    if state is not None:
        first = max(first, first_year(evidence, state))
    return first, evidence.year


def burden_section(evidence: Evidence, scope: Scope) -> Section:
    section = Section("military-burden", "Military burden", "", tables_used=["sipri_milex"])
    base_year, year = evidence.base_year, evidence.year
    first, last = _window(evidence, None, 4)
    first = max(first, min((first_year(evidence, s) for s in scope.states), default=first))
    panel = evidence.values
    gdp = long_frame(panel, scope.states, "milex_gdp", first, last)
    govt = long_frame(panel, scope.states, "milex_govt", first, last)
    focus_name = scope.focus.name if scope.focus else None
    without = [s.name for s in scope.states if not (gdp["series"] == s.name).any()]
    if without:
        section.missing.append(f"{NOT_AVAILABLE}: SIPRI military spending as a share of GDP for {words(without)} "
                               f"in {first}–{last}.")
    if len(gdp):
        section.charts.append(ChartItem("milex-gdp", charts.lines(
            gdp, f"Military spending, % of GDP, {first}–{last}", "% of GDP", ".1f", focus_name, base_year,
            subtitle="SIPRI; dashed line: base year", dashed=scope.dashed()), line_marks(gdp), ("sipri_milex",)))
    if len(govt):
        section.charts.append(ChartItem("milex-govt", charts.lines(
            govt, f"Military spending, % of government spending, {first}–{last}", "% of government spending", ".1f",
            focus_name, base_year, subtitle="SIPRI", dashed=scope.dashed()), line_marks(govt), ("sipri_milex",)))
    rows, changes = [], {}
    for state in scope.states:
        values = series(panel, state.gwcode, "milex_gdp", last=year)
        base, now, change, ratio = change_row(values, base_year, year)
        govt_values = series(panel, state.gwcode, "milex_govt", last=year)
        govt_base, govt_now, govt_change, _ = change_row(govt_values, base_year, year)
        if now is None and govt_now is None:
            continue
        changes[state.name] = (base, now, change, ratio)
        rows.append([state.name, percent(base), f"{percent(now[1])} ({now[0]})" if now else "n/a",
                     points(change), "n/a" if is_missing(ratio) else f"{ratio:.2f}×", percent(govt_base),
                     f"{percent(govt_now[1])} ({govt_now[0]})" if govt_now else "n/a", points(govt_change)])
    if rows:
        section.tables.append(TableItem(
            f"Change since {base_year} (SIPRI; latest year to {year})",
            ["State", f"% GDP {base_year}", "% GDP latest", "Change", "Ratio", f"% govt {base_year}",
             "% govt latest", "Change"], rows, [False, True, True, True, True, True, True, True]))
    if scope.focus is not None:
        values = series(panel, scope.focus.gwcode, "milex_gdp", first, last)
        govt_values = series(panel, scope.focus.gwcode, "milex_govt", first, last)
        usd_values = series(panel, scope.focus.gwcode, "milex_const2024_usd_m", first, last)
        years = sorted(set(values.index) | set(govt_values.index))
        if years:
            section.tables.append(TableItem(
                f"{scope.focus.name} by year (SIPRI)",
                ["Year", "% of GDP", "% of government spending", "Constant 2024 US$ m"],
                [[str(y), percent(values.get(y, math.nan)), percent(govt_values.get(y, math.nan)),
                  count(usd_values.get(y, math.nan))] for y in years], [False, True, True, True]))
        section.reading = _burden_reading(evidence, scope, scope.focus, changes)
    else:
        section.reading = _region_burden_reading(evidence, scope, changes)
    return section


def _last_coup_year(panel: PanelValues, gwcode: int, first: int, last: int) -> int | None:
    successes = series(panel, gwcode, "pt_successes", first, last)
    years = successes[successes > 0].index
    return int(years[-1]) if len(years) else None


def _burden_reading(evidence: Evidence, scope: Scope, focus: State,
                    changes: Mapping[str, tuple[float, tuple[int, float] | None, float, float]]) -> str:
    base_year, year = evidence.base_year, evidence.year
    if focus.name not in changes or changes[focus.name][1] is None:
        return (f"SIPRI has no military spending figures for {focus.name} as a share of GDP up to {year}, so its "
                "military burden cannot be shown; the peers' figures are shown for context where they exist.")
    base, now, change, ratio = changes[focus.name]
    assert now is not None
    parts = []
    if is_missing(base):
        parts.append(f"SIPRI has no {base_year} figure for {focus.name}; its latest military burden is "
                     f"{percent(now[1])} of GDP ({now[0]}).")
    else:
        parts.append(f"{focus.name}'s military spending was {percent(base)} of GDP in {base_year} and "
                     f"{percent(now[1])} in {now[0]}, {points(change)} ({ratio:.2f} times the {base_year} level).")
    coup_year = _last_coup_year(evidence.values, focus.gwcode, base_year + 1, year)
    if coup_year is not None and coup_year != now[0]:
        at_coup = value_in(evidence.values, focus.gwcode, "milex_gdp", coup_year)
        if not is_missing(at_coup):
            parts.append(f"In {coup_year}, the year of the latest successful coup, it stood at {percent(at_coup)}.")
    govt = series(evidence.values, focus.gwcode, "milex_govt", last=year)
    govt_base, govt_now, _, _ = change_row(govt, base_year, year)
    if govt_now is not None and not is_missing(govt_base):
        parts.append(f"As a share of government spending it went from {percent(govt_base)} to "
                     f"{percent(govt_now[1])} ({govt_now[0]}).")
    peers = {name: c for name, c in changes.items() if name != focus.name and not is_missing(c[2])}
    if peers and not is_missing(change):
        ordered = sorted([*peers.items(), (focus.name, changes[focus.name])], key=lambda kv: -kv[1][2])
        position = [name for name, _ in ordered].index(focus.name) + 1
        median = float(np.median([c[2] for c in peers.values()]))
        parts.append(f"Among the peers ({words(list(peers))}), the median change since {base_year} was "
                     f"{points(median)}; ranked from the largest increase, {focus.name} comes "
                     f"{ordinal(position)} of {len(ordered)}.")
    status = evidence.panel.loc[(evidence.panel["gwcode"] == focus.gwcode) & (evidence.panel["year"] == now[0]),
                                "milex_gdp_status"] if "milex_gdp_status" in evidence.panel else pd.Series(dtype=str)
    if len(status) and str(status.iloc[0]) in {"estimate", "uncertain"}:
        quality = "an estimate" if str(status.iloc[0]) == "estimate" else "uncertain"
        parts.append(f"SIPRI marks the {now[0]} figure as {quality}.")
    return " ".join(parts)


def _region_burden_reading(evidence: Evidence, scope: Scope,
                           changes: Mapping[str, tuple[float, tuple[int, float] | None, float, float]]) -> str:
    base_year = evidence.base_year
    known = {name: c for name, c in changes.items() if not is_missing(c[2])}
    if not known:
        return f"SIPRI has no comparable military burden figures for these states since {base_year}."
    ordered = sorted(known.items(), key=lambda kv: -kv[1][2])
    parts = [f"Since {base_year}, the military burden (SIPRI, % of GDP) rose most in {ordered[0][0]} "
             f"({percent(ordered[0][1][0])} to {percent(ordered[0][1][1][1])} in {ordered[0][1][1][0]}, "  # type: ignore[index]
             f"{points(ordered[0][1][2])})"]
    parts[0] += (f" and least in {ordered[-1][0]} ({points(ordered[-1][1][2])})." if len(ordered) > 1 else ".")
    doubled = [name for name, c in known.items() if not is_missing(c[3]) and c[3] >= 2]
    if doubled:
        parts.append(f"It at least doubled in {words(doubled)}.")
    for group in dict.fromkeys(scope.groups.values()):
        members = [s.name for s in scope.states if scope.group_of(s) == group and s.name in known]
        if members:
            parts.append(f"{group}: median change {points(float(np.median([known[m][2] for m in members])))}.")
    return " ".join(parts)
