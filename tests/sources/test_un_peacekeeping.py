from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import un_peacekeeping

HEADER = ('"PRIORITY_AREA","PART_ID","PART_DESCRIPTION","SECTION_ID","SECTION_DESCRIPTION","ENTITY","YEAR",'
          '"FINANCIAL_YEAR","AMOUNT","SOURCE_TYPE","REFERENCE","NOTE"')


@pytest.fixture(scope="module")
def expenses(mirror: Path) -> pd.DataFrame:
    return un_peacekeeping.parse_peacekeeping(mirror / "un_peacekeeping_expenses" / un_peacekeeping.FILENAME)


def test_minusma_assessed_spending(expenses: pd.DataFrame) -> None:
    minusma = expenses[(expenses["mission"] == "MINUSMA") & (expenses["source_type"] == "Other Assessed")]
    by_label = minusma.set_index("financial_year")["amount_usd"] / 1e6
    assert by_label["2018/19"] == pytest.approx(1105.7, abs=0.05)
    assert by_label["2019/20"] == pytest.approx(1136.9, abs=0.05)
    assert by_label["2021"] == pytest.approx(1103.4, abs=0.05)
    assert by_label["2022"] == pytest.approx(1170.0, abs=0.05)
    assert by_label["2022/23"] == pytest.approx(1192.3, abs=0.05)
    # The file's "2021" is the 2020/21 peacekeeping year: 1 July 2020 to 30 June 2021.
    row = minusma[minusma["financial_year"] == "2021"].iloc[0]
    assert (row["period_start"], row["period_end"]) == (pd.Timestamp("2020-07-01"), pd.Timestamp("2021-06-30"))
    assert set(minusma["reference"]) == {"A/74/736", "A/75/786", "A/76/717", "A/77/779", "A/78/726"}
    assert set(minusma["host_iso3"]) == {"MLI"}


def test_only_peacekeeping_rows_and_hosts(expenses: pd.DataFrame) -> None:
    assert len(expenses) == 180
    unisfa = expenses[expenses["mission"] == "UNISFA"]
    assert unisfa["host_iso3"].isna().all() and unisfa["host_name"].str.contains("Abyei").all()


def test_unknown_mission_is_named(tmp_path: Path) -> None:
    path = tmp_path / un_peacekeeping.FILENAME
    path.write_text(HEADER + '\n"x","II","x","5","Peacekeeping operations","UNNEW","2023","2022/23","5",'
                    '"Other Assessed","A/1",""\n', "utf-8")
    with pytest.raises(SourceFileError, match="no known host") as info:
        un_peacekeeping.parse_peacekeeping(path)
    assert info.value.row == 2 and info.value.field == "ENTITY" and info.value.value == "UNNEW"
    path.write_text(HEADER + '\n"x","II","x","5","Peacekeeping operations","MINUSMA","2023","2022/23","lots",'
                    '"Other Assessed","A/1",""\n', "utf-8")
    with pytest.raises(SourceFileError) as bad:
        un_peacekeeping.parse_peacekeeping(path)
    assert bad.value.field == "AMOUNT" and bad.value.value == "lots"
