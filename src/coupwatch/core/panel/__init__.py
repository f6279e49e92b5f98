"""Country-year and country-month panels of Gleditsch-Ward states, peacesciencer's shape.

``country_years(1990, 2023)`` gives every state-year that existed; each ``add_*`` function adds documented
columns from one area (coups, V-Dem, SIPRI, conflict, ...) and never changes the number of rows. The panel
carries its unit and state system in ``DataFrame.attrs``; adders refuse a frame that is not a panel.

The functions are pure when given a ``data`` source (any object with ``table(name)`` and ``states``); with no
source they read the local warehouse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

import pandas as pd

from coupwatch.states.system import StateSystem

UNIT_YEAR = "country-year"
UNIT_MONTH = "country-month"


class DataSource(Protocol):
    """Where adders get source tables: the warehouse, or frames in memory."""

    @property
    def states(self) -> StateSystem: ...

    def table(self, name: str) -> pd.DataFrame: ...


@dataclass(frozen=True)
class FrameSource:
    """Source tables held in memory (used by the warehouse build and by tests)."""

    tables: Mapping[str, pd.DataFrame]
    states: StateSystem

    def table(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(f"source table {name!r} is not loaded; loaded: {', '.join(self.tables)}") from None


@dataclass(frozen=True)
class ColumnDoc:
    """What a panel column means, where it comes from, and when its value is known."""

    name: str
    description: str
    source: str
    unit: str = ""


COLUMNS: dict[str, ColumnDoc] = {}


def _document(adder: str, docs: Iterable[ColumnDoc]) -> None:
    for doc in docs:
        COLUMNS[doc.name] = doc
    ADDERS.setdefault(adder, [])
    ADDERS[adder].extend(d.name for d in docs)


ADDERS: dict[str, list[str]] = {}


def _source(data: DataSource | None) -> DataSource:
    if data is not None:
        return data
    from coupwatch.store.reader import Warehouse  # I/O only when the caller gave no data

    return Warehouse().source()


# ---------------------------------------------------------------------------------------------------------
# Panels
# ---------------------------------------------------------------------------------------------------------

def _frame_panel(base: pd.DataFrame, states: StateSystem, unit: str, start: int, end: int) -> pd.DataFrame:
    countries = states.countries[["gwcode", "iso3", "gwc", "name", "region", "subregion", "africa", "microstate"]]
    panel = base.merge(countries.rename(columns={"name": "country"}), on="gwcode", how="left")
    panel["gwcode"] = panel["gwcode"].astype("int64")
    panel["year"] = panel["year"].astype("int64")
    panel.attrs.update({"unit": unit, "system": "gleditsch-ward", "start": start, "end": end})
    return panel


def country_years(start: int, end: int, data: DataSource | None = None) -> pd.DataFrame:
    """Every Gleditsch-Ward state-year from ``start`` to ``end`` (a state counts if it existed on any day).

    Columns: gwcode, year, iso3, gwc (G&W letter code), country, region, subregion (UN), africa, microstate.
    """
    states = _source(data).states
    return _frame_panel(states.state_years(start, end), states, UNIT_YEAR, start, end)


def country_months(start: int, end: int, data: DataSource | None = None) -> pd.DataFrame:
    """Every Gleditsch-Ward state-month from January ``start`` to December ``end``."""
    states = _source(data).states
    panel = _frame_panel(states.state_months(start, end), states, UNIT_MONTH, start, end)
    panel["month"] = panel["month"].astype("int64")
    return panel[["gwcode", "year", "month", *[c for c in panel.columns if c not in ("gwcode", "year", "month")]]]


def panel_unit(panel: pd.DataFrame) -> str:
    unit = panel.attrs.get("unit")
    if unit not in (UNIT_YEAR, UNIT_MONTH):
        raise TypeError(
            "expected a panel from country_years() or country_months() (its attrs['unit'] is "
            f"{unit!r}); supported units: {UNIT_YEAR}, {UNIT_MONTH}"
        )
    return str(unit)


def _keys(panel: pd.DataFrame) -> list[str]:
    return ["gwcode", "year", "month"] if panel_unit(panel) == UNIT_MONTH else ["gwcode", "year"]


def merge_columns(
    panel: pd.DataFrame, values: pd.DataFrame, on: list[str], fill: Mapping[str, float | str] | None = None
) -> pd.DataFrame:
    """Left-join ``values`` (unique on ``on``) to the panel; the row count cannot change."""
    if values.duplicated(subset=on).any():
        dup = values[values.duplicated(subset=on, keep=False)].head(4)
        raise ValueError(f"values to add are not unique on {on}: {dup.to_dict('records')}")
    clash = [c for c in values.columns if c in panel.columns and c not in on]
    base = panel.drop(columns=clash)
    out = base.merge(values, on=on, how="left", validate="many_to_one")
    if len(out) != len(panel):  # pragma: no cover - guarded by validate above
        raise AssertionError("an add changed the panel's row count")
    for column, value in (fill or {}).items():
        out[column] = out[column].fillna(value)
    out.attrs = dict(panel.attrs)
    return out


def mapped(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that mapped to a state that existed in the row's year."""
    return frame[frame["gw_match"] == "mapped"]


def within_coverage(panel: pd.DataFrame, columns: list[str], first: int | None, last: int | None) -> pd.DataFrame:
    """Set ``columns`` to missing outside the source's coverage years (unknown, not zero)."""
    outside = pd.Series(False, index=panel.index)
    if first is not None:
        outside |= panel["year"] < first
    if last is not None:
        outside |= panel["year"] > last
    for column in columns:
        values = panel[column]
        whole = values.dropna().eq(values.dropna().round()).all()
        panel[column] = values.astype("Int64" if whole else "Float64")
        panel.loc[outside, column] = pd.NA
    return panel


# ---------------------------------------------------------------------------------------------------------
# Coups
# ---------------------------------------------------------------------------------------------------------

_document(
    "add_coups",
    [
        ColumnDoc("pt_attempts", "Coup attempts (failed or successful), Powell & Thyne", "pt_events", "count"),
        ColumnDoc("pt_successes", "Successful coups, Powell & Thyne", "pt_events", "count"),
        ColumnDoc("pt_failures", "Failed coup attempts, Powell & Thyne", "pt_events", "count"),
        ColumnDoc("pt_attempt", "1 if at least one coup attempt, Powell & Thyne", "pt_events", "0/1"),
        ColumnDoc("pt_success", "1 if at least one successful coup, Powell & Thyne", "pt_events", "0/1"),
        ColumnDoc("cdp_coups", "Realised coups, Cline Center CDP", "cdp_events", "count"),
        ColumnDoc("cdp_attempts", "Attempted coups that failed, Cline Center CDP", "cdp_events", "count"),
        ColumnDoc("cdp_conspiracies", "Coup conspiracies (plots stopped before action), CDP", "cdp_events", "count"),
        ColumnDoc("cdp_events", "All CDP events (coups, attempts, conspiracies)", "cdp_events", "count"),
    ],
)

