"""Mass Mobilization (MM) protest data, Clark & Regan, release mmALL_073120: events 1990 to March 2020.

Protests of 50 or more people publicly demanding something of the government, in 166 countries (no
micro-states). The publisher's full file (about 14 MB with the notes and news sources) is not in the mirror: the
mirror holds the complete event table derived from it by the EmFib/Mass-Protests project (``protest == 0``
placeholder rows dropped, notes dropped, demands and state responses as counts of mentions), and a country-year
summary derived from that table with MM's own "no protest this year" rows as explicit zeros. Countries carry
MM's COW-style ``ccode`` with MM's own choices (Ethiopia 529 from 2016, Yemen 679 to 2015, Kosovo 341, Serbia
342, Yugoslavia 347 for 1993-2002), mapped in ``overrides.csv``.

Caveats: 2020 is a partial year (to 31 March); ``participants_category`` is missing for 36-63% of events in every
year 1990-2013, so the size counts are not comparable before and after 2014; counts follow news coverage.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from coupwatch.sources._dates import DATE_DTYPE, parse_dates
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

_COMMIT = "4a738665c6adff16ae56b7d162816bb3a3800599"
_CITATION = """@misc{clark2016mass,
  author    = {Clark, David and Regan, Patrick},
  title     = {Mass Mobilization Protest Data},
  publisher = {Harvard Dataverse},
  version   = {V5},
  year      = {2016},
  doi       = {10.7910/DVN/HTTWYL}
}"""

SOURCE = SourceSpec(
    name="mass_mobilization",
    folder="mass_mobilization",
    title="Mass Mobilization Protest Data (events and country-years)",
    publisher="David H. Clark (Binghamton University) & Patrick M. Regan (University of Notre Dame)",
    version="mmALL_073120 (release of 31 July 2020, Harvard Dataverse V5)",
    files=(
        RemoteFile(
            "mm_events_1990_2020_from_mmALL_073120.csv",
            f"https://raw.githubusercontent.com/EmFib/Mass-Protests/{_COMMIT}/data/mm_master.csv",
            "50d55b677bccf3f03ca191e100fa1073703cc66d530d66b2cdcbe4e5032e2dba",
            note=(
                "The publisher serves mmALL_073120_csv.csv at https://doi.org/10.7910/DVN/HTTWYL; this is the "
                "event table a third party built from it (EmFib/Mass-Protests data/mm_master.csv, byte copy): "
                "placeholder rows dropped, notes and sources dropped, responses and demands as 0/1 dummies."
            ),
        ),
        RemoteFile(
            "mm_country_year_1990_2020.csv",
            "https://doi.org/10.7910/DVN/HTTWYL",
            "a421a4f9bb2730b6edad0cb248e2b133d29e3116c31e18aa05f07dd2a5c11d51",
            note=(
                "Derived from the event file: counts per country and year, plus MM's own no-protest "
                "country-years (protest == 0 in the publisher's file) as explicit zero rows. Build it from the "
                "publisher's file the same way; an absent country-year is not covered by MM."
            ),
        ),
    ),
    licence="Terms as on the Harvard Dataverse page (Dataverse default CC0 1.0, not verified); cite Clark & Regan",
    citation=_CITATION,
    coverage=(
        "1990 to 31 March 2020 (2020 partial), 166 countries, 15,239 events, 4,873 country-years incl. zero "
        "rows; no micro-states"
    ),
    homepage="https://massmobilization.github.io/",
)

COUNT_COLUMNS = [
    "n_events", "n_protester_violence", "n_demand_removal_of_politician", "n_demand_political_behavior_process",
    "n_participants_5000plus", "n_participants_gt10000", "n_state_killings", "n_state_shootings",
    "n_state_accomodation",
]
_COUNTRY_YEAR_COLUMNS = ["country", "year", "ccode", *COUNT_COLUMNS]

COUNTRY_YEAR_SCHEMA = pa.DataFrameSchema(
    {
        "country": pa.Column(str),
        "year": year_column(1990, 2020),
        "ccode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        **{column: pa.Column("Int64", pa.Check.ge(0)) for column in COUNT_COLUMNS},
    },
    checks=[
        pa.Check(
            lambda f: f[[c for c in COUNT_COLUMNS if c != "n_events"]].le(f["n_events"], axis=0).all(axis=1),
            error="a count of events with some trait exceeds the country-year's number of events",
        )
    ],
    strict=True,
    ordered=True,
)


def parse_country_year(path: Path) -> pd.DataFrame:
    """One row per MM country-year 1990-2020 (zeros where MM codes no protest; 2020 to March only)."""
    raw = read_text_table(path, required=_COUNTRY_YEAR_COLUMNS)
    frame = numeric(raw, ["year", "ccode", *COUNT_COLUMNS], path.name, integer=True)
    frame = frame[_COUNTRY_YEAR_COLUMNS].copy()
    frame["country"] = frame["country"].astype("string").str.strip().astype(object)
    check_unique(frame, ["country", "year"], path.name)
    return validate(frame, COUNTRY_YEAR_SCHEMA, path.name)


DEMANDS = [
    "labor_wage_dispute", "land_farm_issue", "police_brutality", "political_behavior_process",
    "price increases_tax_policy", "removal_of_politician", "social_restrictions",
]
RESPONSES = ["arrests", "accomodation", "beatings", "crowddispersal", "ignore", "killings", "shootings"]
_EVENT_COLUMNS = [
    "id", "country", "ccode", "year", "region", "protestnumber", "protesterviolence", "location",
    "participants_category", "participants", "protesteridentity", *RESPONSES, *DEMANDS, "start_date", "end_date",
]
PARTICIPANT_CATEGORIES = ["50-99", "100-999", "1000-1999", "2000-4999", "5000-10000", ">10000"]

EVENTS_SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column("Int64", pa.Check.gt(0)),
        "country": pa.Column(str),
        "ccode": pa.Column("Int64", pa.Check.in_range(2, 999)),
        "year": year_column(1990, 2020),
        "region": pa.Column(str, nullable=True),
        "protestnumber": pa.Column("Int64", pa.Check.ge(0)),
        "protesterviolence": pa.Column("Int64", pa.Check.isin([0, 1]), nullable=True),
        "location": pa.Column(str, nullable=True),
        "participants_category": pa.Column(str, pa.Check.isin(PARTICIPANT_CATEGORIES), nullable=True),
        "participants": pa.Column(str, nullable=True),
        "protesteridentity": pa.Column(str, nullable=True),
        # How many of the event's coded responses (up to 7) and demands (up to 4) name this one: 0, 1, rarely 2.
        **{column: pa.Column("Int64", pa.Check.in_range(0, 7)) for column in RESPONSES},
        **{column: pa.Column("Int64", pa.Check.in_range(0, 4)) for column in DEMANDS},
        "start_date": pa.Column(DATE_DTYPE, nullable=True),
        "end_date": pa.Column(DATE_DTYPE, nullable=True),
    },
    strict=True,
    ordered=True,
)


def parse_events(path: Path) -> pd.DataFrame:
    """One row per protest event: place, size class, protester violence, demands and state responses (counts)."""
    raw = read_text_table(path, required=_EVENT_COLUMNS)
    frame = numeric(raw, ["id", "ccode", "year", "protestnumber", "protesterviolence", *RESPONSES, *DEMANDS],
                    path.name, integer=True)
    frame = parse_dates(frame, ["start_date", "end_date"], path.name, formats=("%Y-%m-%d",))
    frame = stripped_text(
        frame, ["country", "region", "location", "participants_category", "participants", "protesteridentity"]
    )
    frame = frame[_EVENT_COLUMNS].copy()
    check_unique(frame, ["id"], path.name)
    return validate(frame, EVENTS_SCHEMA, path.name)


TABLES = (
    Table(
        name="mm_country_year",
        source=SOURCE,
        filename="mm_country_year_1990_2020.csv",
        parse=parse_country_year,
        description=(
            "Mass Mobilization protests per country-year 1990-2020 (2020 to 31 March only; zero rows where MM "
            "codes no protest, absent = not covered): n_events, with protester violence, demanding removal of a "
            "politician, demanding political change, 5,000+ and >10,000 participants (size missing for many "
            "events before 2014), met with state killings, shootings, accommodation; MM ccode (COW-style)"
        ),
        country=CountryKey("cow", "ccode"),
        unique=("country", "year"),
    ),
    Table(
        name="mm_events",
        source=SOURCE,
        filename="mm_events_1990_2020_from_mmALL_073120.csv",
        parse=parse_events,
        description=(
            "Mass Mobilization protest events 1990 to March 2020 (>= 50 protesters, demands on the government): "
            "id (ccode-year-number), dates, location, participants_category and free-text participants, "
            "protesterviolence, demands and state responses (times named, mostly 0/1); MM ccode"
        ),
        country=CountryKey("cow", "ccode"),
        unique=("id",),
    ),
)
