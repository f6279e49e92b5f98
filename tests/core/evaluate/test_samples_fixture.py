"""Evaluation samples and the backtest summary on the fixture panel's features (no mirror)."""

from __future__ import annotations

import pandas as pd
import pytest

from coupwatch.core.evaluate.backtest import run_backtest, summarise
from coupwatch.core.evaluate.samples import ALL_STATES, STANDARD
from tests.core.evaluate.test_rolling import FIXTURE_ROLLING, SPECS


def test_the_standard_sample_leaves_out_microstates_and_south_sudans_first_year(tiny_features: pd.DataFrame) -> None:
    inside = tiny_features[STANDARD.contains(tiny_features)]
    assert (inside["year"].min(), inside["year"].max()) == (2011, 2018)  # the fixture's features end in 2018
    assert "SMR" not in set(inside["iso3"])  # San Marino, a microstate
    assert set(inside.loc[inside["iso3"] == "SSD", "year"]) == set(range(2012, 2019))
    assert set(inside["iso3"]) == {"MLI", "NER", "BFA", "SSD", "SRB"}
    assert bool(ALL_STATES.contains(tiny_features).all())
    keys = STANDARD.keys(tiny_features)
    assert list(keys.columns) == ["gwcode", "year"] and len(keys) == len(inside)


def test_a_sample_that_leaves_out_microstates_needs_to_know_them(tiny_features: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="sample 'standard' leaves out microstates: give the frame a 'microstate'"):
        STANDARD.contains(tiny_features.drop(columns=["microstate"]))
    assert not STANDARD.contains(tiny_features.drop(columns=["microstate"]), microstates=[331])[
        tiny_features["gwcode"] == 331].any()


def test_summary_labels_periods_by_the_years_scored(tiny_features: pd.DataFrame) -> None:
    result = run_backtest(tiny_features, SPECS, FIXTURE_ROLLING, outcomes=("attempt",))
    summary = summarise(result.predictions, periods={"2010-2019": (2010, 2019)}, bootstrap_draws=50,
                        samples={"standard": STANDARD.keys(tiny_features)})
    pooled = pd.DataFrame(summary["pooled"])
    every_state = pooled[pooled["sample"] == "all"]
    assert set(every_state["period"]) == {"2012-2015"}  # the test years, not the period asked for
    assert set(every_state["model"]) == {"constant", "logit"}
    constant = every_state[every_state["model"] == "constant"].iloc[0]
    # Three attempts in the test years (Mali 2012, Burkina Faso 2014 and 2015) over the 6 states' 24 rows.
    assert (constant["events"], constant["rows"]) == pytest.approx((3.0, 24.0))
    standard = pooled[(pooled["sample"] == "standard") & (pooled["model"] == "constant")]
    assert standard["rows"].tolist() == pytest.approx([20.0])  # San Marino left out
    per_year = pd.DataFrame(summary["per_year"])
    assert sorted(set(per_year["year"])) == [2012, 2013, 2014, 2015]
