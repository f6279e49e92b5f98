"""Coups and leaders: Powell & Thyne and Cline Center events over REIGN and Archigos leader spells."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from coupwatch.app.briefs import Evidence, State
from coupwatch.cells import is_missing
from coupwatch.report.charts import brief as charts
from coupwatch.report.content.formatting import NOT_AVAILABLE, day, plural, words
from coupwatch.report.content.frames import first_year
from coupwatch.report.content.model import ChartItem, Scope, Section, TableItem

EVENT_KIND_PT = {"successful": "successful coup", "failed": "failed attempt"}


EVENT_KIND_CDP = {"coup": "successful coup", "attempted": "failed attempt", "conspiracy": "conspiracy or plot"}


ARCHIGOS_EXIT = {"Irregular": "left irregularly", "Foreign": "removed by foreign force",
                 "Still in Office": "still in office (end of data)"}


def _pt_dates(events: pd.DataFrame) -> pd.Series:
    parts = events[["year", "month", "day"]].apply(pd.to_numeric, errors="coerce")
    parts = parts.fillna({"month": 1, "day": 1}).astype(int)
    return pd.to_datetime(parts)


def timeline_section(evidence: Evidence, scope: Scope) -> Section:
    section = Section("timeline", "Coups and leaders", "",
                      tables_used=["pt_events", "cdp_events", "reign_leaders", "archigos_leaders"])
    year = evidence.year
    ends = evidence.coverage_ends
    if scope.focus is None:
        return _region_timeline(evidence, scope, section)
    focus = scope.focus
    first = max(first_year(evidence, focus), 1950)
    window_end = pd.Timestamp(year=year, month=12, day=31)
    pt = evidence.coup_events[evidence.coup_events["gwcode"] == focus.gwcode].copy()
    pt["date"] = _pt_dates(pt) if len(pt) else pd.Series(dtype="datetime64[ns]")
    pt = pt[(pt["date"].dt.year >= first) & (pt["date"] <= window_end)]
    cdp = evidence.cdp_events[evidence.cdp_events["gwcode"] == focus.gwcode].copy()
    cdp["date"] = pd.to_datetime(cdp["event_date"])
    cdp = cdp[(cdp["date"].dt.year >= first) & (cdp["date"] <= window_end)]
    lane_pt, lane_cdp = "Coup attempts (Powell & Thyne)", "Coup events (Cline CDP)"
    lane_reign, lane_archigos = "Leaders (REIGN)", "Leaders (Archigos)"
    events = pd.concat([
        pd.DataFrame({"lane": lane_pt, "date": pt["date"], "kind": pt["outcome"].map(EVENT_KIND_PT)}),
        pd.DataFrame({"lane": lane_cdp, "date": cdp["date"], "kind": cdp["event_type"].map(EVENT_KIND_CDP)}),
    ], ignore_index=True).dropna(subset=["kind"])
    spells = pd.concat([
        _reign_spells(evidence.reign_leaders, focus.gwcode, ends.get("reign"), lane_reign),
        _archigos_spells(evidence.archigos_leaders, focus.gwcode, lane_archigos),
    ], ignore_index=True)
    start = pd.Timestamp(year=first, month=1, day=1)
    spells["start"], spells["end"] = pd.to_datetime(spells["start"]), pd.to_datetime(spells["end"])
    spells = spells[(spells["end"] >= start) & (spells["start"] <= window_end)].copy()
    # The stubs only take numbers or arrays as clip bounds; pandas clips datetime columns by a Timestamp.
    spells["start"] = spells["start"].clip(lower=start)  # type: ignore[call-overload]
    spells["end"] = spells["end"].clip(upper=window_end)  # type: ignore[call-overload]
    spells = _label_spells(spells, first, year)
    reading = _timeline_reading(focus, pt, cdp, spells, first, ends, lane_reign, lane_archigos)
    section.reading = reading
    for source, frame, name in (("Powell & Thyne", pt, "pt"), ("Cline CDP", cdp, "cdp")):
        if frame.empty and name in ends:
            section.missing.append(f"{source} record no coup event for {focus.name} from {first} to "
                                   f"{min(year, ends[name].year)}.")
    if spells[spells["lane"] == lane_reign].empty:
        section.missing.append(f"{NOT_AVAILABLE}: REIGN leader spells for {focus.name}.")
    if spells[spells["lane"] == lane_archigos].empty:
        section.missing.append(f"{NOT_AVAILABLE}: Archigos leader spells for {focus.name} (Archigos ends in "
                               f"{ends['archigos'].year if 'archigos' in ends else 2015}).")
    if len(events) or len(spells):
        lanes_present = [lane for lane in (lane_pt, lane_cdp, lane_reign, lane_archigos)
                         if lane in set(events["lane"]) | set(spells["lane"])]
        chart = charts.timeline(spells, events, first, year, f"{focus.name}: coup events and leaders, {first}–{year}",
                            subtitle="Points: coup events; bars: leaders in office", lanes=lanes_present)
        marks = (("rect",) if len(spells) else ()) + (("symbol",) if len(events) else ())
        section.charts.append(ChartItem("timeline", chart, marks,
                                        ("pt_events", "cdp_events", "reign_leaders", "archigos_leaders")))
    rows = []
    for row in pt.sort_values("date").itertuples():
        rows.append([day(row.date), "Powell & Thyne", EVENT_KIND_PT.get(row.outcome, str(row.outcome))])
    for row in cdp.sort_values("date").itertuples():
        flags = [label for column, label in (("military", "military"), ("dissident", "dissident"),
                                              ("palace", "palace"), ("rebel", "rebel"), ("popular", "popular"))
                 if column in cdp.columns and getattr(row, column) == 1]
        rows.append([day(row.date), "Cline CDP", EVENT_KIND_CDP.get(row.event_type, str(row.event_type))
                     + (f" ({', '.join(flags)})" if flags else "")])
    if rows:
        rows.sort(key=lambda r: pd.Timestamp(r[0]))
        section.tables.append(TableItem(f"Coup events in {focus.name}, {first}–{year}", ["Date", "Source", "Event"],
                                        rows, [False, False, False]))
    return section


def _reign_spells(leaders: pd.DataFrame, gwcode: int, coverage_end: pd.Timestamp | None, lane: str) -> pd.DataFrame:
    rows = leaders[leaders["gwcode"] == gwcode].sort_values("start_date")
    out = []
    starts = pd.to_datetime(rows["start_date"]).tolist()
    for number, row in enumerate(rows.to_dict("records")):
        start = pd.Timestamp(row["start_date"])
        if number + 1 < len(starts):
            end, ongoing = starts[number + 1], False
        elif not is_missing(row["eyear"]):
            end, ongoing = pd.Timestamp(year=int(row["eyear"]), month=int(row["emonth"] or 12), day=28), False
        else:
            end, ongoing = (coverage_end or start), True
        career = row["militarycareer"]
        kind = ("career not coded" if is_missing(career) else
                "military career" if float(career) >= 0.5 else "civilian career")
        out.append({"lane": lane, "leader": str(row["leader"]), "start": start, "end": end, "kind": kind,
                    "ongoing": ongoing})
    return pd.DataFrame(out, columns=["lane", "leader", "start", "end", "kind", "ongoing"])


def _archigos_spells(leaders: pd.DataFrame, gwcode: int, lane: str) -> pd.DataFrame:
    rows = leaders[leaders["gwcode"] == gwcode].sort_values("startdate")
    out = [{"lane": lane, "leader": str(row["leader"]), "start": pd.Timestamp(row["startdate"]),
            "end": pd.Timestamp(row["enddate"]),
            "kind": ARCHIGOS_EXIT.get(str(row["exit"]), "left regularly, died or retired"),
            "ongoing": str(row["exit"]) == "Still in Office", "exitcode": str(row["exitcode"])}
           for row in rows.to_dict("records")]
    return pd.DataFrame(out, columns=["lane", "leader", "start", "end", "kind", "ongoing", "exitcode"])


def _label_spells(spells: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Mark spells long enough on the chart's time axis to carry their leader's name."""
    if spells.empty:
        return spells.assign(middle=pd.Series(dtype="datetime64[ns]"), label_shown=pd.Series(dtype=bool))
    pixels_per_year = charts.WIDTH / max(1, last - first + 1)
    years = (spells["end"] - spells["start"]).dt.days / 365.25
    spells = spells.copy()
    spells["middle"] = spells["start"] + (spells["end"] - spells["start"]) / 2
    spells["label_shown"] = years * pixels_per_year >= spells["leader"].str.len() * 4.6 + 4
    return spells


