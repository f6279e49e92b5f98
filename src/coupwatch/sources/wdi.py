"""World Development Indicators: a long extract of ten series (growth, inflation, resource rents, aid,
military spending, armed forces, arms imports).

The mirror holds a long extract (one row per economy, indicator and year, empty cells dropped) melted from
the World Bank's per-indicator downloads of 2021-2022. The parser also reads the World Bank's own layouts,
so a user with internet gets the same table: the per-indicator file ``API_<code>_DS2_en_csv_v2_*.csv``
(four preamble lines, then one row per economy with years as columns) and the bulk ``WDICSV.csv`` (same
columns, no preamble; only the extract's ten indicators are kept), plain or inside the World Bank's zip.
Economies carry World Bank codes (ISO 3166 alpha-3 plus XKX Kosovo and CHI Channel Islands); rows for the
World Bank's aggregates (``AGGREGATES``: WLD, SSF, income groups ...) are kept and left to the mapping.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
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
    require_rows,
    validate,
    year_column,
)

_CITATION = """@misc{worldbank2022wdi,
  author       = {{World Bank}},
  title        = {World Development Indicators},
  year         = {2022},
  publisher    = {The World Bank},
  howpublished = {\\url{https://datacatalog.worldbank.org/search/dataset/0037712}},
  note         = {Series NY.GDP.PCAP.KD, NY.GDP.PCAP.KD.ZG, FP.CPI.TOTL.ZG, NY.GDP.TOTL.RT.ZS,
                  DT.ODA.ODAT.GN.ZS, MS.MIL.XPND.GD.ZS, MS.MIL.XPND.ZS, MS.MIL.TOTL.P1, MS.MIL.TOTL.TF.ZS,
                  MS.MIL.MPRT.KD; versions last updated 2021-12-16 to 2022-05-25}
}"""

FILENAME = "wdi_extract_long.csv"

INDICATORS = (
    "NY.GDP.PCAP.KD", "NY.GDP.PCAP.KD.ZG", "FP.CPI.TOTL.ZG", "NY.GDP.TOTL.RT.ZS", "DT.ODA.ODAT.GN.ZS",
    "MS.MIL.XPND.GD.ZS", "MS.MIL.XPND.ZS", "MS.MIL.TOTL.P1", "MS.MIL.TOTL.TF.ZS", "MS.MIL.MPRT.KD",
)

# World Bank regional, income and lending aggregates present in the extract (not countries).
AGGREGATES = (
    "AFE", "AFW", "ARB", "CEB", "CSS", "EAP", "EAR", "EAS", "ECA", "ECS", "EMU", "EUU", "FCS", "HIC", "HPC",
    "IBD", "IBT", "IDA", "IDB", "IDX", "LAC", "LCN", "LDC", "LIC", "LMC", "LMY", "LTE", "MEA", "MIC", "MNA",
    "NAC", "OED", "OSS", "PRE", "PSS", "PST", "SAS", "SSA", "SSF", "SST", "TEA", "TEC", "TLA", "TMN", "TSA",
    "TSS", "UMC", "WLD",
)

SOURCE = SourceSpec(
    name="wdi_extract",
    folder="wdi_extract",
    title="World Development Indicators (extract of ten series)",
    publisher="World Bank",
    version="2021-12-16 to 2022-05-25 vintages (per indicator, see wb_last_updated)",
    files=(
        RemoteFile(
            FILENAME,
            "https://databank.worldbank.org/data/download/WDI_CSV.zip",
            "b75fb9bb9d773de4d8a49933fb85fd332f9a424d4a1baa43d61a376256859016",
            note="The mirror holds a long extract melted from World Bank per-indicator downloads "
            "(https://api.worldbank.org/v2/en/indicator/<code>?downloadformat=csv) of 2021-2022, empty "
            "cells dropped; the MS.MIL.* series came from a WDI 'Public Sector' topic table. The URL is the "
            "current WDI bulk download (WDICSV.csv inside), which the parser also reads, as it reads the "
            "per-indicator API_<code>_DS2 files; both are newer vintages with other hashes.",
        ),
    ),
    licence="CC BY 4.0 (World Bank open data); MS.MIL.* series are SIPRI/IISS data under their terms",
    citation=_CITATION,
    coverage="1960-2021 (most series to 2019-2021), 262 economies and aggregates, 10 indicators",
    homepage="https://datacatalog.worldbank.org/search/dataset/0037712",
)

LONG_COLUMNS = [
    "country_name", "iso3", "indicator_name", "indicator_code", "year", "value", "wb_last_updated",
]
_WIDE_KEYS = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
_YEAR = re.compile(r"^\d{4}$")

SCHEMA = pa.DataFrameSchema(
    {
        "country_name": pa.Column(str),
        "iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z0-9]{3}$")),
        "indicator_name": pa.Column(str),
        "indicator_code": pa.Column(str, pa.Check.str_matches(r"^[A-Z0-9_.]+$")),
        "year": year_column(1960, 2100),
        "value": pa.Column(float),
        "wb_last_updated": pa.Column(str, nullable=True),
    },
    strict=True,
)


def _text(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = archive.namelist()
            wanted = [n for n in names if n.endswith("WDICSV.csv")] or [
                n for n in names if Path(n).name.startswith("API_") and n.endswith(".csv")
            ]
            if len(wanted) != 1:
                raise SourceFileError(
                    path.name,
                    f"expected WDICSV.csv or one API_<code>_DS2 CSV inside the zip, found {names}",
                    fix="use the World Bank's WDI bulk download or a per-indicator CSV download",
                )
            raw = archive.read(wanted[0])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFileError(
            path.name, f"not readable as UTF-8 at byte {exc.start}",
            fix="check that this is the World Bank's original file",
        ) from None


def _read(text: str, file: str, header_line: int, required: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""], skiprows=header_line - 1
        )
    except pd.errors.EmptyDataError:
        raise SourceFileError(file, "the file is empty", fix="download it again") from None
    except pd.errors.ParserError as exc:
        raise SourceFileError(
            file, f"the file is malformed or truncated ({exc})", fix="download it again"
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    require_columns(frame, required, file)
    require_rows(frame, file)
    frame.index = pd.RangeIndex(header_line + 1, header_line + 1 + len(frame), name="source_row")
    return frame


def _melt_wide(frame: pd.DataFrame, file: str, last_updated: str | None) -> pd.DataFrame:
    years = [c for c in frame.columns if _YEAR.match(c)]
    if not years:
        raise SourceFileError(file, "no year columns (1960, 1961, ...) in the header", fix="download it again")
    # Checked while wide, so an error names the file's own row (and year column).
    check_unique(frame, ["Country Code", "Indicator Code"], file)
    wide = numeric(frame[[*_WIDE_KEYS, *years]], years, file)
    long = wide.melt(id_vars=_WIDE_KEYS, var_name="year", value_name="value", ignore_index=False)
    long = long[long["value"].notna()]
    long = long.rename(
        columns={
            "Country Name": "country_name", "Country Code": "iso3", "Indicator Name": "indicator_name",
            "Indicator Code": "indicator_code",
        }
    )
    long["wb_last_updated"] = last_updated
    return long.sort_index(kind="stable")[LONG_COLUMNS]


def parse_indicators(path: Path) -> pd.DataFrame:
    """One row per economy, indicator and year with a value (publisher's units, see indicator_name)."""
    text = _text(path)
    first = text.lstrip().split("\n", 1)[0]
    if first.startswith('"Data Source"') or first.startswith("Data Source"):
        # Per-indicator download: Data Source, blank, Last Updated Date, blank, then the header.
        preamble = list(csv.reader(io.StringIO("\n".join(text.splitlines()[:4]))))
        updated = next((r[1].strip() for r in preamble if r and r[0].strip() == "Last Updated Date"), None)
        frame = _melt_wide(_read(text, path.name, 5, _WIDE_KEYS), path.name, updated or None)
    elif "Country Code" in first:
        wide = _read(text, path.name, 1, _WIDE_KEYS)
        wide = wide[wide["Indicator Code"].isin(INDICATORS)]
        frame = _melt_wide(wide, path.name, None)
    else:
        frame = _read(text, path.name, 1, LONG_COLUMNS)[LONG_COLUMNS]
    if frame.index.is_unique:
        frame = numeric(frame, ["year"], path.name, integer=True)
        frame = numeric(frame, ["value"], path.name)
    else:
        frame["year"] = frame["year"].astype(int).astype("Int64")
    for column in ("country_name", "iso3", "indicator_name", "indicator_code"):
        frame[column] = frame[column].astype(str).str.strip().astype(object)
    frame["wb_last_updated"] = frame["wb_last_updated"].astype(object)
    frame["wb_last_updated"] = frame["wb_last_updated"].where(frame["wb_last_updated"].notna(), None)
    if frame.index.is_unique:
        check_unique(frame, ["iso3", "indicator_code", "year"], path.name)
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="wdi",
        expected=Expected(rows=91510, first_year=1960, last_year=2021),
        source=SOURCE,
        filename=FILENAME,
        parse=parse_indicators,
        description="World Development Indicators, long: one row per economy (World Bank code, incl. "
        "aggregates), indicator and year. Units per indicator: NY.GDP.PCAP.KD constant 2015 US$ per "
        "person; *.ZG annual %; NY.GDP.TOTL.RT.ZS and DT.ODA.ODAT.GN.ZS % of GDP/GNI; MS.MIL.XPND.GD.ZS % "
        "of GDP; MS.MIL.XPND.ZS % of government expenditure; MS.MIL.TOTL.P1 persons; MS.MIL.TOTL.TF.ZS % "
        "of labour force; MS.MIL.MPRT.KD SIPRI trend-indicator values",
        country=CountryKey("iso3", "iso3"),
        unique=("iso3", "indicator_code", "year"),
    ),
)
