"""The headline (risk, rank and drivers) and the out-of-sample risk history of a brief."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from coupwatch.app.briefs import Evidence, PanelValues, State
from coupwatch.cells import is_missing
from coupwatch.core.explain import driver_sentence
from coupwatch.report.charts import brief as charts
from coupwatch.report.content.formatting import NOT_AVAILABLE, change_points, count, ordinal, plural, probability, words
from coupwatch.report.content.frames import series, watch_row
from coupwatch.report.content.model import ChartItem, Scope, Section, TableItem


def _driver_value(value: object) -> str:
    return "missing" if is_missing(value) else f"{float(value):.3g}"  # type: ignore[arg-type]


def headline_section(evidence: Evidence, scope: Scope) -> Section:
    target = evidence.year + 1
    section = Section("headline", f"Headline: risk of a coup attempt in {target}", "",
                      tables_used=["pt_country_year"])
    watchlist = evidence.watchlist
    if watchlist is None or watchlist.empty:
        section.reading = (f"No forecast for {target} is available, so this brief cannot state a current risk. "
                           f"{evidence.forecast_note}")
        section.missing.append(f"{NOT_AVAILABLE}: a saved forecast for {target}. {evidence.forecast_note}")
        return section
    total = len(watchlist)
    median = float(watchlist["p"].median())
    rows = []
    for state in scope.states:
        row = watch_row(evidence, state)
        if row is not None:
            rows.append({"label": state.name, "p": float(row["p"]), "p_low": float(row["p_low"]),
                         "p_high": float(row["p_high"]), "group": scope.group_of(state),
                         "rank": int(row["rank"]), "change": float(row["change"]),
                         "p_last_year": float(row["p_last_year"])})
    frame = pd.DataFrame(rows)
    missing_states = [s.name for s in scope.states if s.name not in set(frame.get("label", []))]
    if missing_states:
        section.missing.append(f"{NOT_AVAILABLE}: a {target} forecast for {words(missing_states)} (the "
                               "forecast covers states with feature rows for that year).")
    level = round(float(watchlist["interval_level"].iloc[0]) * 100) if "interval_level" in watchlist else 90
    focus = scope.focus
    if focus is not None:
        row = watch_row(evidence, focus)
        if row is None:
            section.reading = (f"The {target} forecast covers {total} states but not {focus.name}, so no current "
                               "risk can be stated for it.")
        else:
            section.reading = _headline_reading(focus, row, total, median, target, level, frame, evidence.year)
            if isinstance(row.get("data_as_of_text"), str):  # forecasts saved before it have none
                section.reading += f" Data as of (latest year per feature group): {row['data_as_of_text']}."
            section.tables.append(_drivers_table(row, evidence.year))
    else:
        section.reading = _region_headline_reading(frame, total, median, target, scope)
    if len(frame):
        frame_sorted = frame.sort_values("p", ascending=False)
        section.tables.append(TableItem(
            f"Forecast for {target} ({evidence.model}; {level}% interval; rank among {total} states)",
            ["State", *(["Group"] if focus is None else []), "Risk", f"{level}% interval", "Rank",
             f"Change since {evidence.year}"],
            [[r["label"], *([r["group"]] if focus is None else []), probability(r["p"]),
              f"{probability(r['p_low'])}–{probability(r['p_high'])}", f"{r['rank']} of {total}",
              change_points(r["change"])] for r in frame_sorted.to_dict("records")],
            [False, *([False] if focus is None else []), True, True, True, True]))
        chart = charts.risk_intervals(frame, f"Probability of a coup attempt in {target}",
                                  focus.name if focus else None, median,
                                  subtitle=f"Point: forecast; bar: {level}% interval; dashed: median of all "
                                  f"{total} states", colour_by_group=focus is None)
        section.charts.append(ChartItem("risk", chart, ("rule", "symbol", "text"), ("pt_country_year",),
                                        note=f"Model: {evidence.model}, fitted on every year before {target}; "
                                        f"features from data to the end of {evidence.year}."))
    return section


def _headline_reading(focus: State, row: pd.Series, total: int, median: float, target: int, level: int,
                      frame: pd.DataFrame, year: int) -> str:
    p, low, high = float(row["p"]), float(row["p_low"]), float(row["p_high"])
    rank = int(row["rank"])
    parts = [f"The model puts the probability of a coup attempt in {focus.name} in {target} at {probability(p)}"]
    if not is_missing(low):
        parts[0] += f" ({level}% interval {probability(low)} to {probability(high)})"
    parts[0] += (f", about 1 in {max(1, round(1 / p))}" if p > 0 else "") + "."
    ratio = p / median if median > 0 else math.nan
    parts.append(f"That ranks {ordinal(rank)} of {total} states; the median state is at {probability(median)}"
                 + (f", so {focus.name}'s risk is {ratio:.1f} times the median." if not is_missing(ratio) else "."))
    change, last = float(row["change"]), float(row["p_last_year"])
    if not is_missing(change):
        direction = "up" if change > 0 else "down"
        size = change_points(abs(change)).lstrip("+±").replace(" pts", "")
        parts.append(f"It is {direction} {size} percentage points from the out-of-sample estimate "
                     f"for {year} ({probability(last)}).")
    drivers = row.get("drivers")
    if isinstance(drivers, list | tuple) and drivers:
        parts.append(f"What sets {focus.name} apart from other states: "
                     + " ".join(driver_sentence(d) for d in drivers)
                     + " These are associations the model learned, not proven causes.")
    others = frame[frame["label"] != focus.name]
    if len(others):
        top = others.sort_values("p", ascending=False).iloc[0]
        group_rank = int((frame["p"] > p).sum()) + 1
        parts.append(f"Among the {len(frame)} states compared here, {focus.name} ranks {ordinal(group_rank)}; the "
                     f"highest of the others is {top['label']} at {probability(float(top['p']))}.")
    return " ".join(parts)


def _region_headline_reading(frame: pd.DataFrame, total: int, median: float, target: int, scope: Scope) -> str:
    if frame.empty:
        return f"None of these states is in the {target} forecast."
    ordered = frame.sort_values("p", ascending=False)
    top = ordered.iloc[0]
    parts = [f"For {target}, {top['label']} has the highest modelled probability of a coup attempt among these "
             f"{len(frame)} states, {probability(float(top['p']))} (rank {int(top['rank'])} of {total})."]
    above = int((frame["p"] > median).sum())
    parts.append(f"{plural(above, 'of them is', 'of them are')} above the median of all states "
                 f"({probability(median)}).")
    for group, rows in frame.groupby("group", sort=False):
        parts.append(f"{group}: median {probability(float(rows['p'].median()))}, from "
                     f"{rows.sort_values('p').iloc[0]['label']} ({probability(float(rows['p'].min()))}) to "
                     f"{rows.sort_values('p').iloc[-1]['label']} ({probability(float(rows['p'].max()))}).")
    rising = frame[frame["change"] > 0]["label"].tolist()
    if rising:
        parts.append(f"Risk rose since the {target - 1} estimate for {words(rising)}.")
    return " ".join(parts)


def _drivers_table(row: pd.Series, year: int) -> TableItem:
    drivers = row.get("drivers")
    rows = []
    if isinstance(drivers, list | tuple):
        for driver in drivers:
            concept = str(driver.get("concept") or driver["description"])
            value = driver.get("shown") or _driver_value(driver["value"])
            label = str(driver.get("label") or "value")
            shift = float(driver.get("versus_median", driver["contribution"]))
            rows.append([concept[:1].upper() + concept[1:], f"{label}: {value}",
                         str(driver.get("standing") or ""), f"{driver['direction']} ({shift:+.2f})"])
    return TableItem(f"What sets the forecast apart (values known at the end of {year}; effect on the log-odds "
                     "compared with the median state)",
                     ["Concept", "Evidence", "Among all states", "Effect"], rows, [False, False, False, True])


def risk_history_section(evidence: Evidence, scope: Scope) -> Section:
    section = Section("risk-history", "Risk history: out-of-sample forecasts and actual coups", "",
                      tables_used=["pt_country_year", "pt_events"])
    predictions = evidence.predictions
    year = evidence.year
    if predictions is None or predictions.empty:
        section.reading = f"No backtest predictions are available. {evidence.backtest_note}"
        section.missing.append(f"{NOT_AVAILABLE}: out-of-sample predictions. {evidence.backtest_note}")
        return section
    predictions = predictions[predictions["year"] <= year]
    if predictions.empty:
        section.reading = (f"The saved backtest ({evidence.backtest_period}) has no out-of-sample prediction for "
                           f"{year} or earlier.")
        section.missing.append(f"{NOT_AVAILABLE}: out-of-sample predictions up to {year}; run `coupwatch backtest "
                               "--from YEAR` to cover earlier years.")
        return section
    ranks = predictions.assign(rank=predictions.groupby("year")["p"].rank(ascending=False, method="min"))
    per_year = ranks.groupby("year").agg(median=("p", "median"), states=("p", "size"))
    codes = {s.gwcode for s in scope.states}
    mine = ranks[ranks["gwcode"].isin(codes)]
    first, last = int(predictions["year"].min()), int(predictions["year"].max())
    focus = scope.focus
    names = {s.gwcode: s.name for s in scope.states}
    parts = []
    if focus is not None:
        own = mine[mine["gwcode"] == focus.gwcode].sort_values("year")
        parts.append(pd.DataFrame({"year": own["year"], "series": focus.name, "p": own["p"]}))
        peers = mine[mine["gwcode"] != focus.gwcode]
        if len(peers):
            peer_median = peers.groupby("year")["p"].median()
            parts.append(pd.DataFrame({"year": peer_median.index, "series": "Peers, median",
                                       "p": peer_median.to_numpy()}))
        parts.append(pd.DataFrame({"year": per_year.index, "series": "All states, median",
                                   "p": per_year["median"].to_numpy()}))
    else:
        for state in scope.states:
            own = mine[mine["gwcode"] == state.gwcode].sort_values("year")
            parts.append(pd.DataFrame({"year": own["year"], "series": state.name, "p": own["p"]}))
    history = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["year", "series", "p"])
    history = history.dropna(subset=["p"])
    coups = _coup_years(evidence.values, scope, first, last)
    forecast = None
    if focus is not None:
        row = watch_row(evidence, focus)
        if row is not None:
            forecast = {"year": year + 1, "p": float(row["p"]), "p_low": float(row["p_low"]),
                        "p_high": float(row["p_high"])}
    if focus is not None and not (history["series"] == focus.name).any():
        section.reading = (f"The backtest ({evidence.backtest_period}) made no prediction for {focus.name}; "
                           "its features were missing in every test year.")
        section.missing.append(f"{NOT_AVAILABLE}: out-of-sample predictions for {focus.name}.")
        return section
    title = ("Out-of-sample probability of a coup attempt" if focus else
             "Out-of-sample probability of a coup attempt, by state")
    subtitle = (f"Each year predicted by a model fitted only on earlier years; red lines: coup attempts in "
                f"{focus.name}" if focus else "Each year predicted by a model fitted only on earlier years")
    chart_coups = coups[coups["gwcode"] == focus.gwcode] if focus is not None else coups.iloc[0:0]
    points_on = coups if focus is None else chart_coups
    coup_points = points_on.rename(columns={"state": "series"}).merge(history, on=["series", "year"])
    chart = charts.risk_history(history, chart_coups, forecast, title, focus.name if focus else "",
                            subtitle=subtitle + ("; triangles: coup attempts" if len(coup_points) else ""),
                            dashed=scope.dashed(), coup_points=coup_points)
    marks = ("line", "symbol") + (("rule",) if len(chart_coups) or forecast else ())
    section.charts.append(ChartItem("risk-history", chart, marks, ("pt_country_year",),
                                    note=f"Model: {evidence.model}; rolling-origin backtest "
                                    f"{evidence.backtest_period}."))
    if focus is not None:
        section.reading = _history_reading(focus, own, per_year, coups, evidence.backtest_period)
        observed = series(evidence.values, focus.gwcode, "pt_attempts", first, last)
        section.tables.append(TableItem(
            f"{focus.name}: out-of-sample probability and rank per year",
            ["Year", "Probability", "Rank", "Median of all states", "Coup attempts (P&T)"],
            [[str(int(year)), probability(p), f"{int(rank)} of {int(per_year.loc[year, 'states'])}",
              probability(float(per_year.loc[year, "median"])),
              count(observed.get(int(year), math.nan))]
             for year, p, rank in zip(own["year"].tolist(), own["p"].tolist(), own["rank"].tolist(), strict=True)],
            [False, True, True, True, True]))
    else:
        section.reading = _region_history_reading(mine, names, coups, evidence.backtest_period, per_year)
    return section


def _coup_years(panel: PanelValues, scope: Scope, first: int, last: int) -> pd.DataFrame:
    rows = []
    for state in scope.states:
        successes = series(panel, state.gwcode, "pt_successes", first, last)
        failures = series(panel, state.gwcode, "pt_failures", first, last)
        for year in sorted(set(successes[successes > 0].index) | set(failures[failures > 0].index)):
            kinds = []
            if successes.get(year, 0) > 0:
                kinds.append("coup")
            if failures.get(year, 0) > 0:
                kinds.append("failed attempt")
            rows.append({"gwcode": state.gwcode, "state": state.name, "year": int(year),
                         "label": f"{' + '.join(kinds)} {year}",
                         "successes": int(successes.get(year, 0)), "failures": int(failures.get(year, 0))})
    return pd.DataFrame(rows, columns=["gwcode", "state", "year", "label", "successes", "failures"])


def _history_reading(focus: State, own: pd.DataFrame, per_year: pd.DataFrame, coups: pd.DataFrame,
                     period: str) -> str:
    # By position: idxmin() is typed as any Hashable, which .loc does not take; own's labels are unique.
    low, high = own.iloc[own["p"].argmin()], own.iloc[own["p"].argmax()]
    parts = [f"In the backtest ({period}), each year's probability for {focus.name} came from a model fitted only "
             f"on earlier years. It ranged from {probability(float(low['p']))} in {int(low['year'])} to "
             f"{probability(float(high['p']))} in {int(high['year'])}."]
    above = int(sum(float(p) > float(per_year.loc[year, "median"])
                    for year, p in zip(own["year"].tolist(), own["p"].tolist(), strict=True)))
    parts.append(f"It was above the median state in {above} of {len(own)} years.")
    mine = coups[coups["gwcode"] == focus.gwcode]
    by_year = own.set_index("year")
    judged = []
    for year, label in zip(mine["year"].tolist(), mine["label"].tolist(), strict=True):
        if year in by_year.index:
            hit = by_year.loc[year]
            judged.append(f"{year} ({label.rsplit(' ', 1)[0]}): {probability(float(hit['p']))}, ranked "
                          f"{ordinal(int(hit['rank']))} of {int(per_year.loc[year, 'states'])}")
    if judged:
        in_top = sum(1 for year in mine["year"].tolist() if year in by_year.index
                     and int(by_year.loc[year, "rank"]) <= 20)
        parts.append(f"Years with a coup attempt: {'; '.join(judged)}. "
                     f"{in_top} of {len(judged)} were in the top 20 that year.")
    else:
        parts.append(f"Powell & Thyne record no coup attempt in {focus.name} in the backtest years.")
    return " ".join(parts)


def _region_history_reading(mine: pd.DataFrame, names: Mapping[int, str], coups: pd.DataFrame, period: str,
                            per_year: pd.DataFrame) -> str:
    if mine.empty:
        return "The backtest made no prediction for these states."
    parts = [f"Out-of-sample probabilities from the backtest ({period}) for {len(names)} states."]
    judged = []
    for gwcode, state, year in zip(coups["gwcode"].tolist(), coups["state"].tolist(), coups["year"].tolist(),
                                   strict=True):
        hit = mine[(mine["gwcode"] == gwcode) & (mine["year"] == year)]
        if len(hit):
            judged.append(f"{state} {year} ({probability(float(hit['p'].iloc[0]))}, ranked "
                          f"{ordinal(int(hit['rank'].iloc[0]))} of {int(per_year.loc[year, 'states'])})")
    if judged:
        parts.append(f"Coup attempts in these years and what the model said beforehand: {'; '.join(judged)}.")
    else:
        parts.append("None of these states had a coup attempt in the backtest years.")
    mean_rank = mine.groupby("gwcode")["rank"].mean().sort_values()
    parts.append(f"On average over the backtest, {names[int(mean_rank.index[0])]} ranked highest "
                 f"(mean rank {mean_rank.iloc[0]:.0f}) and {names[int(mean_rank.index[-1])]} lowest "
                 f"(mean rank {mean_rank.iloc[-1]:.0f}).")
    return " ".join(parts)
