"""State Department Congressional Budget Justification: foreign-operations assistance by account and country.

The CBJ's summary tables ("account by country", FY2008-FY2017) in thousands of U.S. dollars, as compiled
into one long table from the budget documents (the State Department publishes them only inside the CBJ PDFs).
FY2008-FY2015 figures are allocations (each CBJ reports enacted or actual levels for past years); the FY2016
and FY2017 tables are the President's request. ``value_type`` says which.

Country names stay exactly as printed, including regional, bureau and "TOTAL" rows and the fragments of
names the PDF tables wrapped over two lines (e.g. "Development", "Partnerships"): a crosswalk, not this
adapter, decides which rows are countries. In FY2008 seven names occur twice in the same table (e.g. "Asia
Middle East Regional" listed in two sections); ``occurrence`` (1, 2) keeps both rows. The accounts "Total"
and "Total without GHCS-State" are sums of the other accounts, flagged by ``is_total``.
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

FILENAME = "state_cbj_account_by_country_fy2008_2017.csv"
TOTAL_ACCOUNTS = frozenset({"Total", "Total without GHCS-State"})
FIRST_REQUEST_YEAR = 2016

_CITATION = """@techreport{state2016cbj,
  author      = {{U.S. Department of State}},
  title       = {Congressional Budget Justification: Department of State, Foreign Operations, and Related
                 Programs, Fiscal Years 2010--2017, Summary Tables: Account by Country},
  institution = {U.S. Department of State},
  address     = {Washington, DC},
  year        = {2016},
  note        = {Compiled into one table by the CSIS Defense-Industrial Initiatives Group
                 (github.com/CSISdefense/ForeignAssistance, commit d698c4f)},
  url         = {https://www.state.gov/plans-performance-budget/international-affairs-budgets/}
}"""

SOURCE = SourceSpec(
    name="us_cbj",
    folder="us_military_training",
    title="Congressional Budget Justification, Foreign Operations: account by country",
    publisher="U.S. Department of State",
    version="CBJ summary tables FY2008-FY2017 (FY2016-17 requests), CSIS compilation of 2016-04-06",
    files=(
        RemoteFile(
            FILENAME,
            "https://www.state.gov/plans-performance-budget/international-affairs-budgets/",
            "fd324df2eb4fec229ab7e5e07ffd792f59b0dede42d1083a094a507bd735a3b8",
            note=(
                "A compilation, not a State Department file: the CBJ publishes these tables only inside its "
                "PDF volumes (the URL is the State Department's budget page listing them). The CSIS "
                "Defense-Industrial Initiatives Group transcribed the 'account by country' tables "
                "(CSISdefense/ForeignAssistance, commit d698c4f, FA_CSVs/STATE budget by country.08-.17.csv);"
                " the mirror melted them into one long table, harmonised account names (GHCS->GHP, 'All "
                "Accounts'->Total, 'Other*'->Other) and turned '-' into 0. Values were not changed."
            ),
        ),
    ),
    licence="U.S. Government work, public domain (the compilation adds no licence)",
    citation=_CITATION,
    coverage="FY2008-FY2017, about 200 countries, regional programmes and bureaus; $ thousands",
    homepage="https://www.state.gov/plans-performance-budget/international-affairs-budgets/",
)

SCHEMA = pa.DataFrameSchema(
    {
        "country": pa.Column(str, pa.Check.str_length(min_value=1)),
        "fiscal_year": year_column(2008, 2017),
        "account": pa.Column(str, pa.Check.str_length(min_value=1)),
        "occurrence": pa.Column("Int64", pa.Check.in_range(1, 9)),
        "amount_thousands_usd": pa.Column("float64", nullable=True),
        "value_type": pa.Column(str, pa.Check.isin(["allocation", "request"])),
        "is_total": pa.Column(bool),
    },
    strict=True,
)


def parse_accounts(path: Path) -> pd.DataFrame:
    """One row per CBJ table cell: country (as printed), fiscal year, account, $ thousands.

    Empty cells (mostly wrapped name fragments and rows a year's table left blank) stay as missing amounts.
    """
    raw = read_text_table(path, required=["country", "fiscal_year", "account", "amount_thousands_usd"])
    frame = numeric(raw, ["fiscal_year"], path.name, integer=True)
    frame = numeric(frame, ["amount_thousands_usd"], path.name)
    frame = frame[["country", "fiscal_year", "account", "amount_thousands_usd"]].copy()
    # A name printed twice in one year's table is two table rows; number them in file order.
    frame["occurrence"] = (frame.groupby(["country", "fiscal_year", "account"], dropna=False).cumcount() + 1
                           ).astype("Int64")
    is_request = frame["fiscal_year"] >= FIRST_REQUEST_YEAR
    frame["value_type"] = is_request.map({True: "request", False: "allocation"}).astype(object)
    frame["is_total"] = frame["account"].isin(TOTAL_ACCOUNTS).astype(bool)
    frame = frame[["country", "fiscal_year", "account", "occurrence", "amount_thousands_usd", "value_type",
                   "is_total"]]
    check_unique(frame, ["country", "fiscal_year", "account", "occurrence"], path.name)
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="us_cbj_accounts",
        expected=Expected(rows=36963),
        source=SOURCE,
        filename=FILENAME,
        parse=parse_accounts,
        description=(
            "State Department CBJ foreign-operations levels by country, fiscal year and account (IMET, FMF, "
            "PKO, INCLE, NADR, ESF, DA, GHP, ...), in thousands of US dollars (amount_thousands_usd). "
            "value_type: 'allocation' FY2008-2015, 'request' (President's request) FY2016-2017. is_total "
            "marks the Total accounts. Countries as printed, with regional, bureau and TOTAL rows."
        ),
        country=CountryKey("name", "country", "fiscal_year"),
        unique=("country", "fiscal_year", "account", "occurrence"),
    ),
)
