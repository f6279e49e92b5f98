"""Support from every donor in the panel and the warehouse's donor x recipient x year table (real data)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from coupwatch.core import donors

MALI = 432


@pytest.fixture(scope="module")
def support(built_home: Path) -> pd.DataFrame:
    with duckdb.connect(str(built_home / "warehouse.duckdb"), read_only=True) as con:
        return con.table("support_by_donor").df()


def _mali(panel: pd.DataFrame) -> pd.DataFrame:
    return panel[panel["gwcode"] == MALI].set_index("year")


def _missing(frame: pd.DataFrame, year: int, column: str) -> bool:
    return bool(frame[column].isna().loc[year])


def _years(frame: pd.DataFrame, column: str, first: int, last: int) -> pd.Series:
    values = frame[column]
    return values[(values.index >= first) & (values.index <= last)].astype("float64")


def test_arms_imports_for_mali(panel: pd.DataFrame) -> None:
    mali = _mali(panel)
    assert mali.loc[2020, "arms_imports_tiv_m"] == pytest.approx(43.7, abs=0.05)
    assert mali.loc[2023, "arms_imports_tiv_m"] == pytest.approx(82.1, abs=0.05)
    assert _years(mali, "arms_imports_tiv_m", 2013, 2024).sum() == pytest.approx(342.6, abs=0.05)
    assert _years(mali, "arms_tiv_russia_m", 2013, 2024).sum() == pytest.approx(135.6, abs=0.05)
    assert mali.loc[2006, "arms_imports_tiv_m"] == 0  # inside SIPRI's coverage, nothing delivered
    assert _missing(mali, 1994, "arms_imports_tiv_m") and _missing(mali, 2025, "arms_imports_tiv_m")


def test_oda_by_donor_for_mali(panel: pd.DataFrame) -> None:
    mali = _mali(panel)
    assert mali.loc[2019, "oda_net_usd_m"] == pytest.approx(1815.81)
    assert mali.loc[2019, "oda_us_usd_m"] == pytest.approx(222.19)
    assert mali.loc[2019, "oda_france_usd_m"] == pytest.approx(101.5)
    assert (_years(mali, "oda_france_usd_m", 2002, 2008) > _years(mali, "oda_us_usd_m", 2002, 2008)).all()
    assert (_years(mali, "oda_us_usd_m", 2009, 2019) > _years(mali, "oda_france_usd_m", 2009, 2019)).all()
    # The largest bilateral donor: the United States 2009-2018; in 2019 the UAE's 254.5 exceeds it.
    top_bilateral = mali["oda_top_bilateral_donor"]
    assert set(top_bilateral[(top_bilateral.index >= 2009) & (top_bilateral.index <= 2018)]) == {"United States"}
    assert mali.loc[2019, "oda_top_bilateral_donor"] == "United Arab Emirates"
    assert _missing(mali, 2001, "oda_net_usd_m") and _missing(mali, 2020, "oda_net_usd_m")


def test_peace_operations_for_mali_and_elsewhere(panel: pd.DataFrame) -> None:
    mali = _mali(panel)
    # Calendar 2020 = half of 2019/20 (1,136.9) + half of 2020/21 (1,103.4), by days.
    expected_2020 = (1136.9089 * 182 / 366 + 1103.3592 * 184 / 365)
    assert mali.loc[2020, "un_peacekeeping_usd_m"] == pytest.approx(expected_2020, rel=1e-3)
    assert mali.loc[2020, "un_peacekeeping_missions"] == "UN MINUSMA"
    assert _missing(mali, 2018, "un_peacekeeping_usd_m")  # only half of 2018 is in the data
    niger = panel[(panel["gwcode"] == 436) & (panel["year"] == 2020)]
    assert niger["un_peacekeeping_usd_m"].iloc[0] == 0


def test_support_table_keeps_donors_apart(support: pd.DataFrame) -> None:
    assert set(support["kind"]) == set(donors.KINDS)
    mali_arms = donors.supplier_totals(support, [MALI], 2013, 2024)
    assert list(mali_arms["donor"][:5]) == ["Russia", "unknown supplier(s)", "Spain", "UAE", "China"]
    oda_2019 = support[(support["gwcode"] == MALI) & (support["year"] == 2019) & (support["kind"] == "oda_net")]
    top = oda_2019.sort_values("value", ascending=False)
    assert top["donor"].iloc[0] == "International Development Association [IDA]"
    assert {"United States", "France"} <= set(top["donor"].head(6))
    assert top.set_index("donor").loc["EU Institutions", "donor_type"] == "organisation"
    assert top.set_index("donor").loc["France", "donor_type"] == "state"
    assert not support.duplicated(["gwcode", "year", "kind", "donor"]).any()


def test_arms_shift_after_2020(support: pd.DataFrame) -> None:
    shift = donors.arms_shift(support, MALI).set_index("supplier")
    assert shift["share_after"].idxmax() == "Russia"
    share_after, share_before, after = shift["share_after"], shift["share_before"], shift["after"]
    assert share_after["Russia"] > share_before["Russia"]
    assert after["France"] == 0


def test_apportion_to_years_by_days() -> None:
    rows = pd.DataFrame({"key": ["a"], "period_start": [pd.Timestamp("2019-07-01")],
                         "period_end": [pd.Timestamp("2020-06-30")], "amount": [366.0]})
    years = donors.apportion_to_years(rows, "amount", ["key"]).set_index("year")
    assert years.loc[2019, "amount"] == pytest.approx(184.0) and years.loc[2020, "amount"] == pytest.approx(182.0)
    assert years.loc[2019, "covered"] == pytest.approx(184 / 365)
