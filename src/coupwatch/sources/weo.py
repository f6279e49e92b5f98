"""IMF World Economic Outlook, April 2022 (fiscal, GDP, prices, population), and the Global Macro Database's
government-revenue series (Mali rows).

The IMF publishes the WEO "By Countries" file as tab-delimited UTF-16 text named ``.xls``; the mirror holds
the same table saved as a real ``.xlsx`` workbook. The parser reads both. Values in the text file carry
thousands separators ("2,173.300"); "n/a" and "--" are missing. Each row is an economy (IMF WEO code and
ISO-like code: Kosovo is UVK, West Bank and Gaza WBG) and a subject; years run 1980-2027, and values for
years after "Estimates Start After" are IMF staff estimates or projections.
"""

from __future__ import annotations

import io
import re
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

_WEO_CITATION = """@misc{imf2022weo,
  author       = {{International Monetary Fund}},
  title        = {World Economic Outlook Database, April 2022},
  year         = {2022},
  month        = apr,
  publisher    = {International Monetary Fund},
  howpublished = {\\url{https://www.imf.org/en/Publications/WEO/weo-database/2022/April}}
}"""

_GMD_CITATION = """@techreport{muller2025global,
  author      = {M{\\"u}ller, Karsten and Xu, Chenzi and Lehbib, Mohamed and Chen, Ziliang},
  title       = {The Global Macro Database: A New International Macroeconomic Dataset},
  institution = {National University of Singapore},
  year        = {2025},
  url         = {https://www.globalmacrodata.com}
}"""

WEO_FILENAME = "WEOApr2022all.xlsx"
GMD_FILENAME = "gmd_govrev_GDP_2025_06_MALI_rows.csv"

WEO_SOURCE = SourceSpec(
    name="imf_weo_2022_04",
    folder="revenue",
    title="World Economic Outlook Database (by countries)",
    publisher="International Monetary Fund",
    version="April 2022",
    files=(
        RemoteFile(
            WEO_FILENAME,
            "https://www.imf.org/-/media/Files/Publications/WEO/WEO-Database/2022/WEOApr2022all.ashx",
            "a44a55b0ee3ff034a8f25ba833cd32f683fa2f57dd3b3241e83cbfb5e95105ae",
            note="The IMF serves the 'By Countries' file as tab-delimited UTF-16 text (saved as "
            "WEOApr2022all.xls); the mirror holds the same table saved as an xlsx workbook. The parser reads "
            "both; the sha256 pins the mirror's xlsx.",
        ),
    ),
    licence="IMF copyright and usage terms (https://www.imf.org/external/terms.htm): free use with "
    "attribution",
    citation=_WEO_CITATION,
    coverage="1980-2027 (projections from 2022 or earlier), 196 economies",
    homepage="https://www.imf.org/en/Publications/WEO/weo-database/2022/April",
)

GMD_SOURCE = SourceSpec(
    name="gmd_govrev_2025_06",
    folder="revenue",
    title="Global Macro Database: government revenue (% of GDP)",
    publisher="Karsten Müller, Chenzi Xu, Mohamed Lehbib and Ziliang Chen (Global Macro Database)",
    version="2025_06",
    files=(
        RemoteFile(
            GMD_FILENAME,
            "https://raw.githubusercontent.com/KMueller-Lab/Global-Macro-Database/"
            "e9c972cde066219ed3d45c636e48808683b50b6a/data/distribute/govrev_GDP_2025_06.csv",
            "55553e708d0ac641592fa1b44de49abe5da570029e77bbb6f347877e1c0ad18c",
            note="The mirror holds only the Mali rows (with the header) of the publisher's all-country "
            "govrev_GDP_2025_06.csv from the publisher's own repository; the parser reads the full file the "
            "same way.",
        ),
    ),
    licence="Global Macro Database terms (https://www.globalmacrodata.com): open for research with "
    "citation; check before redistribution",
    citation=_GMD_CITATION,
    coverage="Mali 2002-2029 in the mirror (the full file covers all countries)",
    homepage="https://www.globalmacrodata.com",
)

