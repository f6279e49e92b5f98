from __future__ import annotations

from pathlib import Path
from typing import cast

import openpyxl
import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import greenbook

WORKBOOK = "us_foreignaid_greenbook_1946_2020.xlsx"


@pytest.fixture(scope="module")
def obligations(mirror: Path) -> pd.DataFrame:
    return greenbook.parse_obligations(mirror / "greenbook" / WORKBOOK)


def _mali(frame: pd.DataFrame, year: int, category: str) -> pd.Series:
    rows = frame[(frame["country"] == "Mali") & (frame["fiscal_year"] == year)
                 & (frame["assistance_category"] == category)]
    return rows.groupby("publication_row")["obligations_current_usd"].sum()


def test_mali_military_obligations(obligations: pd.DataFrame) -> None:
    fy2012 = _mali(obligations, 2012, "Military")
    assert fy2012.sum() / 1e6 == pytest.approx(128.8, abs=0.05)
    assert fy2012["Peace Keeping Operations"] == 128_260_000
    fy2020 = _mali(obligations, 2020, "Military")
    assert fy2020.sum() / 1e6 == pytest.approx(1.36, abs=0.005)
    assert fy2020["International Military Education and Training"] / 1e6 == pytest.approx(1.06, abs=0.005)


def test_mali_economic_2019(obligations: pd.DataFrame) -> None:
    fy2019 = _mali(obligations, 2019, "Economic")
    assert fy2019.sum() / 1e6 == pytest.approx(218.2, abs=0.05)
    assert fy2019["Democracy Fund"] / 1e6 == pytest.approx(1.52, abs=0.005)
    assert fy2019["Nonproliferation, Anti-Terrorism, Demining & Related"] / 1e6 == pytest.approx(10.87, abs=0.005)


def test_rows_are_sheet_rows_and_transition_quarter_is_kept(obligations: pd.DataFrame) -> None:
    assert len(obligations) == 75_002
    assert obligations.index[0] == 8 and obligations.index[-1] == 75_009
    first = obligations.loc[8]
    assert (first["fiscal_year"], first["country"]) == (1946, "Egypt")
    assert first["obligations_current_usd"] == 9_300_000
    tq = obligations[obligations["transition_quarter"]]
    assert len(tq) == 323 and set(tq["fiscal_year"]) == {1976}


def test_reconciles_with_the_derived_long_csv(obligations: pd.DataFrame, mirror: Path) -> None:
    derived = pd.read_csv(mirror / "greenbook" / "greenbook_long.csv")
    assert len(derived) == len(obligations)
    keys = ["fiscal_year", "country", "assistance_category"]
    values = ["obligations_current_usd", "obligations_constant2020_usd"]
    # The derived CSV truncated the Transition Quarter (1976.9) into 1976, so sums fold it in too.
    ours = obligations.astype({v: "int64" for v in values}).groupby(keys)[values].sum()
    theirs = derived.groupby(keys)[values].sum()
    keyed = cast(pd.MultiIndex, ours.index)  # grouped by three keys
    # The new level as a list of ints (the stubs want a sequence, not an Index; set_levels makes the Index).
    ours.index = keyed.set_levels(keyed.levels[0].astype("int64").tolist(), level=0)
    pd.testing.assert_frame_equal(ours.sort_index(), theirs.sort_index(), check_dtype=False)


def _tiny_workbook(path: Path, rows: list[list[object]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = greenbook.SHEET
    sheet.append(["U.S. Economic and Military Assistance"])
    for _ in range(5):
        sheet.append([])
    sheet.append(list(greenbook._COLUMNS))
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_bad_amount_names_row_column_and_value(tmp_path: Path) -> None:
    bad = tmp_path / WORKBOOK
    _tiny_workbook(bad, [
        [2020, "Sub-Saharan Africa", "Mali", "Military", "Foreign Military Financing", "Department of State",
         "Foreign Military Financing Program", 4101, 4101],
        [2020, "Sub-Saharan Africa", "Mali", "Military", "Peace Keeping Operations", "Department of State",
         "Peace Keeping Operations", "n/a", 53000],
    ])
    with pytest.raises(SourceFileError) as info:
        greenbook.parse_obligations(bad)
    message = str(info.value)
    assert "row 9" in message and "'obligations_current_usd'" in message and "'n/a'" in message


def test_odd_fiscal_year_and_duplicates_are_rejected(tmp_path: Path) -> None:
    line = ["Sub-Saharan Africa", "Mali", "Military", "Peace Keeping Operations", "Department of State",
            "Peace Keeping Operations", 53000, 53000]
    odd = tmp_path / "odd.xlsx"
    _tiny_workbook(odd, [[2020.5, *line]])
    with pytest.raises(SourceFileError, match=r"row 8, column 'Fiscal Year'.*2020\.5"):
        greenbook.parse_obligations(odd)
    dup = tmp_path / "dup.xlsx"
    _tiny_workbook(dup, [[2020, *line], [2020, *line]])
    with pytest.raises(SourceFileError, match=r"duplicate key .* rows 8, 9"):
        greenbook.parse_obligations(dup)


def test_renamed_header_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / WORKBOOK
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = greenbook.SHEET
    header = [("Programme" if name == "Publication Row" else name) for name in greenbook._COLUMNS]
    sheet.append(header)
    book.save(bad)
    with pytest.raises(SourceFileError, match="'Publication Row'"):
        greenbook.parse_obligations(bad)
