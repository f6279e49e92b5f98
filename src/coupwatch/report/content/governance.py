"""Governance: V-Dem indices and the World Bank's governance indicators since the base year."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from coupwatch.app.briefs import Evidence, State
from coupwatch.cells import is_missing
from coupwatch.report.charts import brief as charts
from coupwatch.report.content.formatting import NOT_AVAILABLE, index, points, words
from coupwatch.report.content.frames import (
    change_row,
    first_year,
    indicator_frame,
    latest,
    line_marks,
    long_frame,
    series,
)
from coupwatch.report.content.model import ChartItem, Scope, Section, TableItem

VDEM_INDICES = {
    "v2x_jucon": ("Judicial constraints on the executive", True),
    "v2xlg_legcon": ("Legislative constraints on the executive", True),
    "v2x_cspart": ("Civil society participation", True),
    "v2x_corr": ("Political corruption (higher = worse)", False),
    "v2x_clphy": ("Freedom from political killings and torture", True),
    "v2x_ex_military": ("Military role in the executive (higher = more)", False),
}


WGI_INDICATORS = {
    "wgi_va": ("Voice and accountability", True),
    "wgi_pv": ("Political stability, no violence", True),
    "wgi_ge": ("Government effectiveness", True),
    "wgi_rq": ("Regulatory quality", True),
    "wgi_rl": ("Rule of law", True),
    "wgi_cc": ("Control of corruption", True),
}


def governance_section(evidence: Evidence, scope: Scope) -> Section:
    section = Section("governance", "Governance", "", tables_used=["vdem_v12_selected", "wgi"])
    base_year, year = evidence.base_year, evidence.year
    panel = evidence.values
    first = base_year - 10
    focus = scope.focus
    if focus is not None:
        first = max(first, first_year(evidence, focus))
        vdem = indicator_frame(panel, focus.gwcode, {c: label for c, (label, _) in VDEM_INDICES.items()}, first,
                                year)
        wgi = indicator_frame(panel, focus.gwcode, {c: label for c, (label, _) in WGI_INDICATORS.items()}, first,
                               year)
        if len(vdem):
            section.charts.append(ChartItem("vdem", charts.lines(
                vdem, f"{focus.name}: V-Dem indices, {int(vdem['year'].min())}–{int(vdem['year'].max())}",
                "index (0–1)",
                ".1f", None, base_year, subtitle="V-Dem v12; dashed line: base year", y_domain=(0, 1),
                height=240), line_marks(vdem), ("vdem_v12_selected",)))
        else:
            section.missing.append(f"{NOT_AVAILABLE}: V-Dem indices for {focus.name} (V-Dem does not code it).")
        if len(wgi):
            section.charts.append(ChartItem("wgi", charts.lines(
                wgi,
                f"{focus.name}: Worldwide Governance Indicators, {int(wgi['year'].min())}–{int(wgi['year'].max())}",
                "estimate (about −2.5 to 2.5)", ".1f", None, base_year, subtitle="World Bank WGI, 2024 update"),
                line_marks(wgi), ("wgi",)))
        else:
            section.missing.append(f"{NOT_AVAILABLE}: Worldwide Governance Indicators for {focus.name}.")
    else:
        for column in ("v2x_jucon", "v2x_ex_military"):
            frame = long_frame(panel, scope.states, column, first, year)
            if len(frame):
                section.charts.append(ChartItem(f"vdem-{column}", charts.lines(
                    frame, f"{VDEM_INDICES[column][0]}, {first}–{int(frame['year'].max())}", "index (0–1)", ".1f",
                    None, base_year, subtitle="V-Dem v12", dashed=scope.dashed(), y_domain=(0, 1)),
                    line_marks(frame), ("vdem_v12_selected",)))
        frame = long_frame(panel, scope.states, "wgi_pv", first, year)
        if len(frame):
            section.charts.append(ChartItem("wgi-pv", charts.lines(
                frame, f"Political stability and absence of violence, {first}–{int(frame['year'].max())}",
                "WGI estimate", ".1f", None, base_year, subtitle="World Bank WGI", dashed=scope.dashed()),
                line_marks(frame), ("wgi",)))
    rows, changes = _governance_rows(evidence, scope)
    if rows:
        header = (["Indicator", f"{base_year}", "Latest", "Change", "Peers, median latest", "Rank among states"]
                  if focus is not None else ["Indicator", *[s.name for s in scope.states]])
        section.tables.append(TableItem(
            f"Governance indicators: {'change since ' + str(base_year) if focus else 'latest values'} "
            "(V-Dem v12, WGI)", header, rows, [False, *[True] * (len(header) - 1)]))
    section.reading = (_governance_reading(evidence, focus, changes) if focus is not None
                       else _region_governance_reading(evidence, scope))
    return section


def _governance_rows(evidence: Evidence, scope: Scope) -> tuple[list[list[str]], dict[str, Any]]:
    base_year, year = evidence.base_year, evidence.year
    panel = evidence.values
    indicators = {**VDEM_INDICES, **WGI_INDICATORS}
    rows: list[list[str]] = []
    changes: dict[str, Any] = {}
    focus = scope.focus
    for column, (label, higher_is_better) in indicators.items():
        if focus is None:
            values = [latest(series(panel, s.gwcode, column, last=year)) for s in scope.states]
            if any(v is not None for v in values):
                rows.append([label, *[("n/a" if v is None else f"{v[1]:.2f} ({v[0]})") for v in values]])
            continue
        own = series(panel, focus.gwcode, column, last=year)
        if own.empty:
            continue
        base, now, change, _ = change_row(own, base_year, year)
        assert now is not None
        peer_latest = {s.name: latest(series(panel, s.gwcode, column, last=year)) for s in scope.others}
        peer_values = [v[1] for v in peer_latest.values() if v is not None]
        group = [now[1], *peer_values]
        ordered = sorted(group, reverse=higher_is_better)
        rank = ordered.index(now[1]) + 1
        changes[column] = {"label": label, "base": base, "now": now, "change": change, "better": higher_is_better,
                           "rank": rank, "group": len(group)}
        rows.append([label, index(base), f"{index(now[1])} ({now[0]})", points(change, 2, ""),
                     index(float(np.median(peer_values))) if peer_values else "n/a",
                     f"{rank} of {len(group)} (1 = best)"])
    return rows, changes


def _governance_reading(evidence: Evidence, focus: State, changes: Mapping[str, Any]) -> str:
    base_year = evidence.base_year
    if not changes:
        return (f"Neither V-Dem nor the Worldwide Governance Indicators cover {focus.name}, so its governance "
                "cannot be described with the data at hand.")
    parts = []
    vdem = {c: v for c, v in changes.items() if c in VDEM_INDICES and not is_missing(v["change"])}
    if vdem:
        worse = [v for v in vdem.values() if (v["change"] < 0) == v["better"] and abs(v["change"]) >= 0.02]
        better = [v for v in vdem.values() if (v["change"] > 0) == v["better"] and abs(v["change"]) >= 0.02]
        last_year = max(v["now"][0] for v in vdem.values())
        described = [f"{v['label'].split(' (')[0].lower()} from {index(v['base'])} to {index(v['now'][1])}"
                     for v in sorted(worse, key=lambda v: -abs(v["change"]))]
        parts.append(f"Between {base_year} and {last_year}, V-Dem shows {len(worse)} of {len(vdem)} indices "
                     f"worsening" + (f": {words(described)}." if described else "."))
        if better:
            parts.append("Improving: " + words([f"{v['label'].split(' (')[0].lower()} ({index(v['base'])} to "
                                                f"{index(v['now'][1])})" for v in better]) + ".")
        if last_year < evidence.year:
            parts.append(f"V-Dem v12 ends in {last_year}.")
    elif any(c in VDEM_INDICES for c in changes):
        parts.append(f"V-Dem has no {base_year} values for {focus.name}, so no change can be computed.")
    military = changes.get("v2x_ex_military")
    if military is not None:
        parts.append(f"The military's role in choosing and removing the executive scores {index(military['now'][1])} "
                     f"({military['now'][0]}) on V-Dem's 0–1 scale.")
    wgi = {c: v for c, v in changes.items() if c in WGI_INDICATORS and not is_missing(v["change"])}
    if wgi:
        largest = max(wgi.values(), key=lambda v: abs(v["change"]))
        verb = "fell" if largest["change"] < 0 else "rose"
        parts.append(f"In the WGI, {largest['label'].lower()} moved most since {base_year}: it {verb} from "
                     f"{index(largest['base'])} to {index(largest['now'][1])} ({largest['now'][0]}).")
        bottom = [v["label"].lower() for v in wgi.values() if v["rank"] == v["group"] and v["group"] > 1]
        if bottom:
            parts.append(f"{focus.name} is last among the states compared on {words(bottom)}.")
    return " ".join(parts) or f"No governance indicator for {focus.name} has a {base_year} value to compare with."


def _region_governance_reading(evidence: Evidence, scope: Scope) -> str:
    base_year, year = evidence.base_year, evidence.year
    parts = []
    for column in ("v2x_jucon", "v2x_ex_military"):
        label, higher_is_better = VDEM_INDICES[column]
        moves = {}
        for state in scope.states:
            values = series(evidence.values, state.gwcode, column, last=year)
            base, now, change, _ = change_row(values, base_year, year)
            if now is not None and not is_missing(change):
                moves[state.name] = (base, now, change)
        if not moves:
            continue
        worst = (min if higher_is_better else max)(moves.items(), key=lambda kv: kv[1][2])
        parts.append(f"{label.split(' (')[0]}: the largest deterioration since {base_year} was in {worst[0]} "
                     f"({index(worst[1][0])} to {index(worst[1][1][1])} in {worst[1][1][0]}).")
    return " ".join(parts) or f"V-Dem has no {base_year} values for these states."
