"""The harmonised panel: real facts from the publishers' files, and the panel's invariants."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coupwatch.core import panel as pn
from coupwatch.store.build import ParsedSources, parse_sources


@pytest.fixture(scope="session")
def parsed(mirror: Path) -> ParsedSources:
    return parse_sources(mirror=str(mirror))


@pytest.fixture(scope="session")
def data(parsed: ParsedSources) -> pn.FrameSource:
    return pn.FrameSource(parsed.frames, parsed.states)


@pytest.fixture(scope="session")
def years(data: pn.FrameSource) -> pd.DataFrame:
    frame = pn.country_years(1946, 2025, data)
    for adder in pn.ADD_FUNCTIONS.values():
        frame = adder(frame, data)
    return frame


def test_malis_coups_are_in_the_panel(years: pd.DataFrame) -> None:
    mali = years[years["iso3"] == "MLI"].set_index("year")
    successes = mali.index[mali["pt_successes"] > 0].tolist()
    failures = mali.index[mali["pt_failures"] > 0].tolist()
    assert successes == [1968, 1991, 2012, 2020, 2021]
    assert failures == [1978, 1991, 2012]
    assert mali.loc[1991, "pt_attempts"] == 2


def test_the_2024_and_2025_coups_of_release_v2025_are_in_the_panel(years: pd.DataFrame) -> None:
    recent = years[years["year"].isin([2024, 2025]) & (years["pt_attempts"] > 0)]
    found = {(iso3, year): (int(successes), int(failures)) for iso3, year, successes, failures
             in zip(recent["iso3"], recent["year"], recent["pt_successes"], recent["pt_failures"], strict=True)}
    assert found == {("BOL", 2024): (0, 1), ("BGD", 2024): (1, 0), ("MDG", 2025): (1, 0), ("GNB", 2025): (1, 0)}
    assert years.loc[years["year"] == 2025, "pt_attempt"].notna().all()  # the release codes 2025 (to 26 Nov)


def test_niger_and_gabon_2023_with_the_corrected_month(data: pn.FrameSource, years: pd.DataFrame) -> None:
    y2023 = years[(years["year"] == 2023) & (years["pt_successes"] > 0)]
    assert {"NER", "GAB"} <= set(y2023["iso3"])
    months = pn.add_coups(pn.country_months(2023, 2023, data), data)
    niger = months[(months["iso3"] == "NER") & (months["pt_attempts"] > 0)]
    # Release V2025.09.12 dates it July itself; the June of V2023.09.08 is corrected for that release only.
    assert niger["month"].tolist() == [7]


def test_no_coup_where_the_source_has_none(parsed: ParsedSources, years: pd.DataFrame) -> None:
    source = parsed.frames["pt_country_year"]
    source = source[source["gw_match"] == "mapped"]
    expected = source.groupby(["gwcode", "year"])["attempts"].sum()
    observed = years.set_index(["gwcode", "year"])["pt_attempts"].dropna()
    joined = pd.concat([expected.rename("expected"), observed.rename("observed")], axis=1, join="inner")
    assert len(joined) > 10_000
    assert (joined["expected"] == joined["observed"]).all()
    assert observed.sum() == 495  # every event of the list is in a state-year


def test_keys_are_unique_and_states_exist(data: pn.FrameSource, years: pd.DataFrame) -> None:
    assert not years.duplicated(["gwcode", "year"]).any()
    months = pn.country_months(2010, 2012, data)
    assert not months.duplicated(["gwcode", "year", "month"]).any()
    assert years.loc[years["gwcode"] == 626, "year"].min() == 2011  # South Sudan
    assert years.loc[years["gwcode"] == 265, "year"].max() == 1990  # GDR
    assert years.loc[years["gwcode"] == 315, "year"].max() == 1992  # Czechoslovakia
    assert years.loc[years["gwcode"] == 369, "year"].min() == 1991  # Ukraine, after the Soviet Union
    assert years.loc[years["gwcode"] == 365, "country"].iloc[0].startswith("Russia")


def test_sipri_military_burden_for_mali(years: pd.DataFrame) -> None:
    mali = years[years["iso3"] == "MLI"].set_index("year")
    assert mali.loc[2012, "milex_gdp"] == pytest.approx(1.20, abs=0.005)
    assert mali.loc[2020, "milex_gdp"] == pytest.approx(3.40, abs=0.005)
    assert mali.loc[2024, "milex_gdp"] == pytest.approx(4.25, abs=0.005)


def test_other_sources_land_in_the_right_rows(years: pd.DataFrame) -> None:
    mali = years[years["iso3"] == "MLI"].set_index("year")
    assert mali.loc[2020, "ged_govt_killings"] == 257
    assert mali.loc[2012, "ged_govt_killings"] == 19
    assert mali.loc[2021, "v2x_ex_military"] == pytest.approx(1.0)
    assert mali.loc[2012, "wgi_pv"] == pytest.approx(-2.03, abs=0.01)
    assert mali.loc[2020, "us_aid_request_usd"] == 78_925_000
    assert mali.loc[2012, "gb_military_usd"] == pytest.approx(128.77e6, rel=0.01)
    assert mali.loc[2019, "revenue_gdp"] == pytest.approx(21.5, abs=0.05)
    assert mali.loc[2020, "population"] == pytest.approx(21.71e6, rel=0.001)
    assert mali.loc[2012, "gwf_regime"] == "provisional"


def test_values_are_missing_outside_coverage_not_zero(years: pd.DataFrame) -> None:
    mali = years[years["iso3"] == "MLI"].set_index("year")
    assert mali["pt_attempts"].notna().loc[2025]  # P&T V2025.09.12 covers to 2025
    assert mali["cdp_events"].isna().loc[2023]  # CDP v2.1.2 ends 2022
    assert mali["leader_military_career"].isna().loc[2022]  # REIGN's list ends March 2021
    assert mali["ged_total_deaths"].isna().loc[1985]  # UCDP GED starts 1989


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(1946, 2024), length=st.integers(0, 30))
def test_every_add_keeps_the_row_count(data: pn.FrameSource, start: int, length: int) -> None:
    end = min(start + length, 2024)
    base = pn.country_years(start, end, data)
    for name, adder in pn.ADD_FUNCTIONS.items():
        added = adder(base, data)
        assert len(added) == len(base), name
        assert added[["gwcode", "year"]].equals(base[["gwcode", "year"]]), name
        assert set(pn.ADDERS[name]) <= set(added.columns), name


def test_adders_refuse_what_is_not_a_panel(data: pn.FrameSource) -> None:
    with pytest.raises(TypeError, match="country_years"):
        pn.add_milex(pd.DataFrame({"gwcode": [432], "year": [2020]}), data)


def test_every_column_is_documented(years: pd.DataFrame) -> None:
    documented = set(pn.describe_columns()["name"])
    base = {"gwcode", "year", "iso3", "gwc", "country", "region", "subregion", "africa", "microstate"}
    assert set(years.columns) - base <= documented
    assert documented <= set(years.columns)


def test_built_warehouse_has_panels_and_provenance(built_home: Path) -> None:
    con = duckdb.connect(str(built_home / "warehouse.duckdb"), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
        assert {"panel_country_year", "panel_country_month", "provenance", "pt_events", "sipri_milex"} <= tables
        provenance = con.execute("SELECT * FROM provenance").df()
        assert {"source", "version", "file", "url", "sha256", "rows", "built_at"} <= set(provenance.columns)
        assert provenance["hash_matches_pin"].all()
        pt = provenance.set_index("table_name").loc["pt_events"]
        assert pt["version"] == "V2025.09.12" and pt["rows"] == 495
        previous = provenance.set_index("table_name").loc["pt_events_v2023"]
        assert previous["version"] == "V2023.09.08" and previous["rows"] == 491
        corrections = con.execute("SELECT * FROM corrections").df()
        # Niger 2023's date is corrected in the old release only; the new one dates it 26 July itself.
        assert corrections[["table", "release", "status"]].to_dict("records") == [
            {"table": "pt_events_v2023", "release": "V2023.09.08", "status": "applied"}]
        niger = con.execute("SELECT year, month, day FROM pt_events WHERE ccode = 436 AND year = 2023").fetchall()
        assert niger == [(2023, 7, 26)]
    finally:
        con.close()


def test_mass_mobilisation_and_protest_land_in_the_right_rows(years: pd.DataFrame) -> None:
    by = years.set_index(["iso3", "year"])
    assert by.loc[("EGY", 2010), "v2cagenmob"] == pytest.approx(-0.68, abs=0.005)
    assert by.loc[("EGY", 2011), "v2cagenmob"] == pytest.approx(3.69, abs=0.005)
    assert by.loc[("UKR", 2014), "v2cagenmob"] == pytest.approx(4.00, abs=0.005)
    assert by.loc[("SDN", 2019), "v2cagenmob"] == pytest.approx(2.46, abs=0.005)
    assert by.loc[("MLI", 2020), "v2cagenmob"] == pytest.approx(2.27, abs=0.005)
    assert by.loc[("EGY", 2011), "mm_protests"] == 20
    assert by.loc[("EGY", 2011), "mm_removal_protests"] == 6
    assert by.loc[("UKR", 2014), "mm_protests"] == 92
    assert by.loc[("SDN", 2019), "mm_removal_protests"] == 15
    assert by["navco_campaigns"][("UKR", 2014)] >= 1  # Euromaidan, 2013-2014
    assert by.loc[("BFA", 2014), "colpus_protester_backed"] == 1
    assert by.loc[("MLI", 2020), "colpus_attempts"] == 1
    assert by.loc[("MLI", 1991), "cnts_instability"] == pytest.approx(3)
    assert by.loc[("MLI", 2024), "ert_regime"] == 0  # V-Dem v15 via ERT: closed autocracy
    assert by.loc[("NER", 2023), "pt_attempts_late"] == 1  # 26 July (corrected from June)


def test_germany_1990_protests_add_up(years: pd.DataFrame) -> None:
    # Mass Mobilization lists unified Germany (5 events) beside West Germany (2) in 1990: both are GW 260
    by = years.set_index(["iso3", "year"])
    assert by.loc[("DEU", 1990), "mm_protests"] == 7


def test_vdem_v14_replaces_v12_where_it_has_the_series(years: pd.DataFrame) -> None:
    mali = years[years["iso3"] == "MLI"].set_index("year")
    assert mali.loc[2023, "v2x_polyarchy"] == pytest.approx(0.229)  # v12 ends in 2021
    assert mali.loc[2020, "v2x_ex_military"] == pytest.approx(0.917)  # v14's value (v12: 0.875)
    assert mali.loc[2023, "v2x_regime"] == 0
    assert mali["v2x_liberal"].isna()[2023]  # not in the v14 file: still v12, to 2021


def test_regular_elections_are_known_the_year_before(years: pd.DataFrame) -> None:
    usa = years[years["iso3"] == "USA"].set_index("year")["exec_vote_scheduled_next_year"]
    assert [int(usa[y]) for y in range(2014, 2021)] == [0, 1, 0, 0, 0, 1, 0]


def test_protest_series_are_missing_outside_coverage_not_zero(years: pd.DataFrame) -> None:
    by = years.set_index(["iso3", "year"])
    assert by["mm_protests"].isna()[("MLI", 1989)]  # MM starts in 1990
    assert by["mm_protests"].isna()[("MLI", 2020)]  # 2020 is partial (to 31 March)
    assert by.loc[("MLI", 1999), "mm_protests"] == 0  # MM's own zero row
    assert by["navco_campaigns"].isna()[("MLI", 2020)]  # NAVCO 1.3 ends in 2019
    assert by["colpus_attempts"].isna()[("MLI", 2021)]  # Colpus ends in August 2020
    assert by["v2cagenmob"].isna()[("MLI", 2024)]  # V-Dem v14 ends in 2023
    assert by["cnts_instability"].isna()[("MLI", 2000)]  # Banks CNTS in Powell (2012) ends in 1999