def _timeline_reading(focus: State, pt: pd.DataFrame, cdp: pd.DataFrame, spells: pd.DataFrame, first: int,
                      ends: Mapping[str, pd.Timestamp], lane_reign: str, lane_archigos: str) -> str:
    parts = []
    pt_end = ends.get("pt")
    coverage = f" (to {pt_end.strftime('%B %Y')})" if pt_end is not None else ""
    if len(pt):
        successes = int((pt["outcome"] == "successful").sum())
        last = pt.sort_values("date").iloc[-1]
        parts.append(f"Powell & Thyne{coverage} record {plural(len(pt), 'coup attempt')} in {focus.name} since "
                     f"{first}: {successes} successful and {len(pt) - successes} failed. The most recent was on "
                     f"{day(last['date'])} ({EVENT_KIND_PT.get(last['outcome'], last['outcome'])}).")
    else:
        parts.append(f"Powell & Thyne{coverage} record no coup attempt in {focus.name} since {first}.")
    if len(cdp):
        kinds = cdp["event_type"].value_counts()
        parts.append(f"The Cline Center's CDP (to {ends['cdp'].year if 'cdp' in ends else 2022}) lists "
                     f"{plural(int(kinds.get('coup', 0)), 'realised coup')}, "
                     f"{plural(int(kinds.get('attempted', 0)), 'failed attempt')} and "
                     f"{plural(int(kinds.get('conspiracy', 0)), 'conspiracy', 'conspiracies')}.")
    reign = spells[spells["lane"] == lane_reign]
    if len(reign):
        military = int((reign["kind"] == "military career").sum())
        coded = int((reign["kind"] != "career not coded").sum())
        current = reign.sort_values("start").iloc[-1]
        tail = (f"{current['leader']} (in office since {day(current['start'])}) was the leader when its lists end"
                if bool(current["ongoing"]) else f"the last listed is {current['leader']}")
        careers = (f"{military} of the {coded} with a coded career "
                   f"{'was a military officer' if military == 1 else 'were military officers'}" if coded
                   else "their careers are not coded")
        parts.append(f"REIGN lists {plural(len(reign), 'leader spell')} in office in this period; {careers}; "
                     f"{tail}.")
    archigos = spells[spells["lane"] == lane_archigos]
    if len(archigos):
        irregular = int(archigos["kind"].isin(["left irregularly", "removed by foreign force"]).sum())
        military_exits = int(archigos["exitcode"].str.contains("Military", na=False).sum())
        parts.append(f"Archigos (to {ends['archigos'].year if 'archigos' in ends else 2015}) records "
                     f"{irregular} of {len(archigos)} leaders leaving office irregularly, {military_exits} of them "
                     "removed by the military.")
    return " ".join(parts)


