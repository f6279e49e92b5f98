from __future__ import annotations

from pathlib import Path

import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import powell_thyne


def test_events_have_malis_coups(mirror: Path) -> None:
    events = powell_thyne.parse_events(mirror / "powell_thyne" / "powell_thyne_coups_final.txt")
    mali = events[events["ccode"] == 432]
    successful = sorted(mali.loc[mali["coup"] == 2, "year"].tolist())
    failed = sorted(mali.loc[mali["coup"] == 1, "year"].tolist())
    assert successful == [1968, 1991, 2012, 2020, 2021]
    assert failed == [1978, 1991, 2012]
    assert len(events) == 491
    last = events.sort_values(["year", "month", "day"]).iloc[-1]
    assert (last["country"], last["year"], last["month"], last["day"]) == ("Gabon", 2023, 8, 30)


def test_country_year_agrees_with_events(mirror: Path) -> None:
    folder = mirror / "powell_thyne"
    events = powell_thyne.parse_events(folder / "powell_thyne_coups_final.txt")
    country_year = powell_thyne.parse_country_year(folder / "powell_thyne_ccode_year.txt")
    from_events = events.groupby(["ccode", "year"]).size()
    from_cy = country_year.set_index(["ccode", "year"])["attempts"]
    from_cy = from_cy[from_cy > 0]
    assert from_events.sort_index().to_dict() == from_cy.astype(int).sort_index().to_dict()


def test_bad_coup_code_names_row_and_value(tmp_path: Path) -> None:
    bad = tmp_path / "powell_thyne_coups_final.txt"
    bad.write_text(
        'country\tccode\tccode_gw\tccode_polity\tyear\tmonth\tday\tcoup\tversion\n'
        '"Mali"\t432\t\t\t2020\t8\t18\t2\t"V"\n'
        '"Mali"\t432\t\t\t2021\t5\t21\tseven\t"V"\n',
        encoding="latin-1",
    )
    with pytest.raises(SourceFileError) as info:
        powell_thyne.parse_events(bad)
    message = str(info.value)
    assert "row 3" in message and "'coup'" in message and "'seven'" in message
