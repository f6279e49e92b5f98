"""NAVCO 1.3 (Nonviolent and Violent Campaigns and Outcomes): maximalist campaigns, 1899-2019.

One row per campaign with at least 1,000 observed participants pursuing regime change, an end to occupation or
secession, with start and end YEARS only (no months) and its outcome. Countries are named, not coded
(``LOCATION``), and map by name; campaigns in colonies or territories that were never GW states are reported
by the mapping, not dropped. The publisher ships an Excel workbook (one sheet); the mirror also holds that
sheet as CSV, which is what is parsed. NAVCOID 312 is used twice in the source (two Tunisia 2013 campaigns), so
rows are keyed by id and campaign name.
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

_REPO = "https://raw.githubusercontent.com/mwl24/project/98c864815f62c1671b98d5bb59f4ccb22bfd9927/data"
_CITATION = """@misc{chenoweth2019navco,
  author    = {Chenoweth, Erica and Shay, Christopher Wiley},
  title     = {{NAVCO} 1.3 Dataset},
  publisher = {Harvard Dataverse},
  year      = {2019},
  doi       = {10.7910/DVN/ON9XND}
}

@book{chenoweth2011why,
  author    = {Chenoweth, Erica and Stephan, Maria J.},
  title     = {Why Civil Resistance Works: The Strategic Logic of Nonviolent Conflict},
  publisher = {Columbia University Press},
  year      = {2011}
}"""

SOURCE = SourceSpec(
    name="navco",
    folder="navco",
    title="NAVCO 1.3: Nonviolent and Violent Campaigns and Outcomes, campaign list",
    publisher="Erica Chenoweth (Harvard Kennedy School) and collaborators",
    version="1.3 (Harvard Dataverse doi:10.7910/DVN/ON9XND, 'NAVCO 1.3 List.xlsx')",
    files=(
        RemoteFile(
            "NAVCO_1.3_List.csv",
            "https://doi.org/10.7910/DVN/ON9XND",
            "11c6d07863c3d2c54bd9f3d68c5f259e247c52f65ff04a71d57380d658d75f5e",
            note=(
                "The workbook's only sheet written to CSV (pandas/openpyxl), nothing else changed. From the "
                "publisher's 'NAVCO 1.3 List.xlsx', save Sheet1 as CSV under this name."
            ),
        ),
        RemoteFile(
            "NAVCO_1.3_List.xlsx",
            f"{_REPO}/NAVCO%201.3%20List.xlsx",
            "b120ed281a68b82bd9b568639ad4fcd1eb2c7a317077b59fb587dce3a621c7f8",
            note="The publisher's workbook, byte copy from mwl24/project (spaces in the name -> underscores).",
        ),
    ),
    licence="Terms as on the Harvard Dataverse page (Dataverse default CC0 1.0, not verified); cite Chenoweth & Shay",
    citation=_CITATION,
    coverage="622 campaigns, 164 locations, starting 1899 to ending 2019 (campaigns after 2019 absent)",
    homepage="https://dataverse.harvard.edu/dataverse/navco",
)

_FLAGS = ["SUCCESS", "LIMITED", "FAILURE", "ONGOING", "VIOL", "NONVIOL", "FSELFDET", "REGCHANGE", "SECESSION",
          "OTHER"]
_COLUMNS = ["NAVCOID", "CAMPAIGN", "LOCATION", "BYEAR", "EYEAR", "TARGET", *_FLAGS]

SCHEMA = pa.DataFrameSchema(
    {
        "NAVCOID": pa.Column("Int64", pa.Check.gt(0)),
        "CAMPAIGN": pa.Column(str),
        "LOCATION": pa.Column(str),
        "BYEAR": year_column(1800, 2100),
        "EYEAR": year_column(1800, 2100),
        "TARGET": pa.Column(str, nullable=True),
        **{flag: pa.Column("Int64", pa.Check.isin([0, 1]), nullable=flag == "OTHER") for flag in _FLAGS},
    },
    checks=[
        pa.Check(lambda f: f["EYEAR"] >= f["BYEAR"], error="campaign ends before it starts"),
        pa.Check(lambda f: f["VIOL"] + f["NONVIOL"] == 1, error="a campaign is either violent or nonviolent"),
    ],
    strict=True,
    ordered=True,
)


def parse_campaigns(path: Path) -> pd.DataFrame:
    """One row per campaign: location, first and last year, target, outcome and 0/1 goal and method flags."""
    raw = read_text_table(path, required=_COLUMNS)
    frame = numeric(raw, ["NAVCOID", "BYEAR", "EYEAR", *_FLAGS], path.name, integer=True)
    frame = stripped_text(frame, ["CAMPAIGN", "LOCATION", "TARGET"])
    frame = frame[_COLUMNS].copy()
    check_unique(frame, ["NAVCOID", "CAMPAIGN"], path.name)
    return validate(frame, SCHEMA, path.name)


TABLES = (
    Table(
        name="navco_campaigns",
        source=SOURCE,
        filename="NAVCO_1.3_List.csv",
        parse=parse_campaigns,
        description=(
            "NAVCO 1.3 maximalist campaigns (>= 1,000 participants; regime change, anti-occupation or "
            "secession), 1899-2019: LOCATION (name), BYEAR..EYEAR active years, TARGET, outcome flags SUCCESS / "
            "LIMITED / FAILURE / ONGOING, method VIOL or NONVIOL, goals FSELFDET / REGCHANGE / SECESSION / OTHER"
        ),
        # Mapped by name without a year: a campaign begun before independence still counts once the state exists.
        country=CountryKey("name", "LOCATION", None),
        unique=("NAVCOID", "CAMPAIGN"),
    ),
)
