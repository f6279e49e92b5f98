"""Leaders and elections: Archigos 4.1 and REIGN's leader and election lists."""

from __future__ import annotations

import pandas as pd

from coupwatch.core.panel.joins import add_yearly, mapped, merge_columns, spell_on, within_coverage
from coupwatch.core.panel.skeleton import ColumnDoc, DataSource, panel_keys, panel_unit

LEADERS_DOCS = (
    ColumnDoc("leader", "Leader in office on 1 July (Archigos 4.1, to 2015)", "archigos_leaders"),
    ColumnDoc("leader_tenure_years", "Years the 1 July leader had been in office by 31 December (Archigos)",
              "archigos_leaders", "years"),
    ColumnDoc("leader_irregular_entry", "1 if the 1 July leader came to power irregularly (Archigos)",
              "archigos_leaders", "0/1"),
    ColumnDoc("leader_changes", "Leaders who left office during the year (Archigos)", "archigos_leaders", "count"),
    ColumnDoc("irregular_exits", "Leaders removed irregularly during the year (Archigos)", "archigos_leaders",
              "count"),
    ColumnDoc("leader_military_career",
              "Military career of the 1 July leader: 1 yes, 0.5 partial, 0 no (REIGN, to 2021)",
              "reign_leaders", "0-1"),
    ColumnDoc("reign_leader_tenure_years", "Tenure of the 1 July leader by 31 December (REIGN, to 2021)",
              "reign_leaders", "years"),
    ColumnDoc("leader_age", "Age of the 1 July leader at the end of the year (REIGN, to 2021)", "reign_leaders",
              "years"),
)


def add_leaders(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """Leaders in office, tenure, irregular entry and exits (Archigos), military career (REIGN)."""
    panel_unit(panel)
    archigos = data.table("archigos_leaders")
    years = panel[["gwcode", "year"]].drop_duplicates()
    arch_last = int(pd.to_datetime(archigos["enddate"], errors="coerce").dt.year.max())
    on = spell_on(archigos, "startdate", "enddate", years)
    year_end = pd.to_datetime(on["year"].astype(str) + "-12-31")
    on = on.assign(
        leader=on["leader"],
        leader_tenure_years=((year_end - on["_start"]).dt.days / 365.25).round(2),
        leader_irregular_entry=(on["entry"] == "Irregular").astype("Int64"),
    )[["gwcode", "year", "leader", "leader_tenure_years", "leader_irregular_entry"]]
    exits = mapped(archigos).assign(
        year=pd.to_datetime(mapped(archigos)["enddate"], errors="coerce").dt.year,
        leader_changes=lambda f: (f["exit"] != "Still in Office").astype(int),
        irregular_exits=lambda f: (f["exit"] == "Irregular").astype(int),
    )
    exits = exits.dropna(subset=["year"]).astype({"year": "int64", "gwcode": "int64"})
    exits = exits.groupby(["gwcode", "year"])[["leader_changes", "irregular_exits"]].sum().reset_index()
    out = add_yearly(add_yearly(panel, on), exits)
    out = within_coverage(out, ["leader_changes", "irregular_exits"], None, arch_last)
    covered = out["year"] <= arch_last
    for column in ("leader_changes", "irregular_exits"):
        out.loc[covered, column] = out.loc[covered, column].fillna(0)

    reign = data.table("reign_leaders").copy()
    # REIGN gives end year and month only; a spell with no end year is still running.
    end_year = pd.to_numeric(reign["eyear"], errors="coerce")
    end_month = pd.to_numeric(reign["emonth"], errors="coerce").fillna(12)
    reign["_end"] = pd.to_datetime(
        end_year.astype("Int64").astype("string") + "-" + end_month.astype("Int64").astype("string") + "-28",
        errors="coerce",
    )
    reign_on = spell_on(reign, "start_date", "_end", years)
    year_end = pd.to_datetime(reign_on["year"].astype(str) + "-12-31")
    reign_on = reign_on.assign(
        leader_military_career=pd.to_numeric(reign_on["militarycareer"], errors="coerce"),
        reign_leader_tenure_years=((year_end - reign_on["_start"]).dt.days / 365.25).round(2),
        leader_age=reign_on["year"] - pd.to_numeric(reign_on["birthyear"], errors="coerce"),
    )[["gwcode", "year", "leader_military_career", "reign_leader_tenure_years", "leader_age"]]
    out = add_yearly(out, reign_on)
    # Leaders still in office when REIGN's list was made (March 2021) say nothing about later years.
    reign_last = int(max(pd.to_numeric(reign["syear"]).max(), pd.to_numeric(reign["eyear"]).max()))
    return within_coverage(out, ["leader_military_career", "reign_leader_tenure_years", "leader_age"], None, reign_last)


# ---------------------------------------------------------------------------------------------------------
# Elections (REIGN)
# ---------------------------------------------------------------------------------------------------------

ELECTION_LAST_FULL_YEAR = 2020  # REIGN's election list was last updated in March 2021
ELECTIONS_DOCS = (
    ColumnDoc("exec_votes", "Executive elections held (REIGN election list, votes as scheduled or early; to 2020)",
              "reign_elections", "count"),
    ColumnDoc("leg_votes", "Legislative elections held (REIGN, to 2020)", "reign_elections", "count"),
    ColumnDoc("election_delays", "Elections whose delay was announced or whose legal deadline passed unmet "
              "(REIGN, to 2020)", "reign_elections", "count"),
    ColumnDoc("elections_voided", "Elections voided, annulled or ended by regime failure (REIGN, to 2020)",
              "reign_elections", "count"),
)


def add_elections(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """Elections held, delayed and voided per year, from REIGN's election list (full years to 2020)."""
    keys = panel_keys(panel)
    elections = mapped(data.table("reign_elections")).rename(
        columns={"elec_year": "year", "elec_month": "month"}
    )
    event = elections["event"].astype("string").str.strip()
    kind = elections["type"].astype("string")
    voted = event.str.startswith("Vote")
    counts = elections.assign(
        exec_votes=(voted & (kind == "X")).astype(int),
        leg_votes=(voted & (kind == "L")).astype(int),
        election_delays=event.isin(["Delay Announced", "Deadline Not Met", "Delay"]).astype(int),
        elections_voided=event.str.contains("Void|Anull|Annul|Regime Failure", regex=True).astype(int),
    ).astype({"gwcode": "int64", "year": "int64"})
    if "month" in keys:
        counts = counts.dropna(subset=["month"]).astype({"month": "int64"})
    columns = ["exec_votes", "leg_votes", "election_delays", "elections_voided"]
    totals = counts.groupby(keys)[columns].sum().reset_index()
    out = merge_columns(panel, totals, keys, fill=dict.fromkeys(columns, 0))
    return within_coverage(out, columns, None, ELECTION_LAST_FULL_YEAR)
