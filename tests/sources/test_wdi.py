from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import wdi

# A per-indicator World Bank download, cut to three economies and four years (values as published in
# the 2021 vintage for Mali; the others invented).
API_FILE = (
    '"Data Source","World Development Indicators",\n'
    "\n"
    '"Last Updated Date","2021-12-16",\n'
    "\n"
    '"Country Name","Country Code","Indicator Name","Indicator Code","2010","2011","2012","2013",\n'
    '"Mali","MLI","Military expenditure (% of GDP)","MS.MIL.XPND.GD.ZS","1.37","1.24","1.2","",\n'
    '"Niger","NER","Military expenditure (% of GDP)","MS.MIL.XPND.GD.ZS","","","1.5","1.6",\n'
    '"World","WLD","Military expenditure (% of GDP)","MS.MIL.XPND.GD.ZS","2.4","2.3","2.2","2.1",\n'
)
API_NAME = "API_MS.MIL.XPND.GD.ZS_DS2_en_csv_v2_3470000.csv"


@pytest.fixture(scope="module")
def table(mirror: Path) -> pd.DataFrame:
    return wdi.parse_indicators(mirror / "wdi_extract" / wdi.FILENAME)


def test_mali_military_burden(table: pd.DataFrame) -> None:
    mali = table[(table["iso3"] == "MLI") & (table["indicator_code"] == "MS.MIL.XPND.GD.ZS")]
    series = mali.set_index("year")["value"]
    assert series[2012] == pytest.approx(1.20, abs=0.005)
    assert series[2020] == pytest.approx(3.33, abs=0.005)
    assert len(table) == 91510
    assert set(table["indicator_code"]) == set(wdi.INDICATORS)


def test_aggregates_are_kept(table: pd.DataFrame) -> None:
    codes = set(table["iso3"])
    assert set(wdi.AGGREGATES) <= codes
    assert table.loc[table["iso3"] == "SSF", "country_name"].iloc[0] == "Sub-Saharan Africa"
    assert len(codes - set(wdi.AGGREGATES)) == 214


def test_world_bank_wide_layout(tmp_path: Path) -> None:
    path = tmp_path / API_NAME
    path.write_text(API_FILE, encoding="utf-8-sig")
    long = wdi.parse_indicators(path)
    assert len(long) == 9
    mali = long[long["iso3"] == "MLI"].set_index("year")["value"].to_dict()
    assert mali == {2010: 1.37, 2011: 1.24, 2012: 1.2}
    assert set(long["wb_last_updated"]) == {"2021-12-16"}
    assert long.loc[long["iso3"] == "NER"].index.unique().tolist() == [7]
    assert list(long.columns) == wdi.LONG_COLUMNS
    zipped = tmp_path / "API_MS.MIL.XPND.GD.ZS_DS2_en_csv_v2_3470000.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr(API_NAME, API_FILE)
        archive.writestr("Metadata_Country_API_MS.MIL.XPND.GD.ZS_DS2.csv", "x\n")
    pd.testing.assert_frame_equal(wdi.parse_indicators(zipped), long)


def test_bad_value_names_row_column_value(tmp_path: Path) -> None:
    path = tmp_path / API_NAME
    path.write_text(API_FILE.replace('"1.5"', '"1,5"'), encoding="utf-8")
    with pytest.raises(SourceFileError) as info:
        wdi.parse_indicators(path)
    message = str(info.value)
    assert "row 7" in message and "'2012'" in message and "'1,5'" in message

    path.write_text(API_FILE + API_FILE.splitlines()[-1] + "\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"row 8.*duplicate key.*rows 8, 9"):
        wdi.parse_indicators(path)

    long = tmp_path / wdi.FILENAME
    header = ",".join(wdi.LONG_COLUMNS)
    line = "Mali,MLI,Military expenditure (% of GDP),MS.MIL.XPND.GD.ZS,2012,1.2,2021"
    long.write_text(f"{header}\n{line}\n{line}\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"row 2.*duplicate key"):
        wdi.parse_indicators(long)
    long.write_text(f"{header.replace('iso3', 'code')}\n{line}\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"missing column.*'iso3'"):
        wdi.parse_indicators(long)
