"""UCDP One-sided Violence Dataset v25.1: intentional killings of civilians, one row per actor-year.

An actor-year enters only at 25 or more killings in the year; for complete country-year counts of killings
by a government use ``ucdp_ged_cy``. ``gwno_location`` (where the killings happened) and ``gwnoa`` (the
government actor's own GW code, empty for non-state actors) may list several codes ("482, 490, 625");
the ``*_locations`` table holds one row per actor-year and location code.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from coupwatch.sources._ucdp import code_set, explode_codes, read_ucdp_csv
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

_CITATION = """@article{eck2007one,
  author  = {Eck, Kristine and Hultman, Lisa},
  title   = {One-Sided Violence Against Civilians in War: Insights from New Fatality Data},
  journal = {Journal of Peace Research},
  volume  = {44},
  number  = {2},
  pages   = {233--246},
  year    = {2007},
  doi     = {10.1177/0022343307075124}
}

@article{davies2025organized,
  author  = {Davies, Shawn and Pettersson, Th{\\'e}r{\\'e}se and Sollenberg, Margareta
             and {\\"O}berg, Magnus},
  title   = {Organized violence 1989--2024, and the challenges of identifying civilian victims},
  journal = {Journal of Peace Research},
  volume  = {62},
  number  = {4},
  year    = {2025}
}"""

SOURCE = SourceSpec(
    name="ucdp_onesided_251",
    folder="ucdp_onesided",
    title="UCDP One-sided Violence Dataset",
    publisher="Uppsala Conflict Data Program (UCDP)",
    version="25.1",
    files=(
        RemoteFile(
            "OneSided_v25_1.csv",
            "https://ucdp.uu.se/downloads/nsos/ucdp-onesided-251-csv.zip",
            "bebc52c2d25c78741d4b60ca0bc3db904b34fec934058c0bf3babe569fb2217e",
            note="The mirror holds UCDP's RDS release of v25.1 written to CSV (all rows and columns, "
            "integers unchanged); the publisher's CSV zip has the same columns and the parser reads the "
            "zip too.",
        ),
    ),
    licence="CC BY 4.0 (UCDP)",
    citation=_CITATION,
    coverage="1989-2024, 1,330 actor-years (463 government actor-years), 25+ civilian killings a year",
    homepage="https://ucdp.uu.se/downloads/",
)

COLUMNS = [
    "conflict_id", "dyad_id", "actor_id", "coalition_components", "actor_name", "actor_name_fulltext",
    "actor_name_mothertongue", "year", "best_fatality_estimate", "low_fatality_estimate",
    "high_fatality_estimate", "is_government_actor", "location", "gwno_location", "gwnoa", "region",
    "version",
]
_INTEGERS = [
    "conflict_id", "dyad_id", "actor_id", "year", "best_fatality_estimate", "low_fatality_estimate",
    "high_fatality_estimate", "is_government_actor",
]
_DEATHS = pa.Column("Int64", pa.Check.ge(0))
_TEXT = pa.Column(str, nullable=True)

SCHEMA = pa.DataFrameSchema(
    {
        "conflict_id": pa.Column("Int64"),
        "dyad_id": pa.Column("Int64"),
        "actor_id": pa.Column("Int64"),
        "coalition_components": _TEXT,
        "actor_name": pa.Column(str),
        "actor_name_fulltext": _TEXT,
        "actor_name_mothertongue": _TEXT,
        "year": year_column(1989, 2100),
        "best_fatality_estimate": _DEATHS,
        "low_fatality_estimate": _DEATHS,
        "high_fatality_estimate": _DEATHS,
        "is_government_actor": pa.Column("Int64", pa.Check.isin([0, 1])),
        "location": pa.Column(str),
        "gwno_location": pa.Column(str),
        "gwnoa": _TEXT,
        "region": pa.Column(str),
        "version": pa.Column(str),
    },
    strict=True,
)


def parse_actor_years(path: Path) -> pd.DataFrame:
    """One row per actor-year: civilians intentionally killed (persons, best/low/high)."""
    raw = read_ucdp_csv(path, required=COLUMNS, repair_key="year")
    frame = numeric(raw[COLUMNS], _INTEGERS, path.name, integer=True)
    check_unique(frame, ["dyad_id", "year"], path.name)
    return validate(frame, SCHEMA, path.name)


LOCATIONS_SCHEMA = pa.DataFrameSchema(
    {
        "dyad_id": pa.Column("Int64"),
        "year": year_column(1989, 2100),
        "gwcode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "actor_id": pa.Column("Int64"),
        "actor_name": pa.Column(str),
        "is_government_actor": pa.Column("Int64", pa.Check.isin([0, 1])),
        "gwnoa": _TEXT,
        "best_fatality_estimate": _DEATHS,
        "low_fatality_estimate": _DEATHS,
        "high_fatality_estimate": _DEATHS,
        "gwno_location": pa.Column(str),
        "n_locations": pa.Column("Int64", pa.Check.ge(1)),
        "own_government": pa.Column(bool),
    },
    strict=True,
)


def parse_locations(path: Path) -> pd.DataFrame:
    """One row per actor-year and location GW code; fatalities are the actor-year's, not split."""
    frame = parse_actor_years(path)
    keep = [
        "dyad_id", "year", "actor_id", "actor_name", "is_government_actor", "gwnoa",
        "best_fatality_estimate", "low_fatality_estimate", "high_fatality_estimate", "gwno_location",
    ]
    long = explode_codes(frame, "gwno_location", keep, path.name)
    # True when the killings in this location were by that location's own government.
    long["own_government"] = [
        int(code) in code_set(actors) for code, actors in zip(long["gwcode"], long["gwnoa"], strict=True)
    ]
    long = long[["dyad_id", "year", "gwcode", *keep[2:], "n_locations", "own_government"]]
    check_unique(long, ["dyad_id", "year", "gwcode"], path.name)
    return validate(long, LOCATIONS_SCHEMA, path.name)


TABLES = (
    Table(
        name="ucdp_onesided",
        expected=Expected(rows=1330, first_year=1989, last_year=2024),
        source=SOURCE,
        filename="OneSided_v25_1.csv",
        parse=parse_actor_years,
        description="UCDP one-sided violence, one row per actor-year (25+ civilians intentionally killed); "
        "fatalities in persons (best/low/high); gwno_location and gwnoa are the publisher's "
        "comma-separated GW code lists",
        country=None,
        unique=("dyad_id", "year"),
    ),
    Table(
        name="ucdp_onesided_locations",
        expected=Expected(rows=1742, first_year=1989, last_year=2024),
        source=SOURCE,
        filename="OneSided_v25_1.csv",
        parse=parse_locations,
        description="UCDP one-sided violence, one row per actor-year and location GW code; fatalities "
        "(persons) are the whole actor-year's; own_government = the actor is that location's government",
        country=CountryKey("gw", "gwcode"),
        unique=("dyad_id", "year", "gwcode"),
    ),
)
