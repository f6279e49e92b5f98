"""UN Secretariat expenses 2019-2023 (UN Secretariat Financials): the peacekeeping operations, by mission.

The publisher's file lists every Secretariat entity's expenses by year, funding type and UN document. This
table keeps its "Peacekeeping operations" section: each mission's expenditure for the peacekeeping financial
year (1 July-30 June; ``Other Assessed`` rows, each cited to the Secretary-General's budget-performance
overview) and its trust funds (``Voluntary``, calendar year). The file labels the financial years 2020/21 and
2021/22 "2021" and "2022"; ``period_start`` and ``period_end`` give the real period of every row.

A mission is mapped to the country that hosts it (``host_iso3``); missions without one host state (UNISFA
in the disputed Abyei area, UNTSO and UNMOGIP across several states, the logistics base and service centre,
headquarters lines) carry a descriptive ``host_name`` that the country mapping lists as not a state.
Mission spending pays for the mission (troops, police, civilians, logistics): it is an external security
presence in the host country, not money given to the host state.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from coupwatch.errors import SourceFileError
from coupwatch.sources.base import (
    CountryKey,
    RemoteFile,
    SourceSpec,
    Table,
    numeric,
    read_text_table,
    row_number,
    validate,
    year_column,
)

_CITATION = """@misc{un2024secretariatexpenses,
  author       = {{United Nations Secretariat}},
  title        = {{UN} Secretariat Financials: Expenses by entity, 2019--2023},
  year         = {2024},
  note         = {Peacekeeping amounts cited to the Secretary-General's overviews of the financing of the
                  UN peacekeeping operations, A/74/736, A/75/786, A/76/717, A/77/779, A/78/726},
  howpublished = {\\url{https://open.un.org/un-secretariat-financials/expenses?tab=second}}
}"""

FILENAME = "un_secretariat_expenses_2019_2023.csv"
SECTION = "Peacekeeping operations"
ASSESSED = "Other Assessed"

SOURCE = SourceSpec(
    name="un_secretariat_expenses",
    folder="un_peacekeeping_expenses",
    title="UN Secretariat expenses by entity (peacekeeping operations by mission)",
    publisher="United Nations Secretariat (UN Secretariat Financials)",
    version="2019-2023, as committed to un-fck/open.unfck.org (commit 70c665c5)",
    files=(
        RemoteFile(
            FILENAME,
            "https://open.un.org/un-secretariat-financials/expenses?tab=second",
            "e4b2e34197d14c9d7d03a49746a47fdbc9b0b3a41c0582dd5449acb54a9fc78c",
            note="The UN Secretariat Financials site serves this table through its page's download; the mirror "
            "holds the copy committed as data/un-secretariat-expenses.csv to github.com/un-fck/open.unfck.org.",
        ),
    ),
    licence="UN public data, UN terms of use (https://www.un.org/en/about-us/terms-of-use); cite the UN. The "
    "open.unfck.org repository states no data licence. The publisher notes double counting across entities. "
    "Mission expenditure is the cost of the mission, not money given to the host state",
    citation=_CITATION,
    coverage="2019-2023 (peacekeeping financial years 2018/19-2022/23), every UN peacekeeping mission and "
    "its trust funds",
    homepage="https://open.un.org/un-secretariat-financials",
)

# Mission -> (host ISO3 or None, descriptive host when no single host state).
MISSION_HOSTS: dict[str, tuple[str | None, str]] = {
    "MINUSMA": ("MLI", "Mali"),
    "MINUSCA": ("CAF", "Central African Republic"),
    "MONUSCO": ("COD", "Democratic Republic of the Congo"),
    "UNAMID": ("SDN", "Sudan (Darfur)"),
    "UNMISS": ("SSD", "South Sudan"),
    "UNSOS": ("SOM", "Somalia (support office for the AU mission)"),
    "AMISOM": ("SOM", "Somalia (trust fund for the AU mission)"),
    "MINURSO": ("ESH", "Western Sahara"),
    "MINUJUSTH": ("HTI", "Haiti"),
    "UNIFIL": ("LBN", "Lebanon"),
    "UNFICYP": ("CYP", "Cyprus"),
    "UNMIK": ("XKX", "Kosovo"),
    "UNDOF": ("SYR", "Syria (Golan area of separation)"),
    "UNISFA": (None, "Abyei area (disputed between Sudan and South Sudan)"),
    "UNMOGIP": (None, "India and Pakistan (Kashmir line of control)"),
    "UNTSO": (None, "Middle East (several states)"),
    "UNLB": (None, "UN Logistics Base, Brindisi (serves every mission)"),
    "RSCE": (None, "Regional Service Centre, Entebbe (serves the African missions)"),
    "DPO": (None, "Department of Peace Operations, headquarters"),
    "UNMAS": (None, "UN Mine Action Service, several countries"),
    "OTHER": (None, "Other peacekeeping lines, no country"),
}
SOURCE_TYPES = ("Other Assessed", "Regular assessed", "Voluntary")

SCHEMA = pa.DataFrameSchema(
    {
        "mission": pa.Column(str, pa.Check.isin(list(MISSION_HOSTS))),
        "year": year_column(1990, 2100),
        "financial_year": pa.Column(str),
        "period_start": pa.Column("datetime64[ns]"),
        "period_end": pa.Column("datetime64[ns]"),
        "amount_usd": pa.Column(float),
        "source_type": pa.Column(str, pa.Check.isin(list(SOURCE_TYPES))),
        "reference": pa.Column(str, nullable=True),
        "note": pa.Column(str, nullable=True),
        "host_iso3": pa.Column(str, nullable=True),
        "host_name": pa.Column(str),
    },
    strict=True,
)

_COLUMNS = ["SECTION_DESCRIPTION", "ENTITY", "YEAR", "FINANCIAL_YEAR", "AMOUNT", "SOURCE_TYPE", "REFERENCE", "NOTE"]


def _period(year: int, source_type: str) -> tuple[dt.date, dt.date]:
    """Assessed mission budgets run 1 July to 30 June (ending in ``year``); trust funds by calendar year."""
    if source_type == ASSESSED:
        return dt.date(year - 1, 7, 1), dt.date(year, 6, 30)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def parse_peacekeeping(path: Path) -> pd.DataFrame:
    """The peacekeeping rows of the Secretariat's expenses, one per mission, year, funding type and line."""
    raw = read_text_table(path, required=_COLUMNS)
    rows = raw[raw["SECTION_DESCRIPTION"].astype("string").str.strip() == SECTION]
    if rows.empty:
        raise SourceFileError(
            path.name, f"no rows with SECTION_DESCRIPTION {SECTION!r}", field="SECTION_DESCRIPTION",
            fix="use the UN Secretariat Financials expenses download (it has a peacekeeping section)",
        )
    frame = numeric(rows[_COLUMNS[1:]], ["YEAR"], path.name, integer=True)
    frame = numeric(frame, ["AMOUNT"], path.name)
    missions = frame["ENTITY"].astype("string").str.strip()
    unknown = ~missions.isin(list(MISSION_HOSTS))
    if unknown.any():
        first = unknown.idxmax()
        raise SourceFileError(
            path.name, "a peacekeeping entity with no known host", row=row_number(first), field="ENTITY",
            value=frame.at[first, "ENTITY"],
            fix="add the mission and its host country to MISSION_HOSTS in coupwatch/sources/un_peacekeeping.py",
        )
    source_type = frame["SOURCE_TYPE"].astype("string").str.strip()
    periods = [_period(int(y), str(s)) for y, s in zip(frame["YEAR"], source_type, strict=True)]
    out = pd.DataFrame(
        {
            "mission": missions.astype(object),
            "year": frame["YEAR"],
            "financial_year": frame["FINANCIAL_YEAR"].astype("string").str.strip().astype(object),
            "period_start": pd.to_datetime([p[0] for p in periods]).astype("datetime64[ns]"),
            "period_end": pd.to_datetime([p[1] for p in periods]).astype("datetime64[ns]"),
            "amount_usd": frame["AMOUNT"],
            "source_type": source_type.astype(object),
        },
        index=frame.index,
    )
    for column, name in (("REFERENCE", "reference"), ("NOTE", "note")):
        text = frame[column].astype("string").str.strip()
        out[name] = text.where(text.notna() & (text != ""), None).astype(object)
    out["host_iso3"] = out["mission"].map(lambda m: MISSION_HOSTS[m][0]).astype(object)
    out["host_name"] = out["mission"].map(lambda m: MISSION_HOSTS[m][1]).astype(object)
    return validate(out, SCHEMA, path.name)


TABLES = (
    Table(
        name="un_peacekeeping_expenses",
        source=SOURCE,
        filename=FILENAME,
        parse=parse_peacekeeping,
        description="UN peacekeeping expenses by mission (the 'Peacekeeping operations' section of the UN "
        "Secretariat's expenses), US$: source_type 'Other Assessed' = the mission's expenditure for the "
        "peacekeeping financial year 1 July-30 June (period_start/period_end; the file labels 2020/21 and "
        "2021/22 as '2021' and '2022'), 'Voluntary' = trust funds by calendar year; reference is the UN "
        "document; host_iso3 the host country (empty when a mission has no single host state, see host_name)",
        country=CountryKey("iso3", "host_iso3", fallback_name_column="host_name"),
    ),
)
