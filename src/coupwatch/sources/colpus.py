"""Colpus (Chin, Carter & Wright): every coup attempt 1946-2020 with its type and its civilian backers.

One row per coup attempt, COW ``ccode``, with the regime-change / reshuffling / anti-democratic type, who led it
and, in ``outsidesupporters``, free text naming the civilian or foreign groups behind it (protesters back 31
coups). Note ``success``: 1 = successful, 2 = failed, the reverse of Powell & Thyne's coding. The mirror holds
the Stata file of 17 May 2021 (an earlier release than Colpus 1.1, 1946-2022) and the same table written to CSV
with Stata's value labels as text; the CSV is parsed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from coupwatch.sources._dates import DATE_DTYPE, parse_dates
from coupwatch.sources.base import (
    CountryKey,
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

_REPO = "https://raw.githubusercontent.com/ura8107/coupmedia/0e23ff5e3a7f9244c9e4025c777bfe3fc9c1f7b1/data"
_CITATION = """@article{chin2021varieties,
  author  = {Chin, John J. and Carter, David B. and Wright, Joseph G.},
  title   = {The Varieties of Coups d'{\\'E}tat: Introducing the Colpus Dataset},
  journal = {International Studies Quarterly},
  volume  = {65},
  number  = {4},
  pages   = {1040--1051},
  year    = {2021},
  doi     = {10.1093/isq/sqab058}
}"""

SOURCE = SourceSpec(
    name="colpus",
    folder="colpus",
    title="Colpus: Master Coup List, all regimes, basic",
    publisher="John J. Chin, David B. Carter & Joseph G. Wright",
    version="release of 17 May 2021 (Stata file), before Colpus 1.1",
    files=(
        RemoteFile(
            "Master_Coup_List_all_regimes_basic.csv",
            f"{_REPO}/Master_Coup%20List_all%20regimes_basic.dta",
            "c508063cfdc3d22b537818e204916e499d8c2e05c317111f6478b065b9d5f800",
            note=(
                "The Stata file written to CSV with pandas.read_stata (value labels as text, dates YYYY-MM-DD, "
                "ccode/year/nonmilcoup/success as integers); no rows or values changed."
            ),
        ),
        RemoteFile(
            "Master_Coup_List_all_regimes_basic.dta",
            f"{_REPO}/Master_Coup%20List_all%20regimes_basic.dta",
            "952d40c11074831555a07edf5a7d73f2c05695beb5e69990d7ba12ba8aa6d916",
            note="The authors' Stata file as carried by ura8107/coupmedia, byte copy (spaces -> underscores).",
        ),
    ),
    licence="No licence stated; academic dataset distributed by the authors: cite the ISQ article and check the "
            "authors' Dataverse terms before redistributing",
    citation=_CITATION,
    coverage="550 coup attempts, 94 states (COW codes), 1946-01-11 to 2020-08-18; no events from 2021 on",
    homepage="https://www.johnjchin.com/colpus",
)

COUP_TYPES = ["CH", "SH", "AD", "PR", "NM", "WR"]
_TEXT = ["id", "statenme", "gwf_casename", "coup", "milcoup", "type", "cwc_coding", "type2", "type3",
         "cwc_coding2", "coupleadereth", "relationship", "outsidesupporters", "postcoupfate", "numpostcoupfate"]
_FLAGS = ["srofficial", "jrofficer", "sameeth", "anyethclaim", "relative", "anyoutsidesupport", "ambiguous",
          "staged"]
_COLUMNS = [
    "id", "ccode", "date", "statenme", "year", "gwf_casename", "coup", "milcoup", "nonmilcoup", "success", "type",
    "cwc_coding", "type2", "type3", "cwc_coding2", "srofficial", "jrofficer", "sameeth", "anyethclaim",
    "coupleadereth", "relative", "relationship", "anyoutsidesupport", "outsidesupporters", "ambiguous", "staged",
    "postcoupfate", "numpostcoupfate",
]

SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(str),
        "ccode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "date": pa.Column(DATE_DTYPE),
        "statenme": pa.Column(str),
        "year": year_column(1946, 2100),
        "gwf_casename": pa.Column(str, nullable=True),
        "coup": pa.Column(str, pa.Check.eq("Coup")),
        "milcoup": pa.Column(str, pa.Check.isin(["Military Coup", "Non-Military Coup"])),
        "nonmilcoup": pa.Column("Int64", pa.Check.isin([0, 1])),
        "success": pa.Column("Int64", pa.Check.isin([1, 2])),
        "type": pa.Column(str, pa.Check.isin(COUP_TYPES)),
        "cwc_coding": pa.Column(str, nullable=True),
        "type2": pa.Column(str, nullable=True),
        "type3": pa.Column(str, pa.Check.isin(["Reg. Change Coup", "Reshuffling Coup"]), nullable=True),
        "cwc_coding2": pa.Column(str, nullable=True),
        **{flag: pa.Column("Int64", pa.Check.isin([0, 1]), nullable=True) for flag in _FLAGS[:4]},
        "coupleadereth": pa.Column(str, nullable=True),
        "relative": pa.Column("Int64", pa.Check.isin([0, 1]), nullable=True),
        "relationship": pa.Column(str, nullable=True),
        "anyoutsidesupport": pa.Column("Int64", pa.Check.isin([0, 1]), nullable=True),
        "outsidesupporters": pa.Column(str, nullable=True),
        "ambiguous": pa.Column("Int64", pa.Check.isin([0, 1]), nullable=True),
        "staged": pa.Column("Int64", pa.Check.isin([0, 1]), nullable=True),
        "postcoupfate": pa.Column(str, nullable=True),
        "numpostcoupfate": pa.Column(str, nullable=True),
    },
    checks=[pa.Check(lambda f: f["date"].dt.year == f["year"], error="year differs from the date's year")],
    strict=True,
    ordered=True,
)


def parse_coups(path: Path) -> pd.DataFrame:
    """One row per coup attempt: date, outcome (1 success, 2 failure), type, leaders and civilian backers."""
    raw = read_text_table(path, required=_COLUMNS)
    frame = numeric(raw, ["ccode", "year", "nonmilcoup", "success", *_FLAGS], path.name, integer=True)
    frame = parse_dates(frame, ["date"], path.name)
    frame = stripped_text(frame, _TEXT)
    frame = frame[_COLUMNS].copy()
    check_unique(frame, ["id"], path.name)
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="colpus_coups",
        source=SOURCE,
        filename="Master_Coup_List_all_regimes_basic.csv",
        parse=parse_coups,
        description=(
            "Colpus coup attempts 1946-2020-08: date, success (1 successful, 2 failed: reverse of Powell & "
            "Thyne), type (CH regime change, SH reshuffling, AD anti-democratic, PR provisional, NM non-military, "
            "WR ...), military or not, senior/junior officer led, anyoutsidesupport and outsidesupporters (free "
            "text: 'Protesters', 'Students', foreign states ...); COW ccode"
        ),
        country=CountryKey("cow", "ccode"),
        unique=("id",),
    ),
)
