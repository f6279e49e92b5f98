"""Polity5 (p5v2018): the combined polity score ``polity2`` per country-year, 1776-2018 (USA to 2020).

Countries carry Polity's three-letter ``scode``, which is not ISO: e.g. GMY (Prussia to 1867, Germany
after), GFR/GDR (1945-1990), USR (USSR 1922-91) then RUS, YUG/YGS/SER, PKS (Pakistan to 1971) then PAK,
ETH/ETI (Ethiopia split at 1993), SUD/SDN (Sudan split at 2011), YAR/YPR/YEM, DRV/RVN/VIE, and pre-unification
states (BAV, SAX, WRT, BAD, SAR, TUS, PAP, MOD, PMA, SIC, GCL, UPC, OFS, KOR).

``polity2`` runs from -10 (full autocracy) to +10 (full democracy). Five rows of the file carry a Polity
special code in ``polity2`` (Belgium 1830: -88 transition; France 1940-43: -66 interruption); those are not
scores, so they move to ``polity2_special`` and ``polity2`` is left empty there.

The mirror holds a column subset (scode, country, year, polity2) of the publisher's p5v2018 as CSV; the parser
reads the publisher's p5v2018.xls as well and keeps the same four columns.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from coupwatch.errors import SourceFileError
from coupwatch.sources.base import (
    CountryKey,
    Expected,
    RemoteFile,
    SourceSpec,
    Table,
    check_unique,
    numeric,
    read_text_table,
    require_columns,
    validate,
    year_column,
)

_CITATION = """@manual{marshall2020polity5,
  author       = {Marshall, Monty G. and Gurr, Ted Robert},
  title        = {Polity5: Political Regime Characteristics and Transitions, 1800--2018. Dataset Users' Manual},
  organization = {Center for Systemic Peace},
  year         = {2020},
  url          = {https://www.systemicpeace.org/inscrdata.html}
}"""

SOURCE = SourceSpec(
    name="polity5",
    folder="polity5",
    title="Polity5: Political Regime Characteristics and Transitions (annual time series)",
    publisher="Center for Systemic Peace (Monty G. Marshall & Ted Robert Gurr)",
    version="p5v2018",
    files=(
        RemoteFile(
            "p5v2018_polity2_subset.csv",
            "http://www.systemicpeace.org/inscr/p5v2018.xls",
            "328599c74e529bf495a18e514c8b9cac2ac2b1c8a81cc046e7c3a28555803a8c",
            note=(
                "The mirror holds a CSV column subset (scode, country, year, polity2) of the publisher's "
                "p5v2018 annual file, so its hash is not the hash of p5v2018.xls; the parser reads both and "
                "yields the same table."
            ),
        ),
    ),
    licence="Free for non-commercial research use with citation (Center for Systemic Peace terms)",
    citation=_CITATION,
    coverage="1776-2018 (USA to 2020), 17,574 country-years, 194 Polity country codes",
    homepage="https://www.systemicpeace.org/polityproject.html",
)

SPECIAL_CODES = (-66, -77, -88)
_COLUMNS = ["scode", "country", "year", "polity2"]

SCHEMA = pa.DataFrameSchema(
    {
        "scode": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
        "country": pa.Column(str),
        "year": year_column(1700, 2100),
        "polity2": pa.Column("Int64", pa.Check.in_range(-10, 10), nullable=True),
        "polity2_special": pa.Column("Int64", pa.Check.isin(list(SPECIAL_CODES)), nullable=True),
    },
    strict=True,
    ordered=True,
)

# Excel workbooks start with these bytes: OLE2 (.xls) and zip (.xlsx)
_EXCEL_MAGIC = (b"\xd0\xcf\x11\xe0", b"PK\x03\x04")


def _read(path: Path) -> pd.DataFrame:
    with path.open("rb") as handle:
        head = handle.read(4)
    if not head.startswith(_EXCEL_MAGIC):
        return read_text_table(path, required=_COLUMNS)
    try:
        frame = pd.read_excel(path, engine="calamine", dtype=str, keep_default_na=False)
    except Exception as exc:
        raise SourceFileError(
            path.name,
            f"the workbook cannot be read ({type(exc).__name__}: {exc})",
            fix="download it again; if it persists the publisher changed the format",
        ) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    require_columns(frame, _COLUMNS, path.name)
    # sheet row numbers: the header is row 1
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="source_row")
    return frame


def parse_polity2(path: Path) -> pd.DataFrame:
    """One row per Polity country-year: polity2 (-10..10) and any special code found in its place."""
    raw = _read(path)
    frame = numeric(raw, ["year", "polity2"], path.name, integer=True)
    frame = frame[_COLUMNS].copy()
    frame["scode"] = frame["scode"].str.strip()
    frame["country"] = frame["country"].str.strip()
    special = frame["polity2"].isin(SPECIAL_CODES)
    frame["polity2_special"] = frame["polity2"].where(special).astype("Int64")
    frame["polity2"] = frame["polity2"].mask(special).astype("Int64")
    check_unique(frame, ["scode", "year"], path.name)
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="polity5_polity2",
        expected=Expected(rows=17574, first_year=1776, last_year=2020),
        source=SOURCE,
        filename="p5v2018_polity2_subset.csv",
        parse=parse_polity2,
        description=(
            "Polity5 combined polity score per country-year: polity2 from -10 (autocracy) to +10 "
            "(democracy), empty when missing; polity2_special holds a Polity special code found in the "
            "polity2 column instead (-66 interruption, -77 interregnum, -88 transition)"
        ),
        country=CountryKey("polity", "scode"),
        unique=("scode", "year"),
    ),
)
