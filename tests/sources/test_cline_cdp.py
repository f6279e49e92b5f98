from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import cline_cdp


@pytest.fixture(scope="module")
def events(mirror: Path) -> pd.DataFrame:
    return cline_cdp.parse_events(mirror / "cline_cdp" / "Coup_Data_v2.1.2.csv")


def test_counts_match_the_release(events: pd.DataFrame) -> None:
    assert len(events) == 981
    assert events["event_type"].value_counts().to_dict() == {"coup": 441, "attempted": 349, "conspiracy": 191}
    assert events["cowcode"].nunique() == 137
    assert events["year"].min() == 1945


def test_malis_events(events: pd.DataFrame) -> None:
    mali = events[events["cowcode"] == 432]
    by_type = {
        kind: sorted(mali.loc[mali["event_type"] == kind, "event_date"].dt.strftime("%Y-%m-%d"))
        for kind in ("coup", "attempted", "conspiracy")
    }
    assert by_type["coup"] == ["1968-11-19", "1991-03-26", "2012-03-22", "2020-08-18", "2021-05-24"]
    assert [d[:7] for d in by_type["attempted"]] == ["1969-08", "1991-07", "2012-05"]
    assert [d[:4] for d in by_type["conspiracy"]] == ["1971", "1978", "1993", "1996", "2022"]
    assert by_type["conspiracy"][-1].startswith("2022-05")
    # the 2020 coup was a military one
    coup_2020 = mali[mali["event_date"] == "2020-08-18"].iloc[0]
    assert coup_2020["military"] == 1 and coup_2020["realized"] == 1


def test_latest_events(events: pd.DataFrame) -> None:
    latest = events.sort_values("event_date").iloc[-1]
    assert (latest["country"], str(latest["event_date"].date()), latest["event_type"]) == (
        "Brazil", "2022-12-29", "attempted",
    )
    realized = events[events["realized"] == 1].sort_values("event_date")
    last_two = realized.tail(2)[["country", "event_date"]].astype(str).values.tolist()
    assert last_two == [["Sri Lanka", "2022-07-09"], ["Burkina Faso", "2022-09-30"]]


def test_source_row_is_the_line_in_the_file(events: pd.DataFrame, mirror: Path) -> None:
    lines = (mirror / "cline_cdp" / "Coup_Data_v2.1.2.csv").read_text().splitlines()
    row = events[events["coup_id"] == "43203222012"].index[0]
    assert lines[row - 1].startswith('"43203222012",432,"Mali",2012,3,22,"coup"')


def test_codes_outside_the_cow_list_are_kept(events: pd.DataFrame) -> None:
    # Russia 1993 is coded 393 (not a COW code); the mapping must handle it, the parser must not drop it
    russia = events[events["country"] == "Russia"]
    assert set(russia["cowcode"]) == {393}
    assert len(russia) == 2


_HEADER = ",".join(["coup_id", "cowcode", "country", "year", "month", "day", "event_type", *cline_cdp.FLAGS])


def _line(coup_id: str, day: str, event_type: str, realized: str, military: str = "1") -> str:
    unrealized = "0" if realized == "1" else "1"
    attempt = "1" if event_type == "attempted" else "0"
    conspiracy = "1" if event_type == "conspiracy" else "0"
    actors = [military] + ["0"] * (len(cline_cdp.ACTOR_FLAGS) - 1)
    fates = ["1"] + ["0"] * (len(cline_cdp.EXECUTIVE_FATE_FLAGS) - 1)
    fields = [f'"{coup_id}"', "432", '"Mali"', "2020", "8", day, f'"{event_type}"',
              unrealized, realized, conspiracy, attempt, *actors, *fates]
    return ",".join(fields)


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "Coup_Data_v2.1.2.csv"
    path.write_text("\n".join([_HEADER, *lines]) + "\n")
    return path


def test_fixture_parses(tmp_path: Path) -> None:
    frame = cline_cdp.parse_events(_write(tmp_path, _line("43208182020", "18", "coup", "1")))
    assert frame.loc[2, "event_date"] == pd.Timestamp("2020-08-18")


def test_non_numeric_flag_names_row_column_value(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _line("43208182020", "18", "coup", "1"),
        _line("43208192020", "19", "attempted", "0", military="yes"),
    )
    with pytest.raises(SourceFileError) as info:
        cline_cdp.parse_events(path)
    message = str(info.value)
    assert "row 3" in message and "'military'" in message and "'yes'" in message


def test_flags_contradicting_event_type_are_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, _line("43208182020", "18", "coup", "1"), _line("43208192020", "19", "coup", "0"))
    with pytest.raises(SourceFileError) as info:
        cline_cdp.parse_events(path)
    message = str(info.value)
    assert "row 3" in message and "outcome flags disagree" in message


def test_impossible_date_names_row_and_value(tmp_path: Path) -> None:
    path = _write(tmp_path, _line("43208312020", "32", "coup", "1"))
    with pytest.raises(SourceFileError) as info:
        cline_cdp.parse_events(path)
    message = str(info.value)
    assert "row 2" in message and "'2020-8-32'" in message


def test_duplicate_coup_id_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, _line("43208182020", "18", "coup", "1"), _line("43208182020", "18", "coup", "1"))
    with pytest.raises(SourceFileError, match=r"duplicate key \(coup_id='43208182020'\) on rows 2, 3"):
        cline_cdp.parse_events(path)


def test_renamed_column_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "Coup_Data_v2.1.2.csv"
    row = _line("43208182020", "18", "coup", "1")
    path.write_text(_HEADER.replace("cowcode", "ccode") + "\n" + row + "\n")
    with pytest.raises(SourceFileError, match=r"missing column.*'cowcode'"):
        cline_cdp.parse_events(path)
