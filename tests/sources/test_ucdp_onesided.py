from __future__ import annotations

from pathlib import Path
from typing import SupportsInt, cast

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import ucdp_onesided

FILE = "OneSided_v25_1.csv"
HEADER = ",".join(ucdp_onesided.COLUMNS)
GOOD = (
    "1,4001,72,,Government of Mali,Government of Mali,Gouvernement du Mali,2020,257,256,257,1,Mali,432,432,4,"
    "25.1"
)


@pytest.fixture(scope="module")
def actor_years(mirror: Path) -> pd.DataFrame:
    return ucdp_onesided.parse_actor_years(mirror / "ucdp_onesided" / FILE)


def test_mali_government_actor_years(actor_years: pd.DataFrame) -> None:
    assert len(actor_years) == 1330
    assert int(actor_years["is_government_actor"].sum()) == 463
    mali = actor_years[actor_years["actor_name"] == "Government of Mali"].set_index("year")
    assert sorted(mali.index.tolist()) == [1990, 1991, 1992, 1994, 2013, 2018, 2020, 2021, 2022, 2023, 2024]
    best = mali["best_fatality_estimate"].astype(int).to_dict()
    assert {y: best[y] for y in (2013, 2018, 2020, 2021, 2022, 2023, 2024)} == {
        2013: 26, 2018: 53, 2020: 257, 2021: 48, 2022: 275, 2023: 204, 2024: 29,
    }
    # Int64 columns; the stubs type a `.loc` cell as any scalar.
    low = int(cast(SupportsInt, mali.loc[2018, "low_fatality_estimate"]))
    high = int(cast(SupportsInt, mali.loc[2018, "high_fatality_estimate"]))
    assert (low, high) == (53, 67)
    names = actor_years["actor_name"]
    coalition = actor_years[names.str.startswith("Government of Mali, Government of Russia")]
    assert coalition[["year", "best_fatality_estimate"]].astype(int).values.tolist() == [[2024, 299]]


def test_locations_explode_multi_country_rows(mirror: Path, actor_years: pd.DataFrame) -> None:
    long = ucdp_onesided.parse_locations(mirror / "ucdp_onesided" / FILE)
    assert len(long) == sum(len(s.split(",")) for s in actor_years["gwno_location"])
    niger = long[(long["actor_name"] == "Government of Niger") & (long["year"] == 2020)]
    assert sorted(niger["gwcode"].tolist()) == [432, 436]
    assert niger.set_index("gwcode")["own_government"].to_dict() == {432: False, 436: True}
    assert int(niger["best_fatality_estimate"].iloc[0]) == 141


def test_bad_inputs_name_row_column_value(tmp_path: Path) -> None:
    path = tmp_path / FILE
    path.write_text(f"{HEADER}\n{GOOD}\n{GOOD.replace(',2020,257,', ',2021,many,')}\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as info:
        ucdp_onesided.parse_actor_years(path)
    message = str(info.value)
    assert "row 3" in message and "'best_fatality_estimate'" in message and "'many'" in message

    path.write_text(f"{HEADER}\n{GOOD}\n{GOOD}\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"row 2.*duplicate key"):
        ucdp_onesided.parse_actor_years(path)

    path.write_text(f"{HEADER}\n{GOOD}\n1,4001,72,,Government of Mali\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"row 3.*expected 17 fields"):
        ucdp_onesided.parse_actor_years(path)
