"""Core fixtures built from the tiny tables in tests/fixtures: no mirror, no warehouse."""

from __future__ import annotations

import pandas as pd
import pytest

from coupwatch.core import panel as pn
from coupwatch.core.features import build_features
from tests.fixtures import tiny_panel, tiny_source, with_undocumented_columns_missing


@pytest.fixture(scope="session")
def tiny_data() -> pn.FrameSource:
    """The fixture tables as the panel adders' data source."""
    return tiny_source()


@pytest.fixture()
def tiny_years(tiny_data: pn.FrameSource) -> pd.DataFrame:
    """Country-years 2004-2016 of the seven fixture states with coups and military spending (a fresh copy)."""
    return tiny_panel(tiny_data)


@pytest.fixture()
def tiny_features(tiny_years: pd.DataFrame) -> pd.DataFrame:
    """Forecast features built from that panel (2004-2018: two years ahead of the panel)."""
    return build_features(with_undocumented_columns_missing(tiny_years))
