"""Governance: the six Worldwide Governance Indicators (World Bank WGI, 2024 update)."""

from __future__ import annotations

import pandas as pd

from coupwatch.core.panel.joins import add_yearly, mapped, state_year_wide
from coupwatch.core.panel.skeleton import ColumnDoc, DataSource, panel_unit

WGI_INDICATORS = {
    "va": "Voice and accountability",
    "pv": "Political stability and absence of violence/terrorism",
    "ge": "Government effectiveness",
    "rq": "Regulatory quality",
    "rl": "Rule of law",
    "cc": "Control of corruption",
}
GOVERNANCE_DOCS = tuple(
    ColumnDoc(f"wgi_{code}", f"{text}, estimate (about -2.5 to 2.5; WGI 2024 update, 1996-2023, "
              "no 1997/1999/2001)", "wgi", "z-score")
    for code, text in WGI_INDICATORS.items()
)


def add_governance(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """Worldwide Governance Indicators: the six estimates."""
    panel_unit(panel)
    wgi = mapped(data.table("wgi"))
    wide = state_year_wide(wgi, "indicator", "estimate", {k: f"wgi_{k}" for k in WGI_INDICATORS})
    keep = ["gwcode", "year", *[f"wgi_{k}" for k in WGI_INDICATORS if f"wgi_{k}" in wide.columns]]
    return add_yearly(panel, wide[keep])
