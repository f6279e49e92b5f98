from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import us_foreign_assistance as fa

PUBLISHER_HEADER = (
    "Country Code,Country Name,Region ID,Region Name,Income Group Acronym,Income Group Name,"
    "Transaction Type ID,Transaction Type Name,Fiscal Year,current_amount,constant_amount"
)
ROWS = [
    "MLI,Mali,5,Sub-Saharan Africa,LIC,Low Income Country,18,President's Budget Requests,2020,78925000,87230342",
    "MLI,Mali,5,Sub-Saharan Africa,LIC,Low Income Country,2,Obligations,2020,219199209,260008017",
    "MLI,Mali,5,Sub-Saharan Africa,LIC,Low Income Country,2,Obligations,1976tq,1000000,5000000",
    ",Soviet Union (former),2,Europe and Eurasia,,,2,Obligations,1947,100200000,1161447081",
]


@pytest.fixture(scope="module")
def table(mirror: Path) -> pd.DataFrame:
    return fa.parse_country_summary(mirror / "us_foreign_assistance" / fa.FILENAME)


def test_mali_fy2020(table: pd.DataFrame) -> None:
    mali = table[(table["country_code"] == "MLI") & (table["fiscal_year"] == "2020")]
    amounts = mali.set_index("transaction_type_name")["current_amount"]
    assert amounts["President's Budget Requests"] == 78_925_000
    assert amounts["Obligations"] == 219_199_209
    assert amounts["Disbursements"] / 1e6 == pytest.approx(196.3, abs=0.05)
    assert amounts["Appropriated and Planned"] / 1e6 == pytest.approx(135.4, abs=0.05)


def test_shape_transition_quarter_and_historical_entities(table: pd.DataFrame) -> None:
    assert len(table) == 22486
    tq = table[table["transition_quarter"]]
    assert len(tq) > 0 and set(tq["fiscal_year"]) == {"1976tq"} and set(tq["year"]) == {1976}
    assert (table.loc[~table["transition_quarter"], "fiscal_year"] == table.loc[
        ~table["transition_quarter"], "year"
    ].astype(str)).all()
    no_code = set(table.loc[table["country_code"].isna(), "country_name"])
    assert no_code == {
        "Berlin, West", "Czechoslovakia (former)", "Germany (former East)", "Soviet Union (former)",
        "Vietnam (former South)", "Yemen (former P.D.R.)",
    }
    assert table["year"].min() == 1946 and table["year"].max() == 2025


def test_publisher_headers_give_the_same_table(tmp_path: Path) -> None:
    publisher = tmp_path / fa.FILENAME
    publisher.write_text(PUBLISHER_HEADER + ",,,\n" + "\n".join(r + ",,," for r in ROWS) + "\n", "utf-8")
    mirror_style = tmp_path / "snake.csv"
    mirror_style.write_text(",".join(fa.COLUMNS) + "\n" + "\n".join(ROWS) + "\n", "utf-8")
    ours = fa.parse_country_summary(publisher)
    pd.testing.assert_frame_equal(ours, fa.parse_country_summary(mirror_style))
    tq = ours[ours["fiscal_year"] == "1976tq"].iloc[0]
    assert tq["year"] == 1976 and tq["transition_quarter"]
    assert ours["country_code"].isna().sum() == 1


def test_bad_inputs_name_row_column_value(tmp_path: Path) -> None:
    path = tmp_path / fa.FILENAME
    bad = [*ROWS[:1], ROWS[1].replace("219199209", "2.19e8x")]
    path.write_text(",".join(fa.COLUMNS) + "\n" + "\n".join(bad) + "\n", "utf-8")
    with pytest.raises(SourceFileError) as info:
        fa.parse_country_summary(path)
    message = str(info.value)
    assert "row 3" in message and "'current_amount'" in message and "'2.19e8x'" in message

    path.write_text(",".join(fa.COLUMNS) + "\n" + "\n".join([ROWS[1], ROWS[1]]) + "\n", "utf-8")
    with pytest.raises(SourceFileError, match=r"row 2.*duplicate key"):
        fa.parse_country_summary(path)

    path.write_text(",".join(fa.COLUMNS) + "\n" + ROWS[1].replace(",2020,", ",FY20,") + "\n", "utf-8")
    with pytest.raises(SourceFileError, match=r"row 2, column 'year'.*'FY20'"):
        fa.parse_country_summary(path)
