"""Worldwide Governance Indicators (WGI), 2024 update (data 1996-2023), from the World Bank's workbook.

Six indicators (va voice and accountability, pv political stability and absence of violence/terrorism, ge
government effectiveness, rq regulatory quality, rl rule of law, cc control of corruption), each with the
estimate (standard normal units, about -2.5 to 2.5), its standard error, the number of sources and the
percentile rank (0-100) with its 90% interval. ".." marks no data. Economies carry the WGI's own
three-letter codes: ISO 3166 alpha-3 except six old World Bank codes that country mapping must override:
ADO Andorra, ZAR Congo Dem. Rep., KSV Kosovo, ROM Romania, TMP Timor-Leste, WBG West Bank and Gaza.
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
    require_columns,
    validate,
    year_column,
)

_CITATION = """@misc{kaufmann2024wgi,
  author       = {Kaufmann, Daniel and Kraay, Aart},
  title        = {Worldwide Governance Indicators, 2024 Update},
  year         = {2024},
  publisher    = {World Bank},
  howpublished = {\\url{https://www.govindicators.org}}
}"""

FILENAME = "wgidataset.xlsx"
# The WGI's old World Bank codes and the ISO 3166 alpha-3 codes they stand for.
NON_ISO_CODES = {
    "ADO": "AND", "ZAR": "COD", "KSV": "XKX", "ROM": "ROU", "TMP": "TLS", "WBG": "PSE",
}

SOURCE = SourceSpec(
    name="wgi",
    folder="wgi",
    title="Worldwide Governance Indicators",
    publisher="World Bank (Daniel Kaufmann and Aart Kraay)",
    version="2024 update (data 1996-2023)",
    files=(
        RemoteFile(
            FILENAME,
            "https://www.worldbank.org/content/dam/sites/govindicators/doc/wgidataset.xlsx",
            "df332a76c7da5e1c210950689acd23cc1d1ad07d4f53a7641fdc3c8d52abd922",
            note="The World Bank serves the latest update under this fixed URL; the sha256 pins the 2024 "
            "update (one long sheet). Later updates may change layout and need the new-version switch.",
        ),
    ),
    licence="CC BY 4.0 (World Bank open data); the underlying source data have their own terms",
    citation=_CITATION,
    coverage="214 economies, 1996, 1998, 2000 and yearly 2002-2023, six indicators",
    homepage="https://www.worldbank.org/en/publication/worldwide-governance-indicators",
)

INDICATORS = ("va", "pv", "ge", "rq", "rl", "cc")
COLUMNS = [
    "code", "countryname", "year", "indicator", "estimate", "stddev", "nsource", "pctrank", "pctranklower",
    "pctrankupper",
]
_PERCENT = pa.Column(float, pa.Check.in_range(0, 100), nullable=True)

SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
        "countryname": pa.Column(str),
        "year": year_column(1996, 2100),
        "indicator": pa.Column(str, pa.Check.isin(list(INDICATORS))),
        "estimate": pa.Column(float, pa.Check.in_range(-5, 5), nullable=True),
        "stddev": pa.Column(float, pa.Check.ge(0), nullable=True),
        "nsource": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "pctrank": _PERCENT,
        "pctranklower": _PERCENT,
        "pctrankupper": _PERCENT,
    },
    strict=True,
)


def parse_indicators(path: Path) -> pd.DataFrame:
    """One row per economy, year and indicator (long), as in the publisher's sheet."""
    try:
        sheet = pd.read_excel(path, sheet_name=0, header=None, dtype=object, engine="calamine")
    except Exception as exc:
        raise SourceFileError(
            path.name, f"not readable as an xlsx workbook ({type(exc).__name__}: {exc})",
            fix="download the WGI workbook again",
        ) from None
    if sheet.empty:
        raise SourceFileError(path.name, "the sheet is empty", fix="download the WGI workbook again")
    frame = sheet.iloc[1:].copy()
    frame.columns = [str(c).strip() for c in sheet.iloc[0]]
    require_columns(frame, COLUMNS, path.name)
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="source_row")
    frame = frame[COLUMNS]
    for text in ("code", "countryname", "indicator"):
        frame[text] = frame[text].map(lambda v: v.strip() if isinstance(v, str) else v)
    frame = numeric(frame, ["year", "nsource"], path.name, integer=True, missing=("", "..", "nan"))
    frame = numeric(
        frame, ["estimate", "stddev", "pctrank", "pctranklower", "pctrankupper"], path.name,
        missing=("", "..", "nan"),
    )
    check_unique(frame, ["code", "year", "indicator"], path.name)
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="wgi",
        expected=Expected(rows=32100, first_year=1996, last_year=2023),
        source=SOURCE,
        filename=FILENAME,
        parse=parse_indicators,
        description="Worldwide Governance Indicators per economy-year-indicator (va, pv, ge, rq, rl, cc): "
        "estimate in standard normal units (about -2.5 to 2.5, higher = better governance), stddev its "
        "standard error, nsource the number of data sources, pctrank the percentile rank among economies "
        "(0-100) with pctranklower/pctrankupper its 90% confidence bounds",
        country=CountryKey("iso3", "code"),
        unique=("code", "year", "indicator"),
    ),
)
