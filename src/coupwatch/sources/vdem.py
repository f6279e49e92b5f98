"""V-Dem country-year indicators keyed by Gleditsch-Ward code, from the V-Dem Institute's own repositories.

The full V-Dem dataset is too large for the mirror; these are the V-Dem Institute's GW-coded modelling inputs:

- v14 (data to 2023): six high-level indices for 1968-2023, from the Democratic Spaces Barometer
  (``vdeminstitute/demspaces``), byte-identical to the publisher's CSV;
- v12 (data to 2021): 36 V-Dem indices and indicators plus demspaces covariates, a column subset of
  ``states-v12-mod.rds`` in the same repository, where same-year V-Dem values carry the prefix ``lag0_``
  (stripped in the mirror; the parser accepts either form);
- v12 (data to 2022): Regimes of the World (``v2x_regime``) from the PART coup/adverse-regime-transition
  model (``vdeminstitute/part``), a column subset of ``vdem-augmented.rds``; 2022 has no regime values yet.

Units are V-Dem's: ``v2x*`` indices run 0-1; ``v2sv``/``v2cs``/``v2cl``/``v2ju`` indicators are on the
measurement model's latent scale (about -5..5, higher = more of the named trait, e.g. v2csreprss higher = less
repression); v2svstterr is percent of territory controlled.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

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

_DEMSPACES = "https://raw.githubusercontent.com/vdeminstitute/demspaces/1012a66d590d2315c292f2ec745f168abbf84d05"
_PART = "https://raw.githubusercontent.com/vdeminstitute/part/5ebf179c1fe19aec56fb62906274a4f64fe5ba88"

_AUTHORS = (
    "Coppedge, Michael and Gerring, John and Knutsen, Carl Henrik and Lindberg, Staffan I. and "
    "Teorell, Jan and others"
)
_MEASUREMENT = """@techreport{pemstein2024measurement,
  author      = {Pemstein, Daniel and Marquardt, Kyle L. and Tzelgov, Eitan and Wang, Yi-ting and
                 Medzihorsky, Juraj and Krusell, Joshua and Miri, Farhad and von R{\\"o}mer, Johannes},
  title       = {The {V-Dem} Measurement Model: Latent Variable Analysis for Cross-National and
                 Cross-Temporal Expert-Coded Data},
  institution = {Varieties of Democracy (V-Dem) Institute, University of Gothenburg},
  type        = {V-Dem Working Paper},
  number      = {21},
  year        = {2024}
}"""


def _dataset_citation(key: str, version: str, year: int, doi: str) -> str:
    return f"""@misc{{{key},
  author    = {{{_AUTHORS}}},
  title     = {{{{V-Dem}} [Country-Year/Country-Date] Dataset {version}}},
  publisher = {{Varieties of Democracy (V-Dem) Project}},
  year      = {{{year}}},
  doi       = {{{doi}}}
}}

{_MEASUREMENT}"""


_LICENCE = "CC BY-SA 4.0 (V-Dem data terms): attribution, share-alike"
_HOMEPAGE = "https://v-dem.net/data/the-v-dem-dataset/"

V14_SOURCE = SourceSpec(
    name="vdem_v14_demspaces",
    folder="vdem",
    title="V-Dem v14 indices, GW-coded (Democratic Spaces Barometer input data)",
    publisher="V-Dem Institute, University of Gothenburg",
    version="v14 (vdeminstitute/demspaces at commit 1012a66)",
    files=(
        RemoteFile(
            "vdem_v14_dv_indices_gw_1968_2023.csv",
            f"{_DEMSPACES}/create-data/output/dv_data_1968_on.csv",
            "d6c75baffce5486b5de414255bc56b1c97ab86d20175338dfad4b8fd28116374",
            note="The publisher's dv_data_1968_on.csv, byte-identical, renamed in the mirror.",
        ),
    ),
    licence=_LICENCE,
    citation=_dataset_citation("vdem2024v14", "v14", 2024, "10.23696/mcwt-fr58"),
    coverage="1968-2023, 174 Gleditsch-Ward states, 8,796 country-years",
    homepage=_HOMEPAGE,
)

V12_SELECTED_SOURCE = SourceSpec(
    name="vdem_v12_demspaces",
    folder="vdem",
    title="V-Dem v12 selected indices and indicators, GW-coded (Democratic Spaces Barometer 2022 states data)",
    publisher="V-Dem Institute, University of Gothenburg",
    version="v12 (vdeminstitute/demspaces at commit 1012a66, 2022-update)",
    files=(
        RemoteFile(
            "vdem_v12_selected_gw_1970_2021.csv",
            f"{_DEMSPACES}/2022-update/outcome-v2/data/states-v12-mod.rds",
            "ac1362ddc5b58323ae3025c3a90b79921e92c6f86375bdef112f4f06fec35a54",
            note=(
                "The mirror holds a CSV column subset of the publisher's states-v12-mod.rds (8,187 x 225): "
                "gwcode, year, 34 same-year V-Dem variables with the 'lag0_' prefix stripped, and demspaces "
                "covariates, values at 4 significant digits. The .rds is an R file: export it to CSV (e.g. "
                "with R's write.csv) to parse it here; 'lag0_' column names are accepted."
            ),
        ),
    ),
    licence=_LICENCE,
    citation=_dataset_citation("vdem2022v12", "v12", 2022, "10.23696/vdemds22"),
    coverage="1970-2021, 174 Gleditsch-Ward states, 8,187 country-years",
    homepage=_HOMEPAGE,
)

V12_REGIME_SOURCE = SourceSpec(
    name="vdem_v12_part",
    folder="vdem",
    title="V-Dem v12 Regimes of the World, GW-coded (PART model input data)",
    publisher="V-Dem Institute, University of Gothenburg",
    version="v12 (vdeminstitute/part at commit 5ebf179)",
    files=(
        RemoteFile(
            "vdem_v12_regime_gw_1970_2022.csv",
            f"{_PART}/create-data/output/vdem-augmented.rds",
            "497286038c7844853e6abfe7d71053503d431be398423fb920f85133ab81c3f6",
            note=(
                "The mirror holds a CSV column subset of the publisher's vdem-augmented.rds (8,359 x 410): "
                "the 5 identifier columns and v2x_regime, v2x_regime_amb. The .rds is an R file: export it to "
                "CSV to parse it here."
            ),
        ),
    ),
    licence=_LICENCE,
    citation=_dataset_citation("vdem2022v12", "v12", 2022, "10.23696/vdemds22"),
    coverage="1970-2022 (regime values to 2021; 2022 rows empty), 174 Gleditsch-Ward states",
    homepage=_HOMEPAGE,
)

_UNIT = pa.Check.in_range(0.0, 1.0)
_KEY = {"gwcode": pa.Column("Int64", pa.Check.in_range(2, 999)), "year": year_column(1900, 2100)}

# ---------------------------------------------------------------------------------------------------------
# v14 indices
# ---------------------------------------------------------------------------------------------------------

V14_INDICES = (
    "v2x_veracc_osp", "v2xcs_ccsi", "v2xcl_rol", "v2x_freexp_altinf", "v2x_horacc_osp", "v2x_pubcorr",
)
_V14_IDS = ["gwcode", "year", "country_name", "country_id", "country_text_id"]

V14_SCHEMA = pa.DataFrameSchema(
    {
        **_KEY,
        "country_name": pa.Column(str),
        "country_id": pa.Column("Int64", pa.Check.ge(1)),
        "country_text_id": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
        **{name: pa.Column(float, _UNIT, nullable=True) for name in V14_INDICES},
    },
    strict=True,
    ordered=True,
)


def parse_v14_indices(path: Path) -> pd.DataFrame:
    """One row per GW country-year, 1968-2023: six V-Dem v14 indices (0-1)."""
    columns = [*_V14_IDS, *V14_INDICES]
    raw = read_text_table(path, required=columns)
    frame = numeric(raw, ["gwcode", "year", "country_id"], path.name, integer=True)
    frame = numeric(frame, list(V14_INDICES), path.name)
    frame = frame[columns].copy()
    check_unique(frame, ["gwcode", "year"], path.name)
    return validate(frame, V14_SCHEMA, path.name)


# ---------------------------------------------------------------------------------------------------------
# v12 selected variables
# ---------------------------------------------------------------------------------------------------------

V12_UNIT_INDICES = (
    "v2x_polyarchy", "v2x_liberal", "v2x_jucon", "v2xlg_legcon", "v2x_cspart", "v2x_corr", "v2x_rule",
    "v2x_clphy", "v2x_civlib", "v2x_clpol", "v2x_ex_military", "v2x_ex_confidence", "v2x_ex_direlect",
    "v2x_ex_hereditary", "v2x_ex_party", "v2x_neopat", "v2x_execorr", "v2xel_frefair", "v2x_frassoc_thick",
    "v2xcs_ccsi", "v2x_freexp_altinf", "v2xcl_rol", "v2x_veracc_osp", "v2x_horacc_osp", "v2x_pubcorr",
)
V12_LATENT = (
    "v2svdomaut", "v2svinlaut", "v2csreprss", "v2cseeorgs", "v2clkill", "v2cltort", "v2jupurge", "v2jupack",
)
V12_PERCENT = ("v2svstterr",)
# demspaces covariates (not V-Dem variables): the lag1_ ones are the previous year's values, as named
V12_COVARIATES_FLOAT = ("log_pop", "lag1_log_gdp_pc", "lag1_gdp_pc_growth", "lag1_infmort")
V12_COVARIATES_INT = ("state_age", "years_since_last_pt_attempt")
V12_VALUES = (*V12_UNIT_INDICES, *V12_LATENT, *V12_PERCENT, *V12_COVARIATES_FLOAT)

V12_SELECTED_SCHEMA = pa.DataFrameSchema(
    {
        **_KEY,
        **{name: pa.Column(float, _UNIT, nullable=True) for name in V12_UNIT_INDICES},
        **{name: pa.Column(float, pa.Check.in_range(-6.0, 6.0), nullable=True) for name in V12_LATENT},
        "v2svstterr": pa.Column(float, pa.Check.in_range(0.0, 100.0), nullable=True),
        "state_age": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "years_since_last_pt_attempt": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "log_pop": pa.Column(float, nullable=True),
        "lag1_log_gdp_pc": pa.Column(float, nullable=True),
        "lag1_gdp_pc_growth": pa.Column(float, nullable=True),
        "lag1_infmort": pa.Column(float, pa.Check.ge(0.0), nullable=True),
    },
    strict=True,
    ordered=True,
)

_LAG0 = "lag0_"


def parse_v12_selected(path: Path) -> pd.DataFrame:
    """One row per GW country-year, 1970-2021: selected V-Dem v12 variables and demspaces covariates."""
    raw = read_text_table(path, required=[])
    # the publisher's states-v12-mod names same-year values lag0_<variable>
    renames = {
        column: column.removeprefix(_LAG0)
        for column in raw.columns
        if column.startswith(_LAG0) and column.removeprefix(_LAG0) not in raw.columns
    }
    raw = raw.rename(columns=renames)
    columns = ["gwcode", "year", *V12_VALUES, *V12_COVARIATES_INT]
    require_columns(raw, columns, path.name)
    frame = numeric(raw, ["gwcode", "year", *V12_COVARIATES_INT], path.name, integer=True)
    frame = numeric(frame, list(V12_VALUES), path.name)
    frame = frame[list(V12_SELECTED_SCHEMA.columns)].copy()
    check_unique(frame, ["gwcode", "year"], path.name)
    return validate(frame, V12_SELECTED_SCHEMA, path.name)


# ---------------------------------------------------------------------------------------------------------
# v12 Regimes of the World
# ---------------------------------------------------------------------------------------------------------

REGIME_LABELS = {0: "closed autocracy", 1: "electoral autocracy", 2: "electoral democracy", 3: "liberal democracy"}
_REGIME_COLUMNS = [
    "gwcode", "year", "country_name", "country_text_id", "country_id", "v2x_regime", "v2x_regime_amb",
]

V12_REGIME_SCHEMA = pa.DataFrameSchema(
    {
        **_KEY,
        "country_name": pa.Column(str),
        "country_text_id": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
        "country_id": pa.Column("Int64", pa.Check.ge(1)),
        "v2x_regime": pa.Column("Int64", pa.Check.in_range(0, 3), nullable=True),
        "v2x_regime_amb": pa.Column("Int64", pa.Check.in_range(0, 9), nullable=True),
    },
    strict=True,
    ordered=True,
)


def parse_v12_regime(path: Path) -> pd.DataFrame:
    """One row per GW country-year, 1970-2022: Regimes of the World (0-3) and its 0-9 ambiguity version."""
    raw = read_text_table(path, required=_REGIME_COLUMNS)
    frame = numeric(
        raw, ["gwcode", "year", "country_id", "v2x_regime", "v2x_regime_amb"], path.name, integer=True
    )
    frame = frame[_REGIME_COLUMNS].copy()
    check_unique(frame, ["gwcode", "year"], path.name)
    return validate(frame, V12_REGIME_SCHEMA, path.name)


TABLES = (
    Table(
        name="vdem_v14_indices",
        expected=Expected(rows=8796, first_year=1968, last_year=2023),
        source=V14_SOURCE,
        filename="vdem_v14_dv_indices_gw_1968_2023.csv",
        parse=parse_v14_indices,
        description=(
            "V-Dem v14 indices per GW country-year 1968-2023, each 0-1 (higher = more): v2x_veracc_osp "
            "vertical accountability, v2xcs_ccsi core civil society, v2xcl_rol equality before the law and "
            "individual liberty, v2x_freexp_altinf freedom of expression and alternative information, "
            "v2x_horacc_osp horizontal accountability, v2x_pubcorr public sector corruption (higher = more "
            "corrupt)"
        ),
        country=CountryKey("gw", "gwcode"),
        unique=("gwcode", "year"),
    ),
    Table(
        name="vdem_v12_selected",
        expected=Expected(rows=8187, first_year=1970, last_year=2021),
        source=V12_SELECTED_SOURCE,
        filename="vdem_v12_selected_gw_1970_2021.csv",
        parse=parse_v12_selected,
        description=(
            "V-Dem v12 per GW country-year 1970-2021: v2x* indices 0-1 (polyarchy, liberal, jucon, legcon, "
            "cspart, corr, rule, civil liberties, executive selection ex_military/ex_party/..., neopat, "
            "execorr, frefair, frassoc_thick, ...); latent-scale indicators (v2svdomaut, v2svinlaut, "
            "v2csreprss, v2cseeorgs, v2clkill, v2cltort, v2jupurge, v2jupack); v2svstterr % territory; "
            "demspaces covariates state_age (years), log_pop, years_since_last_pt_attempt (Powell & "
            "Thyne), lag1_log_gdp_pc, lag1_gdp_pc_growth (%), lag1_infmort (per 1,000) = previous year"
        ),
        country=CountryKey("gw", "gwcode"),
        unique=("gwcode", "year"),
    ),
    Table(
        name="vdem_v12_regime",
        expected=Expected(rows=8359, first_year=1970, last_year=2022),
        source=V12_REGIME_SOURCE,
        filename="vdem_v12_regime_gw_1970_2022.csv",
        parse=parse_v12_regime,
        description=(
            "V-Dem v12 Regimes of the World per GW country-year 1970-2022: v2x_regime 0 closed autocracy, "
            "1 electoral autocracy, 2 electoral democracy, 3 liberal democracy; v2x_regime_amb 0-9 with "
            "ambiguous categories; both empty for 2022"
        ),
        country=CountryKey("gw", "gwcode"),
        unique=("gwcode", "year"),
    ),
)
