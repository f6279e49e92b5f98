"""UCDP/PRIO Armed Conflict Dataset (v25.1 and v22.1) and UCDP Non-State Conflict Dataset (v22.1).

Conflict-years, countries by Gleditsch-Ward code. ``gwno_loc`` (and the side codes) may list several codes
("651, 666"); the conflict-year tables keep the publisher's strings and the ``*_locations`` tables hold one
row per conflict-year and location code, which is what a country-year aggregation needs.

The mirror's v25.1 file was re-saved by a spreadsheet: semicolon-separated, d-m-yyyy dates, and one record
(conflict 11349, China, 2008) broken over two lines by a line break inside ``territory_name``, with some of
its empty fields collapsed into comma-joined tokens. The reader sniffs the separator and date format, reads
the publisher's zip too, and stitches that record back together (a test proves 2,751 conflict-years).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from coupwatch.sources._ucdp import code_set, dates, explode_codes, read_ucdp_csv
from coupwatch.sources.base import (
    CountryKey,
    Expected,
    RemoteFile,
    SourceSpec,
    Table,
    check_unique,
    numeric,
    validate,
    year_column,
)

_GLEDITSCH_2002 = """@article{gleditsch2002armed,
  author  = {Gleditsch, Nils Petter and Wallensteen, Peter and Eriksson, Mikael and Sollenberg, Margareta
             and Strand, H{\\aa}vard},
  title   = {Armed Conflict 1946--2001: A New Dataset},
  journal = {Journal of Peace Research},
  volume  = {39},
  number  = {5},
  pages   = {615--637},
  year    = {2002},
  doi     = {10.1177/0022343302039005007}
}"""

_DAVIES_2025 = """@article{davies2025organized,
  author  = {Davies, Shawn and Pettersson, Th{\\'e}r{\\'e}se and Sollenberg, Margareta
             and {\\"O}berg, Magnus},
  title   = {Organized violence 1989--2024, and the challenges of identifying civilian victims},
  journal = {Journal of Peace Research},
  volume  = {62},
  number  = {4},
  year    = {2025}
}"""

_DAVIES_2022 = """@article{davies2022organized,
  author  = {Davies, Shawn and Pettersson, Th{\\'e}r{\\'e}se and {\\"O}berg, Magnus},
  title   = {Organized violence 1989--2021 and drone warfare},
  journal = {Journal of Peace Research},
  volume  = {59},
  number  = {4},
  pages   = {593--610},
  year    = {2022},
  doi     = {10.1177/00223433221108428}
}"""

_SUNDBERG_2012 = """@article{sundberg2012introducing,
  author  = {Sundberg, Ralph and Eck, Kristine and Kreutz, Joakim},
  title   = {Introducing the {UCDP} Non-State Conflict Dataset},
  journal = {Journal of Peace Research},
  volume  = {49},
  number  = {2},
  pages   = {351--362},
  year    = {2012},
  doi     = {10.1177/0022343311431598}
}"""

_LICENCE = "CC BY 4.0 (UCDP)"
_HOMEPAGE = "https://ucdp.uu.se/downloads/"

ACD_251_SOURCE = SourceSpec(
    name="ucdp_acd_251",
    folder="ucdp",
    title="UCDP/PRIO Armed Conflict Dataset",
    publisher="Uppsala Conflict Data Program (UCDP) and Peace Research Institute Oslo (PRIO)",
    version="25.1",
    files=(
        RemoteFile(
            "UcdpPrioConflict_v25_1.csv",
            "https://ucdp.uu.se/downloads/ucdpprio/ucdp-prio-acd-251-csv.zip",
            "406e587448537b5ae1a4234b7ffd6cc9dff60776171c716a74cb705f8277f6b7",
            note="The publisher serves a zip holding a comma-separated CSV with ISO dates; the mirror holds "
            "that CSV re-saved by a spreadsheet (semicolons, d-m-yyyy dates, record 11349/2008 broken over "
            "two lines). The parser reads both, and the zip itself, into the same table. The sha256 pins "
            "the mirror's re-saved CSV, so a download from the publisher needs the new-version switch.",
        ),
    ),
    licence=_LICENCE,
    citation=f"{_GLEDITSCH_2002}\n\n{_DAVIES_2025}",
    coverage="1946-2024, 2,751 conflict-years, 302 conflicts; state-based armed conflicts with 25+ battle "
    "deaths in a year",
    homepage=_HOMEPAGE,
)

ACD_221_SOURCE = SourceSpec(
    name="ucdp_acd_221",
    folder="ucdp",
    title="UCDP/PRIO Armed Conflict Dataset",
    publisher="Uppsala Conflict Data Program (UCDP) and Peace Research Institute Oslo (PRIO)",
    version="22.1",
    files=(
        RemoteFile(
            "ucdp-prio-acd-221.csv",
            "https://ucdp.uu.se/downloads/ucdpprio/ucdp-prio-acd-221-csv.zip",
            "232fe10e37367580c488021fb6f3bc1907b61cf4c1ac6eb84134348628a6c2ec",
            note="The publisher serves a zip holding this CSV; the parser reads either.",
        ),
    ),
    licence=_LICENCE,
    citation=f"{_GLEDITSCH_2002}\n\n{_DAVIES_2022}",
    coverage="1946-2021, 2,568 conflict-years",
    homepage=_HOMEPAGE,
)

NONSTATE_221_SOURCE = SourceSpec(
    name="ucdp_nonstate_221",
    folder="ucdp",
    title="UCDP Non-State Conflict Dataset",
    publisher="Uppsala Conflict Data Program (UCDP)",
    version="22.1",
    files=(
        RemoteFile(
            "ucdp-nonstate-221.csv",
            "https://ucdp.uu.se/downloads/nsos/ucdp-nonstate-221-csv.zip",
            "94bc4e6baabcc5549bb257d2fab26692b7fd042575db35055f3ad6cc5e914ac7",
            note="The publisher serves a zip holding this CSV; the parser reads either.",
        ),
    ),
    licence=_LICENCE,
    citation=f"{_SUNDBERG_2012}\n\n{_DAVIES_2022}",
    coverage="1989-2021, 1,442 dyad-years of fighting between non-state groups (25+ deaths in a year)",
    homepage=_HOMEPAGE,
)

ACD_COLUMNS = [
    "conflict_id", "location", "side_a", "side_a_id", "side_a_2nd", "side_b", "side_b_id", "side_b_2nd",
    "incompatibility", "territory_name", "year", "intensity_level", "cumulative_intensity",
    "type_of_conflict", "start_date", "start_prec", "start_date2", "start_prec2", "ep_end", "ep_end_date",
    "ep_end_prec", "gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd", "gwno_loc", "region", "version",
]
_ACD_INTEGERS = [
    "conflict_id", "incompatibility", "year", "intensity_level", "cumulative_intensity", "type_of_conflict",
    "start_prec", "start_prec2", "ep_end", "ep_end_prec",
]
_ACD_DATES = ["start_date", "start_date2", "ep_end_date"]
_TEXT = pa.Column(str, nullable=True)
_DATE = pa.Column("datetime64[ns]", nullable=True)

ACD_SCHEMA = pa.DataFrameSchema(
    {
        "conflict_id": pa.Column("Int64", pa.Check.ge(1)),
        "location": pa.Column(str),
        "side_a": pa.Column(str),
        "side_a_id": pa.Column(str),
        "side_a_2nd": _TEXT,
        "side_b": pa.Column(str),
        "side_b_id": pa.Column(str),
        "side_b_2nd": _TEXT,
        "incompatibility": pa.Column("Int64", pa.Check.isin([1, 2, 3])),
        "territory_name": _TEXT,
        "year": year_column(1946, 2100),
        "intensity_level": pa.Column("Int64", pa.Check.isin([1, 2])),
        "cumulative_intensity": pa.Column("Int64", pa.Check.isin([0, 1])),
        "type_of_conflict": pa.Column("Int64", pa.Check.isin([1, 2, 3, 4])),
        "start_date": _DATE,
        "start_prec": pa.Column("Int64", pa.Check.in_range(1, 9), nullable=True),
        "start_date2": _DATE,
        "start_prec2": pa.Column("Int64", pa.Check.in_range(1, 9), nullable=True),
        "ep_end": pa.Column("Int64", pa.Check.isin([0, 1])),
        "ep_end_date": _DATE,
        "ep_end_prec": pa.Column("Int64", pa.Check.in_range(0, 9), nullable=True),
        "gwno_a": pa.Column(str),
        "gwno_a_2nd": _TEXT,
        "gwno_b": _TEXT,
        "gwno_b_2nd": _TEXT,
        "gwno_loc": pa.Column(str),
        "region": pa.Column(str),
        "version": pa.Column(str),
    },
    strict=True,
)


def parse_acd(path: Path) -> pd.DataFrame:
    """One row per conflict-year (UCDP/PRIO ACD, any layout UCDP or a spreadsheet re-save produces)."""
    raw = read_ucdp_csv(path, required=ACD_COLUMNS, repair_key="year")
    frame = numeric(raw[ACD_COLUMNS], _ACD_INTEGERS, path.name, integer=True)
    frame = dates(frame, _ACD_DATES, path.name)
    check_unique(frame, ["conflict_id", "year"], path.name)
    return validate(frame, ACD_SCHEMA, path.name)


_LOCATION_KEEP = [
    "conflict_id", "year", "location", "gwno_loc", "incompatibility", "intensity_level",
    "cumulative_intensity", "type_of_conflict", "gwno_a", "gwno_b",
]

ACD_LOCATIONS_SCHEMA = pa.DataFrameSchema(
    {
        "conflict_id": pa.Column("Int64"),
        "year": year_column(1946, 2100),
        "gwcode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "location": pa.Column(str),
        "gwno_loc": pa.Column(str),
        "incompatibility": pa.Column("Int64"),
        "intensity_level": pa.Column("Int64", pa.Check.isin([1, 2])),
        "cumulative_intensity": pa.Column("Int64", pa.Check.isin([0, 1])),
        "type_of_conflict": pa.Column("Int64", pa.Check.isin([1, 2, 3, 4])),
        "gwno_a": pa.Column(str),
        "gwno_b": _TEXT,
        "n_locations": pa.Column("Int64", pa.Check.ge(1)),
        "govt_side_a": pa.Column(bool),
        "govt_side_b": pa.Column(bool),
    },
    strict=True,
)


def parse_acd_locations(path: Path) -> pd.DataFrame:
    """One row per conflict-year and location GW code, with whether that state is a primary party."""
    frame = parse_acd(path)
    long = explode_codes(frame, "gwno_loc", _LOCATION_KEEP, path.name)
    codes = long["gwcode"].astype(int)
    long["govt_side_a"] = [c in code_set(a) for c, a in zip(codes, long["gwno_a"], strict=True)]
    long["govt_side_b"] = [c in code_set(b) for c, b in zip(codes, long["gwno_b"], strict=True)]
    long = long[["conflict_id", "year", "gwcode", *_LOCATION_KEEP[2:], "n_locations", "govt_side_a",
                 "govt_side_b"]]
    check_unique(long, ["conflict_id", "year", "gwcode"], path.name)
    return validate(long, ACD_LOCATIONS_SCHEMA, path.name)


NONSTATE_COLUMNS = [
    "conflict_id", "dyad_id", "org", "side_a_name", "side_a_name_fulltext", "side_a_name_mothertongue",
    "side_a_id", "side_a_components", "side_a_2nd", "gwno_a_2nd", "side_b_name", "side_b_name_fulltext",
    "side_b_name_mothertongue", "side_b_id", "side_b_components", "side_b_2nd", "gwno_b_2nd", "start_date",
    "start_prec", "start_date2", "start_prec2", "ep_end", "ep_end_date", "ep_end_prec", "year",
    "best_fatality_estimate", "low_fatality_estimate", "high_fatality_estimate", "location",
    "gwno_location", "region", "version",
]
_NONSTATE_INTEGERS = [
    "conflict_id", "dyad_id", "org", "start_prec", "start_prec2", "ep_end", "ep_end_prec", "year",
    "best_fatality_estimate", "low_fatality_estimate", "high_fatality_estimate",
]
_DEATHS = pa.Column("Int64", pa.Check.ge(0))

NONSTATE_SCHEMA = pa.DataFrameSchema(
    {
        "conflict_id": pa.Column("Int64"),
        "dyad_id": pa.Column("Int64"),
        "org": pa.Column("Int64", pa.Check.isin([1, 2, 3])),
        "side_a_name": pa.Column(str),
        "side_a_name_fulltext": _TEXT,
        "side_a_name_mothertongue": _TEXT,
        "side_a_id": pa.Column(str),
        "side_a_components": _TEXT,
        "side_a_2nd": _TEXT,
        "gwno_a_2nd": _TEXT,
        "side_b_name": pa.Column(str),
        "side_b_name_fulltext": _TEXT,
        "side_b_name_mothertongue": _TEXT,
        "side_b_id": pa.Column(str),
        "side_b_components": _TEXT,
        "side_b_2nd": _TEXT,
        "gwno_b_2nd": _TEXT,
        "start_date": _DATE,
        "start_prec": pa.Column("Int64", nullable=True),
        "start_date2": _DATE,
        "start_prec2": pa.Column("Int64", nullable=True),
        "ep_end": pa.Column("Int64", pa.Check.isin([0, 1])),
        "ep_end_date": _DATE,
        "ep_end_prec": pa.Column("Int64", nullable=True),
        "year": year_column(1989, 2100),
        "best_fatality_estimate": _DEATHS,
        "low_fatality_estimate": _DEATHS,
        "high_fatality_estimate": _DEATHS,
        "location": pa.Column(str),
        "gwno_location": pa.Column(str),
        "region": pa.Column(str),
        "version": pa.Column(str),
    },
    strict=True,
)


def parse_nonstate(path: Path) -> pd.DataFrame:
    """One row per non-state dyad-year with best/low/high fatality estimates."""
    raw = read_ucdp_csv(path, required=NONSTATE_COLUMNS, repair_key="year")
    frame = numeric(raw[NONSTATE_COLUMNS], _NONSTATE_INTEGERS, path.name, integer=True)
    frame = dates(frame, ["start_date", "start_date2", "ep_end_date"], path.name)
    check_unique(frame, ["dyad_id", "year"], path.name)
    return validate(frame, NONSTATE_SCHEMA, path.name)


NONSTATE_LOCATIONS_SCHEMA = pa.DataFrameSchema(
    {
        "conflict_id": pa.Column("Int64"),
        "dyad_id": pa.Column("Int64"),
        "year": year_column(1989, 2100),
        "gwcode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "org": pa.Column("Int64"),
        "best_fatality_estimate": _DEATHS,
        "low_fatality_estimate": _DEATHS,
        "high_fatality_estimate": _DEATHS,
        "gwno_location": pa.Column(str),
        "n_locations": pa.Column("Int64", pa.Check.ge(1)),
    },
    strict=True,
)


def parse_nonstate_locations(path: Path) -> pd.DataFrame:
    """One row per non-state dyad-year and location GW code (fatalities are the dyad's, not split)."""
    frame = parse_nonstate(path)
    keep = [
        "conflict_id", "dyad_id", "year", "org", "best_fatality_estimate", "low_fatality_estimate",
        "high_fatality_estimate", "gwno_location",
    ]
    long = explode_codes(frame, "gwno_location", keep, path.name)
    long = long[["conflict_id", "dyad_id", "year", "gwcode", *keep[3:], "n_locations"]]
    check_unique(long, ["dyad_id", "year", "gwcode"], path.name)
    return validate(long, NONSTATE_LOCATIONS_SCHEMA, path.name)


_ACD_DESCRIPTION = (
    "UCDP/PRIO armed conflicts, one row per conflict-year; gwno_* are Gleditsch-Ward codes as the "
    "publisher's comma-separated strings; intensity_level 1 = 25-999 battle deaths, 2 = 1,000+; "
    "type_of_conflict "
    "1 extrasystemic, 2 interstate, 3 intrastate, 4 internationalized intrastate"
)
_LOCATIONS_DESCRIPTION = (
    "UCDP/PRIO armed conflicts, one row per conflict-year and location (gwno_loc split into GW codes); "
    "n_locations = how many locations the conflict-year lists; govt_side_a/b = the location state is a "
    "primary party on side A/B"
)

TABLES = (
    Table(
        name="ucdp_acd",
        expected=Expected(rows=2751, first_year=1946, last_year=2024),
        source=ACD_251_SOURCE,
        filename="UcdpPrioConflict_v25_1.csv",
        parse=parse_acd,
        description=_ACD_DESCRIPTION + " (v25.1)",
        country=None,
        unique=("conflict_id", "year"),
    ),
    Table(
        name="ucdp_acd_locations",
        expected=Expected(rows=2916, first_year=1946, last_year=2024),
        source=ACD_251_SOURCE,
        filename="UcdpPrioConflict_v25_1.csv",
        parse=parse_acd_locations,
        description=_LOCATIONS_DESCRIPTION + " (v25.1)",
        country=CountryKey("gw", "gwcode"),
        unique=("conflict_id", "year", "gwcode"),
    ),
    Table(
        name="ucdp_acd_221",
        expected=Expected(rows=2568, first_year=1946, last_year=2021),
        source=ACD_221_SOURCE,
        filename="ucdp-prio-acd-221.csv",
        parse=parse_acd,
        description=_ACD_DESCRIPTION + " (v22.1)",
        country=None,
        unique=("conflict_id", "year"),
    ),
    Table(
        name="ucdp_acd_221_locations",
        expected=Expected(rows=2723, first_year=1946, last_year=2021),
        source=ACD_221_SOURCE,
        filename="ucdp-prio-acd-221.csv",
        parse=parse_acd_locations,
        description=_LOCATIONS_DESCRIPTION + " (v22.1)",
        country=CountryKey("gw", "gwcode"),
        unique=("conflict_id", "year", "gwcode"),
    ),
    Table(
        name="ucdp_nonstate_221",
        expected=Expected(rows=1442, first_year=1989, last_year=2021),
        source=NONSTATE_221_SOURCE,
        filename="ucdp-nonstate-221.csv",
        parse=parse_nonstate,
        description="UCDP non-state conflicts, one row per dyad-year; fatalities in persons (best, low, "
        "high); org 1 formally organized, 2 informally organized, 3 identity-based groups",
        country=None,
        unique=("dyad_id", "year"),
    ),
    Table(
        name="ucdp_nonstate_221_locations",
        expected=Expected(rows=1493, first_year=1989, last_year=2021),
        source=NONSTATE_221_SOURCE,
        filename="ucdp-nonstate-221.csv",
        parse=parse_nonstate_locations,
        description="UCDP non-state conflicts, one row per dyad-year and location GW code; fatalities are "
        "the whole dyad-year's (persons), not split between locations",
        country=CountryKey("gw", "gwcode"),
        unique=("dyad_id", "year", "gwcode"),
    ),
)