SUBJECTS = (
    "GGR", "GGR_NGDP", "GGX", "GGX_NGDP", "GGXCNL_NGDP", "NGDP", "NGDPD", "LP", "PPPEX", "NGDPDPC",
    "NGDP_RPCH", "PCPIPCH",
)
_WEO_KEYS = [
    "WEO Country Code", "ISO", "WEO Subject Code", "Country", "Units", "Scale", "Estimates Start After",
]
_MISSING = ("", "n/a", "--", "nan", "NaN")
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")

WEO_SCHEMA = pa.DataFrameSchema(
    {
        "weo_country_code": pa.Column("Int64", pa.Check.in_range(1, 999)),
        "iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
        "country": pa.Column(str),
        "subject_code": pa.Column(str, pa.Check.isin(list(SUBJECTS))),
        "units": pa.Column(str),
        "scale": pa.Column(str, nullable=True),
        "year": year_column(1980, 2100),
        "value": pa.Column(float),
        "estimates_start_after": pa.Column("Int64", pa.Check.in_range(1980, 2100), nullable=True),
        "is_projection": pa.Column("boolean", nullable=True),
    },
    strict=True,
)


def _read_weo_sheet(path: Path) -> pd.DataFrame:
    """The WEO table as text cells with the header applied, indexed by the row number in the file."""
    raw = path.read_bytes()
    if raw[:2] == b"PK":
        try:
            sheet = pd.read_excel(io.BytesIO(raw), sheet_name=0, header=None, dtype=object, engine="calamine")
        except Exception as exc:
            raise SourceFileError(
                path.name, f"not readable as an xlsx workbook ({type(exc).__name__}: {exc})",
                fix="download the WEO file again",
            ) from None
        if sheet.empty:
            raise SourceFileError(path.name, "the sheet is empty", fix="download the WEO file again")
        frame = sheet.iloc[1:].copy()
        frame.columns = [str(c).strip() for c in sheet.iloc[0]]
        frame.index = pd.RangeIndex(2, 2 + len(frame), name="source_row")
        return frame
    # The IMF's own download: tab-delimited text, UTF-16 in April 2022, Latin-1 in some other vintages.
    encoding = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "latin-1"
    # Its last line is the IMF's source note, not a row: the release's row count and years show it is whole.
    return read_text_table(path, required=_WEO_KEYS, sep="\t", encoding=encoding, na_values=(),
                           last_row_complete=False)


def _cell_text(value: object) -> object:
    if isinstance(value, str):
        text = value.strip()
        return text.replace(",", "") if _THOUSANDS.match(text) else text
    return value


def parse_weo(path: Path) -> pd.DataFrame:
    """One row per economy, subject and year with a value (publisher's units and scale)."""
    frame = _read_weo_sheet(path)
    frame.columns = [str(int(float(c))) if re.fullmatch(r"\d{4}(\.0)?", str(c)) else c for c in frame.columns]
    require_columns(frame, _WEO_KEYS, path.name)
    years = [c for c in frame.columns if re.fullmatch(r"\d{4}", c)]
    if not years:
        raise SourceFileError(path.name, "no year columns in the header", fix="download the WEO file again")
    subject = frame["WEO Subject Code"].map(lambda v: v.strip() if isinstance(v, str) else v)
    frame = frame[subject.isin(SUBJECTS)].copy()
    frame["WEO Subject Code"] = subject[subject.isin(SUBJECTS)]
    check_unique(frame, ["ISO", "WEO Subject Code"], path.name)
    frame[years] = frame[years].map(_cell_text)
    frame = numeric(frame, years, path.name, missing=_MISSING)
    frame = numeric(
        frame, ["WEO Country Code", "Estimates Start After"], path.name, integer=True, missing=_MISSING
    )
    long = frame.melt(
        id_vars=_WEO_KEYS, value_vars=years, var_name="year", value_name="value", ignore_index=False
    )
    long = long[long["value"].notna()].sort_index(kind="stable")
    long = long.rename(
        columns={
            "WEO Country Code": "weo_country_code", "ISO": "iso3", "WEO Subject Code": "subject_code",
            "Country": "country", "Units": "units", "Scale": "scale",
            "Estimates Start After": "estimates_start_after",
        }
    )
    for column in ("iso3", "subject_code", "country", "units", "scale"):
        long[column] = long[column].map(lambda v: v.strip() if isinstance(v, str) else None).astype(object)
    long["year"] = long["year"].astype(int).astype("Int64")
    long["is_projection"] = (long["year"] > long["estimates_start_after"]).astype("boolean")
    long = long[
        [
            "weo_country_code", "iso3", "country", "subject_code", "units", "scale", "year", "value",
            "estimates_start_after", "is_projection",
        ]
    ]
    return validate(long, WEO_SCHEMA, path.name)


