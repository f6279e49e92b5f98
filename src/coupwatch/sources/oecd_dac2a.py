"""OECD DAC Table 2a: net official development assistance from every donor to every recipient, 2002-2019.

Total ODA (all sectors), net disbursements, US$ million at current prices, one row per recipient, donor and
year. Donor rows include the OECD's aggregates ("Official Donors, Total", "DAC Countries, Total", ...),
flagged by ``donor_is_aggregate``: sum only the others, or take "Official Donors, Total". Recipients are
countries and, for core contributions, multilateral institutions (``recipient_type``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from coupwatch.errors import SourceFileError
from coupwatch.sources.base import (
    CountryKey,
    RemoteFile,
    SourceSpec,
    Table,
    check_unique,
    numeric,
    read_text_table,
    row_number,
    validate,
    year_column,
)

_CITATION = """@misc{oecd2021dac2a,
  author       = {{OECD Development Assistance Committee}},
  title        = {{DAC} Table 2a: Destination of Official Development Assistance -- Disbursements},
  year         = {2021},
  note         = {QWIDS extraction, net ODA, all sectors, current US\\$ million, 2002--2019; via Deutsche
                  Welle dw-data/ODA (commit 11d65bc)},
  howpublished = {\\url{https://data-explorer.oecd.org/?df[id]=DSD_DAC2@DF_DAC2A}}
}"""

FILENAME = "oecd_dac2a_oda_disbursements_recipient_donor_2002_2019.csv"
OFFICIAL_TOTAL = "Official Donors, Total"

SOURCE = SourceSpec(
    name="oecd_dac2a",
    folder="oecd_dac2a_oda",
    title="OECD DAC Table 2a, net ODA disbursements by donor and recipient",
    publisher="OECD Development Assistance Committee",
    version="QWIDS vintage late 2021, 2002-2019 (via dw-data/ODA commit 11d65bc6)",
    files=(
        RemoteFile(
            FILENAME,
            "https://data-explorer.oecd.org/?df[id]=DSD_DAC2@DF_DAC2A",
            "aebdd665629a18b73e4ea74ec9a5432c0e7790864f709c74784bc8071bd32eb6",
            note="The OECD serves Table 2a through its Data Explorer (dataflow DSD_DAC2@DF_DAC2A; formerly QWIDS "
            "'2a Disbursements'). The mirror holds the long form of the 18 yearly QWIDS exports kept by Deutsche "
            "Welle (github.com/dw-data/ODA, data/ODA-yearly/ODA-<year>-DAC2a.csv): one row per recipient, donor "
            "and year, region and income-group rows left out, values unchanged.",
        ),
    ),
    licence="OECD terms and conditions (https://www.oecd.org/termsandconditions): reuse with attribution; the "
    "dw-data repository states no licence. Total ODA of all sectors, net of repayments, current prices: it "
    "cannot be split into security and governance, military aid is not ODA, and non-DAC donors (China, "
    "Russia, Turkiye before reporting) are absent or partial; later OECD revisions are not included",
    citation=_CITATION,
    coverage="2002-2019, 158 recipient countries and territories and 29 multilateral recipients, 147 donor "
    "labels (aggregates flagged)",
    homepage="https://www.oecd.org/en/topics/sub-issues/oda-eligibility-and-conditions/dac-list-of-oda-recipients.html",
)

RECIPIENT_TYPES = ("country", "multilateral")

SCHEMA = pa.DataFrameSchema(
    {
        "recipient": pa.Column(str),
        "recipient_type": pa.Column(str, pa.Check.isin(list(RECIPIENT_TYPES))),
        "donor": pa.Column(str),
        "donor_is_aggregate": pa.Column(bool),
        "year": year_column(1960, 2100),
        "oda_usd_m": pa.Column(float),
    },
    strict=True,
)


def parse_dac2a(path: Path) -> pd.DataFrame:
    """One row per recipient, donor and year: net ODA in US$ million (current prices)."""
    columns = ["recipient", "recipient_type", "donor", "donor_is_aggregate", "year", "oda_usd_m_current"]
    raw = read_text_table(path, required=columns)
    frame = numeric(raw[columns], ["year", "donor_is_aggregate"], path.name, integer=True)
    frame = numeric(frame, ["oda_usd_m_current"], path.name)
    frame = frame.rename(columns={"oda_usd_m_current": "oda_usd_m"})
    flag = frame["donor_is_aggregate"]
    bad = flag.isna() | ~flag.isin([0, 1])
    if bad.any():
        first = bad.idxmax()
        raise SourceFileError(
            path.name, "expected 0 or 1", row=row_number(first), field="donor_is_aggregate",
            value=raw.at[first, "donor_is_aggregate"], fix="correct that cell",
        )
    frame["donor_is_aggregate"] = flag.astype(bool)
    for column in ("recipient", "recipient_type", "donor"):
        frame[column] = frame[column].astype("string").str.strip().astype(object)
    check_unique(frame, ["recipient", "donor", "year"], path.name)
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="oda_dac2a",
        source=SOURCE,
        filename=FILENAME,
        parse=parse_dac2a,
        description="Net ODA disbursements (all sectors), US$ million at current prices, per recipient, donor "
        "and year, 2002-2019 (OECD DAC Table 2a). donor_is_aggregate marks OECD totals such as 'Official "
        "Donors, Total' (Mali 2019: 1,815.8); recipient_type is country or multilateral (core contributions "
        "to IDA, EDF, UNDP, ...). Negative values are net repayments",
        country=CountryKey("name", "recipient"),
        unique=("recipient", "donor", "year"),
    ),
)
