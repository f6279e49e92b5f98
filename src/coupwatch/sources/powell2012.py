"""Powell (2012), "Determinants of the Attempting and Outcome of Coups d'état": replication data 1960-2006.

One row per COW country-year with the article's covariates: Banks' Cross-National Time-Series domestic
instability count (``instab``, 1960-1999, the only CNTS-based unrest series at hand: CNTS itself is sold),
coup-proofing measures (counterbalancing, Belkin & Schofer; effective number of military organisations,
Pilster & Böhmelt; paramilitary share), soldier quality and military regime. Its coup variables are an old
Powell & Thyne vintage (2009): the project's outcome stays the current Powell & Thyne list. The mirror holds
the Stata file and the same table written to CSV; the CSV is parsed. The file ends with 41 rows that have
no country code and no covariate (only ``attempt`` = 0): they identify nothing and are skipped; a row without a
code that carries any covariate fails the schema.
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

_REPO = "https://raw.githubusercontent.com/ura8107/coupmedia/0e23ff5e3a7f9244c9e4025c777bfe3fc9c1f7b1/data"
_CITATION = """@article{powell2012determinants,
  author  = {Powell, Jonathan},
  title   = {Determinants of the Attempting and Outcome of Coups d'{\\'e}tat},
  journal = {Journal of Conflict Resolution},
  volume  = {56},
  number  = {6},
  pages   = {1017--1040},
  year    = {2012},
  doi     = {10.1177/0022002712445732}
}"""

SOURCE = SourceSpec(
    name="powell2012_replication",
    folder="powell2012_replication",
    title="Powell (2012) coup determinants: replication data",
    publisher="Jonathan M. Powell",
    version="replication file (Stata) as carried by ura8107/coupmedia at commit 0e23ff5",
    files=(
        RemoteFile(
            "determinants_replication.csv",
            f"{_REPO}/determinants_replication.dta",
            "6f00cb9b1bc7c30bbbcddc1c4b17ae28594659336b5408876114e1c134cde4ed",
            note="The Stata file written to CSV with pandas.read_stata (ccode/year as integers), nothing else changed.",
        ),
        RemoteFile(
            "determinants_replication.dta",
            f"{_REPO}/determinants_replication.dta",
            "3a72512ff508e25960a49cde31b253d099ddb4f57e9de147b9d1d93346c90956",
            note="The replication Stata file, byte copy.",
        ),
    ),
    licence="Replication material, no licence stated: cite the article",
    citation=_CITATION,
    coverage="9,385 COW country-years 1960-2006, 214 codes; instab 1960-1999 only; many covariates 30-80% missing",
    homepage="https://www.jonathanmpowell.com",
)

VALUES = ["attempt", "success", "chgdp", "chmilex", "soquall", "lmilper", "counterbal", "dem", "auth", "lgdppcl",
          "instab", "milreg", "powthy_peace", "_powthy_spline1", "_powthy_spline2", "_powthy_spline3",
          "EffectiveNumber", "paramilitary"]
_ZERO_ONE = ["attempt", "success", "dem", "auth", "milreg"]

SCHEMA = pa.DataFrameSchema(
    {
        "ccode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "year": year_column(1960, 2006),
        **{
            column: pa.Column(float, pa.Check.isin([0.0, 1.0]) if column in _ZERO_ONE else None, nullable=True)
            for column in VALUES
        },
    },
    checks=[
        pa.Check(lambda f: f["instab"].fillna(0) >= 0, error="the instability count is negative"),
        pa.Check(lambda f: f["EffectiveNumber"].fillna(1) >= 1, error="fewer than one military organisation"),
    ],
    strict=True,
    ordered=True,
)


def parse_replication(path: Path) -> pd.DataFrame:
    """One row per COW country-year 1960-2006 with the article's covariates under their Stata names."""
    raw = read_text_table(path, required=["ccode", "year", *VALUES])
    frame = numeric(raw, ["ccode", "year"], path.name, integer=True)
    frame = numeric(frame, VALUES, path.name)
    covariates = [c for c in VALUES if c not in ("attempt", "success")]
    empty = frame["ccode"].isna() & frame[covariates].isna().all(axis=1)
    frame = frame.loc[~empty, ["ccode", "year", *VALUES]].copy()
    check_unique(frame, ["ccode", "year"], path.name)
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="powell2012_covariates",
        source=SOURCE,
        filename="determinants_replication.csv",
        parse=parse_replication,
        description=(
            "Powell (2012) per COW country-year 1960-2006: instab (Banks CNTS domestic instability count, "
            "1960-1999), counterbal (counterbalancing), EffectiveNumber (military organisations), paramilitary "
            "(paramilitary / military personnel), soquall (log milex per soldier), lmilper, milreg, dem/auth, "
            "chgdp, chmilex, lgdppcl; attempt/success = Powell & Thyne 2009 vintage (not the project's outcome)"
        ),
        country=CountryKey("cow", "ccode"),
        unique=("ccode", "year"),
    ),
)
