"""USAID Greenbook (U.S. Overseas Loans and Grants): obligations by country, programme line and account.

One row per fiscal year x country x assistance category x programme line ("Publication Row") x funding
agency x funding account, in current and constant 2020 U.S. dollars. The Greenbook files NADR (anti-terrorism,
demining) and INCLE ("Narcotics Control") under Economic, not Military; the assistance classification
(``coupwatch/data/assistance_classification.csv``) decides what counts as security assistance.

The sheet codes the 1976 Transition Quarter (July-September 1976, when the fiscal year moved from July-June
to October-September) as fiscal year 1976.9; it becomes ``fiscal_year`` 1976 with ``transition_quarter``
True, so the two 1976 blocks stay distinct rows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from python_calamine import CalamineWorkbook

from coupwatch.errors import SourceFileError
from coupwatch.sources.base import (
    CountryKey,
    Expected,
    RemoteFile,
    SourceSpec,
    Table,
    check_unique,
    numeric,
    require_columns,
    validate,
    year_column,
)

SHEET = "Economic and Military Aid"

_CITATION = """@techreport{usaid2022greenbook,
  author      = {{U.S. Agency for International Development}},
  title       = {U.S. Overseas Loans and Grants (Greenbook): Obligations, Fiscal Years 1946--2020},
  institution = {USAID Data Services},
  type        = {Report to Congress under Section 634 of the Foreign Assistance Act},
  year        = {2022},
  month       = aug,
  note        = {Prepared August 9, 2022; dataset 7cnw-pw8v},
  url         = {https://catalog.data.gov/dataset/u-s-overseas-loans-and-grants-greenbook-data}
}"""

SOURCE = SourceSpec(
    name="greenbook",
    folder="greenbook",
    title="U.S. Overseas Loans and Grants (Greenbook), economic and military assistance obligations",
    publisher="U.S. Agency for International Development (USAID Data Services)",
    version="FY1946-2020, prepared 2022-08-09",
    files=(
        RemoteFile(
            "us_foreignaid_greenbook_1946_2020.xlsx",
            "https://data.usaid.gov/d/7cnw-pw8v",
            "3dba11a5eda8210b8ea3ac587f2c4175eb1b25cb5d22516c1da319d3b72976fd",
            note=(
                "The publisher's own workbook. USAID took data.usaid.gov offline on 31 January 2025, so the "
                "official URL no longer answers; the catalog entry remains at "
                "https://catalog.data.gov/dataset/u-s-overseas-loans-and-grants-greenbook-data. The mirror "
                "copy was preserved in the andrewheiss/foreignassistance repository (commit 153a899)."
            ),
        ),
    ),
    licence="U.S. Government work, public domain",
    citation=_CITATION,
    coverage="FY1946-2020 (plus the 1976 Transition Quarter), about 200 countries and regional rows; "
    "obligations only",
    homepage="https://catalog.data.gov/dataset/u-s-overseas-loans-and-grants-greenbook-data",
)

# Publisher's header (row 7 of the sheet) -> our column names.
_COLUMNS = {
    "Fiscal Year": "fiscal_year",
    "Region": "region",
    "Country": "country",
    "Assistance Category": "assistance_category",
    "Publication Row": "publication_row",
    "Funding Agency": "funding_agency",
    "Funding Account Name": "funding_account",
    "Obligations (Historical Dollars)": "obligations_current_usd",
    "Obligations (Constant Dollars)": "obligations_constant2020_usd",
}
_TEXT = ["region", "country", "assistance_category", "publication_row", "funding_agency", "funding_account"]
_KEY = ["fiscal_year", "transition_quarter", "country", "assistance_category", "publication_row",
        "funding_agency", "funding_account"]

SCHEMA = pa.DataFrameSchema(
    {
        "fiscal_year": year_column(1946, 2100),
        "transition_quarter": pa.Column(bool),
        "region": pa.Column(str),
        "country": pa.Column(str),
        "assistance_category": pa.Column(str, pa.Check.isin(["Economic", "Military"])),
        "publication_row": pa.Column(str),
        "funding_agency": pa.Column(str),
        "funding_account": pa.Column(str),
        "obligations_current_usd": pa.Column("Int64"),
        "obligations_constant2020_usd": pa.Column("Int64"),
    },
    strict=True,
)


def _header_row(raw: pd.DataFrame, file: str) -> int:
    first = raw.iloc[:40, 0].astype("string").str.strip()
    hits = first.index[first == "Fiscal Year"]
    if len(hits) == 0:
        raise SourceFileError(
            file,
            f"no header row starting with 'Fiscal Year' in the first 40 rows of sheet {SHEET!r}",
            fix="this is not the Greenbook 'Economic and Military Aid' workbook; download it again",
        )
    return int(hits[0])


def _fiscal_year(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    out = numeric(frame, ["fiscal_year"], file)
    year = out["fiscal_year"]
    whole = np.floor(year)
    fraction = (year - whole).round(6)
    # The Greenbook's only fractional year is 1976.9, the Transition Quarter.
    transition = (whole == 1976) & (fraction == 0.9)
    bad = year.notna() & (fraction != 0) & ~transition
    if bad.any():
        first = bad.idxmax()
        raise SourceFileError(
            file,
            "expected a whole fiscal year (or 1976.9 for the Transition Quarter)",
            row=int(first),
            field="Fiscal Year",
            value=frame.loc[first, "fiscal_year"],
            fix="correct that cell, or download the publisher's workbook again",
        )
    out["fiscal_year"] = whole.astype("Int64")
    out["transition_quarter"] = transition.astype(bool)
    return out


def parse_obligations(path: Path) -> pd.DataFrame:
    """Greenbook obligations, one row per year x country x category x programme line x agency x account.

    Indexed by the sheet row number as Excel shows it.
    """
    # python-calamine directly: a third faster than pd.read_excel, which converts cell by cell in Python.
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        cells = workbook.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for missing sheets and broken zips
        raise SourceFileError(
            path.name,
            f"cannot read sheet {SHEET!r} ({type(exc).__name__}: {exc})",
            fix="download the publisher's Greenbook workbook again",
        ) from None
    raw = pd.DataFrame(cells, dtype=object).replace("", np.nan)
    # skip_empty_area=False starts at cell A1, so position + 1 = the sheet row Excel shows.
    raw.index = pd.RangeIndex(1, len(raw) + 1, name="source_row")
    header = _header_row(raw, path.name)
    names = [str(v).strip() if pd.notna(v) else f"unnamed_{i}" for i, v in enumerate(raw.loc[header])]
    body = raw.loc[header + 1 :].copy()
    body.columns = names
    require_columns(body, list(_COLUMNS), path.name)
    body = body[list(_COLUMNS)].rename(columns=_COLUMNS)
    body = body[body.notna().any(axis=1)]
    for column in _TEXT:
        body[column] = body[column].astype("string").str.strip().astype(object)
    frame = _fiscal_year(body, path.name)
    frame = numeric(frame, ["obligations_current_usd", "obligations_constant2020_usd"], path.name,
                    integer=True)
    frame = frame[["fiscal_year", "transition_quarter", *_TEXT,
                   "obligations_current_usd", "obligations_constant2020_usd"]]
    check_unique(frame, _KEY, path.name)
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="greenbook_obligations",
        expected=Expected(rows=75002),
        source=SOURCE,
        filename="us_foreignaid_greenbook_1946_2020.xlsx",
        parse=parse_obligations,
        description=(
            "U.S. economic and military assistance obligations by fiscal year, country, programme line "
            "(publication_row), funding agency and account; US dollars, current (obligations_current_usd) "
            "and constant 2020 (obligations_constant2020_usd). transition_quarter marks Jul-Sep 1976. "
            "Country names include regional rows such as 'World (not specified)'."
        ),
        country=CountryKey("name", "country", "fiscal_year"),
        unique=tuple(_KEY),
    ),
)
