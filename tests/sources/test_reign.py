from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import reign


@pytest.fixture(scope="module")
def folder(mirror: Path) -> Path:
    return mirror / "reign"


@pytest.fixture(scope="module")
def leaders(folder: Path) -> pd.DataFrame:
    return reign.parse_leaders(folder / "leaderlist_3_21.csv")


def test_leader_list_size_and_mali(leaders: pd.DataFrame) -> None:
    assert len(leaders) == 2524
    assert int(leaders["eyear"].isna().sum()) == 194  # in office in March 2021
    mali = leaders[leaders["ccode"] == 432].sort_values("start_date")
    assert mali["leader"].tolist()[-3:] == ["Keita", "Assimi Goita", "Ba N'Daou"]
    keita, goita, ndaou = (mali.iloc[i] for i in (-3, -2, -1))
    assert (keita["syear"], keita["eyear"], keita["emonth"]) == (2013, 2020, 8)
    assert (goita["start_date"], goita["militarycareer"]) == (pd.Timestamp("2020-08-19"), 1.0)
    assert ndaou["syear"] == 2020 and ndaou["smonth"] == 9 and pd.isna(ndaou["eyear"])


def test_leader_unknowns_become_missing(leaders: pd.DataFrame, folder: Path) -> None:
    raw = pd.read_csv(folder / "leaderlist_3_21.csv", dtype=str, encoding="latin-1", keep_default_na=False)
    assert int((raw["militarycareer"] == "-99").sum()) == int(leaders["militarycareer"].isna().sum()) > 0
    assert set(leaders["militarycareer"].dropna()) == {0.0, 0.5, 1.0}
    # source_row is the line of the file: the header is line 1
    assert leaders.loc[2, "leader"] == "Truman"


def test_election_list(folder: Path) -> None:
    elections = reign.parse_elections(folder / "electionlist_3_21.csv")
    assert len(elections) == 4351
    assert elections["elec_year"].max() == 2027
    mali_2018 = elections[(elections["ccode"] == 432) & (elections["elec_year"] == 2018)]
    assert mali_2018["event"].tolist() == ["Vote, As Scheduled", "Announced", "Vote, As Scheduled"]
    # REIGN's typo: one Malawi row carries 533; kept as given for the country mapping to report
    assert elections.loc[elections["ccode"] == 533, "country"].tolist() == ["Malawi"]
    assert not elections["event"].str.endswith(" ").any()


def test_regime_list(folder: Path) -> None:
    regimes = reign.parse_regimes(folder / "regime_list.csv")
    assert len(regimes) == 627
    mali = regimes[regimes["cowcode"] == 432].sort_values("gwf_startdate")
    assert len(mali) == 8
    last = mali.iloc[-1]
    assert last["gwf_startdate"] == pd.Timestamp("2020-08-18")
    assert last["gwf_regimetype"] == "provisional military"
    assert mali.iloc[0]["gwf_startdate"] == pd.Timestamp("1960-08-22")
    # trailing blanks in the publisher's 'provisional ' are removed
    assert int((regimes["gwf_regimetype"] == "provisional").sum()) == 35
    assert regimes["gwf_startdate"].min() == pd.Timestamp("1600-10-08")  # San Marino


_LEADER_HEADER = (
    "stateabb,ccode,leadid,leader,sdate,smonth,syear,emonth,eyear,birthyear,gender,militarycareer,"
    "l_month,l_year,,,codedby,notes"
)


def test_bad_military_career_names_row_column_value(tmp_path: Path) -> None:
    path = tmp_path / "leaderlist_3_21.csv"
    path.write_text(
        _LEADER_HEADER + "\n"
        "MLI,432,x-1,Keita,4,9,2013,8,2020,1945,1,0,8,2013,,,,\n"
        "MLI,432,x-2,Goita,19,8,2020,9,2020,1983,1,colonel,,,,,ctb,\n",
        encoding="latin-1",
    )
    with pytest.raises(SourceFileError) as info:
        reign.parse_leaders(path)
    message = str(info.value)
    assert "row 3" in message and "'militarycareer'" in message and "'colonel'" in message


def test_leader_spell_ending_before_start_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "leaderlist_3_21.csv"
    path.write_text(_LEADER_HEADER + "\nMLI,432,x-1,Keita,4,9,2013,8,2012,1945,1,0,8,2013,,,,\n")
    with pytest.raises(SourceFileError, match=r"row 2.*spell ends before it starts"):
        reign.parse_leaders(path)


def test_duplicate_election_step_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "electionlist_3_21.csv"
    header = (
        "ccode,electionnumber,country,elec_year,elec_month,elec_day,sequence,event,elecnum,type,direct,"
        "regular,victory,change,runoff"
    )
    row = '432,17,Mali,2018,7,29,1,"Vote, As Scheduled",432017,X,Y,Y,,,1'
    path.write_text("\n".join([header, row, row]) + "\n")
    with pytest.raises(SourceFileError) as info:
        reign.parse_elections(path)
    message = str(info.value)
    assert "row 2" in message and "rows 2, 3" in message and "ccode+electionnumber+sequence" in message


def test_bad_regime_date_names_row_column_value(tmp_path: Path) -> None:
    path = tmp_path / "regime_list.csv"
    path.write_text(
        "cowcode,gwf_country,gwf_casename,gwf_startdate,gwf_enddate,gwf_regimetype\n"
        "432,Mali,Mali41521,9/4/2013,8/18/2020,presidential\n"
        "432,Mali,Mali8182021,8/18/2020,31/12/2021,provisional military\n"
    )
    with pytest.raises(SourceFileError) as info:
        reign.parse_regimes(path)
    message = str(info.value)
    assert "row 3" in message and "'gwf_enddate'" in message and "'31/12/2021'" in message


def test_unknown_regime_type_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "regime_list.csv"
    path.write_text(
        "cowcode,gwf_country,gwf_casename,gwf_startdate,gwf_enddate,gwf_regimetype\n"
        "432,Mali,Mali41521,9/4/2013,8/18/2020,junta\n"
    )
    with pytest.raises(SourceFileError) as info:
        reign.parse_regimes(path)
    message = str(info.value)
    assert "row 2" in message and "'gwf_regimetype'" in message and "'junta'" in message
