"""The published benchmark's country-years (the standard sample) as an evaluation set."""

from __future__ import annotations

import pandas as pd
import pytest

from coupwatch.core.evaluate.backtest import summarise
from coupwatch.core.evaluate.samples import ALL_STATES, STANDARD, mark_samples, saved_rows


def test_the_standard_sample_holds_the_benchmarks_1518_country_years_and_18_attempts(features: pd.DataFrame) -> None:
    inside = features[STANDARD.contains(features)]
    assert len(inside) == 1518
    assert inside["year"].min() == 2011 and inside["year"].max() == 2019
    assert int(inside["attempt"].sum()) == 18
    attempts = set(zip(inside.loc[inside["attempt"] == 1, "iso3"], inside.loc[inside["attempt"] == 1, "year"],
                       strict=True))
    assert {("MLI", 2012), ("EGY", 2013), ("TUR", 2016), ("ZWE", 2017), ("SDN", 2019), ("GAB", 2019)} <= attempts


def test_the_standard_sample_leaves_out_microstates_and_the_benchmarks_incomplete_cases(
    features: pd.DataFrame,
) -> None:
    inside = features[STANDARD.contains(features)]
    assert not inside["microstate"].any()
    assert not inside["iso3"].isin(["TWN", "BHS", "BLZ", "BRN"]).any()
    somalia = set(inside.loc[inside["iso3"] == "SOM", "year"])
    assert somalia == set(range(2013, 2020))
    assert set(inside.loc[inside["iso3"] == "SSD", "year"]) == set(range(2012, 2020))
    # Every country-year left in has the year t-1 V-Dem data the benchmark's complete cases need, bar the two
    # states our V-Dem extract lacks (Bahrain and Malta are in the benchmark's set).
    no_vdem = inside.loc[inside["v2x_polyarchy"].isna(), "iso3"].unique()
    assert set(no_vdem) <= {"BHR", "MLT"}


def test_all_states_keeps_every_row_and_a_sample_needs_to_know_the_microstates(features: pd.DataFrame) -> None:
    assert bool(ALL_STATES.contains(features).all())
    with pytest.raises(ValueError, match="microstate"):
        STANDARD.contains(features.drop(columns=["microstate"]))
    microstates = features.loc[features["microstate"], "gwcode"].unique()
    by_codes = STANDARD.contains(features.drop(columns=["microstate"]), microstates=microstates)
    assert by_codes.equals(STANDARD.contains(features))


def test_summaries_score_the_standard_sample_on_its_own_rows(features: pd.DataFrame) -> None:
    rows = features[features["year"].between(2009, 2020)]
    predictions = pd.concat([
        rows[["gwcode", "iso3", "country", "year"]].assign(
            model=model, outcome="attempt", observed=rows["attempt"].to_numpy(), p=p)
        for model, p in (("constant", 0.02), ("history", 0.01 + rows["attempts_5y"].fillna(0).to_numpy() / 10))
    ], ignore_index=True)
    summary = summarise(predictions, periods={"2009-2020": (2009, 2020)}, bootstrap_draws=20,
                        samples={STANDARD.name: STANDARD.keys(features)})
    pooled = pd.DataFrame(summary["pooled"])
    standard = pooled[(pooled["sample"] == "standard") & (pooled["model"] == "history")].iloc[0]
    assert standard["period"] == "2011-2019"
    assert standard["rows"] == pytest.approx(1518)
    assert standard["events"] == pytest.approx(18)
    everyone = pooled[(pooled["sample"] == "all") & (pooled["model"] == "history")].iloc[0]
    assert everyone["rows"] > standard["rows"]
    marked = mark_samples(predictions, features)
    assert len(marked) == len(predictions)
    assert len(saved_rows(marked[marked["model"] == "history"], "standard")) == 1518
