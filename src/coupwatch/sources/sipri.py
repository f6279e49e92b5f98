"""SIPRI Military Expenditure Database, 2026 release (v1.2, data 1949-2025), from SIPRI's own workbook.

Five sheets give one measure each per country (rows) and year (columns): constant (2024) US$ m, current
US$ m, share of GDP, per capita (current US$) and share of government spending. Countries sit in blocks under
a region heading ("Africa") and, except in the Middle East, a subregion heading ("North Africa"). Cells hold
a number, "..." / ". ." / "…" (data unavailable) or "xxx" (the country did not exist or was not independent).
The font colour carries SIPRI's quality mark: blue (indexed colour 12) = SIPRI estimate, red (indexed 10,
or RGB FF0000 in two sheets) = highly uncertain. Each measure gets a status column: "value", "estimate",
"uncertain", "unavailable" or "not_independent" (missing where the sheet has no cell for that year).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
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
    validate,
    year_column,
)

_CITATION = """@misc{sipri2026milex,
  author       = {{Stockholm International Peace Research Institute}},
  title        = {{SIPRI} Military Expenditure Database},
  year         = {2026},
  note         = {2026 release, data 1949--2025, version 1.2},
  howpublished = {\\url{https://www.sipri.org/databases/milex}}
}"""

FILENAME = "SIPRI-Milex-data-1949-2025_v1.2.xlsx"

SOURCE = SourceSpec(
    name="sipri_milex",
    folder="sipri_milex",
    title="SIPRI Military Expenditure Database",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    version="2026 release (data 1949-2025), v1.2",
    files=(
        RemoteFile(
            FILENAME,
            "https://www.sipri.org/sites/default/files/SIPRI-Milex-data-1949-2025_v1.2.xlsx",
            "6cc3a30b1064f9f02e60236667eef82e08cad42910ce630909d004ad2c398a9d",
        ),
    ),
    licence="SIPRI terms and conditions (https://www.sipri.org/about/terms-and-conditions): free for "
    "non-commercial research with attribution; redistribution of the whole database needs permission",
    citation=_CITATION,
    coverage="1949-2025 (per capita and share of government spending from 1988), 176 countries and "
    "historical entities in 5 regions",
    homepage="https://www.sipri.org/databases/milex",
)

# Sheet name -> output column; the order is the output order.
SHEETS = {
    "Constant (2024) US$": "milex_const2024_usd_m",
    "Current US$": "milex_current_usd_m",
    "Share of GDP": "milex_share_gdp",
    "Per capita": "milex_per_capita_usd",
    "Share of Govt. spending": "milex_share_govt_spending",
}
REGIONS = ("Africa", "Americas", "Asia & Oceania", "Europe", "Middle East")
STATUSES = ("value", "estimate", "uncertain", "unavailable", "not_independent")
_UNAVAILABLE = {"...", ". .", "…", ".."}
_NOT_INDEPENDENT = {"xxx"}
_BLUE = 12
_RED_INDEXED = 10
_RED_RGB = "FFFF0000"


def _status_of_colour(cell: Any) -> str:
    colour = cell.font.color if cell.font is not None else None
    if colour is None:
        return "value"
    if colour.type == "indexed":
        if colour.indexed == _BLUE:
            return "estimate"
        if colour.indexed == _RED_INDEXED:
            return "uncertain"
    elif colour.type == "rgb" and colour.rgb == _RED_RGB:
        return "uncertain"
    return "value"


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _sheet_cells(
    path: Path, sheet: str, rows: Iterator[tuple[Any, ...]]
) -> tuple[list[tuple[str, str, str | None, int, int, float, str]], dict[str, int]]:
    """(country, region, subregion, sheet row, year, value, status) per non-blank data cell, and rows."""
    label = f"{path.name} sheet {sheet!r}"
    years: dict[int, int] | None = None
    notes = 1
    region: str | None = None
    subregion: str | None = None
    out: list[tuple[str, str, str | None, int, int, float, str]] = []
    first_row: dict[str, int] = {}
    for cells in rows:
        if not cells:
            continue
        head = cells[0]
        name = head.value
        if years is None:
            if isinstance(name, str) and name.strip() == "Country":
                years = {
                    i: int(c.value) for i, c in enumerate(cells) if isinstance(c.value, int | float)
                }
                notes_at = [i for i, c in enumerate(cells) if c.value == "Notes"]
                if not years or not notes_at:
                    raise SourceFileError(
                        label, "no year or 'Notes' columns in the 'Country' header row", row=head.row,
                        fix="use SIPRI's original workbook",
                    )
                notes = notes_at[0]
            continue
        if _blank(name):
            continue
        name = str(name).strip()
        data = [(i, cells[i]) for i in years if i < len(cells) and not _blank(cells[i].value)]
        # Heading rows have no Notes cell and no figures; some sheets fill their year cells with "...".
        is_heading = (notes >= len(cells) or cells[notes].value is None) and not any(
            isinstance(c.value, int | float) or str(c.value).strip() in _NOT_INDEPENDENT for _, c in data
        )
        if is_heading:
            if name in REGIONS:
                region, subregion = name, None
            else:
                subregion = name
            continue
        if region is None:
            raise SourceFileError(
                label, "a country row comes before any region heading", row=head.row, field="Country",
                value=name, fix="use SIPRI's original workbook",
            )
        if name in first_row:
            raise SourceFileError(
                label, f"country listed twice (rows {first_row[name]} and {head.row})", row=head.row,
                field="Country", value=name, fix="use SIPRI's original workbook",
            )
        first_row[name] = head.row
        for i, cell in data:
            value = cell.value
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise SourceFileError(
                    label, "expected a number, '...' or 'xxx'", row=cell.row, field=f"{name} {years[i]}",
                    value=value, fix="use SIPRI's original workbook",
                )
            if isinstance(value, str):
                text = value.strip()
                if text in _UNAVAILABLE:
                    out.append((name, region, subregion, head.row, years[i], np.nan, "unavailable"))
                elif text in _NOT_INDEPENDENT:
                    out.append((name, region, subregion, head.row, years[i], np.nan, "not_independent"))
                else:
                    raise SourceFileError(
                        label, "expected a number, '...' or 'xxx'", row=cell.row,
                        field=f"{name} {years[i]}", value=value,
                        fix="correct that cell, or download SIPRI's original workbook again",
                    )
                continue
            out.append((name, region, subregion, head.row, years[i], float(value), _status_of_colour(cell)))
    if years is None:
        raise SourceFileError(
            label, "no header row starting with 'Country'", fix="use SIPRI's original workbook"
        )
    return out, first_row


_VALUE_CHECKS = {
    "milex_const2024_usd_m": pa.Check.ge(0),
    "milex_current_usd_m": pa.Check.ge(0),
    # Wartime shares can exceed 1 (Kuwait 1991: 1.17 of GDP).
    "milex_share_gdp": pa.Check.in_range(0, 5),
    "milex_per_capita_usd": pa.Check.ge(0),
    "milex_share_govt_spending": pa.Check.in_range(0, 5),
}

SCHEMA = pa.DataFrameSchema(
    {
        "country": pa.Column(str),
        "region": pa.Column(str, pa.Check.isin(list(REGIONS))),
        "subregion": pa.Column(str, nullable=True),
        "year": year_column(1949, 2100),
        **{
            column: pa.Column(float, _VALUE_CHECKS[column], nullable=True)
            for column in SHEETS.values()
        },
        **{
            f"{column}_status": pa.Column(str, pa.Check.isin(list(STATUSES)), nullable=True)
            for column in SHEETS.values()
        },
    },
    strict=True,
)


def parse_milex(path: Path) -> pd.DataFrame:
    """One row per country-year present in any of the five sheets, one value and status per measure.

    The index ``source_row`` is the country's row in the "Constant (2024) US$" sheet (the same row in
    every sheet except "Share of Govt. spending", whose rows sit two lower); countries missing there take
    their row in the first sheet that lists them.
    """
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise SourceFileError(
            path.name, f"not readable as an xlsx workbook ({type(exc).__name__}: {exc})",
            fix="download SIPRI's workbook again",
        ) from None
    try:
        missing = [s for s in SHEETS if s not in workbook.sheetnames]
        if missing:
            raise SourceFileError(
                path.name, f"missing sheet(s) {missing} (sheets found: {workbook.sheetnames})",
                fix="SIPRI renamed its sheets; use the release this adapter pins or update it",
            )
        frames = []
        rows_of: dict[str, int] = {}
        places: dict[str, tuple[str, str | None]] = {}
        for sheet, column in SHEETS.items():
            cells, first_row = _sheet_cells(path, sheet, workbook[sheet].iter_rows())
            for country, row in first_row.items():
                rows_of.setdefault(country, row)
            part = pd.DataFrame(
                cells, columns=["country", "region", "subregion", "row", "year", column, f"{column}_status"]
            )
            for country, region, subregion in part[["country", "region", "subregion"]].drop_duplicates(
                "country"
            ).itertuples(index=False):
                known = places.setdefault(country, (region, subregion))
                if known != (region, subregion):
                    raise SourceFileError(
                        f"{path.name} sheet {sheet!r}",
                        f"country placed under {region}/{subregion} here but {known[0]}/{known[1]} in an "
                        "earlier sheet",
                        row=first_row[country], field="Country", value=country,
                        fix="use SIPRI's original workbook",
                    )
            frames.append(part.drop(columns=["region", "subregion", "row"]).set_index(["country", "year"]))
    finally:
        workbook.close()
    wide = pd.concat(frames, axis=1, join="outer").reset_index()
    wide.insert(1, "region", wide["country"].map(lambda c: places[c][0]).astype(object))
    wide.insert(2, "subregion", wide["country"].map(lambda c: places[c][1]).astype(object))
    wide["year"] = wide["year"].astype("Int64")
    for column in SHEETS.values():
        wide[column] = wide[column].astype("float64")
        status = wide[f"{column}_status"]
        wide[f"{column}_status"] = status.where(status.notna(), None).astype(object)
    wide.index = pd.Index(wide["country"].map(rows_of).astype(int).to_numpy(), name="source_row")
    wide = wide.sort_values(["country", "year"], kind="stable")
    order = ["country", "region", "subregion", "year"]
    for column in SHEETS.values():
        order += [column, f"{column}_status"]
    wide = wide[order]
    check_unique(wide, ["country", "year"], path.name)
    return validate(wide, SCHEMA, path.name)


TABLES = (
    Table(
        name="sipri_milex",
        expected=Expected(rows=13398, first_year=1949, last_year=2025),
        source=SOURCE,
        filename=FILENAME,
        parse=parse_milex,
        description="SIPRI military expenditure per country-year: milex_const2024_usd_m (US$ m, constant "
        "2024 prices and exchange rates), milex_current_usd_m (US$ m, current), milex_share_gdp (fraction of "
        "GDP, 0.034 = 3.4%), milex_per_capita_usd (current US$ per person), milex_share_govt_spending "
        "(fraction of general government expenditure); each *_status is value, estimate (SIPRI estimate, "
        "blue), uncertain (highly uncertain, red), unavailable or not_independent",
        country=CountryKey("name", "country"),
        unique=("country", "year"),
    ),
)
