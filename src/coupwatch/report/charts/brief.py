"""Altair charts of the country briefs and the regional comparison.

Every builder takes a tidy frame and returns a chart sized to fit an A4 page (about 680 px of text width)
and a laptop screen. The country the brief is about is drawn thicker and in red; others in muted colours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import altair as alt
import pandas as pd

FOCUS_COLOUR = "#b2182b"
OTHER_COLOURS = ("#4c78a8", "#54a24b", "#f58518", "#72b7b2", "#9d755d", "#b279a2", "#e45756", "#79706e",
                 "#eeca3b", "#17becf")
MUTED = "#8a96a3"
# vl-convert measures text with Liberation Sans; naming it makes browsers and WeasyPrint draw the same metrics
# (their default sans-serif may be wider and push axis labels out of the SVG).
FONT = "Liberation Sans"
WIDTH = 560
HEIGHT = 210
# Year axes get about one label per 2-5 years: readable, and each label costs vl-convert a text measurement.
YEAR_TICKS = 10


def _title(text: str, subtitle: str | None = None) -> alt.TitleParams:
    if subtitle:
        return alt.TitleParams(text, subtitle=subtitle, anchor="start", fontSize=13, subtitleFontSize=11,
                               subtitleColor="#4a5866")
    return alt.TitleParams(text, anchor="start", fontSize=13)


def _configured(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    # Vertical axis titles sit level above the axis, never sideways: a reader tilts no page to read a unit.
    return chart.configure(font=FONT).configure_view(stroke="#d5dbe1").configure_axis(
        labelFontSize=10, titleFontSize=11, gridColor="#eef1f4", labelFlush=False
    ).configure_axisY(titleAngle=0, titleAlign="left", titleAnchor="end", titleBaseline="bottom", titleX=0,
                      titleY=-6
    ).configure_legend(orient="bottom", labelFontSize=10, titleFontSize=10, columns=4, symbolSize=60,
                       labelLimit=320)


def series_scale(series: Sequence[str], focus: str | None) -> alt.Scale:
    """Colours for named series: the focus in red, the rest from the muted palette in the given order."""
    others = [s for s in series if s != focus]
    domain = ([focus] if focus in series else []) + others
    colours = ([FOCUS_COLOUR] if focus in series else []) + [OTHER_COLOURS[i % len(OTHER_COLOURS)]
                                                             for i in range(len(others))]
    return alt.Scale(domain=domain, range=colours)


def risk_intervals(frame: pd.DataFrame, title: str, focus: str | None, median: float | None = None,
                   subtitle: str | None = None, colour_by_group: bool = False) -> alt.TopLevelMixin:
    """Probability with its interval per state (columns label, p, p_low, p_high, group)."""
    order = frame.sort_values("p", ascending=False)["label"].tolist()
    data = frame.assign(is_focus=frame["label"] == focus)
    top = float(max(data["p_high"].max(skipna=True) if data["p_high"].notna().any() else 0, data["p"].max()))
    scale = alt.Scale(domain=[0, max(top * 1.15, 0.001)])
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=230))
    height = max(60, 26 * len(data))
    colour: Any
    if colour_by_group:
        groups = list(dict.fromkeys(data["group"]))
        colour = alt.Color("group:N", title=None, scale=alt.Scale(domain=groups,
                                                                  range=list(OTHER_COLOURS[:len(groups)])))
    else:
        colour = alt.condition("datum.is_focus", alt.value(FOCUS_COLOUR), alt.value(OTHER_COLOURS[0]))
    base = alt.Chart(data).encode(y=y)
    rule = base.mark_rule(strokeWidth=2.5, opacity=0.55).encode(
        x=alt.X("p_low:Q", scale=scale, axis=alt.Axis(format="%"), title="Probability of a coup attempt"),
        x2="p_high:Q", color=colour)
    point = base.mark_point(filled=True, size=90, opacity=1).encode(x=alt.X("p:Q", scale=scale), color=colour)
    label = base.mark_text(align="left", dx=7, dy=-7, fontSize=10, color="#1d2731").encode(
        x=alt.X("p:Q", scale=scale), text=alt.Text("p:Q", format=".1%"))
    layers: list[alt.Chart] = [rule, point, label]
    if median is not None:
        # The subtitle names the dashed rule; a text label would sit on top of a state's row.
        median_frame = pd.DataFrame({"p": [median]})
        layers.insert(0, alt.Chart(median_frame).mark_rule(strokeDash=[4, 3], color=MUTED).encode(
            x=alt.X("p:Q", scale=scale)))
    return _configured(alt.layer(*layers).properties(width=WIDTH - 60, height=height,
                                                     title=_title(title, subtitle)))


def risk_history(history: pd.DataFrame, coups: pd.DataFrame, forecast: Mapping[str, float] | None, title: str,
                 focus: str, subtitle: str | None = None, dashed: Sequence[str] = (),
                 coup_points: pd.DataFrame | None = None) -> alt.TopLevelMixin:
    """Out-of-sample probability per year (columns year, series, p), the forecast ahead, and coups: ``coups``
    (year, label) as vertical rules, ``coup_points`` (year, series, p, label) as triangles on the lines."""
    series = list(dict.fromkeys(history["series"]))
    colour = alt.Color("series:N", scale=series_scale(series, focus), title=None)
    years = [int(y) for y in history["year"]]
    if forecast is not None:
        years.append(int(forecast["year"]))
    x_scale = alt.Scale(domain=[min(years) - 0.5, max(years) + 0.5], nice=False)
    x = alt.X("year:Q", scale=x_scale, axis=alt.Axis(format="d", tickMinStep=1), title=None)
    y_axis = alt.Axis(format="%")
    solid = [focus] if focus else [s for s in series if s not in dashed]
    lines = alt.Chart(history).mark_line(point=alt.OverlayMarkDef(filled=True, size=30)).encode(
        x=x, y=alt.Y("p:Q", axis=y_axis, title="Out-of-sample probability"), color=colour,
        strokeWidth=alt.condition(alt.datum.series == focus, alt.value(2.8), alt.value(1.6)),
        strokeDash=alt.condition(alt.FieldOneOfPredicate(field="series", oneOf=solid), alt.value([1, 0]),
                                 alt.value([5, 3])),
    )
    layers: list[alt.Chart] = []
    if len(coups):
        layers.append(alt.Chart(coups).mark_rule(color="#d62728", strokeWidth=1.5, opacity=0.7).encode(x=x))
        # Level labels beside each rule, stepped down one line per event so that neighbouring years do not overlap.
        # Labels in the last fifth of the years sit left of their rule so that they stay inside the plot.
        stepped = coups.sort_values("year").assign(label_y=[4 + 11 * (i % 4) for i in range(len(coups))])
        first, last = float(history["year"].min()), float(history["year"].max())
        right_side = stepped["year"] > first + 0.8 * (last - first)
        sides: list[tuple[pd.DataFrame, Literal["left", "right"], int]] = [
            (stepped[~right_side], "left", 3), (stepped[right_side], "right", -3)]
        for part, align, shift in sides:
            if len(part):
                layers.append(alt.Chart(part).mark_text(align=align, baseline="top", dx=shift, fontSize=9,
                                                        color="#a01818").encode(
                    x=x, y=alt.Y("label_y:Q", scale=None), text="label:N"))
    layers.append(lines)
    if coup_points is not None and len(coup_points):
        layers.append(alt.Chart(coup_points).mark_point(shape="triangle-down", filled=True, size=140, color="#d62728",
                                                        stroke="white", strokeWidth=0.8, opacity=1).encode(
            x=x, y="p:Q", tooltip=["series:N", "label:N", alt.Tooltip("p:Q", format=".1%")]))
    if forecast is not None:
        ahead = pd.DataFrame([dict(forecast)])
        ahead["text"] = [f"forecast {int(forecast['year'])}: {forecast['p']:.1%}"]
        if pd.notna(ahead["p_low"].iloc[0]):
            layers.append(alt.Chart(ahead).mark_rule(color="#e08214", strokeWidth=2.5).encode(
                x=x, y="p_low:Q", y2="p_high:Q"))
        layers.append(alt.Chart(ahead).mark_point(shape="diamond", filled=True, size=110, color="#e08214").encode(
            x=x, y="p:Q"))
        layers.append(alt.Chart(ahead).mark_text(align="right", dx=-8, dy=-8, fontSize=10, color="#8c4a06").encode(
            x=x, y="p:Q", text="text:N"))
    return _configured(alt.layer(*layers).properties(width=WIDTH, height=HEIGHT, title=_title(title, subtitle)))


LEADER_COLOURS = {
    "military career": "#6b3e26",
    "civilian career": "#c9b79c",
    "career not coded": "#dddddd",
    "left irregularly": "#b2182b",
    "removed by foreign force": "#e7a19b",
    "left regularly, died or retired": "#9ecae1",
    "still in office (end of data)": "#c7c7c7",
}
EVENT_COLOURS = {
    "successful coup": "#b2182b",
    "failed attempt": "#f58518",
    "conspiracy or plot": "#7f7f7f",
}
EVENT_SHAPES = {"successful coup": "triangle-down", "failed attempt": "circle", "conspiracy or plot": "square"}


def timeline(spells: pd.DataFrame, events: pd.DataFrame, first_year: int, last_year: int, title: str,
             subtitle: str | None = None, lanes: Sequence[str] | None = None) -> alt.TopLevelMixin:
    """Leader spells as bars (lane, leader, start, end, kind) and coup events as points (lane, date, kind)."""
    lanes = list(lanes) if lanes is not None else list(dict.fromkeys([*events["lane"], *spells["lane"]]))
    domain = [f"{first_year}-01-01", f"{last_year}-12-31"]
    x = alt.X("start:T", scale=alt.Scale(domain=domain), title=None, axis=alt.Axis(format="%Y", tickCount=12))
    y = alt.Y("lane:N", sort=lanes, title=None, axis=alt.Axis(labelLimit=170))
    layers: list[alt.Chart] = []
    if len(spells):
        kinds = [k for k in LEADER_COLOURS if k in set(spells["kind"])]
        bars = alt.Chart(spells).mark_bar(height=16, stroke="white", strokeWidth=0.8).encode(
            x=x, x2="end:T", y=y,
            color=alt.Color("kind:N", title="Leaders", scale=alt.Scale(
                domain=kinds, range=[LEADER_COLOURS[k] for k in kinds])),
            tooltip=["leader:N", alt.Tooltip("start:T", format="%d %b %Y"), alt.Tooltip("end:T", format="%d %b %Y")],
        )
        labels = alt.Chart(spells[spells["label_shown"]]).mark_text(fontSize=9, color="#1d2731", dy=-14).encode(
            x=alt.X("middle:T", scale=alt.Scale(domain=domain)), y=y, text="leader:N")
        layers += [bars, labels]
    if len(events):
        kinds = [k for k in EVENT_COLOURS if k in set(events["kind"])]
        points = alt.Chart(events).mark_point(filled=True, size=85, opacity=0.9, stroke="white",
                                              strokeWidth=0.6).encode(
            x=alt.X("date:T", scale=alt.Scale(domain=domain), title=None,
                    axis=alt.Axis(format="%Y", tickCount=12)), y=y,
            color=alt.Color("kind:N", title="Coup events", scale=alt.Scale(
                domain=kinds, range=[EVENT_COLOURS[k] for k in kinds])),
            shape=alt.Shape("kind:N", title="Coup events", scale=alt.Scale(
                domain=kinds, range=[EVENT_SHAPES[k] for k in kinds])),
            tooltip=["kind:N", alt.Tooltip("date:T", format="%d %b %Y")],
        )
        layers.append(points)
    chart = alt.layer(*layers).resolve_scale(color="independent", shape="independent").resolve_legend(
        color="independent", shape="independent")
    lane_height = 44 if len(spells) else 28  # bars carry a name above them; rows of points need less room
    return _configured(chart.properties(width=WIDTH, height=max(80, lane_height * len(lanes)),
                                        title=_title(title, subtitle)))


# More series than this in one chart read as spaghetti: they are drawn as small multiples, one panel each.
SMALL_MULTIPLES_FROM = 5
PANEL_COLUMNS = 3


def _small_multiples(frame: pd.DataFrame, encoding: dict[str, Any], colours: alt.Scale, series: Sequence[str],
                     title: str, subtitle: str | None, base_year: int | None, height: int) -> alt.TopLevelMixin:
    """One small panel per series on shared axes, titled by the series' name (no legend to match colours)."""
    panel_width = (WIDTH - 30 * (PANEL_COLUMNS - 1)) // PANEL_COLUMNS
    rows = -(-len(series) // PANEL_COLUMNS)
    panel_height = max(70, min(110, (height * 2) // max(rows, 1)))
    # The unit goes into the subtitle: a level axis title above each panel would run into the panel's name.
    y_channel = encoding["y"].copy()
    unit = y_channel.to_dict().get("title")
    y_channel.title = None
    panel_encoding = {**encoding, "y": y_channel, "color": alt.Color("series:N", scale=colours, legend=None)}
    note = f"base year {base_year}" if base_year is not None else None
    chart = alt.Chart(frame).mark_line().encode(**panel_encoding).properties(width=panel_width, height=panel_height)
    faceted = chart.facet(
        facet=alt.Facet("series:N", sort=list(series), title=None,
                        header=alt.Header(labelFontSize=10, labelLimit=panel_width, labelAnchor="start")),
        columns=PANEL_COLUMNS,
    ).properties(title=_title(title, "; ".join(t for t in (subtitle, f"scale: {unit}" if unit else None, note)
                                               if t) or None))
    return _configured(faceted)


def lines(frame: pd.DataFrame, title: str, y_title: str, y_format: str, focus: str | None,
          base_year: int | None = None, subtitle: str | None = None, dashed: Sequence[str] = (),
          y_domain: tuple[float, float] | None = None, height: int = HEIGHT) -> alt.TopLevelMixin:
    """One line per series (columns year, series, value); the focus series thick, ``dashed`` series dashed."""
    series = list(dict.fromkeys(frame["series"]))
    years = frame["year"].astype(int)
    x = alt.X("year:Q", scale=alt.Scale(domain=[int(years.min()), int(years.max())], nice=False),
              axis=alt.Axis(format="d", tickMinStep=1, tickCount=YEAR_TICKS), title=None)
    scale = alt.Scale(domain=list(y_domain)) if y_domain else alt.Scale(zero=False)
    is_focus = alt.datum.series == focus
    dash_test = alt.FieldOneOfPredicate(field="series", oneOf=list(dashed)) if dashed else None
    encoding = {
        "x": x,
        "y": alt.Y("value:Q", axis=alt.Axis(format=y_format), title=y_title, scale=scale),
        "color": alt.Color("series:N", scale=series_scale(series, focus), title=None,
                           legend=alt.Legend(columns=3, labelLimit=260)),
        "strokeWidth": alt.condition(is_focus, alt.value(3), alt.value(1.6)),
        "tooltip": ["series:N", "year:Q", alt.Tooltip("value:Q", format=y_format)],
    }
    if dash_test is not None:
        encoding["strokeDash"] = alt.condition(dash_test, alt.value([5, 3]), alt.value([1, 0]))
    if len(series) > SMALL_MULTIPLES_FROM:
        return _small_multiples(frame, encoding, series_scale(series, focus), series, title, subtitle, base_year,
                                height)
    # Points mark each year's value; with many series they only clutter (and slow the rendering).
    point: alt.OverlayMarkDef | bool = alt.OverlayMarkDef(filled=True, size=22) if len(series) <= 5 else False
    chart = alt.Chart(frame).mark_line(point=point).encode(**encoding)
    layers: list[alt.Chart] = []
    if base_year is not None and int(years.min()) <= base_year <= int(years.max()):
        marker = pd.DataFrame({"year": [base_year], "text": [f"base {base_year}"]})
        layers.append(alt.Chart(marker).mark_rule(strokeDash=[3, 3], color=MUTED).encode(x=x))
        layers.append(alt.Chart(marker).mark_text(align="left", dx=3, y=4, baseline="top", fontSize=9,
                                                  color="#4a5866").encode(x=x, text="text:N"))
    layers.append(chart)
    return _configured(alt.layer(*layers).properties(width=WIDTH, height=height, title=_title(title, subtitle)))


def stacked_bars(frame: pd.DataFrame, title: str, y_title: str, y_format: str, colours: Mapping[str, str],
                 subtitle: str | None = None, x_title: str | None = None,
                 years: Sequence[int] | None = None) -> alt.TopLevelMixin:
    """Stacked bars per year (columns year, category, value) in the order and colours of ``colours``.

    ``years`` fixes the axis so that years without a bar still show as gaps.
    """
    present = [c for c in colours if c in set(frame["category"])]
    order = {c: i for i, c in enumerate(present)}
    data = frame.assign(order=frame["category"].map(order))
    domain = list(years) if years is not None else sorted(int(y) for y in data["year"].unique())
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("year:O", title=x_title, scale=alt.Scale(domain=domain),
                axis=alt.Axis(labelAngle=0, labelOverlap="greedy", labelSeparation=6)),
        y=alt.Y("sum(value):Q", title=y_title, axis=alt.Axis(format=y_format)),
        color=alt.Color("category:N", title=None, scale=alt.Scale(domain=present,
                                                                   range=[colours[c] for c in present])),
        order=alt.Order("order:Q"),
        tooltip=["year:O", "category:N", alt.Tooltip("value:Q", format=y_format)],
    )
    return _configured(chart.properties(width=WIDTH, height=HEIGHT, title=_title(title, subtitle)))


def bars(frame: pd.DataFrame, title: str, x_title: str, x_format: str, focus: str | None,
         subtitle: str | None = None) -> alt.TopLevelMixin:
    """Horizontal bars, one per label (columns label, value), the focus in red, values printed."""
    data = frame.assign(is_focus=frame["label"] == focus)
    order = data.sort_values("value", ascending=False)["label"].tolist()
    colour = alt.condition("datum.is_focus", alt.value(FOCUS_COLOUR), alt.value(OTHER_COLOURS[0]))
    base = alt.Chart(data).encode(y=alt.Y("label:N", sort=order, title=None))
    bar = base.mark_bar(height=14).encode(x=alt.X("value:Q", title=x_title, axis=alt.Axis(format=x_format)),
                                          color=colour)
    text = base.mark_text(align="left", dx=4, fontSize=10).encode(
        x="value:Q", text=alt.Text("value:Q", format=x_format))
    return _configured((bar + text).properties(width=WIDTH - 80, height=max(60, 24 * len(data)),
                                               title=_title(title, subtitle)))


def coverage(frame: pd.DataFrame, first_year: int, last_year: int, title: str,
             subtitle: str | None = None) -> alt.TopLevelMixin:
    """Years with data per source (columns source, year); gaps show what the data at hand lack."""
    sources = list(dict.fromkeys(frame["source"]))
    chart = alt.Chart(frame.assign(next_year=frame["year"] + 1)).mark_rect(color="#4c78a8", opacity=0.85).encode(
        x=alt.X("year:Q", scale=alt.Scale(domain=[first_year, last_year + 1], nice=False),
                axis=alt.Axis(format="d", tickMinStep=1, tickCount=YEAR_TICKS), title=None),
        x2="next_year:Q",
        y=alt.Y("source:N", sort=sources, title=None, axis=alt.Axis(labelLimit=230)),
        tooltip=["source:N", "year:Q"],
    )
    return _configured(chart.properties(width=WIDTH - 150, height=max(60, 17 * len(sources)),
                                        title=_title(title, subtitle)))


VERDICT_COLOURS = {
    "supported": "#1a7f37",
    "partly": "#bf8700",
    "contradicted": "#b42318",
    "not checkable with the data at hand": "#8a96a3",
}


def verdicts(frame: pd.DataFrame, title: str, subtitle: str | None = None) -> alt.TopLevelMixin:
    """Claims per verdict (columns verdict, claims)."""
    present = [v for v in VERDICT_COLOURS if v in set(frame["verdict"])]
    base = alt.Chart(frame).encode(y=alt.Y("verdict:N", sort=present, title=None, axis=alt.Axis(labelLimit=260)))
    bar = base.mark_bar(height=16).encode(
        x=alt.X("claims:Q", title="Claims", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("verdict:N", legend=None, scale=alt.Scale(
            domain=present, range=[VERDICT_COLOURS[v] for v in present])))
    text = base.mark_text(align="left", dx=4, fontSize=10).encode(x="claims:Q", text="claims:Q")
    return _configured((bar + text).properties(width=WIDTH - 220, height=max(50, 26 * len(present)),
                                               title=_title(title, subtitle)))
