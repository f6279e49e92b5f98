"""The arms feature group: values of year t-1 only, checked on Mali."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from coupwatch.features import FEATURES, build_features

MALI = 432


def _mali(features: pd.DataFrame, year: int, column: str) -> float:
    rows = features[(features["gwcode"] == MALI) & (features["year"] == year)]
    return float(rows[column].iloc[0])


def test_arms_features_read_the_year_before(panel: pd.DataFrame, features: pd.DataFrame) -> None:
    assert {FEATURES[n].group for n in ("arms_imports_log", "arms_imports_3y_log", "arms_imports_milex")} == {"arms"}
    # Mali received 43.7 TIV m in 2020, 38.0 in 2021 and 61.9 in 2022 (SIPRI register).
    assert _mali(features, 2021, "arms_imports_log") == pytest.approx(math.log1p(43.74), abs=0.001)
    assert _mali(features, 2023, "arms_imports_3y_log") == pytest.approx(math.log1p(43.74 + 38.03 + 61.92),
                                                                          abs=0.001)
    assert math.isnan(_mali(features, 1995, "arms_imports_log"))  # SIPRI's register starts with 1995
    # A change to 2021's deliveries reaches the rows of 2022 and later only.
    mali = panel["gwcode"] == MALI
    window = panel[panel["year"] >= 2010]
    changed = window.copy()
    changed.loc[mali & (changed["year"] == 2021), "arms_imports_tiv_m"] = 5000.0
    before, after = build_features(window), build_features(changed)
    assert _mali(after, 2021, "arms_imports_log") == pytest.approx(_mali(before, 2021, "arms_imports_log"))
    assert _mali(after, 2022, "arms_imports_log") == pytest.approx(math.log1p(5000.0))
