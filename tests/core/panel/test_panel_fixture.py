"""The panel skeleton and adders on the tiny fixture tables (tests/fixtures): the core alone, no mirror."""

from __future__ import annotations

import pandas as pd
import pytest

from coupwatch.core import panel as pn
from coupwatch.core.panel.coups import CDP_COLUMNS, PT_COLUMNS
from coupwatch.core.panel.skeleton import UNIT_YEAR
from tests.fixtures import FIRST_YEAR, LAST_YEAR


def years_of(panel: pd.DataFrame, gwcode: int) -> list[int]:
    return panel.loc[panel["gwcode"] == gwcode, "year"].tolist()


def test_skeleton_holds_every_state_year_that_existed(tiny_data: pn.FrameSource) -> None:
    years = pn.country_years(FIRST_YEAR, LAST_YEAR, tiny_data)
    assert years.attrs["unit"] == UNIT_YEAR
    assert not years.duplicated(["gwcode", "year"]).any()
    assert years_of(years, 432) == list(range(2004, 2017))
    assert years_of(years, 626) == list(range(2011, 2017))  # South Sudan, from July 2011
    # Yugoslavia ended on 4 June 2006 and Serbia began the next day: both count in 2006.
    assert years_of(years, 345) == [2004, 2005, 2006]
    assert years_of(years, 340) == list(range(2006, 2017))
    assert len(years) == 13 * 4 + 6 + 3 + 11  # Mali, Niger, Burkina Faso, San Marino; SSD; YUG; SRB


def test_skeleton_carries_codes_names_and_regions(tiny_data: pn.FrameSource) -> None:
    years = pn.country_years(2012, 2012, tiny_data).set_index("gwcode")
    mali = years.loc[432]
    assert [mali["iso3"], mali["gwc"], mali["region"], mali["subregion"]] == [
        "MLI", "MLI", "Sub-Saharan Africa", "Western Africa"]
    assert years.loc[436, "iso3"] == "NER"
    assert bool(years.loc[331, "microstate"]) and years.loc[331, "iso3"] == "SMR"  # ISO3 by its COW code
    assert not bool(years.loc[432, "microstate"])
    assert bool(years.loc[432, "africa"]) and not bool(years.loc[340, "africa"])


def test_months_follow_the_days_a_state_existed(tiny_data: pn.FrameSource) -> None:
    months = pn.country_months(2006, 2006, tiny_data)
    assert months.loc[months["gwcode"] == 345, "month"].tolist() == [1, 2, 3, 4, 5, 6]
    assert months.loc[months["gwcode"] == 340, "month"].tolist() == list(range(6, 13))
    assert not months.duplicated(["gwcode", "year", "month"]).any()


def test_bad_year_range_is_refused(tiny_data: pn.FrameSource) -> None:
    with pytest.raises(ValueError, match="end year 2003 is before start year 2004"):
        pn.country_years(2004, 2003, tiny_data)


def test_coups_land_in_their_state_years(tiny_years: pd.DataFrame) -> None:
    events = tiny_years[tiny_years["pt_attempts"] > 0]
    found = {(int(g), int(y)): (int(a), int(s), int(f)) for g, y, a, s, f in zip(
        events["gwcode"], events["year"], events["pt_attempts"], events["pt_successes"], events["pt_failures"],
        strict=True)}
    assert found == {(436, 2010): (1, 1, 0), (436, 2011): (1, 0, 1), (432, 2012): (2, 1, 1),
                     (439, 2014): (1, 1, 0), (439, 2015): (1, 0, 1)}
    mali_2012 = tiny_years[(tiny_years["gwcode"] == 432) & (tiny_years["year"] == 2012)].iloc[0]
    assert (mali_2012["pt_attempt"], mali_2012["pt_success"]) == (1, 1)
    # The unmapped event (no state) is in no row.
    assert int(tiny_years["pt_attempts"].sum()) == 6


