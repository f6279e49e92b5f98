from __future__ import annotations

from pathlib import Path
from typing import cast

import openpyxl
import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import polity5


@pytest.fixture(scope="module")
def polity(mirror: Path) -> pd.DataFrame:
    return polity5.parse_polity2(mirror / "polity5" / "p5v2018_polity2_subset.csv")


def test_size_and_coverage(polity: pd.DataFrame) -> None:
    assert len(polity) == 17574
    assert polity["scode"].nunique() == 194
    assert (polity["year"].min(), polity["year"].max()) == (1776, 2020)
    assert set(polity.loc[polity["year"] > 2018, "scode"]) == {"USA"}


def test_mali_scores(polity: pd.DataFrame) -> None:
    mali = polity[polity["scode"] == "MLI"].set_index("year")["polity2"]
    assert (mali[1990], mali[1991], mali[1992], mali[2011], mali[2012], mali[2018]) == (-7, -1, 4, 7, 0, 5)
    assert mali.index.min() == 1960


def test_special_codes_are_split_off(polity: pd.DataFrame) -> None:
    special = polity[polity["polity2_special"].notna()]
    assert special[["scode", "year", "polity2_special"]].values.tolist() == [
        ["BEL", 1830, -88], ["FRN", 1940, -66], ["FRN", 1941, -66], ["FRN", 1942, -66], ["FRN", 1943, -66],
    ]
    assert special["polity2"].isna().all()
    assert polity["polity2"].dropna().between(-10, 10).all()


def test_reads_the_publishers_workbook_layout(tmp_path: Path) -> None:
    # p5v2018.xls has many more columns; only scode, country, year, polity2 are kept
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["p5", "cyear", "ccode", "scode", "country", "year", "flag", "polity", "polity2"])
    sheet.append([0, 4322011, 432, "MLI", "Mali", 2011, 0, 7, 7])
    sheet.append([0, 4322012, 432, "MLI", "Mali", 2012, 0, -77, 0])
    sheet.append([0, 2201940, 220, "FRN", "France", 1940, 0, -66, None])
    path = tmp_path / "p5v2018.xls"
    book.save(path)
    frame = polity5.parse_polity2(path)
    assert cast(pd.Series, frame.loc[3, ["scode", "year", "polity2"]]).tolist() == ["MLI", 2012, 0]  # one row
    assert frame["polity2"].isna().loc[4]
    assert list(frame.columns) == ["scode", "country", "year", "polity2", "polity2_special"]


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "p5v2018_polity2_subset.csv"
    path.write_text("\n".join(['"scode","country","year","polity2"', *lines]) + "\n")
    return path


def test_non_numeric_score_names_row_column_value(tmp_path: Path) -> None:
    path = _write(tmp_path, '"MLI","Mali",2011,7', '"MLI","Mali",2012,"n/a"')
    with pytest.raises(SourceFileError) as info:
        polity5.parse_polity2(path)
    message = str(info.value)
    assert "row 3" in message and "'polity2'" in message and "'n/a'" in message


def test_out_of_range_score_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, '"MLI","Mali",2011,7', '"MLI","Mali",2012,-99')
    with pytest.raises(SourceFileError) as info:
        polity5.parse_polity2(path)
    message = str(info.value)
    assert "row 3" in message and "'polity2'" in message and "-99" in message


def test_duplicate_country_year_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, '"MLI","Mali",2012,0', '"MLI","Mali",2012,0')
    with pytest.raises(SourceFileError, match=r"duplicate key \(scode='MLI', year=2012\) on rows 2, 3"):
        polity5.parse_polity2(path)
