"""Drivers as explanations: one entry per concept, about what sets a state apart, in plain words."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from coupwatch.core.explain import CONCEPTS, WORDING, concept_drivers, concept_of, drivers_text, standing, wording
from coupwatch.core.features import FEATURES


def _year_of_states() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Twenty states. The military's role in the executive weighs on every state (the same large contribution
    for 18 of them); state 0 stands out by a recent coup, state 1 by a war."""
    rng = np.random.default_rng(7)
    n = 20
    values = pd.DataFrame({
        "v2x_ex_military": np.r_[0.88, 0.30, rng.uniform(0.0, 0.5, n - 2)],
        "years_since_attempt": np.r_[1.0, 40.0, rng.uniform(20, 60, n - 2)],
        "log_years_since_attempt": 0.0,
        "conflict_deaths_log": np.r_[np.log1p(50.0), np.log1p(5000.0), np.zeros(n - 2)],
    })
    values["log_years_since_attempt"] = np.log1p(values["years_since_attempt"])
    contributions = pd.DataFrame({
        "v2x_ex_military": np.r_[0.2, -1.0, np.full(n - 2, -1.0)],
        "years_since_attempt": np.r_[0.6, 0.0, np.zeros(n - 2)],
        "log_years_since_attempt": np.r_[0.9, 0.0, np.zeros(n - 2)],
        "conflict_deaths_log": np.r_[0.1, 0.8, np.zeros(n - 2)],
    })
    return contributions, values


def test_every_feature_has_a_concept_and_plain_words() -> None:
    assert {concept_of(f) for f in FEATURES} <= set(CONCEPTS)
    # Features added since have a plain label through their description; none is a raw transform or column name.
    for feature in FEATURES:
        assert "_" not in wording(feature).label
    for feature in WORDING:
        assert "log(" not in WORDING[feature].label


def test_drivers_are_one_entry_per_concept_and_lead_with_what_is_unusual() -> None:
    contributions, values = _year_of_states()
    drivers = concept_drivers(contributions, values, count=2)
    coup_state, war_state = drivers[0], drivers[1]
    # State 0: the recent coup (two features, one idea) leads once, then the military in the executive.
    assert [d["concept"] for d in coup_state] == ["coup history", "military in politics"]
    assert coup_state[0]["contribution"] == pytest.approx(1.5)
    assert coup_state[0]["sentence"] == (
        "Coup history raises the risk: time since the last coup attempt is 1 year, lower than 95% of states.")
    assert coup_state[1]["sentence"].startswith(
        "Military in politics raises the risk: the military's hold on the executive (V-Dem, 0-1) is 0.88, "
        "higher than 95% of states")
    # State 1 has the same military contribution as the median state, so it does not appear at all.
    assert war_state[0]["concept"] == "conflict"
    assert "5,000" in war_state[0]["sentence"] and "higher than 95% of states" in war_state[0]["sentence"]
    assert all(d["concept"] != "military in politics" for d in war_state)
    assert drivers_text(coup_state) == "coup history ↑; military in politics ↑"


def test_standing_and_reader_units() -> None:
    others = pd.Series([0.1, 0.2, 0.3, 0.4, np.nan])
    assert standing(0.5, others) == (pytest.approx(1.0), "higher than 100% of states")
    assert standing(None, others) == (None, "no data this year")
    assert WORDING["conflict_deaths_log"].show(math.log1p(257)) == "257"
    assert WORDING["log_years_since_success"].show(math.log1p(3)) == "3 years"
    assert WORDING["security_capacity_aid_log"].show(math.log1p(2.5)) == "$2.50"
