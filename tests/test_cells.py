"""What counts as a missing cell when a frame's values are shown or sent as JSON."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from coupwatch.cells import is_missing


@pytest.mark.parametrize("value", [None, math.nan, np.float64("nan"), pd.NA, pd.NaT])
def test_missing_markers_are_missing(value: object) -> None:
    assert is_missing(value)


@pytest.mark.parametrize("value", [0, 0.0, np.int64(0), "", "nan", "NA", [], [None], {}, {"a": None},
                                   pd.Timestamp("2020-08-18")])
def test_values_are_not_missing(value: object) -> None:
    assert not is_missing(value)
