from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import wgi

HEADER = ["codeindyr", *wgi.COLUMNS[:2], "year", *wgi.COLUMNS[3:]]


@pytest.fixture(scope="module")
def table(mirror: Path) -> pd.DataFrame:
    return wgi.parse_indicators(mirror / "wgi" / wgi.FILENAME)


def test_mali_political_stability(table: pd.DataFrame) -> None:
    mali = table[(table["code"] == "MLI")].set_index(["indicator", "year"])["estimate"]
    assert mali[("pv", 2010)] == pytest.approx(-0.18, abs=0.005)
    assert mali[("pv", 2012)] == pytest.approx(-2.03, abs=0.005)
    assert mali[("pv", 2023)] == pytest.approx(-2.73, abs=0.005)
    assert mali[("va", 2010)] == pytest.approx(0.16, abs=0.005)
    assert mali[("va", 2023)] == pytest.approx(-1.01, abs=0.005)


def test_shape_and_agreement_with_csv_export(table: pd.DataFrame, mirror: Path) -> None:
    assert len(table) == 32100
    assert table["code"].nunique() == 214
    assert sorted(table["year"].unique().tolist()) == [1996, 1998, 2000, *range(2002, 2024)]
    assert table.index[0] == 2 and table.loc[2, "code"] == "AFG"
    exported = pd.read_csv(mirror / "wgi" / "wgi_long_1996_2023.csv", na_values=[".."])
    merged = table.merge(exported, on=["code", "year", "indicator"], suffixes=("", "_csv"))
    assert len(merged) == len(table)
    for column in ("estimate", "stddev", "pctrank", "pctranklower", "pctrankupper"):
        pd.testing.assert_series_equal(merged[column], merged[f"{column}_csv"], check_names=False)
    assert table["estimate"].isna().sum() == 1126  # ".." cells
    assert set(wgi.NON_ISO_CODES) <= set(table["code"])
    assert not set(wgi.NON_ISO_CODES.values()) & set(table["code"])


def _write(path: Path, rows: list[list[object]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_bad_cell_names_row_column_value(tmp_path: Path) -> None:
    path = tmp_path / wgi.FILENAME
    good = ["MLIpv2012", "MLI", "Mali", 2012, "pv", -2.03, 0.2, 8, 3.3, 1.0, 8.0]
    bad = ["MLIpv2013", "MLI", "Mali", 2013, "pv", "-2,1", 0.2, 8, 3.3, 1.0, 8.0]
    _write(path, [good, bad])
    with pytest.raises(SourceFileError) as info:
        wgi.parse_indicators(path)
    message = str(info.value)
    assert "row 3" in message and "'estimate'" in message and "'-2,1'" in message

    _write(path, [good, good])
    with pytest.raises(SourceFileError, match=r"row 2.*duplicate key"):
        wgi.parse_indicators(path)

    _write(path, [[*good[:4], "xx", *good[5:]]])
    with pytest.raises(SourceFileError, match=r"row 2, column 'indicator'.*'xx'"):
        wgi.parse_indicators(path)
