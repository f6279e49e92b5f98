"""Population: UN World Population Prospects 2024 as published by Our World in Data.

One row per entity and year, 1950-2100: the WPP estimate (1950-2023) and the medium-variant projection
(2024-2100) as two columns, in persons. OWID gives countries their ISO 3166 alpha-3 code; aggregates have
an ``OWID_`` code (OWID_WRL World, OWID_AFR Africa, income groups ...), a ``UN_`` code (UN regions such as
UN_AFR "Africa (UN)") or none (UN groupings such as "Least developed countries"). One ``OWID_`` code is a
country: OWID_KOS is Kosovo.
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
    read_text_table,
    validate,
    year_column,
)

_CITATION = """@misc{un2024wpp,
  author       = {{United Nations, Department of Economic and Social Affairs, Population Division}},
  title        = {World Population Prospects 2024},
  year         = {2024},
  howpublished = {\\url{https://population.un.org/wpp/}},
  note         = {Processed by Our World in Data,
                  \\url{https://ourworldindata.org/grapher/population-with-un-projections}}
}"""

FILENAME = "population-with-un-projections_owid_wpp2024.csv"

SOURCE = SourceSpec(
    name="owid_wpp2024_population",
    folder="wdi_recent",
    title="Population with UN projections (World Population Prospects 2024)",
    publisher="UN DESA Population Division, processed by Our World in Data",
    version="WPP 2024 (OWID update 2024-07-12)",
    files=(
        RemoteFile(
            FILENAME,
            "https://ourworldindata.org/grapher/population-with-un-projections.csv?v=1&csvType=full"
            "&useColumnShortNames=false",
            "acceae324bc543da28e2c68ac3cdea3972a5fa5978d692ffc0a39f90fe43a52b",
            note="OWID's grapher export of this chart (saved under a descriptive name in the mirror); "
            "OWID refreshes the chart, so a later download may differ and need the new-version switch.",
        ),
    ),
    licence="CC BY 4.0 (Our World in Data); UN WPP data CC BY 3.0 IGO",
    citation=_CITATION,
    coverage="1950-2023 estimates and 2024-2100 medium projection, 256 entities (countries, territories and "
    "aggregates)",
    homepage="https://ourworldindata.org/grapher/population-with-un-projections",
)

KEYS = ["Entity", "Code", "Year"]

SCHEMA = pa.DataFrameSchema(
    {
        "entity": pa.Column(str),
        "code": pa.Column(str, pa.Check.str_matches(r"^([A-Z]{3}|(OWID|UN)_[A-Z0-9_]+)$"), nullable=True),
        "year": year_column(1950, 2100),
        "population": pa.Column(float, pa.Check.ge(0), nullable=True),
        "population_projection": pa.Column(float, pa.Check.ge(0), nullable=True),
    },
    strict=True,
)


def parse_population(path: Path) -> pd.DataFrame:
    """One row per entity-year: WPP estimate and medium-variant projection (persons)."""
    raw = read_text_table(path, required=KEYS)
    values = [c for c in raw.columns if c not in KEYS]
    projected = [c for c in values if "projection" in c.lower() or "projected" in c.lower()]
    estimated = [c for c in values if c not in projected]
    if len(projected) != 1 or len(estimated) != 1:
        raise SourceFileError(
            path.name,
            f"expected one estimate and one projection column after Entity, Code, Year, found {values}",
            fix="download OWID's 'population-with-un-projections' chart data again",
        )
    frame = raw.rename(
        columns={
            "Entity": "entity", "Code": "code", "Year": "year", estimated[0]: "population",
            projected[0]: "population_projection",
        }
    )[["entity", "code", "year", "population", "population_projection"]]
    frame = numeric(frame, ["year"], path.name, integer=True)
    frame = numeric(frame, ["population", "population_projection"], path.name)
    frame["code"] = frame["code"].where(frame["code"].notna(), None).astype(object)
    check_unique(frame, ["entity", "year"], path.name)
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="population_wpp",
        expected=Expected(rows=39562, first_year=1950, last_year=2100, line_break_at_end=False),
        source=SOURCE,
        filename=FILENAME,
        parse=parse_population,
        description="UN WPP 2024 population per entity-year in persons: population = estimate (1950-2023), "
        "population_projection = medium variant (2024-2100); code is ISO3, OWID_* (OWID aggregates, and "
        "OWID_KOS Kosovo), UN_* (UN regions) or empty (UN groupings)",
        country=CountryKey("iso3", "code"),
        unique=("entity", "year"),
    ),
)
