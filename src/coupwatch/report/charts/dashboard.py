"""Vega-Lite specs (built with Altair) for the dashboard: the country page's risk history with coups, military
burden, security assistance, governance, arms deliveries and ODA, and the accuracy page's charts. The browser
draws them with vega-embed; tooltips, legend highlighting and zooming along the years make them interactive."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from coupwatch.core.evaluate.samples import saved_rows
from coupwatch.report.charts import backtest as backtest_charts

HEIGHT = 230
RISK = "#c2410c"
FORECAST = "#7c3aed"
COUP = "#b91c1c"
CAPACITY = "#475569"
GOVERNANCE = "#0f766e"

GOVERNANCE_SERIES = {
    "v2x_polyarchy": "Electoral democracy (V-Dem)",
    "v2x_jucon": "Judicial constraints on the executive",
    "v2xlg_legcon": "Legislative constraints on the executive",
    "v2x_cspart": "Civil society participation",
    "v2x_ex_military": "Military dimension of the executive",
}


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict()
    spec["width"] = "container"
    spec.setdefault("autosize", {"type": "fit-x", "contains": "padding"})
    return spec


def _coup_rules(coups: pd.DataFrame, first: float, last: float) -> alt.Chart | None:
    shown = coups[(coups["year"] >= first) & (coups["year"] <= last) & (coups["attempts"] > 0)].copy()
    if shown.empty:
        return None
    shown["what"] = ["successful coup" if s > 0 else "failed coup attempt" for s in shown["successes"].fillna(0)]
    return alt.Chart(shown).mark_rule(color=COUP, strokeDash=[4, 3], strokeWidth=1.5, opacity=0.8).encode(
        x=_year_axis(first, last),
        tooltip=[alt.Tooltip("year:Q", title="Year", format="d"), alt.Tooltip("what:N", title="Event"),
                 alt.Tooltip("attempts:Q", title="Attempts")],
    )


def _year_axis(first: float, last: float) -> alt.X:
    return alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1, grid=False),
                 scale=alt.Scale(domain=[first, last], nice=False, zero=False))


def _layer(layers: Sequence[alt.Chart | None], title: str) -> dict[str, Any]:
    present = [layer for layer in layers if layer is not None]
    chart = alt.layer(*present).properties(height=HEIGHT, title=alt.TitleParams(title, anchor="start", fontSize=13))
    return _spec(chart.configure_view(strokeWidth=0).configure_axis(labelColor="#475569", titleColor="#475569",
                                                                    gridColor="#e2e8f0"))


def risk_history_spec(years: list[dict[str, Any]], coups: pd.DataFrame, outcome: str = "attempt"
                      ) -> dict[str, Any] | None:
    """Out-of-sample risk per backtest year, the forecast with its interval, and coup years as red rules."""
    frame = pd.DataFrame(years)
    if frame.empty:
        return None
    frame["p"] = frame["p"].astype(float)
    first, last = int(frame["year"].min()), int(frame["year"].max())
    backtest = frame[frame["kind"] == "backtest"]
    forecast = frame[frame["kind"] == "forecast"]
    tooltip = [alt.Tooltip("year:Q", title="Year", format="d"), alt.Tooltip("p:Q", title="Risk", format=".1%"),
               alt.Tooltip("kind:N", title="From")]
    x = _year_axis(first - 0.5, last + 0.5)
    y = alt.Y("p:Q", title=f"Probability of a coup {outcome}", axis=alt.Axis(format=".0%"))
    layers: list[alt.Chart | None] = [_coup_rules(coups, first - 0.5, last + 0.5)]
    if len(backtest):
        base = alt.Chart(backtest)
        layers.append(base.mark_area(color=RISK, opacity=0.12).encode(x=x, y=y))
        layers.append(base.mark_line(color=RISK, point=alt.OverlayMarkDef(color=RISK, size=45)).encode(
            x=x, y=y, tooltip=[*tooltip, alt.Tooltip("observed:Q", title="Attempt happened (1 = yes)")]))
    if len(forecast):
        joined = pd.concat([backtest.tail(1), forecast]) if len(backtest) else forecast
        layers.append(alt.Chart(joined).mark_line(color=FORECAST, strokeDash=[5, 4]).encode(x=x, y=y))
        interval = forecast.dropna(subset=["p_low", "p_high"])
        if len(interval):
            layers.append(alt.Chart(interval).mark_rule(color=FORECAST, strokeWidth=2).encode(
                x=x, y=alt.Y("p_low:Q"), y2="p_high:Q"))
        layers.append(alt.Chart(forecast).mark_point(color=FORECAST, filled=True, size=110, shape="diamond").encode(
            x=x, y=y, tooltip=[*tooltip, alt.Tooltip("p_low:Q", title="90% low", format=".1%"),
                               alt.Tooltip("p_high:Q", title="90% high", format=".1%")]))
    return _layer(layers, "Risk: out-of-sample backtest and forecast; red lines are coup attempts")


def burden_spec(panel: pd.DataFrame, coups: pd.DataFrame) -> dict[str, Any] | None:
    """Military spending as a share of GDP (SIPRI) over the years, coups marked."""
    data = panel[["year", "milex_gdp"]].dropna()
    if data.empty:
        return None
    first, last = int(data["year"].min()), int(data["year"].max())
    x = _year_axis(first, last)
    line = alt.Chart(data).mark_line(color=CAPACITY, strokeWidth=2, point=alt.OverlayMarkDef(size=14)).encode(
        x=x, y=alt.Y("milex_gdp:Q", title="Military spending, % of GDP (SIPRI)"),
        tooltip=[alt.Tooltip("year:Q", format="d", title="Year"),
                 alt.Tooltip("milex_gdp:Q", format=".2f", title="% of GDP")],
    )
    zoom = alt.selection_interval(bind="scales", encodings=["x"])
    return _layer([_coup_rules(coups, first, last), line.add_params(zoom)], "Military burden")


def assistance_spec(panel: pd.DataFrame) -> dict[str, Any] | None:
    """U.S. security assistance split into capacity and governance (Greenbook obligations, classified)."""
    columns = {"aid_security_capacity_usd": "Security capacity", "aid_security_governance_usd": "Security governance"}
    data = panel[["year", *columns]].dropna(how="all", subset=list(columns))
    data = data[(data[list(columns)].fillna(0).sum(axis=1)) > 0]
    if data.empty:
        return None
    long = data.melt(id_vars="year", var_name="kind", value_name="usd").dropna()
    long["kind"] = long["kind"].map(columns)
    long["usd_m"] = long["usd"] / 1e6
    highlight = alt.selection_point(fields=["kind"], bind="legend")
    bars = alt.Chart(long).mark_bar().encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, labelOverlap=True)),
        y=alt.Y("usd_m:Q", title="U.S. obligations, US$ million", stack=True),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=list(columns.values()),
                                                               range=[CAPACITY, GOVERNANCE]),
                        legend=alt.Legend(orient="top")),
        opacity=alt.condition(highlight, alt.value(1), alt.value(0.25)),
        tooltip=[alt.Tooltip("year:O", title="Fiscal year"), alt.Tooltip("kind:N", title="Category"),
                 alt.Tooltip("usd_m:Q", title="US$ million", format=",.1f")],
    ).add_params(highlight)
    return _layer([bars], "U.S. security assistance: capacity vs governance")


def governance_spec(panel: pd.DataFrame, coups: pd.DataFrame) -> dict[str, Any] | None:
    """V-Dem indices of democracy, constraints on the executive, civil society and the military's role."""
    present = [c for c in GOVERNANCE_SERIES if c in panel.columns]
    data = panel[["year", *present]].dropna(how="all", subset=present)
    if data.empty:
        return None
    long = data.melt(id_vars="year", var_name="index", value_name="value").dropna()
    long["index"] = long["index"].map(GOVERNANCE_SERIES)
    first, last = int(long["year"].min()), int(long["year"].max())
    highlight = alt.selection_point(fields=["index"], bind="legend")
    lines = alt.Chart(long).mark_line(strokeWidth=2).encode(
        x=_year_axis(first, last),
        y=alt.Y("value:Q", title="Index (0-1)", scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("index:N", title=None, legend=alt.Legend(orient="bottom", columns=2, labelLimit=260),
                        scale=alt.Scale(scheme="tableau10")),
        opacity=alt.condition(highlight, alt.value(1), alt.value(0.15)),
        tooltip=[alt.Tooltip("year:Q", format="d", title="Year"), alt.Tooltip("index:N", title="Index"),
                 alt.Tooltip("value:Q", format=".3f", title="Value")],
    ).add_params(highlight)
    return _layer([_coup_rules(coups, first, last), lines], "Governance (V-Dem)")


def accuracy_specs(predictions: pd.DataFrame, per_year: pd.DataFrame, period: tuple[int, int],
                   ablation: pd.DataFrame | None, sample: str | None = None) -> dict[str, dict[str, Any] | None]:
    """The accuracy page's charts: ROC and precision-recall over the headline period, AUC-ROC per test year, and
    the change without each feature group when the ablation has been run (the backtest report's charts)."""
    first, last = period
    attempts = predictions[(predictions["outcome"] == "attempt") & predictions["observed"].notna()
                           & (predictions["model"] != "constant")]
    headline = saved_rows(attempts[attempts["year"].between(first, last)], sample)
    shown = per_year[(per_year["model"] != "constant") & (per_year.get("sample", "all") == "all")]
    return {
        "roc": _spec(backtest_charts.roc_chart(headline, f"ROC, coup attempts {first}-{last}"))
        if len(headline) else None,
        "pr": _spec(backtest_charts.pr_chart(headline, f"Precision-recall, coup attempts {first}-{last}"))
        if len(headline) else None,
        "per_year": _spec(backtest_charts.per_year_chart(shown, "auc_roc", "AUC-ROC by test year (attempts)"))
        if len(shown) else None,
        "ablation": _spec(backtest_charts.ablation_chart(ablation, "auc_roc", "AUC-ROC without each feature group"))
        if ablation is not None and len(ablation) else None,
    }


SUPPLIER_SERIES = {"arms_tiv_russia_m": "Russia", "arms_tiv_china_m": "China", "arms_tiv_turkiye_m": "Turkiye",
                   "arms_tiv_france_m": "France", "arms_tiv_us_m": "United States"}
ODA_SERIES = {"oda_us_usd_m": "United States", "oda_france_usd_m": "France", "oda_eu_usd_m": "EU institutions",
              "oda_ida_usd_m": "IDA (World Bank)"}


def arms_spec(panel: pd.DataFrame) -> dict[str, Any] | None:
    """Arms deliveries by supplier (SIPRI TIV), the main suppliers and the rest, stacked per year."""
    present = [c for c in ("arms_imports_tiv_m", *SUPPLIER_SERIES) if c in panel.columns]
    if "arms_imports_tiv_m" not in present:
        return None
    data = panel[["year", *present]].dropna(subset=["arms_imports_tiv_m"])
    data = data[data["arms_imports_tiv_m"] > 0]
    if data.empty:
        return None
    named = [c for c in SUPPLIER_SERIES if c in present]
    frame = data[["year", *named]].fillna(0.0).rename(columns=SUPPLIER_SERIES)
    frame["Other suppliers"] = (data["arms_imports_tiv_m"] - data[named].fillna(0.0).sum(axis=1)).clip(lower=0)
    long = frame.melt(id_vars="year", var_name="supplier", value_name="tiv").query("tiv > 0")
    highlight = alt.selection_point(fields=["supplier"], bind="legend")
    bars = alt.Chart(long).mark_bar().encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, labelOverlap=True)),
        y=alt.Y("tiv:Q", title="SIPRI TIV, millions (volume, not US$)", stack=True),
        color=alt.Color("supplier:N", title=None, legend=alt.Legend(orient="top")),
        opacity=alt.condition(highlight, alt.value(1), alt.value(0.25)),
        tooltip=["year:O", "supplier:N", alt.Tooltip("tiv:Q", title="TIV m", format=",.1f")],
    ).add_params(highlight)
    return _layer([bars], "Arms deliveries by supplier")


def oda_spec(panel: pd.DataFrame) -> dict[str, Any] | None:
    """Net ODA from the main donors (OECD DAC2a, 2002-2019)."""
    present = [c for c in ODA_SERIES if c in panel.columns]
    data = panel[["year", *present]].dropna(how="all", subset=present) if present else panel.iloc[:0]
    if data.empty:
        return None
    long = data.rename(columns=ODA_SERIES).melt(id_vars="year", var_name="donor", value_name="usd_m").dropna()
    lines = alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
        y=alt.Y("usd_m:Q", title="Net ODA, US$ million (current)"),
        color=alt.Color("donor:N", title=None, legend=alt.Legend(orient="top")),
        tooltip=["year:Q", "donor:N", alt.Tooltip("usd_m:Q", title="US$ m", format=",.1f")],
    )
    return _layer([lines], "Net ODA from the main donors")
