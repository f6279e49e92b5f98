"""SIPRI Arms Transfers Database: the trade register of major conventional arms, every supplier to every
recipient, one row per deal and delivery year (1995-2024).

SIPRI's CSV export opens with notes lines, then a comma-separated table in which every line ends with ``;``.
Values are SIPRI trend-indicator values (TIV, millions): a volume index of military capability, not a price.
Suppliers and recipients are SIPRI's names: states, organisations (marked ``**``), non-state actors (``*``)
and "unknown supplier(s)" / "unknown recipient(s)".
"""

from __future__ import annotations

import io
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
    row_number,
    stripped_text,
    validate,
    year_column,
)

_CITATION = """@misc{sipri2026arms,
  author       = {{Stockholm International Peace Research Institute}},
  title        = {{SIPRI} Arms Transfers Database},
  year         = {2026},
  note         = {Trade register, all suppliers to all recipients, deliveries 1995--2024; data generated
                  12 February 2026},
  howpublished = {\\url{https://www.sipri.org/databases/armstransfers}}
}"""

FILENAME = "sipri_trade_register_deliveries_1995_2024.csv"

SOURCE = SourceSpec(
    name="sipri_arms_transfers",
    folder="sipri_arms_transfers",
    title="SIPRI Arms Transfers Database, trade register (deliveries by deal and year)",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    version="data generated 2026-02-12 (deliveries 1995-2024)",
    files=(
        RemoteFile(
            FILENAME,
            "https://armstransfers.sipri.org/ArmsTransfer/TransferRegister",
            "de974d8302efdeaad98d0b5a7d0ef020a3e5d1929b6406423cfe2ee2bad51868",
            note="SIPRI's query tool generates this CSV (Transfer register, all countries to all countries, "
            "delivery years 1995-2025, CSV); the mirror holds the export of 12 Feb 2026 as preserved in "
            "GitHub nagehanrdogan/Global-Arms-Trade-Network-Analysis-1995-2024- (trade_register.csv).",
        ),
    ),
    licence="SIPRI terms and conditions (https://www.sipri.org/about/terms-and-conditions): free for "
    "non-commercial research with attribution; check the terms before redistributing the whole register. "
    "Major conventional weapons only (no small arms, training, advisers or money); TIV is a volume index, "
    "never to be added to US$ figures; delivery years and numbers are often SIPRI estimates",
    citation=_CITATION,
    coverage="deliveries 1995-2024, 110 suppliers and 206 recipients (states, organisations, non-state "
    "actors, unknown)",
    homepage="https://www.sipri.org/databases/armstransfers",
)

HEADER_START = "SIPRI AT Database ID"
# Publisher's header -> our column names.
COLUMNS = {
    "SIPRI AT Database ID": "deal_id",
    "Supplier": "supplier",
    "Recipient": "recipient",
    "Designation": "designation",
    "Description": "description",
    "Armament category": "armament_category",
    "Order date": "order_year",
    "Order date is estimate": "order_year_estimated",
    "Numbers delivered": "numbers_delivered",
    "Numbers delivered is estimate": "numbers_delivered_estimated",
    "Delivery year": "year",
    "Delivery year is estimate": "year_estimated",
    "Status": "status",
    "TIV deal unit": "tiv_unit_m",
    "TIV delivery values": "tiv_delivered_m",
    "Local production": "local_production",
}
_FLAGS = ["order_year_estimated", "numbers_delivered_estimated", "year_estimated", "local_production"]
_TEXT = ["supplier", "recipient", "designation", "description", "armament_category", "status"]
STATUSES = ("New", "Second hand", "Second hand but modernized")

