"""U.S. foreign assistance by country and fiscal year: ForeignAssistance.gov's "Country Summary" download.

One row per recipient (country or FA.gov region), transaction type (Obligations, Disbursements,
Appropriated and Planned, President's Budget Requests) and U.S. fiscal year, in current and constant US$.
Recipients carry ISO 3166 alpha-3 codes, FA.gov region codes (AFR Africa Region, WLD World ...), "CS-KM"
for Kosovo, or no code at all for six historical entities (West Berlin, Czechoslovakia, East Germany, the
Soviet Union, South Vietnam, South Yemen), which country mapping must resolve by name.

Fiscal year "1976tq" is the transition quarter (July-September 1976) when the U.S. fiscal year moved from
July-June to October-September. ``fiscal_year`` keeps the publisher's string; ``year`` is the integer fiscal
year with the transition quarter counted in 1976 and flagged by ``transition_quarter`` so that a fiscal-year
sum can include or leave out those three months on purpose.
"""

from __future__ import annotations

import re
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
    require_columns,
    validate,
    year_column,
)

_CITATION = """@misc{foreignassistance2025country,
  author       = {{U.S. Department of State and U.S. Agency for International Development}},
  title        = {{ForeignAssistance.gov}: U.S. Foreign Assistance by Country (Country Summary data)},
  year         = {2025},
  howpublished = {\\url{https://foreignassistance.gov/data}},
  note         = {File us\\_foreign\\_aid\\_country.csv, fiscal years 1946--2025}
}"""

FILENAME = "us_foreign_aid_country.csv"

SOURCE = SourceSpec(
    name="us_foreign_assistance_country",
    folder="us_foreign_assistance",
    title="U.S. Foreign Assistance by Country (ForeignAssistance.gov country summary)",
    publisher="U.S. Department of State and USAID (ForeignAssistance.gov)",
    version="2025 download (FY1946-FY2025, FY2025 partial)",
    files=(
        RemoteFile(
            FILENAME,
            "https://s3.amazonaws.com/files.explorer.devtechlab.com/us_foreign_aid_country.csv",
            "7e4cb4f3442b4f9d30b1cef1d0c4294014133bcad59121e83a691a5d9b399f09",
            note="ForeignAssistance.gov's download page (https://foreignassistance.gov/data) links this "
            "file. The mirror copy has the headers renamed to snake_case (publisher: 'Country Code', "
            "'Fiscal Year' ...) and three stray empty trailing columns dropped; values unchanged. The "
            "parser accepts both header styles.",
        ),
    ),
    licence="U.S. Government work, public domain (17 U.S.C. 105)",
    citation=_CITATION,
    coverage="FY1946-FY2025 (FY2025 partial) incl. the 1976 transition quarter, 249 recipients "
    "(countries, historical entities and FA.gov regions)",
    homepage="https://foreignassistance.gov/data",
)

COLUMNS = [
    "country_code", "country_name", "region_id", "region_name", "income_group_acronym", "income_group_name",
    "transaction_type_id", "transaction_type_name", "fiscal_year", "current_amount", "constant_amount",
]
TRANSACTION_TYPES = (
    "Obligations", "Disbursements", "Appropriated and Planned", "President's Budget Requests",
)
TRANSITION_QUARTER = "1976tq"
_OPTIONAL = {"region_id", "region_name", "income_group_acronym", "income_group_name", "transaction_type_id"}

SCHEMA = pa.DataFrameSchema(
    {
        "country_code": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$|^[A-Z]{2}-[A-Z]{2}$"), nullable=True),
        "country_name": pa.Column(str),
        "region_id": pa.Column("Int64", nullable=True),
        "region_name": pa.Column(str, nullable=True),
        "income_group_acronym": pa.Column(str, nullable=True),
        "income_group_name": pa.Column(str, nullable=True),
        "transaction_type_id": pa.Column("Int64", nullable=True),
        "transaction_type_name": pa.Column(str, pa.Check.isin(list(TRANSACTION_TYPES))),
        "fiscal_year": pa.Column(str, pa.Check.str_matches(r"^\d{4}([tT][qQ])?$")),
        "year": year_column(1946, 2100),
        "transition_quarter": pa.Column(bool),
        "current_amount": pa.Column(float),
        "constant_amount": pa.Column(float, nullable=True),
    },
    strict=True,
)


def _snake(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", header.strip().lower()).strip("_")


def parse_country_summary(path: Path) -> pd.DataFrame:
    """One row per recipient, transaction type and fiscal year: amounts in US$ (current and constant)."""
    raw = read_text_table(path, required=[])
    raw.columns = [_snake(c) for c in raw.columns]
    # Unnamed trailing columns (stray separators) carry nothing.
    raw = raw[[c for c in raw.columns if c and not c.startswith("unnamed")]]
    require_columns(raw, [c for c in COLUMNS if c not in _OPTIONAL], path.name)
    for optional in _OPTIONAL - set(raw.columns):
        raw[optional] = None
    frame = raw[COLUMNS].copy()
    frame["fiscal_year"] = frame["fiscal_year"].astype(str).str.strip()
    tq = frame["fiscal_year"].str.lower() == TRANSITION_QUARTER
    frame["year"] = frame["fiscal_year"].where(~tq, "1976")
    frame = numeric(frame, ["year", "region_id", "transaction_type_id"], path.name, integer=True)
    frame = numeric(frame, ["current_amount", "constant_amount"], path.name)
    frame["transition_quarter"] = tq.to_numpy()
    for column in (
        "country_code", "country_name", "region_name", "income_group_acronym", "income_group_name",
        "transaction_type_name",
    ):
        text = frame[column].astype("string").str.strip()
        frame[column] = text.where(text.notna() & (text != ""), None).astype(object)
    frame["fiscal_year"] = frame["fiscal_year"].astype(object)
    frame = frame[[*COLUMNS[:9], "year", "transition_quarter", "current_amount", "constant_amount"]]
    check_unique(frame, ["country_code", "country_name", "transaction_type_name", "fiscal_year"], path.name)
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="us_aid_country",
        expected=Expected(rows=22486, first_year=1946, last_year=2025),
        source=SOURCE,
        filename=FILENAME,
        parse=parse_country_summary,
        description="U.S. foreign assistance per recipient, transaction type and U.S. fiscal year: "
        "current_amount in current US$, constant_amount in FA.gov's constant US$ (base year of the "
        "download); fiscal_year is the publisher's string ('1976tq' = the transition quarter, year 1976 "
        "with transition_quarter true); country_code ISO3, FA.gov region code, CS-KM (Kosovo) or empty for "
        "historical entities (map those by country_name)",
        country=CountryKey("iso3", "country_code", fallback_name_column="country_name"),
        unique=("country_code", "country_name", "transaction_type_name", "fiscal_year"),
    ),
)
