"""REIGN (Rulers, Elections, and Irregular Governance), March 2021 lists: leaders, elections, regimes.

Three files from the publisher's repository at the commit of 1 March 2021. Countries carry Correlates of War
codes (``ccode``/``cowcode``) with REIGN's own twists: Serbia keeps 345 after 2006 (COW: 340), and one
Malawi election row is coded 533 (a typo for 553). The leader list has two unnamed, empty columns between
``l_year`` and ``codedby``; they are ignored. The regime list extends Geddes, Wright & Frantz's autocratic
regimes with REIGN's own coding of democracies (parliamentary, presidential) to 2020-21.

The monthly REIGN panel and its coup-risk forecasts are not used: only these three lists.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from coupwatch.sources._dates import DATE_DTYPE, compose_date, parse_dates
from coupwatch.sources.base import (
    CountryKey,
    Expected,
    RemoteFile,
    SourceSpec,
    Table,
    check_unique,
    numeric,
    read_text_table,
    stripped_text,
    validate,
    year_column,
)

_COMMIT = "d7a8a6f17c951b68e30bbca6185d7acd9089d60b"
_RAW = f"https://raw.githubusercontent.com/OEFDataScience/REIGN.github.io/{_COMMIT}/data_sets"

_CITATION = """@misc{bell2016reign,
  author       = {Bell, Curtis},
  title        = {The Rulers, Elections, and Irregular Governance Dataset ({REIGN})},
  howpublished = {OEF Research, Broomfield, CO},
  year         = {2016},
  note         = {Leader, election and regime lists of March 2021},
  url          = {https://oefdatascience.github.io/REIGN.github.io/}
}"""

SOURCE = SourceSpec(
    name="reign",
    folder="reign",
    title="Rulers, Elections, and Irregular Governance (REIGN): leader, election and regime lists",
    publisher="OEF Research (One Earth Future Foundation)",
    version=f"2021-03 (files *_3_21, repository commit {_COMMIT[:7]})",
    files=(
        RemoteFile(
            "leaderlist_3_21.csv",
            f"{_RAW}/leaderlist_3_21.csv",
            "1663d94b6a00008c84c19979306c0997128225890b875c0aae5bbfb922829e44",
        ),
        RemoteFile(
            "electionlist_3_21.csv",
            f"{_RAW}/electionlist_3_21.csv",
            "deff85e9146fc7fefbc538dd6a945f0f104983c59045633c208910214f01a82a",
        ),
        RemoteFile(
            "regime_list.csv",
            f"{_RAW}/regime_list.csv",
            "acb8a511084b86917fbbf2d4437fc7cb6ae25217df81dd915d74183e7daef155",
        ),
    ),
    licence="No licence stated for the data; freely downloadable from the publisher, cite on use",
    citation=_CITATION,
    coverage=(
        "Leaders 1921 to March 2021 (2,524 spells); elections 1915-2027 incl. scheduled ones (4,351 rows); "
        "regimes to end-2020/2021 (627 spells); all countries, COW codes. The project ended in 2021."
    ),
    homepage="https://oefdatascience.github.io/REIGN.github.io/",
)

# REIGN codes an unknown birth year, gender or military career as -99.
_UNKNOWN = ("", "NA", "-99")

LEADERS_SCHEMA = pa.DataFrameSchema(
    {
        "stateabb": pa.Column(str),
        "ccode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "leadid": pa.Column(str),
        "leader": pa.Column(str),
        "start_date": pa.Column(DATE_DTYPE),
        "syear": year_column(1900, 2100),
        "smonth": pa.Column("Int64", pa.Check.in_range(1, 12)),
        "sdate": pa.Column("Int64", pa.Check.in_range(1, 31)),
        "eyear": year_column(1900, 2100, nullable=True),
        "emonth": pa.Column("Int64", pa.Check.in_range(1, 12), nullable=True),
        "birthyear": year_column(1800, 2100, nullable=True),
        "gender": pa.Column("Int64", pa.Check.isin([0, 1]), nullable=True),
        "militarycareer": pa.Column(float, pa.Check.isin([0.0, 0.5, 1.0]), nullable=True),
        "l_month": pa.Column("Int64", pa.Check.in_range(1, 12), nullable=True),
        "l_year": year_column(1900, 2100, nullable=True),
        "codedby": pa.Column(str, nullable=True),
        "notes": pa.Column(str, nullable=True),
    },
    checks=[
        pa.Check(
            lambda f: f["eyear"].isna() == f["emonth"].isna(),
            error="end year and end month must both be given or both be empty",
        ),
        pa.Check(
            lambda f: (
                (f["eyear"] * 12 + f["emonth"] >= f["syear"] * 12 + f["smonth"]).fillna(True).astype(bool)
            ),
            error="spell ends before it starts",
        ),
    ],
    strict=True,
    ordered=True,
)

_LEADER_COLUMNS = [
    "stateabb", "ccode", "leadid", "leader", "sdate", "smonth", "syear", "emonth", "eyear", "birthyear",
    "gender", "militarycareer", "l_month", "l_year", "codedby", "notes",
]


def parse_leaders(path: Path) -> pd.DataFrame:
    """One row per leader spell: start date, end year-month (empty while in office), military career."""
    raw = read_text_table(path, encoding="latin-1", required=_LEADER_COLUMNS)
    frame = numeric(
        raw,
        ["ccode", "sdate", "smonth", "syear", "emonth", "eyear", "l_month", "l_year"],
        path.name,
        integer=True,
    )
    frame = numeric(frame, ["birthyear", "gender"], path.name, integer=True, missing=_UNKNOWN)
    frame = numeric(frame, ["militarycareer"], path.name, missing=_UNKNOWN)
    frame = stripped_text(frame, ["stateabb", "leadid", "leader", "codedby", "notes"])
    frame["start_date"] = compose_date(frame, "syear", "smonth", "sdate", path.name)
    frame = frame[
        [
            "stateabb", "ccode", "leadid", "leader", "start_date", "syear", "smonth", "sdate", "eyear",
            "emonth", "birthyear", "gender", "militarycareer", "l_month", "l_year", "codedby", "notes",
        ]
    ]
    check_unique(frame, ["ccode", "start_date", "leader"], path.name)
    return validate(frame, LEADERS_SCHEMA, path.name)


_ELECTION_COLUMNS = [
    "ccode", "electionnumber", "country", "elec_year", "elec_month", "elec_day", "sequence", "event",
    "elecnum", "type", "direct", "regular", "victory", "change", "runoff",
]

ELECTIONS_SCHEMA = pa.DataFrameSchema(
    {
        "ccode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "country": pa.Column(str),
        "electionnumber": pa.Column("Int64", pa.Check.ge(-1)),
        "elecnum": pa.Column("Int64", pa.Check.ge(0)),
        "sequence": pa.Column("Int64", pa.Check.in_range(1, 9)),
        "elec_year": year_column(1900, 2100),
        "elec_month": pa.Column("Int64", pa.Check.in_range(1, 12)),
        "elec_day": pa.Column("Int64", pa.Check.in_range(1, 31), nullable=True),
        "event": pa.Column(str),
        "type": pa.Column(str, pa.Check.isin(["L", "R", "X"])),
        "direct": pa.Column(str, pa.Check.isin(["Y", "N", "A"])),
        "regular": pa.Column(str, pa.Check.isin(["Y", "N"]), nullable=True),
        "victory": pa.Column(str, pa.Check.isin(["Y", "N"]), nullable=True),
        "change": pa.Column(str, pa.Check.isin(["Y", "N"]), nullable=True),
        "runoff": pa.Column(str, nullable=True),
    },
    strict=True,
    ordered=True,
)


def parse_elections(path: Path) -> pd.DataFrame:
    """One row per step of an election (announcement, vote, delay, ...), past and scheduled."""
    raw = read_text_table(path, encoding="latin-1", required=_ELECTION_COLUMNS)
    frame = numeric(
        raw,
        ["ccode", "electionnumber", "elecnum", "sequence", "elec_year", "elec_month", "elec_day"],
        path.name,
        integer=True,
    )
    frame = stripped_text(frame, ["country", "event", "type", "direct", "regular", "victory", "change", "runoff"])
    frame = frame[
        [
            "ccode", "country", "electionnumber", "elecnum", "sequence", "elec_year", "elec_month",
            "elec_day", "event", "type", "direct", "regular", "victory", "change", "runoff",
        ]
    ]
    check_unique(frame, ["ccode", "electionnumber", "sequence"], path.name)
    return validate(frame, ELECTIONS_SCHEMA, path.name)


REGIME_TYPES = (
    "parliamentary", "presidential", "personal", "military", "party-based", "provisional",
    "military personal", "monarchy", "provisional military", "party-personal", "foreign-occupied",
    "warlordism", "indirect military", "party-military", "party-personal-military", "oligarchy",
    "civilian provisional",
)

_REGIME_COLUMNS = ["cowcode", "gwf_country", "gwf_casename", "gwf_startdate", "gwf_enddate", "gwf_regimetype"]

REGIMES_SCHEMA = pa.DataFrameSchema(
    {
        "cowcode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "gwf_country": pa.Column(str),
        "gwf_casename": pa.Column(str),
        "gwf_startdate": pa.Column(DATE_DTYPE),
        "gwf_enddate": pa.Column(DATE_DTYPE),
        "gwf_regimetype": pa.Column(str, pa.Check.isin(REGIME_TYPES)),
        "start_year": year_column(1500, 2100),
    },
    # missing dates are left to the column checks, which name the empty column
    checks=[
        pa.Check(
            lambda f: (f["gwf_enddate"] >= f["gwf_startdate"]) | f["gwf_enddate"].isna()
            | f["gwf_startdate"].isna(),
            error="spell ends before it starts",
        )
    ],
    strict=True,
    ordered=True,
)


def parse_regimes(path: Path) -> pd.DataFrame:
    """One row per regime spell (GWF-based, extended by REIGN): start and end dates and regime type."""
    raw = read_text_table(path, encoding="latin-1", required=_REGIME_COLUMNS)
    frame = numeric(raw, ["cowcode"], path.name, integer=True)
    # The publisher writes US-style month/day/year dates.
    frame = parse_dates(frame, ["gwf_startdate", "gwf_enddate"], path.name, formats=("%m/%d/%Y", "%Y-%m-%d"))
    frame = stripped_text(frame, ["gwf_country", "gwf_casename", "gwf_regimetype"])
    frame = frame[_REGIME_COLUMNS].copy()
    # dated country codes (COW 255/260, 678/679) map by year, so the spell's start year travels with it
    frame["start_year"] = frame["gwf_startdate"].dt.year.astype("Int64")
    check_unique(frame, ["cowcode", "gwf_startdate"], path.name)
    return validate(frame, REGIMES_SCHEMA, path.name)


TABLES = (
    Table(
        name="reign_leaders",
        expected=Expected(rows=2524),
        source=SOURCE,
        filename="leaderlist_3_21.csv",
        parse=parse_leaders,
        description=(
            "Leader spells: start_date (from syear/smonth/sdate = start day), end eyear/emonth (empty "
            "while in office in March 2021), birthyear, gender (1 male, 0 female), militarycareer (0, 0.5 "
            "partial, 1; -99 in the file = unknown -> empty), l_year/l_month = last election; COW ccode"
        ),
        country=CountryKey("cow", "ccode", "syear"),
        unique=("ccode", "start_date", "leader"),
    ),
    Table(
        name="reign_elections",
        expected=Expected(rows=4351),
        source=SOURCE,
        filename="electionlist_3_21.csv",
        parse=parse_elections,
        description=(
            "Election steps (sequence 1, 2, ... of one election: announced, vote, delay, voided ...), incl. "
            "scheduled elections up to 2027; type L legislative, R referendum, X executive; direct/regular/"
            "victory/change Y or N; runoff as given (N, Y or round number); COW ccode"
        ),
        country=CountryKey("cow", "ccode", "elec_year"),
        unique=("ccode", "electionnumber", "sequence"),
    ),
    Table(
        name="reign_regimes",
        expected=Expected(rows=627),
        source=SOURCE,
        filename="regime_list.csv",
        parse=parse_regimes,
        description=(
            "Regime spells (Geddes-Wright-Frantz types, extended by REIGN): gwf_startdate, gwf_enddate "
            "(12/31/2020 or 2021 = ongoing at the end of coverage), gwf_regimetype; start_year derived for "
            "dated COW codes"
        ),
        country=CountryKey("cow", "cowcode", "start_year"),
        unique=("cowcode", "gwf_startdate"),
    ),
)
