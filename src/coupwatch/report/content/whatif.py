"""What would change the risk: the packaged scenarios that move a state's modelled risk most, with intervals.

The brief runs the named scenarios of ``coupwatch/data/scenarios.toml`` for its state through the one scenario
engine (the forecast's refits, so the baseline interval is the headline's) and reports the two or three with the
largest difference. Pure core: the scenario summary in, a section out.
"""

from __future__ import annotations

import pandas as pd

from coupwatch.app.briefs import Evidence
from coupwatch.cells import is_missing
from coupwatch.report.content.formatting import NOT_AVAILABLE, probability
from coupwatch.report.content.model import Scope, Section, TableItem

SHOWN = 3


def _points(value: float) -> str:
    return f"{value * 100:+.1f}"


def _difference(row: pd.Series) -> str:
    text = f"{_points(float(row['difference']))} points"
    if not is_missing(row.get("difference_low")):
        text += f" (90% interval {_points(float(row['difference_low']))} to {_points(float(row['difference_high']))})"
    return text


def _risk(row: pd.Series, column: str) -> str:
    text = probability(float(row[column]))
    if not is_missing(row.get(f"{column}_low")):
        text += f" ({probability(float(row[f'{column}_low']))}–{probability(float(row[f'{column}_high']))})"
    return text


def whatif_section(evidence: Evidence, scope: Scope) -> Section:
    """The scenarios that move the focus state's risk most, largest change first."""
    section = Section("what-if", "What would change the risk: scenarios", "", tables_used=[])
    focus = scope.focus
    summary = evidence.scenarios
    if focus is None or summary is None or summary.empty:
        note = evidence.scenarios_note or "no scenario could be run for this brief"
        section.reading = f"No scenario results: {note}."
        section.missing.append(f"{NOT_AVAILABLE}: scenario results ({note}).")
        return section
    ranked = summary.assign(_size=summary["difference"].abs()).sort_values("_size", ascending=False).head(SHOWN)
    target = evidence.year + 1
    parts = [f"Of {len(summary)} packaged scenarios applied to {focus.name}'s inputs of {evidence.year}, these move "
             f"the modelled risk of a coup attempt in {target} most:"]
    for row in ranked.to_dict("records"):
        series = pd.Series(row)
        described = str(row.get("description") or row["scenario"])
        parts.append(f"{described[:1].lower()}{described[1:].rstrip('.')}: {_difference(series)}.")
    base = ranked.iloc[0]
    parts.append(f"The baseline is the forecast, {_risk(base, 'p_baseline')}; the intervals come from the "
                 f"forecast's {evidence.scenario_refits} bootstrap refits, so they pair each scenario with the same "
                 "refits. These are modelled associations, not the effect of a policy.")
    section.reading = " ".join(parts)
    section.tables.append(TableItem(
        f"Scenarios for {focus.name}, {target} (changes to the inputs of {evidence.year}; 90% intervals)",
        ["Scenario", "Risk", "Difference, points"],
        [[str(r.get("description") or r["scenario"]), _risk(pd.Series(r), "p_scenario"), _difference(pd.Series(r))]
         for r in ranked.to_dict("records")],
        [False, True, True]))
    if evidence.scenarios_note:
        section.missing.append(evidence.scenarios_note)
    return section
