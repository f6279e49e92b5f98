"""Archigos 4.1: political leaders' spells in office, 1840-2015, with how they came and went.

Archigos numbers countries with the Gleditsch-Ward list, not Correlates of War, although the column is called
``ccode``: unified Germany stays 260 after 1990, unified Yemen stays 678, Serbia is 340 from 2006 and
Yugoslavia 345 before, and pre-1900 states such as Transvaal (563), the Orange Free State (564), Korea (730),
Tibet (711) and Vietnam/Annam (815) carry their GW codes. Exit ``Irregular`` (with ``exitcode`` such as
"Removed by Military, without Foreign Support") marks coups and other irregular removals, which reaches back
before the coup lists start in 1945-50.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from coupwatch.sources._dates import DATE_DTYPE, parse_dates
from coupwatch.sources.base import (
    CountryKey,
    Expected,
    RemoteFile,
    SourceSpec,
    Table,
    check_unique,
    numeric,
    read_text_table,
    validate,
    year_column,
)

_CITATION = """@article{goemans2009archigos,
  author  = {Goemans, Henk E. and Gleditsch, Kristian Skrede and Chiozza, Giacomo},
  title   = {Introducing {Archigos}: A Dataset of Political Leaders},
  journal = {Journal of Peace Research},
  volume  = {46},
  number  = {2},
  pages   = {269--283},
  year    = {2009},
  doi     = {10.1177/0022343308100719}
}"""

SOURCE = SourceSpec(
    name="archigos",
    folder="archigos",
    title="Archigos: A Data Set on Political Leaders",
    publisher="Henk E. Goemans, Kristian Skrede Gleditsch & Giacomo Chiozza",
    version="4.1 (1 March 2016 file)",
    files=(
        RemoteFile(
            "Archigos_4.1.txt",
            "http://ksgleditsch.com/data/1March_Archigos_4.1.txt",
            "ce8c81cb9110e876e1fd72496efd042cc70016d138b104de18f7721782065172",
            note="The publisher names the file 1March_Archigos_4.1.txt; the mirror holds it renamed.",
        ),
    ),
    licence="No licence stated; free for research use with citation",
    citation=_CITATION,
    coverage="Leader spells from 1840 to 2015-12-31 (3,409 spells, 188 Gleditsch-Ward codes)",
    homepage="http://ksgleditsch.com/archigos.html",
)

ENTRY = ("Regular", "Irregular", "Foreign Imposition", "Unknown")
EXIT = (
    "Regular", "Irregular", "Foreign", "Natural Death", "Retired Due to Ill Health", "Suicide",
    "Still in Office", "Unknown",
)
EXITCODE = (
    "Regular",
    "Still in Office",
    "Unknown",
    "Assassination by Unsupported Individual",
    "Irregular, Other",
    "Popular Protest, with Foreign Support",
    "Popular Protest, without Foreign Support",
    "Removed by Military, with Foreign Support",
    "Removed by Military, without Foreign Support",
    "Removed by Other Government Actors, with Foreign Support",
    "Removed by Other Government Actors, without Foreign Support",
    "Removed by Rebels, with Foreign Support",
    "Removed by Rebels, without Foreign Support",
    "Removed in Military Power Struggle Short of Coup",
    "Removed through Threat of Foreign Force",
)

_TEXT = ("obsid", "leadid", "idacr", "leader", "entry", "exit", "exitcode", "posttenurefate", "gender")
_COLUMNS = [
    "obsid", "leadid", "ccode", "idacr", "leader", "startdate", "enddate", "entry", "exit", "exitcode",
    "prevtimesinoffice", "posttenurefate", "gender", "yrborn", "yrdied",
]

SCHEMA = pa.DataFrameSchema(
    {
        "obsid": pa.Column(str),
        "leadid": pa.Column(str),
        "ccode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "idacr": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
        "leader": pa.Column(str),
        "startdate": pa.Column(DATE_DTYPE),
        "enddate": pa.Column(DATE_DTYPE),
        "entry": pa.Column(str, pa.Check.isin(ENTRY)),
        "exit": pa.Column(str, pa.Check.isin(EXIT)),
        "exitcode": pa.Column(str, pa.Check.isin(EXITCODE)),
        "prevtimesinoffice": pa.Column("Int64", pa.Check.ge(0)),
        "posttenurefate": pa.Column(str),
        "gender": pa.Column(str, pa.Check.isin(["M", "F"])),
        "yrborn": year_column(1700, 2100, nullable=True),
        "yrdied": year_column(1700, 2100, nullable=True),
        "start_year": year_column(1800, 2100),
    },
    # missing dates are left to the column checks, which name the empty column
    checks=[
        pa.Check(
            lambda f: (f["enddate"] >= f["startdate"]) | f["enddate"].isna() | f["startdate"].isna(),
            error="spell ends before it starts",
        )
    ],
    strict=True,
    ordered=True,
)


def parse_leaders(path: Path) -> pd.DataFrame:
    """One row per leader spell: start and end dates, manner of entry and exit, fate after office."""
    raw = read_text_table(path, sep="\t", encoding="latin-1", required=_COLUMNS)
    frame = numeric(raw, ["ccode", "prevtimesinoffice"], path.name, integer=True)
    # -999 = unknown; yrdied -777 = alive when the data were coded (posttenurefate says more)
    frame = numeric(frame, ["yrborn", "yrdied"], path.name, integer=True, missing=("", "NA", "-999", "-777"))
    frame = parse_dates(frame, ["startdate", "enddate"], path.name)
    for column in _TEXT:
        frame[column] = frame[column].astype("string").str.strip().astype(object)
    frame = frame[_COLUMNS].copy()
    # GW codes are dated too (e.g. 260 before and after 1990), so the spell's start year travels along
    frame["start_year"] = frame["startdate"].dt.year.astype("Int64")
    check_unique(frame, ["obsid"], path.name)
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="archigos_leaders",
        expected=Expected(rows=3409),
        source=SOURCE,
        filename="Archigos_4.1.txt",
        parse=parse_leaders,
        description=(
            "Leader spells (obsid) with startdate/enddate (2015-12-31 with exit 'Still in Office' = censored), "
            "entry (Regular, Irregular, Foreign Imposition), exit and exitcode (Irregular exits include coups: "
            "'Removed by Military ...'), prevtimesinoffice, posttenurefate, gender, yrborn, yrdied (unknown or "
            "still alive -> empty); ccode is a Gleditsch-Ward code"
        ),
        country=CountryKey("gw", "ccode", "start_year"),
        unique=("obsid",),
    ),
)
