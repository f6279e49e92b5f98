"""U.S. foreign assistance by sector (ForeignAssistance.gov): the official sector download and a 2014 snapshot.

ForeignAssistance.gov's "U.S. Government sector" download (``us_foreign_aid_usg_sector.csv``, all countries,
FY2001 onwards) has one row per US category x US sector x country x transaction type (Appropriated and
Planned, Obligations, Disbursements, President's Budget Requests) x fiscal year, in current and constant
U.S. dollars. :func:`parse_usg_sector` reads that layout whatever the header spelling (the publisher's
"US Sector Name", the older explorer's snake_case "us_sector_name", or the short "us_sector") and ignores
columns it does not know, so the publisher's full file and the mirror's partial transcriptions give the same
table. The mirror has only hand transcriptions: Mali and Niger complete (Burkina Faso partial) for the Peace
and Security and Democracy, Human Rights and Governance sectors FY2017-2021
(``fagov_usg_sector_MALI_PS_DRG_fy2017_2021.csv``, with an extra ``source_offset`` column), and an older Mali
counter-terrorism-only file (``fagov_usg_sector_MALI_counterterrorism_only.csv``, FY2005-2025, superseded for
FY2017-21 by the first; it is not a warehouse table, but the same parser reads it).

The 2014 snapshot (agency x country x sector, FY2009-2013) is what ForeignAssistance.gov showed in 2014, when
only some agencies reported; its transaction type is not stated. Use it as an indicative sector split only.
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

SECTOR_FILE = "fagov_usg_sector_MALI_PS_DRG_fy2017_2021.csv"
SNAPSHOT_FILE = "fagov_2014snapshot_agency_country_sector_fy2009_2013.csv"
OFFICIAL_URL = "https://s3.amazonaws.com/files.explorer.devtechlab.com/us_foreign_aid_usg_sector.csv"

_CITATION = """@misc{fagov_usg_sector,
  author       = {{U.S. Department of State} and {U.S. Agency for International Development}},
  title        = {{ForeignAssistance.gov}: U.S. Government Sector Summary ({us\\_foreign\\_aid\\_usg\\_sector.csv})},
  howpublished = {\\url{https://foreignassistance.gov/data}},
  year         = {2025},
  note         = {Public domain; current and constant U.S. dollars by US category, sector, country,
                  transaction type and fiscal year}
}"""

_SNAPSHOT_CITATION = """@misc{fagov_2014,
  author       = {{U.S. Department of State} and {U.S. Agency for International Development}},
  title        = {{ForeignAssistance.gov}: U.S. Foreign Assistance by Agency, Country and Sector,
                  Fiscal Years 2009--2013 (2014 release)},
  howpublished = {\\url{https://foreignassistance.gov/data}},
  year         = {2014},
  note         = {As compiled in github.com/JSDiamond/foreign-aid, commit dc074d4 (18 August 2014)}
}"""

SECTOR_SOURCE = SourceSpec(
    name="fagov_usg_sector",
    folder="us_aid_sector",
    title="ForeignAssistance.gov U.S. Government sector summary",
    publisher="U.S. Department of State and USAID (ForeignAssistance.gov)",
    version="download of 2025 (FY2001-2025); mirror: hand transcription of Mali/Niger/Burkina Faso P&S and DRG "
    "rows FY2017-2021",
    files=(
        RemoteFile(
            SECTOR_FILE,
            OFFICIAL_URL,
            "df9d5fdae2d8be7fd6e984fbb86557b01bc04c1366af7afb6faf3efab3fde1b1",
            note=(
                "The mirror holds a PARTIAL hand transcription of the publisher's us_foreign_aid_usg_sector.csv "
                "(the download linked from https://foreignassistance.gov/data, about 20 MB): every Mali and "
                "Niger row (Burkina Faso partly) of the Peace and Security and DRG sectors for FY2017-2021, "
                "copied from a text copy of the file, plus a source_offset column the parser ignores. The "
                "publisher's full file parses into the same table with every country and sector (its sha256 "
                "differs, so accept it with the new-versions setting)."
            ),
        ),
    ),
    licence="U.S. Government work, public domain",
    citation=_CITATION,
    coverage="Publisher's file: all countries, FY2001-2025. Mirror: MLI and NER complete, BFA partial, "
    "P&S and DRG sectors, FY2017-2021",
    homepage="https://foreignassistance.gov/data",
)

SNAPSHOT_SOURCE = SourceSpec(
    name="fagov_sector_2014",
    folder="us_aid_sector",
    title="ForeignAssistance.gov by agency, country and sector (2014 snapshot)",
    publisher="U.S. Department of State and USAID (ForeignAssistance.gov)",
    version="2014 snapshot, FY2009-2013",
    files=(
        RemoteFile(
            SNAPSHOT_FILE,
            "https://foreignassistance.gov/data",
            "3edd7ca23d856aed44587a4b95dbe6f02b7b62e0a950ee65aa6987834d5949c4",
            note=(
                "ForeignAssistance.gov no longer serves its 2014 data; the URL is its data page. The mirror "
                "file was compiled from the JS arrays of a 2014 visualisation (JSDiamond/foreign-aid, commit "
                "dc074d4, js/data/aid_2009.js-aid_2013.js and categories.js), with duplicate rows summed. "
                "Transaction type not stated; only the agencies reporting in 2014 are included."
            ),
        ),
    ),
    licence="U.S. Government work, public domain",
    citation=_SNAPSHOT_CITATION,
    coverage="FY2009-2013, about 250 countries, regions and operating units; USAID, State (partial), DoD "
    "(partial), MCC, Peace Corps, Treasury, USADF, IAF, USDA",
    homepage="https://foreignassistance.gov/",
)

# Header spellings seen in the publisher's downloads, reduced to snake_case, -> our column names.
_ALIASES = {
    "us_category": "us_category_name",
    "us_sector": "us_sector_name",
    "transaction_type": "transaction_type_name",
}
_REQUIRED = ["us_category_name", "us_sector_name", "country_code", "transaction_type_name", "fiscal_year",
             "current_amount"]
_OPTIONAL = ["us_category_id", "us_sector_id", "country_name", "transaction_type_id", "constant_amount"]
_SECTOR_KEY = ["country_code", "us_sector_name", "transaction_type_name", "fiscal_year"]


def _snake(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


SECTOR_SCHEMA = pa.DataFrameSchema(
    {
        "us_category_id": pa.Column("Int64", nullable=True),
        "us_category_name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "us_sector_id": pa.Column("Int64", nullable=True),
        "us_sector_name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "country_code": pa.Column(str, pa.Check.str_length(min_value=1)),
        "country_name": pa.Column(str, nullable=True),
        "transaction_type_id": pa.Column("Int64", nullable=True),
        "transaction_type_name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "fiscal_year": year_column(1946, 2100),
        "current_amount": pa.Column("float64"),
        "constant_amount": pa.Column("float64", nullable=True),
    },
    strict=True,
)


def parse_usg_sector(path: Path) -> pd.DataFrame:
    """ForeignAssistance.gov sector summary: one row per country x sector x transaction type x fiscal year.

    Amounts in U.S. dollars; ``constant_amount`` uses the publisher's base year for that transaction type.
    Columns missing from a transcription (IDs, country name, constant amount) come out empty.
    """
    raw = read_text_table(path, required=[], encoding="utf-8-sig")
    renamed = {c: _ALIASES.get(_snake(c), _snake(c)) for c in raw.columns}
    raw = raw.rename(columns=renamed)
    require_columns(raw, _REQUIRED, path.name)
    for column in _OPTIONAL:
        if column not in raw.columns:
            raw[column] = pd.NA
    frame = numeric(raw, ["us_category_id", "us_sector_id", "transaction_type_id", "fiscal_year"], path.name,
                    integer=True)
    frame = numeric(frame, ["current_amount", "constant_amount"], path.name)
    columns = [*SECTOR_SCHEMA.columns]
    frame = frame[columns].copy()
    for column in ["us_category_name", "us_sector_name", "country_code", "country_name",
                   "transaction_type_name"]:
        frame[column] = frame[column].astype("string").str.strip().astype(object)
    check_unique(frame, _SECTOR_KEY, path.name)
    return validate(frame, SECTOR_SCHEMA, path.name)


SNAPSHOT_CATEGORIES = [
    "Peace and Security",
    "Democracy, Human Rights, and Governance",
    "Health",
    "Education and Social Services",
    "Economic Development",
    "Environment",
    "Humanitarian Assistance",
    "Program Management",
    "Multi-sector",
]

SNAPSHOT_SCHEMA = pa.DataFrameSchema(
    {
        "fiscal_year": year_column(2009, 2013),
        "agency": pa.Column(str, pa.Check.str_length(min_value=1)),
        "country": pa.Column(str, pa.Check.str_length(min_value=1)),
        "us_category": pa.Column(str, pa.Check.isin(SNAPSHOT_CATEGORIES)),
        "us_sector": pa.Column(str, pa.Check.str_length(min_value=1)),
        "amount_usd": pa.Column("float64"),
    },
    strict=True,
)


def parse_snapshot_2014(path: Path) -> pd.DataFrame:
    """2014 ForeignAssistance.gov snapshot: agency x country (or operating unit) x sector x year, in USD."""
    columns = ["fiscal_year", "agency", "country", "us_category", "us_sector", "amount_usd"]
    raw = read_text_table(path, required=columns)
    frame = numeric(raw, ["fiscal_year"], path.name, integer=True)
    frame = numeric(frame, ["amount_usd"], path.name)
    frame = frame[columns].copy()
    check_unique(frame, ["fiscal_year", "agency", "country", "us_sector"], path.name)
    return validate(frame, SNAPSHOT_SCHEMA, path.name)


TABLES = (
    Table(
        name="fagov_sector",
        expected=Expected(rows=269),
        source=SECTOR_SOURCE,
        filename=SECTOR_FILE,
        parse=parse_usg_sector,
        description=(
            "ForeignAssistance.gov U.S. assistance by US category, US sector, country (ISO3 or FA.gov region "
            "code), transaction type and fiscal year; current_amount and constant_amount in US dollars. "
            "Mirror: MLI/NER (BFA partial), P&S and DRG sectors, FY2017-2021; a missing row means zero."
        ),
        country=CountryKey("iso3", "country_code", "fiscal_year"),
        unique=tuple(_SECTOR_KEY),
    ),
    Table(
        name="fagov_sector_2014",
        expected=Expected(rows=12336),
        source=SNAPSHOT_SOURCE,
        filename=SNAPSHOT_FILE,
        parse=parse_snapshot_2014,
        description=(
            "ForeignAssistance.gov as of 2014: US dollars (amount_usd) by agency, country or operating unit, "
            "US category and sector, FY2009-2013; transaction type not stated, only agencies reporting then."
        ),
        country=CountryKey("name", "country", "fiscal_year"),
        unique=("fiscal_year", "agency", "country", "us_sector"),
    ),
)
