"""V-Dem v14 country-year data, 1970-2023: mass mobilisation, civic space, repression, executive and regime.

The mirror's CSV is a 70-column subset of the vdemlite package's V-Dem v14 file (``vdemlite.rda``, itself the
V-Dem Institute's country-year dataset filtered to 1970 on and to the indices of V-Dem's "Structure of
Aggregation v14"). Countries carry V-Dem's own ``country_id`` (no GW or COW code); the countrycode list maps
them. Values are measurement-model point estimates: ``v2x*`` indices run 0-1; ``v2ca*``, ``v2cs*``, ``v2cl*``,
``v2el*`` and ``v2exl*`` indicators are on the latent scale (about -5..5, higher = more of the named trait;
v2cagenmob higher = more mass mobilisation). They are same-year values: mobilisation in a coup year may be the
coup's consequence, so forecasts use them lagged.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from coupwatch.sources.base import (
    CountryKey,
    RemoteFile,
    SourceSpec,
    Table,
    check_unique,
    numeric,
    read_text_table,
    validate,
    year_column,
)
from coupwatch.sources.vdem import _HOMEPAGE, _LICENCE, _dataset_citation

_VDEMLITE = (
    "https://raw.githubusercontent.com/eteitelbaum/vdemlite/a992948a1cf30282f6ccac4a06f9e53222ce1006/data/vdemlite.rda"
)

SOURCE = SourceSpec(
    name="vdem_v14_mobilisation",
    folder="vdem_mobilisation",
    title="V-Dem v14 country-year: mass mobilisation, civic space, repression, executive and regime indices",
    publisher="V-Dem Institute, University of Gothenburg (extract carried by the vdemlite R package)",
    version="v14 (vdemlite at commit a992948, data file of 2024-06-17)",
    files=(
        RemoteFile(
            "vdem_v14_mobilisation_1970_2023.csv",
            _VDEMLITE,
            "0936ac1f54807bd5812d3d8e247662e88ef411a06704d3c6c2741d11abf38c49",
            note=(
                "The mirror holds a 70-column CSV subset of vdemlite.rda (9,170 x 297, V-Dem v14 from 1970): "
                "identifiers, all 19 v2ca* civic and academic space indicators, regime, repression, executive "
                "and corruption indices, and background e_* variables; no rows dropped, values unchanged. The "
                ".rda is an R file: read it with pyreadr (object 'vdemlite') and write these columns to CSV. "
                "vdemlite (E. Teitelbaum) is CC BY-SA 4.0 like V-Dem's data."
            ),
        ),
        RemoteFile(
            "vdemlite_v14.rda",
            _VDEMLITE,
            "634ee6731c6cc33bb6b3b9c54172fd7e0ef1422344718ab66e576b0793d4ba1c",
            note="The package's data/vdemlite.rda, byte-identical, renamed; the CSV above is read from it.",
        ),
    ),
    licence=_LICENCE + "; the vdemlite extract is CC BY-SA 4.0 too",
    citation=_dataset_citation("vdem2024v14", "v14", 2024, "10.23696/mcwt-fr58"),
    coverage=(
        "1970-2023, 182 V-Dem units (179 in 2023), 9,170 country-years; v2cagenmob missing in 1.2% of rows; "
        "e_gdppc empty in 2023. No 2024-2025 values (V-Dem v15/v16 mobilisation not in the mirror)."
    ),
    homepage=_HOMEPAGE,
)

IDENTIFIERS = ["country_name", "country_text_id", "country_id", "year"]
# Whole-number columns: Regimes of the World and V-Dem's political regions.
INTEGER_COLUMNS = ["v2x_regime", "e_regionpol", "e_regionpol_6C"]
MOBILISATION = {
    "v2cagenmob": "Mass mobilisation: frequency and size of events of mass mobilisation",
    "v2caconmob": "Mobilisation concentration: mobilisation concentrated in the capital (higher) or dispersed",
    "v2cademmob": "Mobilisation for democracy: events for pro-democratic aims",
    "v2caautmob": "Mobilisation for autocracy: events in support of non-democratic rulers",
    "v2caviol": "Political violence: how often non-state actors use political violence",
    "v2cacamps": "Political polarisation: society polarised into antagonistic camps",
    "v2caassemb": "Freedom of peaceful assembly",
}
# The 0-1 indices: checked against their range.
_UNIT_INDEX_PREFIXES = ("v2x_", "v2xcs_", "v2xcl_", "v2xel_", "v2xnp_", "v2xlg_")
_RANGE_EXEMPT = ("v2x_regime",)
# Counts and codes, not latent estimates: v2canuni counts universities, v2caprotac is coded 0-4 with 95 for
# "no universities".
_NOT_LATENT = ("v2canuni", "v2caprotac")


def _is_unit_index(column: str) -> bool:
    return column.startswith(_UNIT_INDEX_PREFIXES) and column not in _RANGE_EXEMPT


def _schema(columns: list[str]) -> pa.DataFrameSchema:
    checks: dict[str, pa.Column] = {
        "country_name": pa.Column(str),
        "country_text_id": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
        "country_id": pa.Column("Int64", pa.Check.in_range(1, 999)),
        "year": year_column(1900, 2100),
    }
    for column in columns:
        if column in IDENTIFIERS:
            continue
        if column == "v2x_regime":
            checks[column] = pa.Column("Int64", pa.Check.in_range(0, 3), nullable=True)
        elif column in INTEGER_COLUMNS:
            checks[column] = pa.Column("Int64", pa.Check.ge(1), nullable=True)
        elif _is_unit_index(column):
            checks[column] = pa.Column(float, pa.Check.in_range(0.0, 1.0), nullable=True)
        elif column.startswith("v2") and column not in _NOT_LATENT:
            # latent-scale indicators: well inside +-6 in every V-Dem release
            checks[column] = pa.Column(float, pa.Check.in_range(-6.0, 6.0), nullable=True)
        else:
            checks[column] = pa.Column(float, nullable=True)
    return pa.DataFrameSchema(checks, strict=True, ordered=True)


def parse_mobilisation(path: Path) -> pd.DataFrame:
    """One row per V-Dem country-year 1970-2023 with every column of the CSV (V-Dem names, V-Dem units)."""
    raw = read_text_table(path, required=[*IDENTIFIERS, *MOBILISATION, "v2x_regime", "v2x_polyarchy"])
    values = [c for c in raw.columns if c not in IDENTIFIERS]
    frame = numeric(raw, ["country_id", "year", *[c for c in INTEGER_COLUMNS if c in raw.columns]], path.name,
                    integer=True)
    frame = numeric(frame, [c for c in values if c not in INTEGER_COLUMNS], path.name)
    frame = frame[[*IDENTIFIERS, *values]].copy()
    check_unique(frame, ["country_id", "year"], path.name)
    return validate(frame, _schema(list(frame.columns)), path.name)


TABLES = (
    Table(
        name="vdem_v14_mobilisation",
        source=SOURCE,
        filename="vdem_v14_mobilisation_1970_2023.csv",
        parse=parse_mobilisation,
        description=(
            "V-Dem v14 per V-Dem country-year 1970-2023, V-Dem names and units: v2ca* civic space (v2cagenmob "
            "mass mobilisation, v2caconmob concentration, v2cademmob pro-democracy, v2caautmob pro-autocrat "
            "mobilisation, v2caviol political violence, v2cacamps polarisation, v2caassemb assembly, ...; latent "
            "scale), v2x_regime (0-3), v2x* indices 0-1 (polyarchy, libdem, civlib, clphy, cspart, corruption, "
            "executive dimensions, neopat, rule of law, jucon, legcon ...), v2cs/v2cl/v2el/v2exl indicators "
            "(latent), e_* background (e_pt_coup = V-Dem's copy of Powell & Thyne successful coups)"
        ),
        country=CountryKey("vdem", "country_id"),
        unique=("country_id", "year"),
    ),
)