PT_COLUMNS = ["pt_attempts", "pt_successes", "pt_failures", "pt_attempt", "pt_success"]
CDP_COLUMNS = ["cdp_coups", "cdp_attempts", "cdp_conspiracies", "cdp_events"]


def _coverage_years(frame: pd.DataFrame) -> tuple[int, int]:
    years = frame["year"].dropna().astype(int)
    return int(years.min()), int(years.max())


def add_coups(panel: pd.DataFrame, data: DataSource | None = None) -> pd.DataFrame:
    """Coup attempts, successes and failures (Powell & Thyne) with CDP counts alongside.

    Counts are zero in covered years without events and missing outside a source's coverage (P&T from 1950
    to its last year; CDP 1945-2022).
    """
    keys = _keys(panel)
    source = _source(data)
    pt = mapped(source.table("pt_events"))
    pt_counts = (
        pt.assign(
            pt_attempts=1,
            pt_successes=(pt["coup"] == 2).astype(int),
            pt_failures=(pt["coup"] == 1).astype(int),
        )
        .groupby(keys)[["pt_attempts", "pt_successes", "pt_failures"]]
        .sum()
        .reset_index()
    )
    out = merge_columns(panel, pt_counts, keys, fill=dict.fromkeys(PT_COLUMNS[:3], 0))
    out["pt_attempt"] = (out["pt_attempts"] > 0).astype(int)
    out["pt_success"] = (out["pt_successes"] > 0).astype(int)
    # The country-year file of the same release says which years it codes (V2025.09.12: to 2025).
    pt_first, pt_last = 1950, int(source.table("pt_country_year")["year"].max())
    out = within_coverage(out, PT_COLUMNS, pt_first, pt_last)

    cdp = mapped(source.table("cdp_events"))
    kinds = cdp["event_type"].str.lower()
    cdp_counts = (
        cdp.assign(
            cdp_coups=(kinds == "coup").astype(int),
            cdp_attempts=(kinds == "attempted").astype(int),
            cdp_conspiracies=(kinds == "conspiracy").astype(int),
            cdp_events=1,
        )
        .groupby(keys)[CDP_COLUMNS]
        .sum()
        .reset_index()
    )
    out = merge_columns(out, cdp_counts, keys, fill=dict.fromkeys(CDP_COLUMNS, 0))
    _, cdp_last = _coverage_years(source.table("cdp_events"))
    return within_coverage(out, CDP_COLUMNS, 1945, cdp_last)


# ---------------------------------------------------------------------------------------------------------
# Shared helpers for yearly sources
# ---------------------------------------------------------------------------------------------------------

