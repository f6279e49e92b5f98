"""State lists and code crosswalks: Gleditsch & Ward's independent states (with microstates), the Correlates
of War state system, and the countrycode crosswalk (ISO3, COW, GW, V-Dem, Polity codes)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pandas as pd
import pandera.pandas as pa

from coupwatch.errors import SourceFileError
from coupwatch.sources.base import (
    Expected,
    RemoteFile,
    SourceSpec,
    Table,
    check_unique,
    numeric,
    read_text_table,
    require_columns,
    validate,
)

# G&W's files mark states that still exist with this end date: the date the list was last revised.
GW_OPEN_END = pd.Timestamp("2012-12-31")

GW_SOURCE = SourceSpec(
    name="gleditsch_ward",
    folder="states",
    title="Independent states and microstates since 1816",
    publisher="Kristian S. Gleditsch & Michael D. Ward",
    version="iisystem 2013 revision (states existing at 31 Dec 2012 are open-ended)",
    files=(
        RemoteFile(
            "iisystem.dat",
            "http://ksgleditsch.com/data/iisystem.dat",
            "9c0a8a91920f5e8a64e8762820c2b351db9075f35267309142f026a71c4eddc7",
        ),
        RemoteFile(
            "microstatessystem.dat",
            "http://ksgleditsch.com/data/microstatessystem.dat",
            "9b797b2544f44e4648f0e40f68801a589c8e5ba0217a1cf087fe65571a8084fe",
        ),
    ),
    licence="No licence stated; free with citation",
    citation="""@article{gleditsch1999interstate,
  author  = {Gleditsch, Kristian S. and Ward, Michael D.},
  title   = {Interstate System Membership: A Revised List of the Independent States since 1816},
  journal = {International Interactions},
  volume  = {25},
  number  = {4},
  pages   = {393--413},
  year    = {1999},
  doi     = {10.1080/03050629908434958}
}""",
    coverage="1816 onward; states alive at the end of 2012 are treated as still existing",
    homepage="http://ksgleditsch.com/data-4.html",
)

COW_SOURCE = SourceSpec(
    name="cow_states",
    folder="states",
    title="State System Membership List",
    publisher="Correlates of War Project",
    version="2016",
    files=(
        RemoteFile(
            "cow_states2016.csv",
            "https://correlatesofwar.org/wp-content/uploads/states2016.csv",
            "dbb5d20c4c410fac2a5f751633c8ab144afbb7f4853f15c4cfef26deb69afd00",
        ),
    ),
    licence="Free with citation",
    citation="""@misc{cow2017states,
  author = {{Correlates of War Project}},
  title  = {State System Membership List, v2016},
  year   = {2017},
  url    = {https://correlatesofwar.org/data-sets/state-system-membership}
}""",
    coverage="1816-2016",
    homepage="https://correlatesofwar.org/data-sets/state-system-membership",
)

CODELIST_SOURCE = SourceSpec(
    name="countrycode",
    folder="states",
    title="countrycode codelist (ISO, COW, GW, V-Dem, Polity, UN, World Bank codes)",
    publisher="Vincent Arel-Bundock, Nils Enevoldsen & CJ Yetman",
    version="1.8.0",
    files=(
        RemoteFile(
            "countrycode_codelist_crosswalk.csv",
            "https://raw.githubusercontent.com/vincentarelbundock/countrycode/"
            "284d6a2f7e49d826e10894227a05d4c857e21540/data/codelist.rda",
            "70cc00f9cef47fff2916c931079ed466b096fdb56121c86bf6e08823498e302e",
            note="the mirror holds 21 columns of codelist.rda written to CSV; the publisher ships the .rda",
        ),
    ),
    licence="GPL-3 (R package)",
    citation="""@article{arelbundock2018countrycode,
  author  = {Arel-Bundock, Vincent and Enevoldsen, Nils and Yetman, CJ},
  title   = {countrycode: An R package to convert country names and country codes},
  journal = {Journal of Open Source Software},
  volume  = {3},
  number  = {28},
  pages   = {848},
  year    = {2018},
  doi     = {10.21105/joss.00848}
}""",
    coverage="292 countries and territories",
    homepage="https://vincentarelbundock.github.io/countrycode/",
)

GW_SCHEMA = pa.DataFrameSchema(
    {
        "gwcode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "gwc": pa.Column(str, pa.Check.str_length(3, 3)),
        "name": pa.Column(str),
        "start": pa.Column("datetime64[ns]"),
        "end": pa.Column("datetime64[ns]", nullable=True),
        "microstate": pa.Column(bool),
    },
    checks=pa.Check(lambda f: (f["end"].isna() | (f["end"] >= f["start"])), error="end before start"),
    strict=True,
)


def _gw_dates(frame: pd.DataFrame, column: str, file: str) -> pd.Series:
    parsed = pd.to_datetime(frame[column].str.strip(), format="%d:%m:%Y", errors="coerce")
    bad = parsed.isna()
    if bad.any():
        row = cast(int, bad.idxmax())  # _parse_gw numbers the rows with a RangeIndex
        raise SourceFileError(
            file, "expected a date dd:mm:yyyy", row=int(row), field=column, value=frame.loc[row, column],
            fix="restore the publisher's file",
        )
    return parsed.astype("datetime64[ns]")


def _parse_gw(path: Path, microstate: bool) -> pd.DataFrame:
    columns = ["gwcode", "gwc", "name", "start", "end"]
    try:
        raw = pd.read_csv(
            # Windows-1252, not Latin-1: Côte d'Ivoire's apostrophe is byte 0x92.
            path, sep="\t", header=None, names=columns, dtype=str, encoding="cp1252", keep_default_na=False
        )
    except pd.errors.ParserError as exc:
        raise SourceFileError(path.name, f"malformed ({exc})", fix="restore the publisher's file") from None
    if raw.empty:
        raise SourceFileError(path.name, "the file is empty", fix="download it again")
    raw.index = pd.RangeIndex(1, len(raw) + 1, name="source_row")
    raw = raw.apply(lambda c: c.str.strip())
    frame = numeric(raw, ["gwcode"], path.name, integer=True)
    frame["start"] = _gw_dates(frame, "start", path.name)
    end = _gw_dates(frame, "end", path.name)
    frame["end"] = end.mask(end == GW_OPEN_END)
    frame["microstate"] = microstate
    check_unique(frame, ["gwcode", "start"], path.name)
    return validate(frame, GW_SCHEMA, path.name)


def parse_gw_states(path: Path) -> pd.DataFrame:
    """State spells of G&W's independent states (end NaT = still exists)."""
    return _parse_gw(path, microstate=False)


def parse_gw_microstates(path: Path) -> pd.DataFrame:
    """State spells of G&W's microstates (population under 250,000)."""
    return _parse_gw(path, microstate=True)


COW_SCHEMA = pa.DataFrameSchema(
    {
        "stateabb": pa.Column(str),
        "ccode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "statenme": pa.Column(str),
        "start": pa.Column("datetime64[ns]"),
        "end": pa.Column("datetime64[ns]"),
        "version": pa.Column("Int64"),
    },
    strict=True,
)


def parse_cow_states(path: Path) -> pd.DataFrame:
    """COW state system membership spells."""
    parts = ["styear", "stmonth", "stday", "endyear", "endmonth", "endday"]
    raw = read_text_table(path, required=["stateabb", "ccode", "statenme", *parts, "version"], encoding="latin-1")
    frame = numeric(raw, ["ccode", *parts, "version"], path.name, integer=True)
    for prefix, target in (("st", "start"), ("end", "end")):
        stamp = pd.to_datetime(
            {
                "year": frame[f"{prefix}year"].astype("float"),
                "month": frame[f"{prefix}month"].astype("float"),
                "day": frame[f"{prefix}day"].astype("float"),
            },
            errors="coerce",
        )
        frame[target] = stamp.astype("datetime64[ns]")
    frame = frame[["stateabb", "ccode", "statenme", "start", "end", "version"]]
    return validate(frame, COW_SCHEMA, path.name)


CODELIST_COLUMNS = [
    "country.name.en", "iso3c", "iso2c", "cown", "cowc", "gwn", "gwc", "vdem", "p5n", "p5c",
    "region", "region23", "continent", "un.regionsub.name",
]


def parse_codelist(path: Path) -> pd.DataFrame:
    """The countrycode crosswalk: one row per country or territory with its codes in each system."""
    raw = read_text_table(path, required=CODELIST_COLUMNS)
    require_columns(raw, CODELIST_COLUMNS, path.name)
    frame = numeric(raw[CODELIST_COLUMNS], ["cown", "gwn", "vdem", "p5n"], path.name, integer=True)
    frame.columns = [c.replace(".", "_") for c in frame.columns]
    frame = frame.rename(columns={"country_name_en": "country_name"})
    check_unique(frame, ["country_name"], path.name)
    return frame


TABLES = (
    Table(
        name="gw_states",
        expected=Expected(rows=216),
        source=GW_SOURCE,
        filename="iisystem.dat",
        parse=parse_gw_states,
        description="Gleditsch-Ward independent state spells (gwcode, start, end; end empty = still exists)",
        unique=("gwcode", "start"),
    ),
    Table(
        name="gw_microstates",
        expected=Expected(rows=23),
        source=GW_SOURCE,
        filename="microstatessystem.dat",
        parse=parse_gw_microstates,
        description="Gleditsch-Ward microstate spells",
        unique=("gwcode", "start"),
    ),
    Table(
        name="cow_states",
        expected=Expected(rows=243, line_break_at_end=False),
        source=COW_SOURCE,
        filename="cow_states2016.csv",
        parse=parse_cow_states,
        description="Correlates of War state system membership spells",
    ),
    Table(
        name="countrycode",
        expected=Expected(rows=292),
        source=CODELIST_SOURCE,
        filename="countrycode_codelist_crosswalk.csv",
        parse=parse_codelist,
        description="Country code crosswalk (ISO3, COW, GW, V-Dem, Polity, regions)",
        unique=("country_name",),
    ),
)
