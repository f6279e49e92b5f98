from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import us_cbj


@pytest.fixture(scope="module")
def accounts(mirror: Path) -> pd.DataFrame:
    return us_cbj.parse_accounts(mirror / "us_military_training" / us_cbj.FILENAME)


def _mali(accounts: pd.DataFrame, account: str) -> dict[int, float]:
    rows = accounts[(accounts["country"] == "Mali") & (accounts["account"] == account)]
    return dict(zip(rows["fiscal_year"].astype(int), rows["amount_thousands_usd"], strict=True))


def test_mali_security_accounts(accounts: pd.DataFrame) -> None:
    imet = _mali(accounts, "IMET")
    assert [imet[y] for y in range(2008, 2018)] == [285, 306, 330, 397, 69, 0, 99, 409, 280, 400]
    pko = _mali(accounts, "PKO")
    assert (pko[2013], pko[2014], pko[2015]) == (19_908, 2_720, 6_000)
    assert _mali(accounts, "FMF")[2010] == 200
    assert _mali(accounts, "NADR")[2017] == 1_000
    total = _mali(accounts, "Total")
    assert (total[2008], total[2012]) == (59_960, 154_629)


def test_shape_value_type_and_totals(accounts: pd.DataFrame) -> None:
    assert len(accounts) == 36_963
    assert accounts.index[0] == 2
    kinds = accounts.groupby("fiscal_year")["value_type"].unique().map(tuple).to_dict()
    assert all(kinds[y] == ("allocation",) for y in range(2008, 2016))
    assert kinds[2016] == kinds[2017] == ("request",)
    assert set(accounts.loc[accounts["is_total"], "account"]) == us_cbj.TOTAL_ACCOUNTS
    # Regional and world rows are kept for the crosswalk to decide.
    assert {"TOTAL", "Africa", "USAID West Africa Regional"} <= set(accounts["country"])


def test_accounts_sum_to_the_printed_total(accounts: pd.DataFrame) -> None:
    mali = accounts[(accounts["country"] == "Mali")]
    parts = mali[~mali["is_total"]].groupby("fiscal_year")["amount_thousands_usd"].sum()
    total = mali[mali["account"] == "Total"].set_index("fiscal_year")["amount_thousands_usd"]
    pd.testing.assert_series_equal(parts, total, check_names=False, check_index_type=False)


def test_names_printed_twice_are_both_kept(accounts: pd.DataFrame) -> None:
    twice = accounts[accounts["occurrence"] == 2]
    assert set(twice["fiscal_year"]) == {2008}
    asia = accounts[(accounts["country"] == "Asia Middle East Regional") & (accounts["fiscal_year"] == 2008)
                    & (accounts["account"] == "DA")]
    assert asia["amount_thousands_usd"].tolist() == [16_497, 16_497]


def test_bad_amount_names_row_column_and_value(tmp_path: Path) -> None:
    bad = tmp_path / us_cbj.FILENAME
    bad.write_text(
        "country,fiscal_year,account,amount_thousands_usd\n"
        "Mali,2012,IMET,69.0\n"
        "Mali,2012,PKO,\"1,234\"\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceFileError) as info:
        us_cbj.parse_accounts(bad)
    message = str(info.value)
    assert "row 3" in message and "'amount_thousands_usd'" in message and "'1,234'" in message


def test_year_outside_the_release_and_renamed_column_fail(tmp_path: Path) -> None:
    late = tmp_path / "late.csv"
    late.write_text("country,fiscal_year,account,amount_thousands_usd\nMali,2019,IMET,1\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"row 2, column 'fiscal_year'.*2019"):
        us_cbj.parse_accounts(late)
    renamed = tmp_path / "renamed.csv"
    renamed.write_text("country,year,account,amount_thousands_usd\nMali,2012,IMET,1\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"missing column.*'fiscal_year'"):
        us_cbj.parse_accounts(renamed)
