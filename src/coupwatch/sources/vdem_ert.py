"""V-Dem Episodes of Regime Transformation (ERT) v15: regime type, electoral democracy and episodes to 2024.

The ERT package's country-year file, computed from the V-Dem v15 dataset (data through 2024): Regimes of the
World, the electoral democracy index with its interval, the regime spell, and democratisation and
autocratisation episode flags. Countries carry V-Dem's ``country_id``. The file's first column is R's unnamed
row index and is ignored.
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
    stripped_text,
    validate,
    year_column,
)

_COMMIT = "fa95b8bb8d55735019ee10e7cd0f6fa638cc55ef"

_CITATION = """@misc{maerz2025ert,
  author    = {Maerz, Seraphine F. and Edgell, Amanda B. and Krusell, Joshua and Maxwell, Laura and
               Hellmeier, Sebastian},
  title     = {{ERT} - Episodes of Regime Transformation, R package v15.0},
  publisher = {Varieties of Democracy (V-Dem) Project},
  year      = {2025},
  url       = {https://github.com/vdeminstitute/ERT}
}

@article{maerz2023episodes,
  author  = {Maerz, Seraphine F. and Edgell, Amanda B. and Wilson, Matthew C. and Hellmeier, Sebastian and
             Lindberg, Staffan I.},
  title   = {Episodes of Regime Transformation},
  journal = {Journal of Peace Research},
  year    = {2023},
  doi     = {10.1177/00223433231168192}
}"""

SOURCE = SourceSpec(
    name="vdem_ert_v15",
    folder="vdem_ert_v15",
    title="V-Dem Episodes of Regime Transformation (ERT) v15: regime type and episodes to 2024",
    publisher="V-Dem Institute (ERT team)",
    version=f"v15.0 (vdeminstitute/ERT at commit {_COMMIT[:7]}, file of 2025-03-17)",
    files=(
        RemoteFile(
            "ert_v15.csv",
            f"https://raw.githubusercontent.com/vdeminstitute/ERT/{_COMMIT}/inst/ert.csv",
            "39c6ca13363765ec4acf2d4c51052ed531bb49c91937924e0250d5384ad7fa4d",
            note="The package's inst/ert.csv, byte-identical, renamed.",
        ),
    ),
    licence="ERT package GPL-3; the V-Dem data it carries CC BY-SA 4.0 (attribution, share-alike)",
    citation=_CITATION,
    coverage="1900-2024, 183 V-Dem units (179 in 2024), 19,678 country-years",
    homepage="https://github.com/vdeminstitute/ERT",
)

_COLUMNS = [
    "country_id", "country_text_id", "country_name", "year", "v2x_regime", "v2x_polyarchy",
    "v2x_polyarchy_codelow", "v2x_polyarchy_codehigh", "reg_start_year", "reg_end_year", "reg_id", "reg_type",
    "dem_ep", "dem_ep_id", "aut_ep", "aut_ep_id", "row_regch_event",
]
_INTEGERS = ["country_id", "year", "v2x_regime", "reg_start_year", "reg_end_year", "reg_type", "dem_ep", "aut_ep",
             "row_regch_event"]
_UNIT = pa.Check.in_range(0.0, 1.0)

SCHEMA = pa.DataFrameSchema(
    {
        "country_id": pa.Column("Int64", pa.Check.in_range(1, 999)),
        "country_text_id": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
        "country_name": pa.Column(str),
        "year": year_column(1789, 2100),
        "v2x_regime": pa.Column("Int64", pa.Check.in_range(0, 3), nullable=True),
        "v2x_polyarchy": pa.Column(float, _UNIT, nullable=True),
        "v2x_polyarchy_codelow": pa.Column(float, _UNIT, nullable=True),
        "v2x_polyarchy_codehigh": pa.Column(float, _UNIT, nullable=True),
        "reg_start_year": year_column(1789, 2100, nullable=True),
        "reg_end_year": year_column(1789, 2100, nullable=True),
        "reg_id": pa.Column(str, nullable=True),
        "reg_type": pa.Column("Int64", pa.Check.isin([0, 1]), nullable=True),
        "dem_ep": pa.Column("Int64", pa.Check.isin([0, 1]), nullable=True),
        "dem_ep_id": pa.Column(str, nullable=True),
        "aut_ep": pa.Column("Int64", pa.Check.isin([0, 1]), nullable=True),
        "aut_ep_id": pa.Column(str, nullable=True),
        "row_regch_event": pa.Column("Int64", pa.Check.isin([-1, 0, 1]), nullable=True),
    },
    strict=True,
    ordered=True,
)


def parse_ert(path: Path) -> pd.DataFrame:
    """One row per V-Dem country-year 1900-2024: regime type, polyarchy, regime spell, episode flags."""
    raw = read_text_table(path, required=_COLUMNS)
    frame = numeric(raw, _INTEGERS, path.name, integer=True)
    frame = numeric(frame, ["v2x_polyarchy", "v2x_polyarchy_codelow", "v2x_polyarchy_codehigh"], path.name)
    frame = stripped_text(frame, ["country_text_id", "country_name", "reg_id", "dem_ep_id", "aut_ep_id"])
    frame = frame[_COLUMNS].copy()
    check_unique(frame, ["country_id", "year"], path.name)
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="vdem_ert",
        source=SOURCE,
        filename="ert_v15.csv",
        parse=parse_ert,
        description=(
            "V-Dem ERT v15 per V-Dem country-year 1900-2024: v2x_regime (0 closed autocracy .. 3 liberal "
            "democracy), v2x_polyarchy with codelow/codehigh, regime spell (reg_id, reg_start_year, "
            "reg_end_year, reg_type 1 democracy), dem_ep / aut_ep 1 while a democratisation / autocratisation "
            "episode is under way (with ids), row_regch_event +1 / -1 in a year of regime change to a more / "
            "less democratic RoW category"
        ),
        country=CountryKey("vdem", "country_id"),
        unique=("country_id", "year"),
    ),
)
