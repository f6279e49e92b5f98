"""Powell & Thyne, Global Instances of Coups: the event list and the country-year file.

Coups are coded 1 = failed attempt, 2 = successful coup; countries by Correlates of War code. The event list
dates Niger's 2023 coup to 26 June (it was 26 July); the correction lives in ``corrections.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

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

_CITATION = """@article{powell2011global,
  author  = {Powell, Jonathan M. and Thyne, Clayton L.},
  title   = {Global Instances of Coups from 1950 to 2010: A New Dataset},
  journal = {Journal of Peace Research},
  volume  = {48},
  number  = {2},
  pages   = {249--259},
  year    = {2011},
  doi     = {10.1177/0022343310397436}
}"""

EVENTS_SOURCE = SourceSpec(
    name="powell_thyne_events",
    folder="powell_thyne",
    title="Global Instances of Coups (event list)",
    publisher="Jonathan M. Powell & Clayton L. Thyne",
    version="V2023.09.08",
    files=(
        RemoteFile(
            "powell_thyne_coups_final.txt",
            "http://www.uky.edu/~clthyn2/coup_data/powell_thyne_coups_final.txt",
            "6d0698517330711ab0903752fcba12291d4e672f92b15243b8adcfa7c93c75e5",
        ),
    ),
    licence="No formal licence; free for academic use with citation",
    citation=_CITATION,
    coverage="1950-01 to 2023-08-30, 491 events, all countries (COW codes)",
    homepage="https://www.jonathanmpowell.com/coup-detat-dataset.html",
)

COUNTRY_YEAR_SOURCE = SourceSpec(
    name="powell_thyne_country_year",
    folder="powell_thyne",
    title="Global Instances of Coups (country-year)",
    publisher="Jonathan M. Powell & Clayton L. Thyne",
    version="V2024.01.29",
    files=(
        RemoteFile(
            "powell_thyne_ccode_year.txt",
            "http://www.uky.edu/~clthyn2/coup_data/powell_thyne_ccode_year.txt",
            "d57fa3c9c544b2b1c5234df336c05a3c8d0282fbcac5682f66c216e89a3e0dd4",
        ),
    ),
    licence="No formal licence; free for academic use with citation",
    citation=_CITATION,
    coverage="1950-2024 (2024 rows zero-filled as of January 2024), 204 COW codes",
    homepage="https://www.jonathanmpowell.com/coup-detat-dataset.html",
)

EVENTS_SCHEMA = pa.DataFrameSchema(
    {
        "country": pa.Column(str),
        "ccode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "year": year_column(1950, 2100),
        "month": pa.Column("Int64", pa.Check.in_range(1, 12)),
        "day": pa.Column("Int64", pa.Check.in_range(1, 31), nullable=True),
        "coup": pa.Column("Int64", pa.Check.isin([1, 2])),
        "outcome": pa.Column(str, pa.Check.isin(["failed", "successful"])),
        "version": pa.Column(str),
    },
    strict=True,
    coerce=False,
)


def parse_events(path: Path) -> pd.DataFrame:
    """One row per coup attempt: date, COW code, and whether it succeeded."""
    raw = read_text_table(
        path,
        sep="\t",
        encoding="latin-1",
        required=["country", "ccode", "year", "month", "day", "coup", "version"],
    )
    frame = numeric(raw, ["ccode", "year", "month", "day", "coup"], path.name, integer=True)
    frame = frame[["country", "ccode", "year", "month", "day", "coup", "version"]].copy()
    frame["day"] = frame["day"].mask(frame["day"] <= 0)
    frame["outcome"] = frame["coup"].map({1: "failed", 2: "successful"}).astype(object)
    frame = validate(frame, EVENTS_SCHEMA, path.name)
    return frame


COUNTRY_YEAR_SCHEMA = pa.DataFrameSchema(
    {
        "ccode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "country": pa.Column(str),
        "year": year_column(1950, 2100),
        "coup1": pa.Column("Int64", pa.Check.isin([0, 1, 2])),
        "coup2": pa.Column("Int64", pa.Check.isin([0, 1, 2])),
        "coup3": pa.Column("Int64", pa.Check.isin([0, 1, 2])),
        "coup4": pa.Column("Int64", pa.Check.isin([0, 1, 2])),
        "attempts": pa.Column("Int64", pa.Check.in_range(0, 4)),
        "successes": pa.Column("Int64", pa.Check.in_range(0, 4)),
        "failures": pa.Column("Int64", pa.Check.in_range(0, 4)),
        "version": pa.Column(str),
    },
    strict=True,
)


def parse_country_year(path: Path) -> pd.DataFrame:
    """One row per COW country-year with up to four coups (1 failed, 2 successful) and their counts."""
    raw = read_text_table(
        path,
        sep="\t",
        encoding="latin-1",
        required=["ccode", "country", "year", "coup1", "coup2", "coup3", "coup4", "version"],
    )
    coups = ["coup1", "coup2", "coup3", "coup4"]
    frame = numeric(raw, ["ccode", "year", *coups], path.name, integer=True)
    frame = frame[["ccode", "country", "year", *coups, "version"]].copy()
    codes = frame[coups]
    frame["attempts"] = (codes > 0).sum(axis=1).astype("Int64")
    frame["successes"] = (codes == 2).sum(axis=1).astype("Int64")
    frame["failures"] = (codes == 1).sum(axis=1).astype("Int64")
    check_unique(frame, ["ccode", "year"], path.name)
    return validate(frame, COUNTRY_YEAR_SCHEMA, path.name)


TABLES = (
    Table(
        name="pt_events",
        expected=Expected(rows=491, first_year=1950, last_year=2023),
        source=EVENTS_SOURCE,
        filename="powell_thyne_coups_final.txt",
        parse=parse_events,
        description="Coup attempts, one row per event (1 failed, 2 successful)",
        country=CountryKey("cow", "ccode"),
    ),
    Table(
        name="pt_country_year",
        expected=Expected(rows=12187, first_year=1950, last_year=2024),
        source=COUNTRY_YEAR_SOURCE,
        filename="powell_thyne_ccode_year.txt",
        parse=parse_country_year,
        description="Coup attempts per COW country-year",
        country=CountryKey("cow", "ccode"),
        unique=("ccode", "year"),
    ),
)
