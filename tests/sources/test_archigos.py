from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import archigos


@pytest.fixture(scope="module")
def leaders(mirror: Path) -> pd.DataFrame:
    return archigos.parse_leaders(mirror / "archigos" / "Archigos_4.1.txt")


def test_size_and_coverage(leaders: pd.DataFrame) -> None:
    assert len(leaders) == 3409
    assert leaders["ccode"].nunique() == 188
    assert leaders["startdate"].min() == pd.Timestamp("1840-07-23")
    assert leaders["enddate"].max() == pd.Timestamp("2015-12-31")


def test_malis_leaders(leaders: pd.DataFrame) -> None:
    mali = leaders[leaders["ccode"] == 432].sort_values("startdate")
    assert len(mali) == 8
    removed_by_military = mali[mali["exitcode"] == "Removed by Military, without Foreign Support"]
    assert removed_by_military["enddate"].dt.strftime("%Y-%m-%d").tolist() == [
        "1968-11-19", "1991-03-26", "2012-03-22",
    ]
    last = mali.iloc[-1]
    assert (last["leader"], last["exit"]) == ("Ibrahim Boubacar Keita", "Still in Office")


def test_codes_are_gleditsch_ward(leaders: pd.DataFrame) -> None:
    # COW would switch unified Germany to 255 and unified Yemen to 679; Archigos keeps GW's 260 and 678
    after_1990 = leaders[leaders["startdate"] >= "1991-01-01"]
    assert 255 not in set(after_1990["ccode"]) and 679 not in set(leaders["ccode"])
    assert "Merkel" in set(after_1990.loc[after_1990["ccode"] == 260, "leader"])
    serbia = leaders[leaders["idacr"] == "SER"]
    assert set(serbia.loc[serbia["start_year"] >= 2006, "ccode"]) == {340}
    assert {711, 730, 563, 564} <= set(leaders["ccode"])


def test_trailing_blank_in_a_date_is_tolerated(leaders: pd.DataFrame) -> None:
    # the publisher's file has '2015-10-30 ' for Valeriu Strelet (Moldova)
    row = leaders[leaders["obsid"] == "MLD-2015-3"].iloc[0]
    assert row["enddate"] == pd.Timestamp("2015-10-30")


_HEADER = "\t".join([
    "obsid", "leadid", "ccode", "idacr", "leader", "startdate", "enddate", "entry", "exit", "exitcode",
    "prevtimesinoffice", "posttenurefate", "gender", "yrborn", "yrdied", "borndate", "deathdate",
])


def _line(obsid: str, start: str, end: str, exit_: str = "Regular", exitcode: str = "Regular") -> str:
    return "\t".join([obsid, "id", "432", "MLI", "Keita", start, end, "Regular", exit_, exitcode, "0", "OK",
                      "M", "1945", "-777", "NA", "NA"])


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "Archigos_4.1.txt"
    path.write_text("\n".join([_HEADER, *lines]) + "\n", encoding="latin-1")
    return path


def test_fixture_parses_and_codes_alive_as_missing(tmp_path: Path) -> None:
    frame = archigos.parse_leaders(_write(tmp_path, _line("MLI-2013", "2013-09-04", "2015-12-31")))
    assert frame.loc[2, "start_year"] == 2013 and frame["yrdied"].isna().loc[2]


def test_bad_date_names_row_column_value(tmp_path: Path) -> None:
    path = _write(
        tmp_path, _line("MLI-1992", "1992-06-06", "2002-06-08"), _line("MLI-2002", "2002-06-09", "2012-13-22")
    )
    with pytest.raises(SourceFileError) as info:
        archigos.parse_leaders(path)
    message = str(info.value)
    assert "row 3" in message and "'enddate'" in message and "'2012-13-22'" in message


def test_unknown_exit_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, _line("MLI-2002", "2002-06-09", "2012-03-22", exit_="Coup"))
    with pytest.raises(SourceFileError) as info:
        archigos.parse_leaders(path)
    message = str(info.value)
    assert "row 2" in message and "'exit'" in message and "'Coup'" in message


def test_truncated_file_is_reported(tmp_path: Path) -> None:
    full = _line("MLI-2002", "2002-06-09", "2012-03-22")
    path = _write(tmp_path, _line("MLI-1992", "1992-06-06", "2002-06-08"), full[: full.index("2012")])
    with pytest.raises(SourceFileError) as info:
        archigos.parse_leaders(path)
    message = str(info.value)
    assert "row 3" in message and "the last row has 7 of the header's 17 fields: the file is cut short" in message


def test_duplicate_obsid_is_rejected(tmp_path: Path) -> None:
    line = _line("MLI-2002", "2002-06-09", "2012-03-22")
    with pytest.raises(SourceFileError, match=r"duplicate key \(obsid='MLI-2002'\) on rows 2, 3"):
        archigos.parse_leaders(_write(tmp_path, line, line))
