"""The backtest's charts: ROC and precision-recall curves, calibration, a metric per test year and the
ablation. The backtest report inlines them as SVG and saves PNG; the accuracy page embeds the same specs."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

WIDTH = 420
HEIGHT = 300


def _curve_points(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    # Imported here: the dashboard imports this module at start-up and should not pay for scikit-learn.
    from sklearn.metrics import precision_recall_curve, roc_curve

    rows = []
    for model, group in frame.groupby("model"):
        y = group["observed"].to_numpy(dtype=float)
        p = group["p"].to_numpy(dtype=float)
        if y.sum() == 0 or y.sum() == len(y):
            continue
        if kind == "roc":
            x, t, _ = roc_curve(y, p)
        else:
            t, x, _ = precision_recall_curve(y, p)
        step = max(1, len(x) // 400)
        keep = np.r_[np.arange(0, len(x), step), len(x) - 1]
        rows.append(pd.DataFrame({"model": model, "x": x[keep], "y": t[keep]}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["model", "x", "y"])


def roc_chart(frame: pd.DataFrame, title: str) -> alt.LayerChart:
    """ROC curves, one line per model, with the diagonal of a random ranking."""
    points = _curve_points(frame, "roc")
    lines = alt.Chart(points).mark_line(interpolate="step-after").encode(
        x=alt.X("x:Q", title="False positive rate", scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("y:Q", title="True positive rate (recall)", scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("model:N", title="Model"),
    )
    diagonal = alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, 1]})).mark_line(
        strokeDash=[4, 4], color="#999"
    ).encode(x="x:Q", y="y:Q")
    return (diagonal + lines).properties(title=title, width=WIDTH, height=HEIGHT)


def pr_chart(frame: pd.DataFrame, title: str) -> alt.LayerChart:
    """Precision-recall curves, with the event rate as the no-skill line."""
    points = _curve_points(frame, "pr")
    rate = float(frame.drop_duplicates(["gwcode", "year"])["observed"].mean()) if len(frame) else 0.0
    lines = alt.Chart(points).mark_line(interpolate="step-after").encode(
        x=alt.X("x:Q", title="Recall", scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("y:Q", title="Precision", scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("model:N", title="Model"),
    )
    baseline = alt.Chart(pd.DataFrame({"y": [rate]})).mark_rule(strokeDash=[4, 4], color="#999").encode(y="y:Q")
    return (baseline + lines).properties(title=title, width=WIDTH, height=HEIGHT)


def calibration_chart(table: pd.DataFrame, title: str) -> alt.LayerChart:
    """Observed rate against mean predicted probability per bin, point size by rows."""
    data = table.dropna(subset=["mean_predicted"])
    top = float(max(data["mean_predicted"].max(), data["observed_rate"].max(), 0.05)) * 1.1 if len(data) else 1.0
    points = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("mean_predicted:Q", title="Mean predicted probability", scale=alt.Scale(domain=[0, top])),
        y=alt.Y("observed_rate:Q", title="Observed rate", scale=alt.Scale(domain=[0, top])),
        color=alt.Color("model:N", title="Model"),
        tooltip=["model", "bin", "rows", "events", alt.Tooltip("mean_predicted:Q", format=".3f"),
                 alt.Tooltip("observed_rate:Q", format=".3f")],
    )
    diagonal = alt.Chart(pd.DataFrame({"x": [0, top], "y": [0, top]})).mark_line(
        strokeDash=[4, 4], color="#999"
    ).encode(x="x:Q", y="y:Q")
    return (diagonal + points).properties(title=title, width=WIDTH, height=HEIGHT)


def per_year_chart(per_year: pd.DataFrame, metric: str, title: str) -> alt.Chart:
    """One metric per test year and model."""
    return alt.Chart(per_year.dropna(subset=[metric])).mark_line(point=True).encode(
        x=alt.X("year:O", title="Test year"),
        y=alt.Y(f"{metric}:Q", title=metric.replace("_", " ").upper()),
        color=alt.Color("model:N", title="Model"),
        tooltip=["model", "year", alt.Tooltip(f"{metric}:Q", format=".3f"), "events"],
    ).properties(title=title, width=WIDTH * 1.6, height=HEIGHT * 0.8)


def ablation_chart(table: pd.DataFrame, metric: str, title: str) -> alt.LayerChart:
    """Change in a metric when each feature group is left out, with its paired bootstrap interval."""
    rows = table.dropna(subset=["group"]).copy()
    rows["change"] = rows[f"{metric}_change"]
    rows["low"] = rows[f"{metric}_change_low"]
    rows["high"] = rows[f"{metric}_change_high"]
    order = rows.sort_values("change")["group"].tolist()
    y = alt.Y("group:N", sort=order, title="Feature group left out")
    verdicts = alt.Scale(domain=["group adds signal", "no clear difference", "model better without it"],
                         range=["#b2182b", "#888888", "#2166ac"])
    label = {"auc_roc": "AUC-ROC", "auc_pr": "AUC-PR"}[metric]
    interval = alt.Chart(rows).mark_rule(strokeWidth=2).encode(
        x=alt.X("low:Q", title=f"Change in {label} without the group (95% paired bootstrap)"), x2="high:Q", y=y,
        color=alt.Color("verdict:N", scale=verdicts, legend=alt.Legend(title=None, orient="bottom")),
    )
    points = alt.Chart(rows).mark_point(filled=True, size=70).encode(
        x="change:Q", y=y,
        color=alt.Color("verdict:N", scale=verdicts),
        tooltip=["group", "features_dropped", alt.Tooltip("change:Q", format="+.3f"),
                 alt.Tooltip("low:Q", format="+.3f"), alt.Tooltip("high:Q", format="+.3f"), "dropped"],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(strokeDash=[4, 4], color="#444").encode(x="x:Q")
    return (zero + interval + points).properties(title=title, width=WIDTH, height=26 * max(len(rows), 1))