def _yearly(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    year_column: str = "year",
    table: str,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """gwcode-year values from a mapped source table, renamed; two rows for one state-year is an error.

    Rows with no value in ``columns`` are dropped; ``labels`` are carried along without counting as values.
    """
    rows = mapped(frame)
    renames = {**columns, **(labels or {})}
    out = rows[["gwcode", year_column, *renames]].rename(columns={year_column: "year", **renames})
    out = out.astype({"gwcode": "int64", "year": "int64"})
    out = out.dropna(subset=list(columns.values()), how="all")
    dup = out.duplicated(subset=["gwcode", "year"], keep=False)
    if dup.any():
        sample = out[dup].head(4).to_dict("records")
        raise ValueError(
            f"{table}: several rows map to the same state-year, e.g. {sample}; add an override or ignore "
            "line in src/coupwatch/states/data so each state-year has one row"
        )
    return out


def _state_year_wide(
    rows: pd.DataFrame, column: str, values: str, names: Mapping[str, str], aggfunc: Literal["first", "sum"] = "first"
) -> pd.DataFrame:
    """Long mapped rows to one row per state-year, one column per value of ``column`` renamed by ``names``."""
    wide = rows.pivot_table(index=["gwcode", "year"], columns=column, values=values, aggfunc=aggfunc)
    wide = wide.rename(columns=dict(names)).reset_index()
    wide.columns.name = None
    return wide.astype({"gwcode": "int64", "year": "int64"})


def _add_yearly(panel: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    return merge_columns(panel, values, ["gwcode", "year"])


# ---------------------------------------------------------------------------------------------------------
# V-Dem and regimes
# ---------------------------------------------------------------------------------------------------------

VDEM_V12 = {
    "v2x_polyarchy": "Electoral democracy index (0-1)",
    "v2x_liberal": "Liberal component index (0-1)",
    "v2x_jucon": "Judicial constraints on the executive index (0-1)",
    "v2xlg_legcon": "Legislative constraints on the executive index (0-1)",
    "v2x_cspart": "Civil society participation index (0-1)",
    "v2xcs_ccsi": "Core civil society index (0-1)",
    "v2x_corr": "Political corruption index (0-1, higher = more corrupt)",
    "v2x_execorr": "Executive corruption index (0-1)",
    "v2x_pubcorr": "Public sector corruption index (0-1)",
    "v2x_rule": "Rule of law index (0-1)",
    "v2xcl_rol": "Equality before the law and individual liberty index (0-1)",
    "v2x_clphy": "Physical violence index (0-1, higher = more freedom from political killings and torture)",
    "v2x_civlib": "Civil liberties index (0-1)",
    "v2x_clpol": "Political civil liberties index (0-1)",
    "v2x_ex_military": "Military dimension index: how far the military chooses and removes the executive (0-1)",
    "v2x_ex_confidence": "Confidence dimension index (0-1)",
    "v2x_ex_direlect": "Direct popular election dimension index (0-1)",
    "v2x_ex_hereditary": "Hereditary dimension index (0-1)",
    "v2x_ex_party": "Ruling party dimension index (0-1)",
    "v2x_neopat": "Neopatrimonial rule index (0-1)",
    "v2xel_frefair": "Clean elections index (0-1)",
    "v2x_frassoc_thick": "Freedom of association index (0-1)",
    "v2x_freexp_altinf": "Freedom of expression and alternative sources of information index (0-1)",
    "v2x_veracc_osp": "Vertical accountability index (0-1)",
    "v2x_horacc_osp": "Horizontal accountability index (0-1)",
    "v2svstterr": "State authority over territory (percent)",
    "v2csreprss": "CSO repression (ordinal, higher = less repression)",
    "v2clkill": "Freedom from political killings (ordinal, higher = freer)",
    "v2cltort": "Freedom from torture (ordinal, higher = freer)",
    "v2jupurge": "Judicial purges (ordinal, higher = fewer)",
    "v2jupack": "Court packing (ordinal, higher = less)",
}
VDEM_V14 = ("v2x_veracc_osp", "v2xcs_ccsi", "v2xcl_rol", "v2x_freexp_altinf", "v2x_horacc_osp", "v2x_pubcorr")
# The v12 series that V-Dem v14's country-year file (vdem_v14_mobilisation) also carries: v14 replaces them.
VDEM_FROM_V14 = tuple(
    c for c in VDEM_V12
    if c not in ("v2x_liberal", "v2x_frassoc_thick", "v2x_veracc_osp", "v2x_horacc_osp", "v2svstterr", "v2jupurge",
                 "v2jupack")
)


def _vdem_vintage(name: str) -> tuple[str, str]:
    if name in VDEM_FROM_V14:
        return "V-Dem v14 (1970-2023; v12 where v14 has no value)", "vdem_v14_mobilisation"
    return "V-Dem v12 (1970-2021)", "vdem_v12_selected"


_document(
    "add_vdem",
    [ColumnDoc(name, f"{text}, {_vdem_vintage(name)[0]}", _vdem_vintage(name)[1], "index")
     for name, text in VDEM_V12.items()]
    + [
        ColumnDoc(f"{name}_v14", f"{VDEM_V12[name]}, V-Dem v14 (1968-2023)", "vdem_v14_indices", "index")
        for name in VDEM_V14
    ],
)


def _newest_vdem(v12: pd.DataFrame, v14: pd.DataFrame) -> pd.DataFrame:
    """v14's value where it has one, else v12's (state-years v14 does not cover keep their v12 value)."""
    newer = v14.set_index(["gwcode", "year"])
    older = v12.set_index(["gwcode", "year"])
    shared = [c for c in newer.columns if c in older.columns]
    return newer[shared].combine_first(older).reset_index()


def add_vdem(panel: pd.DataFrame, data: DataSource | None = None) -> pd.DataFrame:
    """V-Dem indices under their V-Dem names: from V-Dem v14 (to 2023) where its country-year file has the series
    (:data:`VDEM_FROM_V14`), else v12 (to 2021); and the six demspaces v14 indices with _v14."""
    panel_unit(panel)
    source = _source(data)
    v12 = _yearly(source.table("vdem_v12_selected"), {c: c for c in VDEM_V12}, table="vdem_v12_selected")
    newest = _yearly(source.table("vdem_v14_mobilisation"), {c: c for c in VDEM_FROM_V14},
                     table="vdem_v14_mobilisation")
    v12 = _newest_vdem(v12, newest)[["gwcode", "year", *VDEM_V12]]
    v14 = _yearly(
        source.table("vdem_v14_indices"), {c: f"{c}_v14" for c in VDEM_V14}, table="vdem_v14_indices"
    )
    return _add_yearly(_add_yearly(panel, v12), v14)


_document(
    "add_regime",
    [
        ColumnDoc("polity2", "Polity2 score (-10 autocracy to +10 democracy), Polity5 (to 2018)", "polity5_polity2"),
        ColumnDoc(
            "v2x_regime",
            "Regimes of the World (0 closed autocracy, 1 electoral autocracy, 2 electoral democracy, "
            "3 liberal democracy), V-Dem v14 (to 2023; v12 where v14 has no value)",
            "vdem_v14_mobilisation",
        ),
        ColumnDoc(
            "gwf_regime",
            "Regime type in place on 1 July (GWF categories extended by REIGN to 2020: military, personal, "
            "party-based, monarchy, presidential, parliamentary, ...)",
            "reign_regimes",
        ),
        ColumnDoc("regime_military", "1 if the GWF regime type involves the military (military, "
                  "indirect military, provisional military, party-military, military personal)",
                  "reign_regimes", "0/1"),
    ],
)


def _spell_on(frame: pd.DataFrame, start: str, end: str, years: pd.DataFrame) -> pd.DataFrame:
    """For each state-year in ``years`` (gwcode, year), the spell covering 1 July of that year."""
    spells = mapped(frame).copy()
    spells["_start"] = pd.to_datetime(spells[start], errors="coerce")
    spells["_end"] = pd.to_datetime(spells[end], errors="coerce")
    merged = years.merge(spells, on="gwcode", how="inner")
    mid = pd.to_datetime(merged["year"].astype(str) + "-07-01")
    covering = merged[(merged["_start"] <= mid) & (merged["_end"].isna() | (merged["_end"] >= mid))]
    return covering.sort_values("_start").drop_duplicates(subset=["gwcode", "year"], keep="last")


def add_regime(panel: pd.DataFrame, data: DataSource | None = None) -> pd.DataFrame:
    """Regime type: Polity2, V-Dem's Regimes of the World, and the GWF regime type (REIGN's extension)."""
    panel_unit(panel)
    source = _source(data)
    polity = _yearly(source.table("polity5_polity2"), {"polity2": "polity2"}, table="polity5_polity2")
    regime = _newest_vdem(
        _yearly(source.table("vdem_v12_regime"), {"v2x_regime": "v2x_regime"}, table="vdem_v12_regime"),
        _yearly(source.table("vdem_v14_mobilisation"), {"v2x_regime": "v2x_regime"}, table="vdem_v14_mobilisation"),
    )
    out = _add_yearly(_add_yearly(panel, polity), regime)
    years = out[["gwcode", "year"]].drop_duplicates()
    gwf = _spell_on(source.table("reign_regimes"), "gwf_startdate", "gwf_enddate", years)
    gwf = gwf.assign(gwf_regime=gwf["gwf_regimetype"].str.strip())[["gwcode", "year", "gwf_regime"]]
    gwf["regime_military"] = gwf["gwf_regime"].str.contains("military").astype("Int64")
    return _add_yearly(out, gwf)


# ---------------------------------------------------------------------------------------------------------
# Leaders
# ---------------------------------------------------------------------------------------------------------

_document(
    "add_leaders",
    [
        ColumnDoc("leader", "Leader in office on 1 July (Archigos 4.1, to 2015)", "archigos_leaders"),
        ColumnDoc("leader_tenure_years", "Years the 1 July leader had been in office by 31 December (Archigos)",
                  "archigos_leaders", "years"),
        ColumnDoc("leader_irregular_entry", "1 if the 1 July leader came to power irregularly (Archigos)",
                  "archigos_leaders", "0/1"),
        ColumnDoc("leader_changes", "Leaders who left office during the year (Archigos)", "archigos_leaders", "count"),
        ColumnDoc("irregular_exits", "Leaders removed irregularly during the year (Archigos)", "archigos_leaders",
                  "count"),
        ColumnDoc("leader_military_career",
                  "Military career of the 1 July leader: 1 yes, 0.5 partial, 0 no (REIGN, to 2021)",
                  "reign_leaders", "0-1"),
        ColumnDoc("reign_leader_tenure_years", "Tenure of the 1 July leader by 31 December (REIGN, to 2021)",
                  "reign_leaders", "years"),
        ColumnDoc("leader_age", "Age of the 1 July leader at the end of the year (REIGN, to 2021)", "reign_leaders",
                  "years"),
    ],
)


def add_leaders(panel: pd.DataFrame, data: DataSource | None = None) -> pd.DataFrame:
    """Leaders in office, tenure, irregular entry and exits (Archigos), military career (REIGN)."""
    panel_unit(panel)
    source = _source(data)
    archigos = source.table("archigos_leaders")
    years = panel[["gwcode", "year"]].drop_duplicates()
    arch_last = int(pd.to_datetime(archigos["enddate"], errors="coerce").dt.year.max())
    on = _spell_on(archigos, "startdate", "enddate", years)
    year_end = pd.to_datetime(on["year"].astype(str) + "-12-31")
    on = on.assign(
        leader=on["leader"],
        leader_tenure_years=((year_end - on["_start"]).dt.days / 365.25).round(2),
        leader_irregular_entry=(on["entry"] == "Irregular").astype("Int64"),
    )[["gwcode", "year", "leader", "leader_tenure_years", "leader_irregular_entry"]]
    exits = mapped(archigos).assign(
        year=pd.to_datetime(mapped(archigos)["enddate"], errors="coerce").dt.year,
        leader_changes=lambda f: (f["exit"] != "Still in Office").astype(int),
        irregular_exits=lambda f: (f["exit"] == "Irregular").astype(int),
    )
    exits = exits.dropna(subset=["year"]).astype({"year": "int64", "gwcode": "int64"})
    exits = exits.groupby(["gwcode", "year"])[["leader_changes", "irregular_exits"]].sum().reset_index()
    out = _add_yearly(_add_yearly(panel, on), exits)
    out = within_coverage(out, ["leader_changes", "irregular_exits"], None, arch_last)
    covered = out["year"] <= arch_last
    for column in ("leader_changes", "irregular_exits"):
        out.loc[covered, column] = out.loc[covered, column].fillna(0)

    reign = source.table("reign_leaders").copy()
    # REIGN gives end year and month only; a spell with no end year is still running.
    end_year = pd.to_numeric(reign["eyear"], errors="coerce")
    end_month = pd.to_numeric(reign["emonth"], errors="coerce").fillna(12)
    reign["_end"] = pd.to_datetime(
        end_year.astype("Int64").astype("string") + "-" + end_month.astype("Int64").astype("string") + "-28",
        errors="coerce",
    )
    reign_on = _spell_on(reign, "start_date", "_end", years)
    year_end = pd.to_datetime(reign_on["year"].astype(str) + "-12-31")
    reign_on = reign_on.assign(
        leader_military_career=pd.to_numeric(reign_on["militarycareer"], errors="coerce"),
        reign_leader_tenure_years=((year_end - reign_on["_start"]).dt.days / 365.25).round(2),
        leader_age=reign_on["year"] - pd.to_numeric(reign_on["birthyear"], errors="coerce"),
    )[["gwcode", "year", "leader_military_career", "reign_leader_tenure_years", "leader_age"]]
    out = _add_yearly(out, reign_on)
    # Leaders still in office when REIGN's list was made (March 2021) say nothing about later years.
    reign_last = int(max(pd.to_numeric(reign["syear"]).max(), pd.to_numeric(reign["eyear"]).max()))
    return within_coverage(out, ["leader_military_career", "reign_leader_tenure_years", "leader_age"], None, reign_last)


# ---------------------------------------------------------------------------------------------------------
# Elections (REIGN)
# ---------------------------------------------------------------------------------------------------------

ELECTION_LAST_FULL_YEAR = 2020  # REIGN's election list was last updated in March 2021
_document(
    "add_elections",
    [
        ColumnDoc("exec_votes", "Executive elections held (REIGN election list, votes as scheduled or early; to 2020)",
                  "reign_elections", "count"),
        ColumnDoc("leg_votes", "Legislative elections held (REIGN, to 2020)", "reign_elections", "count"),
        ColumnDoc("election_delays", "Elections whose delay was announced or whose legal deadline passed unmet "
                  "(REIGN, to 2020)", "reign_elections", "count"),
        ColumnDoc("elections_voided", "Elections voided, annulled or ended by regime failure (REIGN, to 2020)",
                  "reign_elections", "count"),
    ],
)


def add_elections(panel: pd.DataFrame, data: DataSource | None = None) -> pd.DataFrame:
    """Elections held, delayed and voided per year, from REIGN's election list (full years to 2020)."""
    keys = _keys(panel)
    elections = mapped(_source(data).table("reign_elections")).rename(
        columns={"elec_year": "year", "elec_month": "month"}
    )
    event = elections["event"].astype("string").str.strip()
    kind = elections["type"].astype("string")
    voted = event.str.startswith("Vote")
    counts = elections.assign(
        exec_votes=(voted & (kind == "X")).astype(int),
        leg_votes=(voted & (kind == "L")).astype(int),
        election_delays=event.isin(["Delay Announced", "Deadline Not Met", "Delay"]).astype(int),
        elections_voided=event.str.contains("Void|Anull|Annul|Regime Failure", regex=True).astype(int),
    ).astype({"gwcode": "int64", "year": "int64"})
    if "month" in keys:
        counts = counts.dropna(subset=["month"]).astype({"month": "int64"})
    columns = ["exec_votes", "leg_votes", "election_delays", "elections_voided"]
    totals = counts.groupby(keys)[columns].sum().reset_index()
    out = merge_columns(panel, totals, keys, fill=dict.fromkeys(columns, 0))
    return within_coverage(out, columns, None, ELECTION_LAST_FULL_YEAR)


# ---------------------------------------------------------------------------------------------------------
# Military spending
# ---------------------------------------------------------------------------------------------------------

_document(
    "add_milex",
    [
        ColumnDoc("milex_gdp", "Military expenditure, percent of GDP (SIPRI)", "sipri_milex", "percent"),
        ColumnDoc("milex_govt", "Military expenditure, percent of government spending (SIPRI, from 1988)",
                  "sipri_milex", "percent"),
        ColumnDoc("milex_const2024_usd_m", "Military expenditure, constant 2024 US$ million (SIPRI)",
                  "sipri_milex", "US$ m"),
        ColumnDoc("milex_current_usd_m", "Military expenditure, current US$ million (SIPRI)", "sipri_milex", "US$ m"),
        ColumnDoc("milex_per_capita_usd", "Military expenditure per person, current US$ (SIPRI, from 1988)",
                  "sipri_milex", "US$"),
        ColumnDoc("milex_gdp_status", "SIPRI's quality mark on milex_gdp: value, estimate (blue), uncertain (red)",
                  "sipri_milex"),
        ColumnDoc(
            "govt_spending_usd_m",
            "Government spending, current US$ million, DERIVED as SIPRI military spending divided by its share "
            "of government spending",
            "sipri_milex",
            "US$ m",
        ),
    ],
)


def add_milex(panel: pd.DataFrame, data: DataSource | None = None) -> pd.DataFrame:
    """SIPRI military expenditure: share of GDP and of government spending, levels, per capita."""
    panel_unit(panel)
    sipri = _source(data).table("sipri_milex")
    values = _yearly(
        sipri,
        {
            "milex_share_gdp": "milex_gdp",
            "milex_share_govt_spending": "milex_govt",
            "milex_const2024_usd_m": "milex_const2024_usd_m",
            "milex_current_usd_m": "milex_current_usd_m",
            "milex_per_capita_usd": "milex_per_capita_usd",
        },
        table="sipri_milex",
        labels={"milex_share_gdp_status": "milex_gdp_status"},
    )
    values["milex_gdp"] = values["milex_gdp"] * 100
    values["milex_govt"] = values["milex_govt"] * 100
    values["govt_spending_usd_m"] = values["milex_current_usd_m"] / (values["milex_govt"] / 100)
    out = _add_yearly(panel, values)
    return _add_yearly(out, _wdi_wide(_source(data).table("wdi"), WDI_MILITARY))


# ---------------------------------------------------------------------------------------------------------
# Conflict
# ---------------------------------------------------------------------------------------------------------

_document(
    "add_conflict",
    [
        ColumnDoc("ucdp_conflicts", "Active state-based armed conflicts located in the country (UCDP/PRIO ACD v25.1)",
                  "ucdp_acd_locations", "count"),
        ColumnDoc("ucdp_internal_conflicts", "Active intrastate or internationalised intrastate conflicts in the "
                  "country (ACD types 3 and 4)", "ucdp_acd_locations", "count"),
        ColumnDoc("ucdp_interstate_conflicts", "Active interstate conflicts located in the country (ACD type 2)",
                  "ucdp_acd_locations", "count"),
        ColumnDoc("ucdp_war", "1 if any conflict in the country reached 1,000 battle deaths (intensity 2)",
                  "ucdp_acd_locations", "0/1"),
        ColumnDoc("ucdp_max_intensity", "Highest conflict intensity in the country: 0 none, 1 minor, 2 war",
                  "ucdp_acd_locations", "0-2"),
        ColumnDoc("ged_state_based_deaths", "Deaths in state-based violence, best estimate (UCDP GED country-year "
                  "v25.1, from 1989)", "ucdp_ged_cy", "deaths"),
        ColumnDoc("ged_nonstate_deaths", "Deaths in non-state violence, best estimate (UCDP, from 1989)",
                  "ucdp_ged_cy", "deaths"),
        ColumnDoc("ged_onesided_deaths", "Civilians killed in one-sided violence by any actor, best estimate (UCDP)",
                  "ucdp_ged_cy", "deaths"),
        ColumnDoc("ged_govt_killings", "Civilians killed by the country's own government, best estimate (UCDP)",
                  "ucdp_ged_cy", "deaths"),
        ColumnDoc("ged_total_deaths", "All deaths in organised violence, best estimate (UCDP)", "ucdp_ged_cy",
                  "deaths"),
    ],
)


def add_conflict(panel: pd.DataFrame, data: DataSource | None = None) -> pd.DataFrame:
    """Armed conflict (UCDP/PRIO ACD) and deaths in organised violence (UCDP GED country-year)."""
    panel_unit(panel)
    source = _source(data)
    acd = mapped(source.table("ucdp_acd_locations"))
    acd_last = int(acd["year"].max())
    kinds = acd.assign(
        ucdp_conflicts=1,
        ucdp_internal_conflicts=acd["type_of_conflict"].isin([3, 4]).astype(int),
        ucdp_interstate_conflicts=(acd["type_of_conflict"] == 2).astype(int),
        ucdp_war=(acd["intensity_level"] == 2).astype(int),
        ucdp_max_intensity=acd["intensity_level"].astype(int),
    ).astype({"gwcode": "int64", "year": "int64"})
    counts = kinds.groupby(["gwcode", "year"]).agg(
        ucdp_conflicts=("ucdp_conflicts", "sum"),
        ucdp_internal_conflicts=("ucdp_internal_conflicts", "sum"),
        ucdp_interstate_conflicts=("ucdp_interstate_conflicts", "sum"),
        ucdp_war=("ucdp_war", "max"),
        ucdp_max_intensity=("ucdp_max_intensity", "max"),
    ).reset_index()
    acd_columns = [c for c in counts.columns if c not in ("gwcode", "year")]
    out = merge_columns(panel, counts, ["gwcode", "year"], fill=dict.fromkeys(acd_columns, 0))
    out = within_coverage(out, acd_columns, 1946, acd_last)
    ged = _yearly(
        source.table("ucdp_ged_cy"),
        {
            "sb_total_deaths_best_cy": "ged_state_based_deaths",
            "ns_total_deaths_best_cy": "ged_nonstate_deaths",
            "os_total_deaths_best_cy": "ged_onesided_deaths",
            "os_main_govt_killings_best_cy": "ged_govt_killings",
            "cumulative_total_deaths_in_orgvio_best_cy": "ged_total_deaths",
        },
        year_column="year_cy",
        table="ucdp_ged_cy",
    )
    ged_columns = [c for c in ged.columns if c not in ("gwcode", "year")]
    out = merge_columns(out, ged, ["gwcode", "year"])
    ged_last = int(ged["year"].max())
    covered = (out["year"] >= 1989) & (out["year"] <= ged_last)
    for column in ged_columns:
        out[column] = out[column].astype("Float64")
        out.loc[covered, column] = out.loc[covered, column].fillna(0)
    return out


# ---------------------------------------------------------------------------------------------------------
# Governance (WGI)
# ---------------------------------------------------------------------------------------------------------

WGI_INDICATORS = {
    "va": "Voice and accountability",
    "pv": "Political stability and absence of violence/terrorism",
    "ge": "Government effectiveness",
    "rq": "Regulatory quality",
    "rl": "Rule of law",
    "cc": "Control of corruption",
}
_document(
    "add_governance",
    [
        ColumnDoc(f"wgi_{code}", f"{text}, estimate (about -2.5 to 2.5; WGI 2024 update, 1996-2023, "
                  "no 1997/1999/2001)", "wgi", "z-score")
        for code, text in WGI_INDICATORS.items()
    ],
)


def add_governance(panel: pd.DataFrame, data: DataSource | None = None) -> pd.DataFrame:
    """Worldwide Governance Indicators: the six estimates."""
    panel_unit(panel)
    wgi = mapped(_source(data).table("wgi"))
    wide = _state_year_wide(wgi, "indicator", "estimate", {k: f"wgi_{k}" for k in WGI_INDICATORS})
    keep = ["gwcode", "year", *[f"wgi_{k}" for k in WGI_INDICATORS if f"wgi_{k}" in wide.columns]]
    return _add_yearly(panel, wide[keep])


# ---------------------------------------------------------------------------------------------------------
# Economy
# ---------------------------------------------------------------------------------------------------------

WDI_ECONOMY = {
    "NY.GDP.PCAP.KD": ("gdp_pc", "GDP per person, constant 2015 US$ (WDI, 2022 vintage, to 2020)", "US$"),
    "NY.GDP.PCAP.KD.ZG": ("gdp_pc_growth", "GDP per person growth (WDI, to 2020)", "percent"),
    "FP.CPI.TOTL.ZG": ("inflation", "Consumer price inflation (WDI, to 2021)", "percent"),
    "NY.GDP.TOTL.RT.ZS": ("resource_rents", "Natural resource rents, percent of GDP (WDI, to 2019)", "percent"),
    "DT.ODA.ODAT.GN.ZS": ("oda_gni", "Net official development assistance received, percent of GNI (WDI, to 2019)",
                          "percent"),
}
WDI_MILITARY = {
    "MS.MIL.TOTL.P1": ("armed_forces", "Armed forces personnel (WDI from IISS, to 2019)", "persons"),
    "MS.MIL.TOTL.TF.ZS": ("armed_forces_labour", "Armed forces personnel, percent of labour force (WDI)", "percent"),
    "MS.MIL.MPRT.KD": ("arms_imports_tiv", "Arms imports, SIPRI trend-indicator values (WDI, to 2020)", "TIV"),
}
WEO_FIRST_PROJECTION_YEAR = 2022
WEO_SUBJECTS = {
    "GGR_NGDP": ("revenue_gdp", "General government revenue incl. grants, percent of GDP (IMF WEO Apr 2022, "
                 "to 2021; no projections)", "percent"),
    "GGX_NGDP": ("govt_expenditure_gdp", "General government expenditure, percent of GDP (IMF WEO Apr 2022)",
                 "percent"),
    "NGDPD": ("gdp_usd_bn", "GDP, current US$ billion (IMF WEO Apr 2022, to 2021)", "US$ bn"),
}
_document(
    "add_economy",
    [ColumnDoc(name, text, "wdi", unit) for name, text, unit in WDI_ECONOMY.values()]
    + [ColumnDoc("population", "Population (UN World Population Prospects 2024 via Our World in Data, "
                 "estimates to 2023)", "population_wpp", "persons")]
    + [ColumnDoc(name, text, "weo", unit) for name, text, unit in WEO_SUBJECTS.values()]
    + [ColumnDoc("revenue_usd_bn", "General government revenue, current US$ billion, DERIVED as revenue_gdp x "
                 "gdp_usd_bn (IMF WEO)", "weo", "US$ bn")],
)
_document("add_milex", [ColumnDoc(name, text, "wdi", unit) for name, text, unit in WDI_MILITARY.values()])


def _wdi_wide(frame: pd.DataFrame, indicators: Mapping[str, tuple[str, str, str]]) -> pd.DataFrame:
    rows = mapped(frame)
    rows = rows[rows["indicator_code"].isin(list(indicators))]
    return _state_year_wide(rows, "indicator_code", "value", {code: name for code, (name, _, _) in indicators.items()})


def add_economy(panel: pd.DataFrame, data: DataSource | None = None) -> pd.DataFrame:
    """GDP per person and growth, inflation, resource rents, aid dependence (WDI); population (UN WPP);
    government revenue and expenditure (IMF WEO April 2022 to 2021: the vintage's projections are left out)."""
    panel_unit(panel)
    source = _source(data)
    out = _add_yearly(panel, _wdi_wide(source.table("wdi"), WDI_ECONOMY))
    population = _yearly(source.table("population_wpp"), {"population": "population"}, table="population_wpp")
    out = _add_yearly(out, population)
    weo = mapped(source.table("weo"))
    # The April 2022 vintage projects from 2022; 2020-21 are IMF staff estimates where actuals lag.
    weo = weo[(weo["year"] < WEO_FIRST_PROJECTION_YEAR) & weo["subject_code"].isin(list(WEO_SUBJECTS))]
    wide = _state_year_wide(weo, "subject_code", "value", {code: name for code, (name, _, _) in WEO_SUBJECTS.items()})
    wide["revenue_usd_bn"] = wide["revenue_gdp"] / 100 * wide["gdp_usd_bn"]
    return _add_yearly(out, wide)


# ---------------------------------------------------------------------------------------------------------
# U.S. assistance
# ---------------------------------------------------------------------------------------------------------

FAGOV_TYPES = {
    "Obligations": "us_aid_obligations_usd",
    "Disbursements": "us_aid_disbursements_usd",
    "Appropriated and Planned": "us_aid_appropriated_usd",
    "President's Budget Requests": "us_aid_request_usd",
}
ASSISTANCE_CATEGORY_COLUMNS = {
    "security_capacity": "aid_security_capacity_usd",
    "security_governance": "aid_security_governance_usd",
    "democracy_governance": "aid_democracy_governance_usd",
    "conflict_mitigation": "aid_conflict_mitigation_usd",
    "other_development": "aid_other_development_usd",
    "humanitarian": "aid_humanitarian_usd",
    "peace_operation_support": "aid_peace_operation_support_usd",
}
_document(
    "add_assistance",
    [
        ColumnDoc(name, f"U.S. foreign assistance, {kind.lower()}, current US$ by U.S. fiscal year "
                  "(ForeignAssistance.gov country summary, FY1946-2025; the 1976 transition quarter left out)",
                  "us_aid_country", "US$")
        for kind, name in FAGOV_TYPES.items()
    ]
    + [
        ColumnDoc("gb_military_usd", "U.S. military assistance obligations, current US$ (USAID Greenbook, "
                  "FY1946-2020)", "greenbook_obligations", "US$"),
        ColumnDoc("gb_economic_usd", "U.S. economic assistance obligations, current US$ (Greenbook; includes NADR "
                  "and INCLE, which the Greenbook files as economic)", "greenbook_obligations", "US$"),
        ColumnDoc("gb_imet_usd", "International Military Education and Training obligations, current US$ "
                  "(Greenbook)", "greenbook_obligations", "US$"),
    ]
    + [
        ColumnDoc(column, f"Greenbook obligations classified as {category.replace('_', ' ')}, current US$ "
                  "(split by the assistance classification; see assistance_classification.csv)",
                  "greenbook_obligations", "US$")
        for category, column in ASSISTANCE_CATEGORY_COLUMNS.items()
    ]
    + [
        ColumnDoc("aid_governance_share", "Security governance share of security-related aid: governance / "
                  "(capacity + governance), Greenbook classified", "greenbook_obligations", "0-1"),
    ],
)


def add_assistance(
    panel: pd.DataFrame,
    data: DataSource | None = None,
    classification: object | None = None,
    base_year: int = 2012,
    sector_gaps: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """U.S. assistance: ForeignAssistance.gov totals by transaction type, and Greenbook obligations split
    into capacity, governance and other categories by the assistance classification.

    Also the capacity-versus-governance indicators of :func:`coupwatch.core.assistance.indicators` (military aid
    per soldier and relative to military and government spending, the change in the military burden since
    ``base_year``, U.S. security aid relative to revenue, DRG and peace-and-security shares of all U.S. aid).
    ``sector_gaps`` (ISO3 -> note, see ``assistance.sector_gaps``) flags countries whose sector rows are partial.
    """
    from coupwatch.core import assistance

    panel_unit(panel)
    source = _source(data)
    fagov = mapped(source.table("us_aid_country"))
    fagov = fagov[~fagov["transition_quarter"].astype(bool)]
    totals = _state_year_wide(fagov, "transaction_type_name", "current_amount", FAGOV_TYPES, aggfunc="sum")
    out = _add_yearly(panel, totals)

    rules = classification if isinstance(classification, assistance.Classification) else (
        assistance.load_classification()
    )
    greenbook = mapped(source.table("greenbook_obligations"))
    greenbook = greenbook[~greenbook["transition_quarter"].astype(bool)]
    greenbook = greenbook.rename(columns={"fiscal_year": "year"})
    # Recipient rules of the classification are keyed by ISO3.
    greenbook["iso3"] = greenbook["gwcode"].map(source.states.countries.drop_duplicates("gwcode").set_index(
        "gwcode")["iso3"])
    by_kind = greenbook.pivot_table(
        index=["gwcode", "year"], columns="assistance_category", values="obligations_current_usd", aggfunc="sum"
    ).rename(columns={"Military": "gb_military_usd", "Economic": "gb_economic_usd"})
    imet = greenbook[greenbook["publication_row"] == "International Military Education and Training"]
    by_kind["gb_imet_usd"] = imet.groupby(["gwcode", "year"])["obligations_current_usd"].sum()
    split = assistance.classify(greenbook, "greenbook", "publication_row", "obligations_current_usd", rules,
                                "iso3", "year")
    by_category = split.pivot_table(
        index=["gwcode", "year"], columns="category", values="amount_classified", aggfunc="sum"
    ).rename(columns=ASSISTANCE_CATEGORY_COLUMNS)
    values = by_kind.join(by_category, how="outer").reset_index()
    values.columns.name = None
    for column in ASSISTANCE_CATEGORY_COLUMNS.values():
        if column not in values:
            values[column] = 0.0
    values = values.fillna({c: 0.0 for c in values.columns if c.endswith("_usd")})
    security = values["aid_security_capacity_usd"] + values["aid_security_governance_usd"]
    values["aid_governance_share"] = (values["aid_security_governance_usd"] / security).where(security > 0)
    out = _add_yearly(out, values.astype({"gwcode": "int64", "year": "int64"}))
    gb_columns = [c for c in values.columns if c not in ("gwcode", "year", "aid_governance_share")]
    gb_first, gb_last = int(greenbook["year"].min()), int(greenbook["year"].max())
    covered = (out["year"] >= gb_first) & (out["year"] <= gb_last)
    for column in gb_columns:
        out.loc[covered, column] = out.loc[covered, column].fillna(0.0)
    out = _add_assistance_indicators(out, source, rules, greenbook, values, base_year, sector_gaps)
    out.attrs["assistance_classification"] = rules.describe()
    return out


_document(
    "add_assistance",
    [
        ColumnDoc("gb_imet_const2020_usd", "IMET obligations, constant 2020 US$ (Greenbook)", "greenbook_obligations",
                  "US$"),
        ColumnDoc("aid_security_capacity_const2020_usd", "Greenbook obligations classified as security capacity, "
                  "constant 2020 US$", "greenbook_obligations", "US$"),
        ColumnDoc("aid_security_governance_const2020_usd", "Greenbook obligations classified as security "
                  "governance, constant 2020 US$", "greenbook_obligations", "US$"),
        ColumnDoc("us_security_aid_usd", "U.S. security-related aid: security capacity + security governance "
                  "(Greenbook obligations, classified), current US$", "greenbook_obligations", "US$"),
        ColumnDoc("us_milaid_per_soldier_usd", "U.S. military aid (Greenbook military obligations less those "
                  "classified as peace-operation support, U.S. fiscal year) per member of the armed forces "
                  "(WDI/IISS armed forces personnel)", "greenbook_obligations",
                  "US$ per soldier"),
        ColumnDoc("us_milaid_milex_pct", "U.S. military aid (Greenbook military obligations less those classified "
                  "as peace-operation support, which pay for other states' troops) as a percent of the "
                  "country's military spending (SIPRI, current US$; U.S. fiscal vs calendar year)",
                  "greenbook_obligations", "percent"),
        ColumnDoc("us_milaid_govt_spending_pct", "U.S. military aid (Greenbook) as a percent of government spending; "
                  "government spending is DERIVED as SIPRI military spending / SIPRI share of government spending",
                  "greenbook_obligations", "percent"),
        ColumnDoc("milex_gdp_base", "Military burden (SIPRI % of GDP) in the base year of add_assistance "
                  "(default 2012)", "sipri_milex", "percent"),
        ColumnDoc("milex_gdp_change_pp", "Change in the military burden (SIPRI % of GDP) since the base year "
                  "(default 2012)", "sipri_milex", "percentage points"),
        ColumnDoc("milex_gdp_ratio_base", "Military burden (SIPRI % of GDP) divided by its base-year value "
                  "(default 2012; 2 = doubled)", "sipri_milex", "ratio"),
        ColumnDoc("us_security_aid_revenue_pct", "Dependence ratio, U.S. only: U.S. security-related aid "
                  "(Greenbook, classified) as a percent of government revenue (IMF WEO April 2022, revenue "
                  "incl. grants x GDP in US$); French, EU and UN security spending are not in the data",
                  "greenbook_obligations", "percent"),
        ColumnDoc("drg_share_us_aid", "Democracy, human rights and governance share of all U.S. aid: "
                  "ForeignAssistance.gov DRG category / country total, obligations (sector table where it has "
                  "rows; else the 2014 snapshot's own total); see aid_sector_basis", "fagov_sector", "0-1"),
        ColumnDoc("ps_share_us_aid", "Peace and security share of all U.S. aid (ForeignAssistance.gov P&S "
                  "category / country total, obligations; see aid_sector_basis)", "fagov_sector", "0-1"),
        ColumnDoc("ps_non_security_share_us_aid", "Non-security peace-and-security share of all U.S. aid: P&S money "
                  "the classification puts outside security capacity and governance (e.g. conflict mitigation) "
                  "/ country total, obligations; see aid_sector_basis", "fagov_sector", "0-1"),
        ColumnDoc("aid_sector_basis", "Which table and transaction type the DRG and P&S shares come from (the "
                  "mirror's sector file is a partial transcription: MLI and NER complete, BFA partial, FY2017-21)",
                  "fagov_sector"),
        ColumnDoc("aid_classification", "The assistance classification file(s) behind the capacity and "
                  "governance split", "greenbook_obligations"),
    ],
)


def _add_assistance_indicators(
    out: pd.DataFrame,
    source: DataSource,
    rules: object,
    greenbook: pd.DataFrame,
    greenbook_values: pd.DataFrame,
    base_year: int,
    sector_gaps: Mapping[str, str] | None,
) -> pd.DataFrame:
    """Constant-dollar Greenbook columns and the indicators of ``assistance.indicators``."""
    from coupwatch.core import assistance

    assert isinstance(rules, assistance.Classification)
    keys = ["gwcode", "year"]
    constant = assistance.classify(greenbook, "greenbook", "publication_row", "obligations_constant2020_usd", rules,
                                   "iso3", "year")
    constant = constant[constant["category"].isin(assistance.SECURITY_CATEGORIES)].pivot_table(
        index=keys, columns="category", values="amount_classified", aggfunc="sum"
    ).rename(columns={c: f"aid_{c}_const2020_usd" for c in assistance.SECURITY_CATEGORIES})
    imet = greenbook[greenbook["publication_row"] == "International Military Education and Training"]
    constant["gb_imet_const2020_usd"] = imet.groupby(keys)["obligations_constant2020_usd"].sum()
    constant = constant.reset_index()
    constant.columns.name = None
    constant_columns = ["gb_imet_const2020_usd", *(f"aid_{c}_const2020_usd" for c in assistance.SECURITY_CATEGORIES)]
    for column in constant_columns:
        if column not in constant:
            constant[column] = 0.0
    constant = constant.fillna(dict.fromkeys(constant_columns, 0.0))
    out = _add_yearly(out, constant.astype({"gwcode": "int64", "year": "int64"})[[*keys, *constant_columns]])
    gb_first, gb_last = int(greenbook["year"].min()), int(greenbook["year"].max())
    covered = (out["year"] >= gb_first) & (out["year"] <= gb_last)
    for column in constant_columns:
        out.loc[covered, column] = out.loc[covered, column].fillna(0.0)

    # The indicators need SIPRI, WDI and WEO values and the base year's burden: taken from the panel when it
    # is a country-year panel that already has them and the base year, else added to a working panel.
    first = min(int(out["year"].min()), base_year)
    last = max(int(out["year"].max()), base_year)
    inputs = [c for c, adder in assistance.INDICATOR_INPUTS.items() if adder != "add_assistance"]
    if (panel_unit(out) == UNIT_YEAR and set(inputs) <= set(out.columns) and first == int(out["year"].min())
            and last == int(out["year"].max())):
        working = out[[*keys, *inputs]].copy()
    else:
        working = add_economy(add_milex(country_years(first, last, source), source), source)
    gb = greenbook_values.astype({"gwcode": "int64", "year": "int64"})
    gb_inputs = ["gb_military_usd", "aid_security_capacity_usd", "aid_security_governance_usd",
                 "aid_peace_operation_support_usd"]
    working = merge_columns(working, gb[[*keys, *gb_inputs]], keys)
    gb_years = (working["year"] >= gb_first) & (working["year"] <= gb_last)
    for column in gb_inputs:
        working[column] = working[column].astype("float64")
        working.loc[gb_years, column] = working.loc[gb_years, column].fillna(0.0)
    values = assistance.indicators(
        working,
        rules,
        base_year=base_year,
        sector=source.table("fagov_sector"),
        country_totals=source.table("us_aid_country"),
        snapshot=source.table("fagov_sector_2014"),
        sector_gaps=sector_gaps,
    )
    out = _add_yearly(out, values)
    out.attrs["assistance_base_year"] = base_year
    return out


ADD_FUNCTIONS: dict[str, Callable[..., pd.DataFrame]] = {
    "add_coups": add_coups,
    "add_vdem": add_vdem,
    "add_regime": add_regime,
    "add_leaders": add_leaders,
    "add_elections": add_elections,
    "add_milex": add_milex,
    "add_conflict": add_conflict,
    "add_governance": add_governance,
    "add_economy": add_economy,
    "add_assistance": add_assistance,
}
# Adders that register themselves from their own modules: mobilisation, protest, regime episodes, coup-proofing
# and timing (panel_protest); arms imports, ODA by donor and peace operations (panel_support).
import coupwatch.core.panel.protest  # noqa: E402
import coupwatch.core.panel.support  # noqa: E402,F401


def describe_columns(panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """The documentation of every panel column (or of the columns of ``panel``)."""
    docs = pd.DataFrame([d.__dict__ for d in COLUMNS.values()])
    adder_of = {col: adder for adder, cols in ADDERS.items() for col in cols}
    docs["added_by"] = docs["name"].map(adder_of)
    if panel is not None:
        docs = docs[docs["name"].isin(panel.columns)]
    return docs.reset_index(drop=True)
