from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import security_presence


@pytest.fixture(scope="module")
def costs(mirror: Path) -> pd.DataFrame:
    return security_presence.parse_costs(mirror / "peacekeeping_budgets" / security_presence.FILENAME)


def test_rows_operations_and_estimates(costs: pd.DataFrame) -> None:
    assert len(costs) == 24
    barkhane = costs[costs["operation"] == "Barkhane"]
    assert barkhane["estimate"].all() and barkhane["per_year"].all()
    assert sorted(barkhane["amount"] / 1e6) == pytest.approx([600.0, 700.0])
    eutm = costs[(costs["operation"] == "EUTM Mali") & (costs["period_start"] == pd.Timestamp("2020-05-19"))]
    assert eutm["amount"].iloc[0] == pytest.approx(133.7e6) and eutm["currency"].iloc[0] == "EUR"
    assert not eutm["estimate"].iloc[0]
    # The February 2019 EUCAP decision gives only the end of its period.
    assert costs["period_start"].isna().sum() == 1


def test_bad_period_is_named(tmp_path: Path) -> None:
    path = tmp_path / security_presence.FILENAME
    path.write_text("item,period,amount,currency,source_url,quote\nEUTM Mali budget,some years,5,EUR,u,q\n", "utf-8")
    with pytest.raises(SourceFileError, match="unreadable period") as info:
        security_presence.parse_costs(path)
    assert info.value.row == 2 and info.value.value == "some years"
