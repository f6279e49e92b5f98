"""Cline Center Coup d'État Project (CDP) v2.1.2: one row per coup event, 1945-2022.

Events are realized coups, unrealized attempts and thwarted conspiracies, with flags for who initiated them
(military, dissidents, rebels, palace, foreign-backed, auto-coup, ...) and what happened to the executive.
Countries carry Correlates of War codes, with a few codes outside the COW list: Russia's 1993 events are coded
393 (COW has 365 throughout), Germany's 2022 conspiracy 260 (COW 255 after 1990) and Serbia's 1999 coup 340
(COW 345 until 2006); the country mapping deals with them by year and name.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from coupwatch.sources._dates import DATE_DTYPE, compose_date
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

_CITATION = """@misc{peyton2023cdp,
  author    = {Peyton, Buddy and Bajjalieh, Joseph and Shalmon, Dan and Martin, Michael
               and Bonaguro, Jonathan},
  title     = {Cline Center Coup d'{\\'E}tat Project Dataset},
  version   = {2.1.2},
  publisher = {University of Illinois at Urbana-Champaign, Cline Center for Advanced Social Research},
  year      = {2023},
  doi       = {10.13012/B2IDB-9651987_V6},
  url       = {https://databank.illinois.edu/datasets/IDB-3143201}
}"""

SOURCE = SourceSpec(
    name="cline_cdp",
    folder="cline_cdp",
    title="Cline Center Coup d'État Project Dataset",
    publisher="Cline Center for Advanced Social Research, University of Illinois Urbana-Champaign",
    version="2.1.2",
    files=(
        RemoteFile(
            "Coup_Data_v2.1.2.csv",
            "https://databank.illinois.edu/datasets/IDB-3143201",
            "d30ade754e2f3df0c923b6704747f684c5cc6f17db2587b3ca33f5d2ff8b0bbc",
            note=(
                "The URL is the Illinois Data Bank landing page of v2.1.2 (DOI 10.13012/B2IDB-9651987_V6): "
                "the direct datafile link was not known offline. The publisher names the file "
                "'Coup data 2.1.2.csv'; the mirror holds the same bytes renamed Coup_Data_v2.1.2.csv."
            ),
        ),
    ),
    licence="CC BY 4.0 (as listed for the dataset on the Illinois Data Bank)",
    citation=_CITATION,
    coverage="1945-01 to 2022-12-29, 981 events (441 coups, 349 attempts, 191 conspiracies), 137 countries",
    homepage="https://clinecenter.illinois.edu/project/research-themes/democracy-and-development/coup-detat-project",
)

OUTCOME_FLAGS = ("unrealized", "realized", "conspiracy", "attempt")
ACTOR_FLAGS = (
    "military", "dissident", "rebel", "palace", "foreign", "auto", "resign", "popular", "counter", "other",
)
EXECUTIVE_FATE_FLAGS = ("noharm", "injured", "killed", "harrest", "jailed", "tried", "fled", "exile")
FLAGS = (*OUTCOME_FLAGS, *ACTOR_FLAGS, *EXECUTIVE_FATE_FLAGS)
EVENT_TYPES = ("coup", "attempted", "conspiracy")

_COLUMNS = ["coup_id", "cowcode", "country", "year", "month", "day", "event_type", *FLAGS]


def _outcome_flags_agree(frame: pd.DataFrame) -> pd.Series:
    """The outcome flags must say the same as event_type; a mismatch means a damaged or edited file."""
    return (
        (frame["realized"] == (frame["event_type"] == "coup").astype("Int64"))
        & (frame["attempt"] == (frame["event_type"] == "attempted").astype("Int64"))
        & (frame["conspiracy"] == (frame["event_type"] == "conspiracy").astype("Int64"))
        & (frame["unrealized"] == 1 - frame["realized"])
    ).fillna(True)  # empty cells are left to the column checks, which name the column


EVENTS_SCHEMA = pa.DataFrameSchema(
    {
        "coup_id": pa.Column(str, pa.Check.str_matches(r"^\d{11}(_\d+)?$")),
        "cowcode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "country": pa.Column(str),
        "year": year_column(1945, 2100),
        "month": pa.Column("Int64", pa.Check.in_range(1, 12)),
        "day": pa.Column("Int64", pa.Check.in_range(1, 31)),
        "event_date": pa.Column(DATE_DTYPE),
        "event_type": pa.Column(str, pa.Check.isin(EVENT_TYPES)),
        **{flag: pa.Column("Int64", pa.Check.isin([0, 1])) for flag in FLAGS},
    },
    checks=[pa.Check(_outcome_flags_agree, error="outcome flags disagree with event_type")],
    strict=True,
    ordered=True,
)


def parse_events(path: Path) -> pd.DataFrame:
    """One row per coup event: date, COW code, outcome, initiators and the executive's fate (0/1 flags)."""
    raw = read_text_table(path, required=_COLUMNS)
    frame = numeric(raw, ["cowcode", "year", "month", "day", *FLAGS], path.name, integer=True)
    frame = frame[_COLUMNS].copy()
    frame["coup_id"] = frame["coup_id"].str.strip()
    frame["event_type"] = frame["event_type"].str.strip()
    frame.insert(6, "event_date", compose_date(frame, "year", "month", "day", path.name))
    check_unique(frame, ["coup_id"], path.name)
    return validate(frame, EVENTS_SCHEMA, path.name)


TABLES = (
    Table(
        name="cdp_events",
        expected=Expected(rows=981, first_year=1945, last_year=2022),
        source=SOURCE,
        filename="Coup_Data_v2.1.2.csv",
        parse=parse_events,
        description=(
            "Coup events, one row each: event_type coup (realized) / attempted / conspiracy; 0/1 flags "
            "for outcome (unrealized, realized, conspiracy, attempt), initiator (military, dissident, rebel, "
            "palace, foreign, auto = self-coup, resign, popular, counter, other) and the executive's fate "
            "(noharm, injured, killed, harrest = house arrest, jailed, tried, fled, exile)"
        ),
        country=CountryKey("cow", "cowcode"),
        unique=("coup_id",),
    ),
)
