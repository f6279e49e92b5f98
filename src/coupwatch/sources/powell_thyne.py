"""Powell & Thyne, Global Instances of Coups: the event list and the country-year file, two releases.

Coups are coded 1 = failed attempt, 2 = successful coup; countries by Correlates of War code. The outcome
everywhere (``pt_events``, ``pt_country_year``) is release V2025.09.12, events to 26 November 2025, with its
Gleditsch-Ward country-year derivation to 2025. The previous release stays readable as ``pt_events_v2023`` and
``pt_country_year_v2024``; V2023.09.08 dates Niger's 2023 coup to 26 June (it was 26 July), which
``corrections.csv`` fixes for that release only (V2025.09.12 has the right date).
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

_LICENCE = "No formal licence; free for academic use with citation"
_HOMEPAGE = "https://www.jonathanmpowell.com/coup-detat-dataset.html"
# The publisher serves one living file that changes with every release; its hash is pinned per release.
_LIVING_FILE = "http://www.uky.edu/~clthyn2/coup_data/powell_thyne_coups_final.txt"

EVENTS_SOURCE = SourceSpec(
    name="powell_thyne_events",
    folder="powell_thyne_2025",
    title="Global Instances of Coups (event list)",
    publisher="Jonathan M. Powell & Clayton L. Thyne",
    version="V2025.09.12",
    files=(
        RemoteFile(
            "powell_thyne_coups_V2025.09.12.csv",
            _LIVING_FILE,
            "752c576b17dbac3e299c78ad99cf22f57f5a8da784fe9ce039fbfb53a88ee540",
            note=(
                "The publisher's tab-separated living file as read and re-written comma-separated by Andreas "
                "Beger (andybega/ds-external-data 0e330795, ptcoups/input/ptcoups.csv); the publisher's own "
                "bytes differ in layout, so a download from the living URL fails the hash check until this "
                "release is re-pinned from it. Events to 2025-11-26 (version string not updated for the "
                "October/November 2025 additions)."
            ),
        ),
    ),
    licence=_LICENCE,
    citation=_CITATION,
    coverage="1950-03 to 2025-11-26, 495 events, all countries (COW codes); 2025 may be incomplete",
    homepage=_HOMEPAGE,
)

COUNTRY_YEAR_SOURCE = SourceSpec(
    name="powell_thyne_country_year",
    folder="powell_thyne_2025",
    title="Global Instances of Coups (Gleditsch-Ward country-year, derived by Andreas Beger)",
    publisher="Jonathan M. Powell & Clayton L. Thyne; country-year derivation by Andreas Beger",
    version="V2025.09.12 (G&W country-year 2026-01-21)",
    files=(
        RemoteFile(
            "ptcoups_gw_country_year_andybega_2026-01.csv",
            "https://raw.githubusercontent.com/vdeminstitute/demspaces/1012a66d590d2315c292f2ec745f168abbf84d05/"
            "create-data/input/ptcoups.csv",
            "d25ac8dc10729d947e6aeb16b13ca3a7d42f8c0da2a35a21e516513d0de91a13",
        ),
    ),
    licence=_LICENCE + " (the derivation is part of V-Dem's demspaces repository)",
    citation=_CITATION,
    coverage="1950-2025, 12,384 Gleditsch-Ward state-years, 204 states (2025 through 26 November)",
    homepage=_HOMEPAGE,
)

EVENTS_SOURCE_V2023 = SourceSpec(
    name="powell_thyne_events_v2023",
    folder="powell_thyne",
    title="Global Instances of Coups (event list)",
    publisher="Jonathan M. Powell & Clayton L. Thyne",
    version="V2023.09.08",
    files=(
        RemoteFile(
            "powell_thyne_coups_final.txt",
            _LIVING_FILE,
            "6d0698517330711ab0903752fcba12291d4e672f92b15243b8adcfa7c93c75e5",
        ),
    ),
    licence=_LICENCE,
    citation=_CITATION,
    coverage="1950-01 to 2023-08-30, 491 events, all countries (COW codes)",
    homepage=_HOMEPAGE,
)

COUNTRY_YEAR_SOURCE_V2024 = SourceSpec(
    name="powell_thyne_country_year_v2024",
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
    licence=_LICENCE,
    citation=_CITATION,
    coverage="1950-2024 (2024 rows zero-filled as of January 2024), 204 COW codes",
    homepage=_HOMEPAGE,
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
    """One row per coup attempt: date, COW code, and whether it succeeded (the publisher's tab-separated file)."""
    return _events(path, sep="\t", encoding="latin-1")


def parse_events_csv(path: Path) -> pd.DataFrame:
    """The same event list from its comma-separated UTF-8 copy (release V2025.09.12)."""
    return _events(path, sep=",", encoding="utf-8")


def _events(path: Path, sep: str, encoding: str) -> pd.DataFrame:
    raw = read_text_table(
        path,
        sep=sep,
        encoding=encoding,
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


GW_COUNTRY_YEAR_SCHEMA = pa.DataFrameSchema(
    {
        "gwcode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "year": year_column(1950, 2100),
        "attempts": pa.Column("Int64", pa.Check.in_range(0, 4)),
        "successes": pa.Column("Int64", pa.Check.in_range(0, 4)),
        "failures": pa.Column("Int64", pa.Check.in_range(0, 4)),
    },
    checks=pa.Check(lambda f: f["attempts"] == f["successes"] + f["failures"],
                    error="attempts = successes + failures"),
    strict=True,
)


def parse_gw_country_year(path: Path) -> pd.DataFrame:
    """One row per Gleditsch-Ward state-year: coup attempts, successes and failures (Beger's derivation)."""
    raw = read_text_table(path, required=["gwcode", "year", "pt_attempt_num", "pt_coup_num", "pt_failed_num"])
    counts = {"pt_attempt_num": "attempts", "pt_coup_num": "successes", "pt_failed_num": "failures"}
    frame = numeric(raw, ["gwcode", "year", *counts], path.name, integer=True)
    frame = frame[["gwcode", "year", *counts]].rename(columns=counts)
    check_unique(frame, ["gwcode", "year"], path.name)
    return validate(frame, GW_COUNTRY_YEAR_SCHEMA, path.name)


TABLES = (
    Table(
        name="pt_events",
        expected=Expected(rows=491, first_year=1950, last_year=2023),
        source=EVENTS_SOURCE,
        filename="powell_thyne_coups_V2025.09.12.csv",
        parse=parse_events_csv,
        description="Coup attempts, one row per event (1 failed, 2 successful): the outcome, release V2025.09.12",
        country=CountryKey("cow", "ccode"),
    ),
    Table(
        name="pt_country_year",
        expected=Expected(rows=12187, first_year=1950, last_year=2024),
        source=COUNTRY_YEAR_SOURCE,
        filename="ptcoups_gw_country_year_andybega_2026-01.csv",
        parse=parse_gw_country_year,
        description="Coup attempts per Gleditsch-Ward state-year to 2025 (release V2025.09.12)",
        country=CountryKey("gw", "gwcode"),
        unique=("gwcode", "year"),
    ),
    Table(
        name="pt_events_v2023",
        source=EVENTS_SOURCE_V2023,
        filename="powell_thyne_coups_final.txt",
        parse=parse_events,
        description="Coup attempts, one row per event: the previous release V2023.09.08 (events to 2023-08-30)",
        country=CountryKey("cow", "ccode"),
    ),
    Table(
        name="pt_country_year_v2024",
        source=COUNTRY_YEAR_SOURCE_V2024,
        filename="powell_thyne_ccode_year.txt",
        parse=parse_country_year,
        description="Coup attempts per COW country-year: the previous release V2024.01.29",
        country=CountryKey("cow", "ccode"),
        unique=("ccode", "year"),
    ),
)
