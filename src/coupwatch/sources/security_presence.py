"""Costs of the international security presence in Mali (MINUSMA, Barkhane, EUTM Mali, EUCAP Sahel Mali),
each figure quoted from the public page named in its row.

Not an official budget table: the UN, French and EU budget documents were not available as data. Every row
carries its page and the sentence the figure came from; rows whose item says "approximate", "estimate" or
"press" are rounded press or expert figures (``estimate`` True). Periods are mandate or budget periods in
the row's currency (US$, EUR or CFA francs), not calendar years.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from coupwatch.errors import SourceFileError
from coupwatch.sources.base import RemoteFile, SourceSpec, Table, numeric, read_text_table, row_number, validate

FILENAME = "mali_security_presence_costs_from_pages.csv"

_CITATION = """@misc{coupwatch2026presence,
  title        = {Costs of the international security presence in {Mali}, quoted from public pages},
  year         = {2026},
  note         = {Each figure cites its page (UN press releases, EU Council releases as republished, press);
                  see the source_url and quote columns}
}"""

SOURCE = SourceSpec(
    name="mali_security_presence_costs",
    folder="peacekeeping_budgets",
    title="Costs of the international security presence in Mali, quoted from public pages",
    publisher="Compiled from UN press releases, EU Council releases and press (each row cites its page)",
    version="24 quoted figures (2013-2025 periods)",
    files=(
        RemoteFile(
            FILENAME,
            "https://press.un.org/en/2023/gaab4423.doc.htm",
            "de9d745f2345c1c794931673f8604d1a1c3807d58d7349f4aae714d2786d5911",
            note="No publisher serves this table: it lists figures read on the public page named in each row "
            "(the URL above is one of them). The official series would be the UN General Assembly 'Financing "
            "of MINUSMA' resolutions, the French loi de finances OPEX lines and the EU Council decisions.",
        ),
    ),
    licence="Facts quoted from public pages, each row citing its page. Not an official budget table: "
    "rows marked approximate, estimate or press report are rounded press or expert figures; Barkhane "
    "figures are press estimates for the whole Sahel operation (no official year-by-year series); EU figures "
    "are common-cost budgets per mandate period (contributors' national costs excluded)",
    citation=_CITATION,
    coverage="Mali, periods from 2012 to 2025: MINUSMA budgets, Barkhane annual cost estimates, French "
    "spending in the G5 Sahel, EUTM Mali and EUCAP Sahel Mali mandate budgets",
    homepage="https://peacekeeping.un.org/en/how-we-are-funded",
)

OPERATIONS = {
    "MINUSMA": "MINUSMA",
    "UN peacekeeping total": "UN peacekeeping (all missions)",
    "Operation Barkhane": "Barkhane",
    "France total spending in the Sahel": "France in the Sahel",
    "French spending in G5 Sahel": "France in the G5 Sahel",
    "EUTM Mali": "EUTM Mali",
    "EUCAP Sahel Mali": "EUCAP Sahel Mali",
}
CURRENCIES = ("USD", "EUR", "XOF")
_ESTIMATE_WORDS = ("approximate", "estimate", "press report", "commentary")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_ABOUT_YEAR = re.compile(r"^c\. (\d{4}) \(per (?:year|annum)\)$")
_UNTIL = re.compile(r"^to (\d{4}-\d{2}-\d{2})\b")

SCHEMA = pa.DataFrameSchema(
    {
        "item": pa.Column(str),
        "operation": pa.Column(str, pa.Check.isin(list(OPERATIONS.values()))),
        "period": pa.Column(str),
        "period_start": pa.Column("datetime64[ns]", nullable=True),
        "period_end": pa.Column("datetime64[ns]"),
        "per_year": pa.Column(bool),
        "amount": pa.Column(float, pa.Check.gt(0)),
        "currency": pa.Column(str, pa.Check.isin(list(CURRENCIES))),
        "estimate": pa.Column(bool),
        "source_url": pa.Column(str),
        "quote": pa.Column(str),
    },
    strict=True,
)


def _period(text: str, file: str, row: int | None) -> tuple[dt.date | None, dt.date, bool]:
    """(start or None when the page gives only the end, end, the amount is per year)."""
    if match := _RANGE.match(text):
        return dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2]), False
    if match := _YEAR.match(text):
        return dt.date(int(match[1]), 1, 1), dt.date(int(match[1]), 12, 31), False
    if match := _ABOUT_YEAR.match(text):
        return dt.date(int(match[1]), 1, 1), dt.date(int(match[1]), 12, 31), True
    if match := _UNTIL.match(text):
        return None, dt.date.fromisoformat(match[1]), False
    raise SourceFileError(
        file, "unreadable period", row=row, field="period", value=text,
        fix="write 'YYYY-MM-DD to YYYY-MM-DD', 'YYYY', 'c. YYYY (per year)' or 'to YYYY-MM-DD (...)'",
    )


def _operation(item: str, file: str, row: int | None) -> str:
    for prefix, operation in OPERATIONS.items():
        if item.startswith(prefix):
            return operation
    raise SourceFileError(
        file, "an item of no known operation", row=row, field="item", value=item,
        fix=f"start the item with one of {list(OPERATIONS)}",
    )


def parse_costs(path: Path) -> pd.DataFrame:
    """One row per quoted figure, with its period as dates and its estimate mark."""
    columns = ["item", "period", "amount", "currency", "source_url", "quote"]
    raw = read_text_table(path, required=columns)
    frame = numeric(raw[columns], ["amount"], path.name)
    for column in ("item", "period", "currency", "source_url", "quote"):
        frame[column] = frame[column].astype("string").str.strip().astype(object)
    parsed = [_period(str(p), path.name, row_number(r)) for r, p in frame["period"].items()]
    frame["operation"] = [_operation(str(i), path.name, row_number(r)) for r, i in frame["item"].items()]
    starts = pd.Series([p[0] for p in parsed], index=frame.index, dtype=object)
    frame["period_start"] = pd.to_datetime(starts).astype("datetime64[ns]")
    frame["period_end"] = pd.to_datetime([p[1] for p in parsed]).astype("datetime64[ns]")
    frame["per_year"] = [p[2] for p in parsed]
    frame["estimate"] = frame["item"].str.lower().map(lambda i: any(w in i for w in _ESTIMATE_WORDS)).astype(bool)
    frame = frame[["item", "operation", "period", "period_start", "period_end", "per_year", "amount", "currency",
                   "estimate", "source_url", "quote"]]
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="mali_security_presence_costs",
        source=SOURCE,
        filename=FILENAME,
        parse=parse_costs,
        description="Costs of the international security presence in Mali quoted from public pages: item, "
        "operation (MINUSMA, Barkhane, EUTM Mali, EUCAP Sahel Mali, French spending in the Sahel, UN "
        "peacekeeping context), period as written and as dates (period_start empty when the page gives only "
        "the end; per_year = an annual figure for that year), amount in currency (USD, EUR, XOF), estimate = "
        "a rounded press or expert figure, source_url and the quote it came from",
    ),
)
