from __future__ import annotations

from pathlib import Path
from typing import cast

import openpyxl
import pandas as pd
import pytest
from openpyxl.styles import Font

from coupwatch.errors import SourceFileError
from coupwatch.sources import sipri

FOLDER = "sipri_milex"


@pytest.fixture(scope="module")
def milex(mirror: Path) -> pd.DataFrame:
    return sipri.parse_milex(mirror / FOLDER / sipri.FILENAME)


def test_mali_share_of_gdp(milex: pd.DataFrame) -> None:
    mali = milex[milex["country"] == "Mali"].set_index("year")
    share = mali["milex_share_gdp"]
    assert share[2012] * 100 == pytest.approx(1.20, abs=0.005)
    assert share[2020] * 100 == pytest.approx(3.40, abs=0.005)
    assert share[2024] * 100 == pytest.approx(4.25, abs=0.005)
    assert round(cast(float, mali.loc[2012, "milex_const2024_usd_m"])) == 151  # a float column
    assert round(cast(float, mali.loc[2020, "milex_const2024_usd_m"])) == 676
    assert (mali.loc[2012, "region"], mali.loc[2012, "subregion"]) == ("Africa", "sub-Saharan Africa")
    assert mali.loc[1949, "milex_share_gdp_status"] == "not_independent"


def test_shape_regions_and_headings(milex: pd.DataFrame) -> None:
    assert milex["country"].nunique() == 174
    assert milex["year"].min() == 1949 and milex["year"].max() == 2025
    assert not milex["country"].isin(["East Asia", "Central Asia", "Africa"]).any()
    subregions = milex.drop_duplicates("country").set_index("country")["subregion"]
    assert subregions["China"] == "East Asia" and subregions["Kazakhstan"] == "Central Asia"
    assert subregions[["Iran", "Saudi Arabia"]].isna().all()
    assert set(milex["milex_share_gdp_status"].dropna()) == set(sipri.STATUSES)
    # Per capita starts in 1988: earlier years have no cell, hence no status.
    assert milex.loc[milex["year"] < 1988, "milex_per_capita_usd_status"].isna().all()


def test_reconciles_with_the_derived_csv_for_africa(milex: pd.DataFrame, mirror: Path) -> None:
    derived = pd.read_csv(mirror / FOLDER / "sipri_milex_country_year_long.csv")
    derived = derived.rename(columns=lambda c: c.replace("per_capita_current_usd", "per_capita_usd"))
    ours = milex[milex["region"] == "Africa"]
    theirs = derived[derived["region"] == "Africa"]
    merged = ours.merge(theirs, on=["country", "year"], how="outer", suffixes=("", "_csv"), indicator=True)
    assert (merged["_merge"] == "both").all() and len(merged) == 3927
    assert (merged["subregion"] == merged["subregion_csv"]).all()
    flags = {"estimate_blue": "estimate", "uncertain_red": "uncertain"}
    for column in sipri.SHEETS.values():
        pd.testing.assert_series_equal(
            merged[column], merged[f"{column}_csv"], check_names=False, rtol=1e-12
        )
        expected = merged[f"{column}_flag"].map(lambda f: flags.get(f, f) if isinstance(f, str) else None)
        expected = expected.where(expected.notna() | merged[column].isna(), "value")
        # The derived CSV keeps the font colour of a "..." cell; the adapter says "unavailable".
        coloured_gap = merged[column].isna() & expected.isin(["estimate", "uncertain"])
        expected = expected.where(~coloured_gap, "unavailable")
        assert (merged[f"{column}_status"].fillna("-") == expected.fillna("-")).all(), column


def _tiny_workbook(path: Path, cell: object = 0.012) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in sipri.SHEETS:
        ws = book.create_sheet(sheet)
        ws.append(["Military expenditure ... © SIPRI"])
        ws.append(["Country", "Notes", 2011, 2012])
        ws.append([None])
        ws.append(["Africa"])
        ws.append(["sub-Saharan Africa"])
        ws.append(["Mali", "", 0.0124, cell])
        ws.cell(row=6, column=3).font = Font(color="FF0000FF")  # rgb blue is not SIPRI's indexed blue
        ws.append(["Niger", "§", "xxx", ". ."])
    book.save(path)


def test_tiny_workbook_parses(tmp_path: Path) -> None:
    path = tmp_path / sipri.FILENAME
    _tiny_workbook(path)
    table = sipri.parse_milex(path)
    assert len(table) == 4
    niger = table[table["country"] == "Niger"].set_index("year")
    assert niger.loc[2011, "milex_share_gdp_status"] == "not_independent"
    assert niger.loc[2012, "milex_share_gdp_status"] == "unavailable"
    assert table.index.tolist() == [6, 6, 7, 7]


def test_bad_cell_names_sheet_row_column_value(tmp_path: Path) -> None:
    path = tmp_path / sipri.FILENAME
    _tiny_workbook(path, cell="n/a")
    with pytest.raises(SourceFileError) as info:
        sipri.parse_milex(path)
    message = str(info.value)
    assert "Constant (2024) US$" in message and "row 6" in message
    assert "'Mali 2012'" in message and "'n/a'" in message


def test_missing_sheet_fails(tmp_path: Path) -> None:
    path = tmp_path / sipri.FILENAME
    _tiny_workbook(path)
    book = openpyxl.load_workbook(path)
    book["Per capita"].title = "Per head"
    book.save(path)
    with pytest.raises(SourceFileError, match=r"missing sheet.*Per capita"):
        sipri.parse_milex(path)
