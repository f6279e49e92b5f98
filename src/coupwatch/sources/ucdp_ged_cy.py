"""UCDP Country-Year Dataset on Organized Violence within Country Borders, v25.1.

One row per country-year (``country_id_cy`` = Gleditsch-Ward code of the country where the violence took
place), aggregated by UCDP from GED 25.1 events: state-based (``sb_*``), non-state (``ns_*``) and one-sided
(``os_*``) violence, deaths as best/high/low estimates. Because the counts come from events, one-sided
killings below the 25-death actor-year threshold of the One-sided Violence Dataset still appear here.

The dyad-name lists (``*_dyad_names_cy``) are dropped: they repeat the dyad ids, which are kept as the
publisher's "; "-separated strings ("NO_DYAD" becomes missing).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from coupwatch.sources._ucdp import read_ucdp_csv
from coupwatch.sources.base import (
    CountryKey,
    Expected,
    RemoteFile,
    SourceSpec,
    Table,
    check_unique,
    numeric,
    validate,
    year_column,
)

_CITATION = """@article{davies2025organized,
  author  = {Davies, Shawn and Pettersson, Th{\\'e}r{\\'e}se and Sollenberg, Margareta
             and {\\"O}berg, Magnus},
  title   = {Organized violence 1989--2024, and the challenges of identifying civilian victims},
  journal = {Journal of Peace Research},
  volume  = {62},
  number  = {4},
  year    = {2025}
}

@article{sundberg2013introducing,
  author  = {Sundberg, Ralph and Melander, Erik},
  title   = {Introducing the {UCDP} Georeferenced Event Dataset},
  journal = {Journal of Peace Research},
  volume  = {50},
  number  = {4},
  pages   = {523--532},
  year    = {2013},
  doi     = {10.1177/0022343313484347}
}"""

SOURCE = SourceSpec(
    name="ucdp_ged_cy_251",
    folder="ucdp_ged_cy",
    title="UCDP Country-Year Dataset on Organized Violence within Country Borders",
    publisher="Uppsala Conflict Data Program (UCDP)",
    version="25.1",
    files=(
        RemoteFile(
            "organizedviolencecy_v25_1.csv",
            "https://ucdp.uu.se/downloads/organizedviolencecy/organizedviolencecy-251-csv.zip",
            "6937c55e59e677def1796d58ac9a814682570ead7120bdc663500423c21e8572",
            note="The publisher serves a zip holding this CSV (the mirror holds the CSV itself); the parser "
            "reads either.",
        ),
    ),
    licence="CC BY 4.0 (UCDP)",
    citation=_CITATION,
    coverage="1989-2024, 6,936 country-years (Gleditsch-Ward codes)",
    homepage="https://ucdp.uu.se/downloads/",
)

_ID_LISTS = [
    "sb_dyad_ids_cy", "sb_intrastate_dyad_ids_cy", "sb_interstate_dyad_ids_cy", "ns_dyad_ids_cy",
    "os_dyad_ids_cy",
]
_TEXT_COLUMNS = ["country_cy", "region_cy", "main_govt_name_cy", "version"]
_FLAGS = [
    "sb_exist_cy", "sb_intrastate_exist_cy", "sb_intrastate_main_govt_inv_incomp_cy",
    "sb_interstate_exist_cy", "sb_interstate_main_govt_inv_incomp_cy", "ns_exist_cy", "os_exist_cy",
    "os_main_govt_inv_cy",
    "os_any_govt_inv_cy", "os_nsgroup_inv_cy",
]
# Every other column of the publisher's file is a whole-number count (dyads or deaths).
COUNTS = [
    "sb_dyad_count_cy", "sb_deaths_parties_cy", "sb_deaths_civilians_cy", "sb_deaths_unknown_cy",
    "sb_total_deaths_best_cy", "sb_total_deaths_high_cy", "sb_total_deaths_low_cy",
    "sb_intrastate_dyad_count_cy", "sb_intrastate_deaths_parties_cy", "sb_intrastate_deaths_civilians_cy",
    "sb_intrastate_deaths_unknown_cy", "sb_intrastate_deaths_best_cy", "sb_intrastate_deaths_high_cy",
    "sb_intrastate_deaths_low_cy", "sb_interstate_dyad_count_cy", "sb_interstate_deaths_parties_cy",
    "sb_interstate_deaths_civilians_cy", "sb_interstate_deaths_unknown_cy", "sb_interstate_deaths_best_cy",
    "sb_interstate_deaths_high_cy", "sb_interstate_deaths_low_cy", "ns_dyad_count_cy",
    "ns_deaths_parties_cy", "ns_deaths_civilians_cy", "ns_deaths_unknown_cy", "ns_total_deaths_best_cy",
    "ns_total_deaths_high_cy", "ns_total_deaths_low_cy", "os_dyad_count_cy",
    "os_main_govt_killings_best_cy", "os_main_govt_killings_high_cy", "os_main_govt_killings_low_cy",
    "os_any_govt_killings_best_cy", "os_any_govt_killings_high_cy", "os_any_govt_killings_low_cy",
    "os_nsgroup_killings_best_cy", "os_nsgroup_killings_high_cy", "os_nsgroup_killings_low_cy",
    "os_killings_unknown_cy", "os_total_deaths_best_cy", "os_total_deaths_high_cy", "os_total_deaths_low_cy",
    "cumulative_total_deaths_parties_in_orgvio_cy", "cumulative_total_deaths_civilians_in_orgvio_cy",
    "cumulative_total_deaths_unknown_in_orgvio_cy", "cumulative_total_deaths_in_orgvio_best_cy",
    "cumulative_total_deaths_in_orgvio_high_cy", "cumulative_total_deaths_in_orgvio_low_cy",
]
_KEYS = ["country_id_cy", "year_cy"]
OUTPUT_COLUMNS = [*_KEYS, *_TEXT_COLUMNS[:3], *_FLAGS, *COUNTS, *_ID_LISTS, "version"]

SCHEMA = pa.DataFrameSchema(
    {
        "country_id_cy": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "year_cy": year_column(1989, 2100),
        "country_cy": pa.Column(str),
        "region_cy": pa.Column(str, pa.Check.isin(["Africa", "Americas", "Asia", "Europe", "Middle East"])),
        "main_govt_name_cy": pa.Column(str, nullable=True),
        **{flag: pa.Column("Int64", pa.Check.isin([0, 1])) for flag in _FLAGS},
        **{count: pa.Column("Int64", pa.Check.ge(0)) for count in COUNTS},
        **{ids: pa.Column(str, nullable=True) for ids in _ID_LISTS},
        "version": pa.Column(str),
    },
    strict=True,
)


def parse_country_year(path: Path) -> pd.DataFrame:
    """One row per GW country-year: organized-violence deaths by type (persons, best/high/low)."""
    raw = read_ucdp_csv(
        path, required=[*_KEYS, *_TEXT_COLUMNS, *_FLAGS, *COUNTS, *_ID_LISTS], repair_key="year_cy"
    )
    frame = numeric(raw, [*_KEYS, *_FLAGS, *COUNTS], path.name, integer=True)
    for ids in _ID_LISTS:
        frame[ids] = frame[ids].where(frame[ids] != "NO_DYAD", None)
    frame = frame[OUTPUT_COLUMNS]
    check_unique(frame, _KEYS, path.name)
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="ucdp_ged_cy",
        expected=Expected(rows=6936),
        source=SOURCE,
        filename="organizedviolencecy_v25_1.csv",
        parse=parse_country_year,
        description="UCDP organized violence per GW country-year (where it took place): deaths in persons "
        "(best/high/low) for state-based (sb_), non-state (ns_) and one-sided (os_) violence; "
        "os_main_govt_killings_* = civilians killed by the country's own government; *_exist/*_inv flags "
        "are 0/1; *_dyad_ids_cy are '; '-separated UCDP dyad ids",
        country=CountryKey("gw", "country_id_cy", year_column="year_cy"),
        unique=("country_id_cy", "year_cy"),
    ),
)