def test_coups_are_missing_outside_coverage_not_zero(tiny_years: pd.DataFrame) -> None:
    # The P&T country-year table codes to 2015 and CDP's events end in 2013.
    y2016 = tiny_years[tiny_years["year"] == 2016]
    assert y2016[PT_COLUMNS].isna().all().all()
    assert tiny_years.loc[tiny_years["year"] <= 2015, "pt_attempts"].notna().all()
    assert tiny_years.loc[tiny_years["year"] >= 2014, CDP_COLUMNS].isna().all().all()
    assert (tiny_years.loc[(tiny_years["gwcode"] == 340) & (tiny_years["year"] == 2013), "cdp_events"] == 0).all()
    mali = tiny_years[tiny_years["gwcode"] == 432].set_index("year")
    assert (mali.loc[2012, "cdp_coups"], mali.loc[2012, "cdp_attempts"], mali.loc[2012, "cdp_events"]) == (1, 1, 2)


def test_coups_by_month(tiny_data: pn.FrameSource) -> None:
    months = pn.add_coups(pn.country_months(2012, 2012, tiny_data), tiny_data)
    mali = months[(months["gwcode"] == 432) & (months["pt_attempts"] > 0)]
    assert mali["month"].tolist() == [3, 4]
    assert mali["pt_successes"].tolist() == [1, 0]


def test_military_spending_in_percent_and_armed_forces(tiny_years: pd.DataFrame) -> None:
    mali = tiny_years[tiny_years["gwcode"] == 432].set_index("year")
    assert mali.loc[2012, "milex_gdp"] == pytest.approx(1.4)  # the table's share 0.014, in percent
    assert mali.loc[2012, "milex_govt"] == pytest.approx(7.0)
    assert mali.loc[2012, "milex_gdp_status"] == "estimate"
    # Government spending derived from the military's share of it: 145 / 0.07.
    assert mali.loc[2012, "govt_spending_usd_m"] == pytest.approx(145.0 / 0.07)
    assert mali.loc[2011, "armed_forces"] == pytest.approx(12150.0)
    assert mali.loc[[2004, 2015], "milex_gdp"].isna().all()  # no row in the table: missing, not zero
    assert tiny_years.loc[tiny_years["gwcode"] == 340, "milex_gdp"].isna().all()


def test_adders_keep_the_rows_and_refuse_what_is_not_a_panel(tiny_data: pn.FrameSource) -> None:
    skeleton = pn.country_years(FIRST_YEAR, LAST_YEAR, tiny_data)
    for adder in (pn.add_coups, pn.add_milex):
        added = adder(skeleton, tiny_data)
        assert added[["gwcode", "year"]].equals(skeleton[["gwcode", "year"]])
        assert added.attrs["unit"] == UNIT_YEAR
    plain = skeleton.copy()
    plain.attrs = {}
    for adder in (pn.add_coups, pn.add_milex):
        with pytest.raises(TypeError, match=r"expected a panel from country_years\(\) or country_months\(\)"):
            adder(plain, tiny_data)


def test_a_missing_source_table_is_named(tiny_data: pn.FrameSource) -> None:
    partial = pn.FrameSource({"pt_events": tiny_data.table("pt_events")}, tiny_data.states)
    skeleton = pn.country_years(2010, 2012, partial)
    with pytest.raises(KeyError, match="source table 'pt_country_year' is not loaded; loaded: pt_events"):
        pn.add_coups(skeleton, partial)


def test_two_rows_for_one_state_year_is_an_error(tiny_data: pn.FrameSource) -> None:
    sipri = tiny_data.table("sipri_milex")
    doubled = pn.FrameSource({**tiny_data.tables, "sipri_milex": pd.concat([sipri, sipri.head(1)])},
                             tiny_data.states)
    with pytest.raises(ValueError, match="sipri_milex: several rows map to the same state-year"):
        pn.add_milex(pn.country_years(2010, 2012, doubled), doubled)


def test_the_added_columns_are_documented(tiny_years: pd.DataFrame) -> None:
    skeleton_columns = {"gwcode", "year", "iso3", "gwc", "country", "region", "subregion", "africa", "microstate"}
    added = set(tiny_years.columns) - skeleton_columns
    assert added <= set(pn.COLUMNS), sorted(added - set(pn.COLUMNS))
    assert set(PT_COLUMNS) | set(CDP_COLUMNS) | {"milex_gdp", "armed_forces"} <= added
