"""The donors section of a brief: ODA by donor, arms deliveries by supplier and UN peace operations.

Pure: the brief's evidence in, a :class:`~coupwatch.report.content.model.Section` out. Every reading is
written from the panel columns of ``add_oda_by_donor``, ``add_arms_imports`` and ``add_peace_operations``.
"""

from __future__ import annotations

import math

import pandas as pd

from coupwatch.app.briefs import Evidence, State
from coupwatch.core import donors
from coupwatch.core.panel.support import ARMS_SUPPLIER_COLUMNS, ODA_DONOR_COLUMNS
from coupwatch.report.charts import brief as charts
from coupwatch.report.content.formatting import NOT_AVAILABLE, usd
from coupwatch.report.content.frames import latest, line_marks, series
from coupwatch.report.content.model import ChartItem, Scope, Section, TableItem

TABLES = ["oda_dac2a", "sipri_arms_deliveries", "un_peacekeeping_expenses"]
ODA_LABELS = {column: donors.short_name(donor) for donor, column in ODA_DONOR_COLUMNS.items()}
SUPPLIER_COLOURS = {"Russia": "#b2182b", "China": "#e08214", "Turkiye": "#8073ac", "France": "#2c7fb8",
                    "United States": "#4d9221", "others": "#8a96a3"}
RECENT_YEARS = 4  # arms: the latest four years against the eight before (year values are noisy)
TOP_SUPPLIERS = 5


def _arms_windows(year: int) -> tuple[tuple[int, int], tuple[int, int]]:
    last = min(year, donors.ARMS_LAST_YEAR)
    return (last - 3 * RECENT_YEARS + 1, last - RECENT_YEARS), (last - RECENT_YEARS + 1, last)


