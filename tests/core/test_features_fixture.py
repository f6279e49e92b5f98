"""Forecast features on the tiny fixture panel: the values, and no look-ahead (year t sees only years <= t-1)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coupwatch.core.features import CARRY_FORWARD_YEARS, FEATURES, OUTCOMES, build_features, feature_names
from tests.fixtures import with_undocumented_columns_synthetic

SKELETON = ["gwcode", "year", "iso3", "gwc", "country", "region", "subregion", "africa", "microstate"]


def row(features: pd.DataFrame, gwcode: int, year: int) -> pd.Series:
    return features[(features["gwcode"] == gwcode) & (features["year"] == year)].iloc[0]


def test_coup_history_is_attached_to_the_next_year(tiny_features: pd.DataFrame) -> None:
    # Mali's two attempts of 2012 (one success): the 2012 row has them as outcomes, 2013 as history.
    mali_2012, mali_2013, mali_2014 = (row(tiny_features, 432, y) for y in (2012, 2013, 2014))
    assert (mali_2012["attempt"], mali_2012["success"]) == pytest.approx((1.0, 1.0))
    assert mali_2012["attempt_last_year"] == pytest.approx(0.0)
    assert mali_2012["years_since_attempt"] == pytest.approx(8.0)  # no attempt since the panel's first year, 2004
    assert mali_2013["attempt_last_year"] == pytest.approx(1.0)
    assert mali_2013["years_since_attempt"] == pytest.approx(0.0)
    assert mali_2013["attempts_5y"] == pytest.approx(2.0)
    assert mali_2013["successes_10y"] == pytest.approx(1.0)
    assert mali_2014["years_since_attempt"] == pytest.approx(1.0)
    assert mali_2014["log_years_since_attempt"] == pytest.approx(np.log(2.0))


def test_contagion_counts_the_others_of_last_year(tiny_features: pd.DataFrame) -> None:
    # 2012: Mali's two attempts; in 2013 they count for Niger and Burkina Faso (same region and sub-region)
    # and for the world, never for Mali itself.
    assert row(tiny_features, 436, 2013)["region_attempts"] == pytest.approx(2.0)
    assert row(tiny_features, 439, 2013)["neighbour_attempts"] == pytest.approx(2.0)
    assert row(tiny_features, 432, 2013)["region_attempts"] == pytest.approx(0.0)
    assert row(tiny_features, 340, 2013)["region_attempts"] == pytest.approx(0.0)
    assert row(tiny_features, 340, 2013)["world_attempts"] == pytest.approx(2.0)


def test_values_of_year_s_reach_year_s_plus_1(tiny_features: pd.DataFrame) -> None:
    assert np.isnan(row(tiny_features, 432, 2010)["milex_gdp"])  # the table starts in 2010
    assert row(tiny_features, 432, 2011)["milex_gdp"] == pytest.approx(1.6)  # Mali's share of GDP in 2010
    assert row(tiny_features, 432, 2013)["milex_gdp_change_1y"] == pytest.approx(1.4 - 1.5)


def test_carried_forward_at_most_three_years(tiny_features: pd.DataFrame) -> None:
    assert CARRY_FORWARD_YEARS == 3
    # Niger's last value is 2012 (1.2 percent): carried to 2013-2015, so it reaches the rows 2014-2016.
    assert row(tiny_features, 436, 2016)["milex_gdp"] == pytest.approx(1.2)
    assert np.isnan(row(tiny_features, 436, 2017)["milex_gdp"])


def test_a_new_state_starts_with_no_coup_history(tiny_features: pd.DataFrame) -> None:
    south_sudan = row(tiny_features, 626, 2011)
    for column in ("attempts_5y", "attempts_ever", "attempt_last_year", "years_since_attempt"):
        assert south_sudan[column] == pytest.approx(0.0)


def test_rows_go_two_years_ahead_without_outcomes(tiny_features: pd.DataFrame) -> None:
    assert tiny_features["year"].max() == 2018
    assert not tiny_features.duplicated(["gwcode", "year"]).any()
    ahead = tiny_features[tiny_features["year"] >= 2016]  # P&T codes to 2015 in the fixture
    assert ahead[list(OUTCOMES)].isna().all().all()
    assert set(ahead.loc[ahead["year"] == 2018, "iso3"]) == {"MLI", "NER", "BFA", "SSD", "SRB", "SMR"}
    assert tiny_features.loc[tiny_features["year"] <= 2015, "attempt"].notna().all()
    assert set(feature_names()) <= set(tiny_features.columns)


def changed_from(panel: pd.DataFrame, year: int) -> pd.DataFrame:
    """The panel with every source value of ``year`` and later replaced by something else."""
    out = panel.copy()
    later = out["year"] >= year
    for column in (c for c in out.columns if c not in SKELETON):
        values = out[column]
        if pd.api.types.is_numeric_dtype(values):
            out.loc[later, column] = values[later].fillna(0) * 3 + 1
        else:
            out.loc[later, column] = "changed"
    return out


@pytest.mark.parametrize("year", range(2005, 2017))
def test_no_look_ahead_changing_year_t_leaves_features_up_to_t_alone(tiny_years: pd.DataFrame, year: int) -> None:
    # The fixture's coups and military spending, made-up values for every other panel column: every feature has
    # inputs, and none of them may reach back from year t to a row of year t or before.
    panel = with_undocumented_columns_synthetic(tiny_years)
    before = build_features(panel)
    after = build_features(changed_from(panel, year))
    features = feature_names()
    known = before["year"] <= year
    pd.testing.assert_frame_equal(before.loc[known, features], after.loc[known, features])
    # The change does reach the next year's row, in every group of features: the comparison above could see one.
    next_year = before["year"] == year + 1
    reacting = {FEATURES[name].group for name in features
                if not before.loc[next_year, name].equals(after.loc[next_year, name])}
    assert reacting == {feature.group for feature in FEATURES.values()}
    # And year t's own outcomes are the new ones.
    this_year = before["year"] == year
    assert not before.loc[this_year, "attempt"].equals(after.loc[this_year, "attempt"])