GMD_SOURCES = (
    "ADB", "AFDB", "AFRISTAT", "AHSTAT", "AMF", "BCEAO", "CEPAC", "EUS", "FZ", "IMF_FPP", "IMF_WEO",
    "IMF_WEO_forecast", "JST", "MD", "Mitchell", "NBS", "OECD_EO", "WDI", "CS2", "CS1",
)
_GMD_KEYS = ["ISO3", "countryname", "year", "govrev_GDP"]

GMD_SCHEMA = pa.DataFrameSchema(
    {
        "iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
        "countryname": pa.Column(str),
        "year": year_column(1000, 2100),
        "govrev_GDP": pa.Column(float, nullable=True),
        **{source: pa.Column(float, nullable=True) for source in GMD_SOURCES},
        "chainlinking_ratio": pa.Column(float, nullable=True),
        "source": pa.Column(str, nullable=True),
        "source_change": pa.Column(str, nullable=True),
    },
    strict=True,
)


def parse_gmd_govrev(path: Path) -> pd.DataFrame:
    """One row per country-year: GMD's spliced revenue share (% of GDP) and each source's value."""
    raw = read_text_table(path, required=[*_GMD_KEYS, *GMD_SOURCES, "chainlinking_ratio", "source"])
    if "source_change" not in raw.columns:
        raw["source_change"] = None
    frame = numeric(raw, ["year"], path.name, integer=True)
    frame = numeric(frame, ["govrev_GDP", *GMD_SOURCES, "chainlinking_ratio"], path.name)
    frame = frame.rename(columns={"ISO3": "iso3"})
    frame = frame[
        ["iso3", "countryname", "year", "govrev_GDP", *GMD_SOURCES, "chainlinking_ratio", "source",
         "source_change"]
    ]
    for column in ("source", "source_change"):
        frame[column] = frame[column].where(frame[column].notna(), None).astype(object)
    check_unique(frame, ["iso3", "year"], path.name)
    return validate(frame, GMD_SCHEMA, path.name)


TABLES = (
    Table(
        name="weo",
        expected=Expected(rows=94548, first_year=1980, last_year=2027),
        source=WEO_SOURCE,
        filename=WEO_FILENAME,
        parse=parse_weo,
        description="IMF WEO April 2022, long: one row per economy, subject and year. Subjects: GGR/GGX "
        "general government revenue (incl. grants)/expenditure, national currency bn; GGR_NGDP, GGX_NGDP, "
        "GGXCNL_NGDP (net lending/borrowing) % of GDP; NGDP national currency bn; NGDPD current US$ bn; "
        "NGDPDPC current US$ per person; LP population, millions; PPPEX national currency per "
        "international $; NGDP_RPCH real GDP growth %; PCPIPCH CPI inflation % (annual average). "
        "is_projection = year after estimates_start_after (IMF staff estimate or projection)",
        country=CountryKey("iso3", "iso3"),
        unique=("iso3", "subject_code", "year"),
    ),
    Table(
        name="gmd_govrev",
        expected=Expected(rows=28, first_year=2002, last_year=2029),
        source=GMD_SOURCE,
        filename=GMD_FILENAME,
        parse=parse_gmd_govrev,
        description="Global Macro Database general/central government revenue, % of GDP: govrev_GDP is "
        "GMD's spliced series (source names the chosen source); the other columns are each source's "
        "value (IMF_WEO and AFRISTAT general government incl. grants, WDI central government excl. "
        "grants, BCEAO central-bank fiscal table)",
        country=CountryKey("iso3", "iso3"),
        unique=("iso3", "year"),
    ),
)