def _supplier_frame(evidence: Evidence, state: State, first: int, last: int) -> pd.DataFrame:
    """year, category (supplier or 'others'), value (TIV m) for one state: the five largest suppliers of the
    period from the warehouse's support table, else the panel's named suppliers."""
    support = evidence.support
    if support is not None:
        rows = support[(support["gwcode"] == state.gwcode) & (support["kind"] == "arms_deliveries")
                       & support["year"].between(first, last)]
        biggest = donors.supplier_totals(rows, [state.gwcode], first, last)["donor"].head(TOP_SUPPLIERS).tolist()
        named = rows.assign(category=rows["donor"].where(rows["donor"].isin(biggest), "others"))
        return named.groupby(["year", "category"], as_index=False).agg(value=("value", "sum"))
    panel = evidence.values
    total = series(panel, state.gwcode, "arms_imports_tiv_m", first, last)
    parts = []
    listed = pd.Series(0.0, index=total.index)
    for supplier, column in ARMS_SUPPLIER_COLUMNS.items():
        values = series(panel, state.gwcode, column, first, last).reindex(total.index).fillna(0.0)
        listed = listed + values
        parts.append(pd.DataFrame({"year": total.index, "category": supplier, "value": values.to_numpy()}))
    parts.append(pd.DataFrame({"year": total.index, "category": "others",
                               "value": (total - listed).clip(lower=0).to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def _shares(frame: pd.DataFrame, first: int, last: int) -> pd.Series:
    window = frame[frame["year"].between(first, last)]
    sums = window.groupby("category")["value"].sum()
    total = float(sums.sum())
    return (sums / total).sort_values(ascending=False) if total > 0 else pd.Series(dtype=float)


def _share_words(shares: pd.Series) -> str:
    top = shares[(shares > 0) & (shares.index != "others")].head(3)
    return ", ".join(f"{name} {share:.0%}" for name, share in top.items()) or "none recorded"


def _oda_reading(evidence: Evidence, focus: State) -> tuple[str, pd.DataFrame]:
    panel = evidence.values
    last = min(evidence.year, donors.ODA_LAST_YEAR)
    parts = []
    for column, label in ODA_LABELS.items():
        values = series(panel, focus.gwcode, column, donors.ODA_FIRST_YEAR, last)
        if len(values):
            parts.append(pd.DataFrame({"year": values.index, "series": label, "value": values.to_numpy()}))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["year", "series", "value"])
    total = latest(series(panel, focus.gwcode, "oda_net_usd_m", donors.ODA_FIRST_YEAR, last))
    if total is None:
        return f"No ODA figures for {focus.name} in the OECD DAC2a table.", frame
    top_year = total[0]
    top = evidence.panel[(evidence.panel["gwcode"] == focus.gwcode) & (evidence.panel["year"] == top_year)]
    donor = str(top["oda_top_donor"].iloc[0]) if len(top) and "oda_top_donor" in top else ""
    bilateral = str(top["oda_top_bilateral_donor"].iloc[0]) if len(top) and "oda_top_bilateral_donor" in top else ""
    us = series(panel, focus.gwcode, "oda_us_usd_m", donors.ODA_FIRST_YEAR, last)
    france = series(panel, focus.gwcode, "oda_france_usd_m", donors.ODA_FIRST_YEAR, last)
    both = pd.DataFrame({"us": us, "france": france}).dropna()
    lead = both.index[both["us"] > both["france"]]
    text = (f"{focus.name} received {usd(total[1] * 1e6)} of net ODA in {top_year} (OECD DAC2a, all donors); the "
            f"largest donor was {donors.short_name(donor)} and the largest bilateral donor {bilateral}.")
    if len(both):
        since = [y for y in both.index if all(y2 in lead for y2 in both.index if y2 >= y)]
        if since and len(since) < len(both):
            text += (f" The United States gave more than France every year from {min(since)} to "
                     f"{int(both.index.max())}; France gave more in {int(both.index.min())}–{min(since) - 1}.")
        elif since:
            text += " The United States gave more than France in every year of the table."
    return text, frame


def donors_section(evidence: Evidence, scope: Scope) -> Section:
    section = Section("donors", "Who supports whom: aid donors, arms suppliers and peace operations", "",
                      tables_used=list(TABLES))
    (early_first, early_last), (recent_first, recent_last) = _arms_windows(evidence.year)
    focus = scope.focus
    panel = evidence.values
    readings: list[str] = []
    if focus is not None:
        text, oda = _oda_reading(evidence, focus)
        readings.append(text)
        if len(oda):
            section.charts.append(ChartItem("oda-donors", charts.lines(
                oda, f"{focus.name}: net ODA from the main donors, {int(oda['year'].min())}–{int(oda['year'].max())}",
                "US$ million (current)", ",.0f", None, subtitle="OECD DAC2a, net disbursements, all sectors"),
                line_marks(oda), ("oda_dac2a",)))
        arms = _supplier_frame(evidence, focus, early_first, recent_last)
        if arms["value"].sum() > 0:
            before = _shares(_supplier_frame(evidence, focus, early_first, early_last), early_first, early_last)
            after = _shares(_supplier_frame(evidence, focus, recent_first, recent_last), recent_first, recent_last)
            early_sum = float(arms.loc[arms["year"] <= early_last, "value"].sum())
            recent_sum = float(arms.loc[arms["year"] >= recent_first, "value"].sum())
            readings.append(
                f"Arms deliveries (SIPRI TIV, a volume index): {early_sum:,.1f} in {early_first}–{early_last} "
                f"({_share_words(before)}) against {recent_sum:,.1f} in {recent_first}–{recent_last} "
                f"({_share_words(after)}).")
            order = [*arms.groupby("category")["value"].sum().drop("others", errors="ignore")
                     .sort_values(ascending=False).index, "others"]
            colours = {c: SUPPLIER_COLOURS.get(c, charts.OTHER_COLOURS[i % len(charts.OTHER_COLOURS)])
                       for i, c in enumerate(order)}
            section.charts.append(ChartItem("arms-suppliers", charts.stacked_bars(
                arms, f"{focus.name}: arms deliveries by supplier, {early_first}–{recent_last}", "TIV million",
                ",.1f", colours, subtitle="SIPRI trade register; TIV measures volume, not price",
                years=list(range(early_first, recent_last + 1))), ("rect",), ("sipri_arms_deliveries",)))
        peace_support = series(panel, focus.gwcode, "aid_peace_operation_support_usd")
        peace_support = peace_support[peace_support > 0]
        if len(peace_support):
            amounts = zip(peace_support.index.tolist(), peace_support.tolist(), strict=True)
            listing = ", ".join(f"FY{y} {usd(v)}" for y, v in amounts)
            readings.append(f"U.S. obligations booked to {focus.name} but paying for a peace operation or other "
                            f"states' troops deployed there ({listing}) are counted as peace-operation support, not "
                            "as aid to its own forces (assistance classification, recipient rules).")
        missions = series(panel, focus.gwcode, "un_peacekeeping_usd_m")
        if len(missions) and missions.sum() > 0:
            frame = pd.DataFrame({"year": missions.index, "category": "UN missions", "value": missions.to_numpy()})
            section.charts.append(ChartItem("peace-operations", charts.stacked_bars(
                frame, f"{focus.name}: UN peacekeeping spending in the country", "US$ million", ",.0f",
                {"UN missions": "#2c7fb8"}, subtitle="Assessed mission expenditure by calendar year (UN "
                "Secretariat); the cost of the mission, not money to the government"), ("rect",),
                ("un_peacekeeping_expenses",)))
            readings.append(f"UN peacekeeping missions spent {usd(float(missions.iloc[-1]) * 1e6)} in "
                            f"{focus.name} in {int(missions.index[-1])} (complete calendar years "
                            f"{int(missions.index.min())}–{int(missions.index.max())}).")
    rows: list[list[str]] = []
    recent_totals: dict[str, float] = {}
    for state in scope.states:
        oda_latest = latest(series(panel, state.gwcode, "oda_net_usd_m"))
        deliveries = _supplier_frame(evidence, state, recent_first, recent_last)
        total = float(deliveries["value"].sum()) if len(deliveries) else math.nan
        recent_totals[state.name] = total
        top = _shares(deliveries, recent_first, recent_last)
        spent = latest(series(panel, state.gwcode, "un_peacekeeping_usd_m"))
        top_row = evidence.panel[(evidence.panel["gwcode"] == state.gwcode)
                                 & (evidence.panel["year"] == (oda_latest[0] if oda_latest else -1))]
        bilateral = str(top_row["oda_top_bilateral_donor"].iloc[0]) if len(top_row) else ""
        rows.append([state.name, f"{usd(oda_latest[1] * 1e6)} ({oda_latest[0]})" if oda_latest else "n/a",
                     bilateral or "n/a", f"{total:,.1f}" if not math.isnan(total) else "n/a", _share_words(top),
                     f"{usd(spent[1] * 1e6)} ({spent[0]})" if spent and spent[1] > 0 else "none"])
    section.tables.append(TableItem(
        f"Support by source: net ODA (latest year, OECD DAC2a), arms deliveries {recent_first}–{recent_last} "
        "(SIPRI TIV m) and UN mission spending (latest complete year)",
        ["State", "Net ODA", "Largest bilateral donor", "Arms TIV", "Main suppliers", "UN missions"], rows,
        [False, True, False, True, False, True]))
    if focus is None and any(v > 0 for v in recent_totals.values()):
        bars = pd.DataFrame({"label": list(recent_totals), "value": list(recent_totals.values())}).dropna()
        section.charts.append(ChartItem("arms-by-state", charts.bars(
            bars, f"Arms deliveries {recent_first}–{recent_last}, all suppliers", "SIPRI TIV million", ",.1f", None,
            subtitle="SIPRI trade register"), ("rect", "text"), ("sipri_arms_deliveries",)))
        most = max(recent_totals, key=lambda name: recent_totals[name] if not math.isnan(recent_totals[name]) else -1)
        readings.append(f"Across these states, {most} received the most major arms in {recent_first}–{recent_last} "
                        f"({recent_totals[most]:,.1f} TIV m).")
    section.reading = " ".join(readings)
    section.missing.append(f"{NOT_AVAILABLE}: ODA after {donors.ODA_LAST_YEAR} and from non-DAC donors (China, "
                           "Russia); arms in US$ (SIPRI's TIV is a volume index); small arms, training and money "
                           "from arms suppliers.")
    return section