def _region_timeline(evidence: Evidence, scope: Scope, section: Section) -> Section:
    year = evidence.year
    first = evidence.base_year - 12
    events = evidence.coup_events.copy()
    events["date"] = _pt_dates(events) if len(events) else pd.Series(dtype="datetime64[ns]")
    names = {s.gwcode: s.name for s in scope.states}
    events = events[events["gwcode"].isin(names) & (events["date"].dt.year >= first)
                    & (events["date"].dt.year <= year)]
    frame = pd.DataFrame({"lane": events["gwcode"].map(names), "date": events["date"],
                          "kind": events["outcome"].map(EVENT_KIND_PT)})
    lanes = [s.name for s in scope.states]
    spells = pd.DataFrame(columns=["lane", "leader", "start", "end", "kind", "middle", "label_shown"])
    if len(frame):
        chart = charts.timeline(spells, frame, first, year, f"Coup attempts, {first}–{year} (Powell & Thyne)",
                            subtitle="One row per state", lanes=lanes)
        section.charts.append(ChartItem("timeline", chart, ("symbol",), ("pt_events",)))
    rows, parts = [], []
    for group in dict.fromkeys(scope.groups.values()):
        members = [s for s in scope.states if scope.group_of(s) == group]
        hits = events[events["gwcode"].isin([s.gwcode for s in members])]
        successes = int((hits["outcome"] == "successful").sum())
        with_coups = [names[int(g)] for g in hits["gwcode"].unique()]
        parts.append(f"{group}: {plural(len(hits), 'coup attempt')} since {first} ({successes} successful)"
                     + (f", in {words(with_coups)}." if with_coups else "."))
    for row in events.sort_values("date").itertuples():
        rows.append([day(row.date), names[int(row.gwcode)], EVENT_KIND_PT.get(row.outcome, str(row.outcome))])
    section.reading = (f"Powell & Thyne (to {evidence.coverage_ends['pt'].strftime('%B %Y')}) " if "pt" in
                       evidence.coverage_ends else "Powell & Thyne ") + "record these coup attempts. " + " ".join(parts)
    if rows:
        section.tables.append(TableItem(f"Coup attempts {first}–{year}", ["Date", "State", "Event"], rows,
                                        [False, False, False]))
    else:
        section.missing.append(f"Powell & Thyne record no coup attempt in these states from {first} to {year}.")
    return section
