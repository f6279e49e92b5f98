from __future__ import annotations

import csv
import zipfile
from pathlib import Path
from typing import cast

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import ucdp

V251 = "UcdpPrioConflict_v25_1.csv"
HEADER = ";".join(ucdp.ACD_COLUMNS)
GOOD = (
    "11347;Mali;Government of Mali;72;;JNIM;6716;;2;;2024;1;1;4;10-6-2009;1;24-1-2012;1;0;;;432;;;;432;4;25.1"
)


@pytest.fixture(scope="module")
def acd(mirror: Path) -> pd.DataFrame:
    return ucdp.parse_acd(mirror / "ucdp" / V251)


def test_v251_broken_record_is_repaired(acd: pd.DataFrame, mirror: Path) -> None:
    physical_lines = (mirror / "ucdp" / V251).read_bytes().count(b"\n")
    assert physical_lines == 2753  # header + 2,751 records + one record broken over two lines
    assert len(acd) == 2751
    china = acd[(acd["conflict_id"] == 11349) & (acd["year"] == 2008)]
    assert len(china) == 1
    row = china.iloc[0]
    assert china.index[0] == 42
    assert row["territory_name"] == "East Turkestan"
    assert (row["gwno_a"], row["gwno_loc"], row["region"], row["version"]) == ("710", "710", "3", "25.1")
    assert row["gwno_b"] is None and row["type_of_conflict"] == 3 and row["intensity_level"] == 1
    assert row["start_date"] == pd.Timestamp("1990-04-05")
    assert row["ep_end_date"] == pd.Timestamp("2008-08-29")
    # The line after the broken pair keeps its own line number.
    position = cast(int, acd.index.get_loc(42))  # a unique label, so a single position
    assert acd.index[position + 1] == 44


def test_v251_agrees_with_v221_on_the_repaired_record(acd: pd.DataFrame, mirror: Path) -> None:
    old = ucdp.parse_acd(mirror / "ucdp" / "ucdp-prio-acd-221.csv")
    assert len(old) == 2568
    key = ["conflict_id", "year"]
    new_row = acd[(acd["conflict_id"] == 11349) & (acd["year"] == 2008)].drop(columns="version")
    old_row = old[(old["conflict_id"] == 11349) & (old["year"] == 2008)].drop(columns="version")
    pd.testing.assert_frame_equal(new_row.reset_index(drop=True), old_row.reset_index(drop=True))
    assert not acd.duplicated(key).any()


def test_mali_intrastate_conflict_years(acd: pd.DataFrame, mirror: Path) -> None:
    locations = ucdp.parse_acd_locations(mirror / "ucdp" / V251)
    mali = locations[(locations["gwcode"] == 432) & locations["type_of_conflict"].isin([3, 4])]
    years = set(mali["year"].tolist())
    assert {2009, 2012, 2014, 2015} <= years
    assert 2010 not in years and 2011 not in years
    # Multi-location conflict-years explode into one row per GW code.
    egypt_israel = locations[(locations["conflict_id"] == 11343) & (locations["year"] == 1967)]
    assert sorted(egypt_israel["gwcode"].tolist()) == [651, 666]
    assert len(locations) == sum(len(s.split(",")) for s in acd["gwno_loc"])


def _as_official_zip(acd: pd.DataFrame, target: Path) -> Path:
    """Write the table the way UCDP publishes it: a zip with a comma-separated, ISO-dated CSV."""
    text_frame = acd.copy()
    for column in ["start_date", "start_date2", "ep_end_date"]:
        text_frame[column] = text_frame[column].dt.strftime("%Y-%m-%d")
    csv_path = target / V251
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(ucdp.ACD_COLUMNS)
        for record in text_frame.itertuples(index=False):
            writer.writerow(["" if pd.isna(v) else v for v in record])
    zipped = target / "ucdp-prio-acd-251-csv.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(csv_path, V251)
    return zipped


def test_publishers_layout_parses_to_the_same_table(acd: pd.DataFrame, tmp_path: Path) -> None:
    zipped = _as_official_zip(acd, tmp_path)
    for path in (zipped, tmp_path / V251):
        official = ucdp.parse_acd(path)
        pd.testing.assert_frame_equal(official.reset_index(drop=True), acd.reset_index(drop=True))
    assert official.index[-1] == len(acd) + 1


def test_v221_and_nonstate(mirror: Path) -> None:
    nonstate = ucdp.parse_nonstate(mirror / "ucdp" / "ucdp-nonstate-221.csv")
    assert len(nonstate) == 1442
    assert nonstate["year"].min() == 1989 and nonstate["year"].max() == 2021
    long = ucdp.parse_nonstate_locations(mirror / "ucdp" / "ucdp-nonstate-221.csv")
    assert len(long) >= len(nonstate)
    assert long["gwcode"].notna().all()


def test_non_numeric_year_names_row_column_value(tmp_path: Path) -> None:
    bad = tmp_path / V251
    bad.write_text(f"{HEADER}\n{GOOD}\n{GOOD.replace(';2024;', ';20x4;')}\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as info:
        ucdp.parse_acd(bad)
    message = str(info.value)
    assert "row 3" in message and "'year'" in message and "'20x4'" in message


def test_bad_date_and_bad_code_list(tmp_path: Path) -> None:
    bad = tmp_path / V251
    bad.write_text(f"{HEADER}\n{GOOD.replace('24-1-2012', '24/1/2012')}\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as info:
        ucdp.parse_acd(bad)
    message = str(info.value)
    assert "row 2" in message and "'start_date2'" in message and "'24/1/2012'" in message

    bad.write_text(f"{HEADER}\n{GOOD.replace(';432;4;25.1', ';432 / 433;4;25.1')}\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as info:
        ucdp.parse_acd_locations(bad)
    assert "row 2" in str(info.value) and "'gwno_loc'" in str(info.value) and "'432 / 433'" in str(info.value)


def test_truncated_and_duplicated_files_fail(tmp_path: Path) -> None:
    bad = tmp_path / V251
    bad.write_text(f"{HEADER}\n{GOOD}\n11347;Mali;Government of Mali;72\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"row 3.*expected 28 fields, found 4"):
        ucdp.parse_acd(bad)
    bad.write_text(f"{HEADER}\n{GOOD}\n{GOOD}\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"row 2.*duplicate key"):
        ucdp.parse_acd(bad)
    bad.write_text(f"{HEADER.replace('gwno_loc', 'gwnoloc')}\n{GOOD}\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"missing column.*'gwno_loc'"):
        ucdp.parse_acd(bad)
