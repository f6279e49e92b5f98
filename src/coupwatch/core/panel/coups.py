"""Coups: Powell & Thyne events with the Cline Center's CDP counts alongside, and coup timing within the year.

Counts are zero in covered years without events and missing outside a source's coverage.
"""

from __future__ import annotations

import pandas as pd

from coupwatch.core.panel.joins import coverage_years, mapped, merge_columns, within_coverage
from coupwatch.core.panel.skeleton import ColumnDoc, DataSource, panel_keys

COUPS_DOCS = (
    ColumnDoc("pt_attempts", "Coup attempts (failed or successful), Powell & Thyne", "pt_events", "count"),
    ColumnDoc("pt_successes", "Successful coups, Powell & Thyne", "pt_events", "count"),
    ColumnDoc("pt_failures", "Failed coup attempts, Powell & Thyne", "pt_events", "count"),
    ColumnDoc("pt_attempt", "1 if at least one coup attempt, Powell & Thyne", "pt_events", "0/1"),
    ColumnDoc("pt_success", "1 if at least one successful coup, Powell & Thyne", "pt_events", "0/1"),
    ColumnDoc("cdp_coups", "Realised coups, Cline Center CDP", "cdp_events", "count"),
    ColumnDoc("cdp_attempts", "Attempted coups that failed, Cline Center CDP", "cdp_events", "count"),
    ColumnDoc("cdp_conspiracies", "Coup conspiracies (plots stopped before action), CDP", "cdp_events", "count"),
    ColumnDoc("cdp_events", "All CDP events (coups, attempts, conspiracies)", "cdp_events", "count"),
)

PT_COLUMNS = ["pt_attempts", "pt_successes", "pt_failures", "pt_attempt", "pt_success"]
CDP_COLUMNS = ["cdp_coups", "cdp_attempts", "cdp_conspiracies", "cdp_events"]
PT_FIRST_YEAR = 1950


def pt_last_year(data: DataSource) -> int:
    """The last year Powell & Thyne code: the country-year file of the same release says (V2025.09.12: 2025)."""
    return int(data.table("pt_country_year")["year"].max())


def add_coups(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """Coup attempts, successes and failures (Powell & Thyne) with CDP counts alongside.

    Counts are zero in covered years without events and missing outside a source's coverage (P&T from 1950
    to its last year; CDP 1945-2022).
    """
    keys = panel_keys(panel)
    pt = mapped(data.table("pt_events"))
    pt_counts = (
        pt.assign(
            pt_attempts=1,
            pt_successes=(pt["coup"] == 2).astype(int),
            pt_failures=(pt["coup"] == 1).astype(int),
        )
        .groupby(keys)[["pt_attempts", "pt_successes", "pt_failures"]]
        .sum()
        .reset_index()
    )
    out = merge_columns(panel, pt_counts, keys, fill=dict.fromkeys(PT_COLUMNS[:3], 0))
    out["pt_attempt"] = (out["pt_attempts"] > 0).astype(int)
    out["pt_success"] = (out["pt_successes"] > 0).astype(int)
    out = within_coverage(out, PT_COLUMNS, PT_FIRST_YEAR, pt_last_year(data))

    cdp = mapped(data.table("cdp_events"))
    kinds = cdp["event_type"].str.lower()
    cdp_counts = (
        cdp.assign(
            cdp_coups=(kinds == "coup").astype(int),
            cdp_attempts=(kinds == "attempted").astype(int),
            cdp_conspiracies=(kinds == "conspiracy").astype(int),
            cdp_events=1,
        )
        .groupby(keys)[CDP_COLUMNS]
        .sum()
        .reset_index()
    )
    out = merge_columns(out, cdp_counts, keys, fill=dict.fromkeys(CDP_COLUMNS, 0))
    _, cdp_last = coverage_years(data.table("cdp_events"))
    return within_coverage(out, CDP_COLUMNS, 1945, cdp_last)


# ---------------------------------------------------------------------------------------------------------
# Coup timing and scheduled elections
# ---------------------------------------------------------------------------------------------------------

LATE_MONTHS_FROM = 7  # "the last months of the year": July to December
SCHEDULED_EVENTS = ("Vote, As Scheduled", "Upcoming, Scheduled", "Upcoming, Deadline")
ELECTION_LAST_LISTED_YEAR = 2027  # REIGN lists scheduled elections up to 2027
TIMING_DOCS = (
    ColumnDoc("pt_attempts_late", "Coup attempts from July to December (Powell & Thyne)", "pt_events", "count"),
    ColumnDoc(
        "exec_vote_scheduled_next_year",
        "1 if REIGN lists a regular executive election for the NEXT year (held as scheduled, or still upcoming "
        "when the list was made in March 2021): a date fixed in advance, so known by the end of this year",
        "reign_elections", "0/1",
    ),
    ColumnDoc("leg_vote_scheduled_next_year", "1 if REIGN lists a regular legislative election for the next "
              "year (as above)", "reign_elections", "0/1"),
)


def add_timing(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """Coup attempts in the second half of the year (Powell & Thyne) and regular elections due next year (REIGN).

    ``*_scheduled_next_year`` at year s describes year s + 1: regular elections are set by law or announced
    ahead, so the value is known by the end of year s. Early (called) elections are not counted.
    """
    keys = panel_keys(panel)
    if "month" in keys:
        raise TypeError("add_timing supports country-year panels only (unit 'country-year')")
    pt = mapped(data.table("pt_events"))
    late = (
        pt[pt["month"] >= LATE_MONTHS_FROM].assign(pt_attempts_late=1).astype({"gwcode": "int64", "year": "int64"})
        .groupby(["gwcode", "year"])[["pt_attempts_late"]].sum().reset_index()
    )
    out = merge_columns(panel, late, ["gwcode", "year"], fill={"pt_attempts_late": 0})
    # the same coverage as add_coups
    out = within_coverage(out, ["pt_attempts_late"], PT_FIRST_YEAR, pt_last_year(data))

    elections = mapped(data.table("reign_elections"))
    event = elections["event"].astype("string").str.strip()
    scheduled = elections[event.isin(SCHEDULED_EVENTS)]
    kinds = scheduled.assign(
        exec_vote_scheduled_next_year=(scheduled["type"] == "X").astype(int),
        leg_vote_scheduled_next_year=(scheduled["type"] == "L").astype(int),
        year=scheduled["elec_year"].astype("int64") - 1,
    ).astype({"gwcode": "int64"})
    columns = ["exec_vote_scheduled_next_year", "leg_vote_scheduled_next_year"]
    due = kinds.groupby(["gwcode", "year"])[columns].max().reset_index()
    out = merge_columns(out, due, ["gwcode", "year"], fill=dict.fromkeys(columns, 0))
    return within_coverage(out, columns, None, ELECTION_LAST_LISTED_YEAR - 1)