SCHEMA = pa.DataFrameSchema(
    {
        "deal_id": pa.Column("Int64"),
        "supplier": pa.Column(str),
        "recipient": pa.Column(str),
        "designation": pa.Column(str, nullable=True),
        "description": pa.Column(str, nullable=True),
        "armament_category": pa.Column(str, nullable=True),
        "order_year": year_column(1900, 2100, nullable=True),
        "order_year_estimated": pa.Column(bool),
        "numbers_delivered": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "numbers_delivered_estimated": pa.Column(bool),
        "year": year_column(1950, 2100),
        "year_estimated": pa.Column(bool),
        "status": pa.Column(str, pa.Check.isin(list(STATUSES)), nullable=True),
        "tiv_unit_m": pa.Column(float, pa.Check.ge(0), nullable=True),
        "tiv_delivered_m": pa.Column(float, pa.Check.ge(0)),
        "local_production": pa.Column(bool),
    },
    strict=True,
)


def _table_text(path: Path) -> tuple[str, int]:
    """The register's table with each line's trailing ';' removed, and the file line of its header."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise SourceFileError(
            path.name, f"not readable as UTF-8 at byte {exc.start}", fix="download SIPRI's CSV export again"
        ) from None
    starts = [i for i, line in enumerate(lines[:60]) if line.startswith(HEADER_START)]
    if not starts:
        raise SourceFileError(
            path.name, f"no header line starting with {HEADER_START!r} in the first 60 lines",
            fix="export the transfer register from https://armstransfers.sipri.org as CSV",
        )
    header = starts[0]
    body = [line[:-1] if line.endswith(";") else line for line in lines[header:]]
    return "\n".join(line for line in body if line.strip()), header + 1


def _flag(frame: pd.DataFrame, column: str, file: str) -> pd.Series:
    text = frame[column].astype("string").str.strip().fillna("")
    bad = ~text.isin(["Yes", "No", ""])
    if bad.any():
        first = bad.idxmax()
        raise SourceFileError(
            file, "expected 'Yes', 'No' or empty", row=row_number(first), field=column, value=frame.at[first, column],
            fix="correct that cell, or export the register from SIPRI again",
        )
    return text == "Yes"


def parse_register(path: Path) -> pd.DataFrame:
    """One row per deal and delivery year, indexed by the line number in the file."""
    text, header_line = _table_text(path)
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.ParserError as exc:
        raise SourceFileError(
            path.name, f"the table is malformed ({exc})", fix="export the register from SIPRI again"
        ) from None
    raw.columns = [str(c).strip() for c in raw.columns]
    require_columns(raw, list(COLUMNS), path.name)
    raw.index = pd.RangeIndex(header_line + 1, header_line + 1 + len(raw), name="source_row")
    frame = raw[list(COLUMNS)].rename(columns=COLUMNS)
    frame = numeric(frame, ["deal_id", "order_year", "numbers_delivered", "year"], path.name, integer=True)
    frame = numeric(frame, ["tiv_unit_m", "tiv_delivered_m"], path.name)
    missing_tiv = frame["tiv_delivered_m"].isna()
    if missing_tiv.any():
        first = missing_tiv.idxmax()
        raise SourceFileError(
            path.name, "a delivery row without a TIV value", row=row_number(first), field="TIV delivery values",
            value="", fix="export the register from SIPRI again (every delivery row carries a TIV)",
        )
    for column in _FLAGS:
        frame[column] = _flag(frame, column, path.name).to_numpy()
    frame = stripped_text(frame, _TEXT)
    check_unique(frame, ["deal_id", "year"], path.name)
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="sipri_arms_deliveries",
        expected=Expected(rows=25024, first_year=1995, last_year=2024, line_break_at_end=False),
        source=SOURCE,
        filename=FILENAME,
        parse=parse_register,
        description="Deliveries of major conventional arms, one row per SIPRI deal (deal_id) and delivery year "
        "(year): supplier and recipient as SIPRI names them ('**' organisation, '*' non-state actor, unknown), "
        "weapon designation, description and category, numbers delivered, tiv_delivered_m (SIPRI trend-"
        "indicator value, millions: a volume index, not US$), tiv_unit_m (TIV per unit), status (new or second "
        "hand), local_production (licensed production in the recipient); *_estimated flags mark SIPRI "
        "estimates",
        country=CountryKey("name", "recipient"),
        unique=("deal_id", "year"),
    ),
)
